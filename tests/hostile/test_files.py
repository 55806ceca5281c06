"""Files that are not data: `make import` refuses them before reading, naming the file, with
exit code 2, and data/raw/ stays as it was; a file name make cannot follow is refused likewise."""

from __future__ import annotations

import dataclasses
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from jeugdmonitor import cli, errors
from jeugdmonitor.definitions import config
from jeugdmonitor.fetch import importer

ROWS = [["peildatum", "gemeentecode", "aantal_wachtenden", "mediaan_wachttijd_dagen", "aantal_zorgelijk_wachtenden"],
        *[[f"01-{m:02d}-2023", "GM0034", 10, 20, 1] for m in range(1, 13)]]


def _workbook(path: Path, rows: list[list] = ROWS) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _with_part(path: Path, part: str) -> Path:
    with zipfile.ZipFile(path, "a") as book:
        book.writestr(part, b"\x00" * 64)
    return path


def _raw_listing(root: Path) -> list[tuple[str, int]]:
    return sorted((p.relative_to(root).as_posix(), p.stat().st_size) for p in (root / "data" / "raw").rglob("*"))


def _truncated(tmp_path: Path) -> Path:
    whole = _workbook(tmp_path / "heel.xlsx").read_bytes()
    path = tmp_path / "afgebroken.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _renamed_csv(tmp_path: Path) -> Path:
    path = tmp_path / "wachttijden.xlsx"
    path.write_text("\n".join(";".join(map(str, r)) for r in ROWS), encoding="utf-8")
    return path


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "x.csv"
    os.mkfifo(path)
    return path


def _folder(tmp_path: Path) -> Path:
    path = tmp_path / "x.csv"
    path.mkdir()
    return path


CASES = {
    "hernoemd_csv": (_renamed_csv, "geen leesbaar Excel-werkboek"),
    "afgebroken_xlsx": (_truncated, "geen leesbaar Excel-werkboek"),
    "macro": (lambda t: _with_part(_workbook(t / "m.xlsx"), "xl/vbaProject.bin"), "macro"),
    "externe_koppeling": (lambda t: _with_part(_workbook(t / "k.xlsx"), "xl/externalLinks/externalLink1.xml"),
                          "externe koppelingen"),
    "fifo": (_fifo, "een FIFO"),
    "map": (_folder, "een map"),
    "ontbreekt": (lambda t: t / "weg.csv", "bestand bestaat niet"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_import_refuses_what_is_not_data(project, tmp_path, capsys, case):
    make, words = CASES[case]
    source = make(tmp_path)
    before = _raw_listing(project)
    code = cli.main(["import", "--regio", "JZ08", "--soort", "wachttijden", "--bestand", str(source)])
    err = capsys.readouterr().err
    assert code == errors.EXIT_BAD_INPUT, err
    assert words in err and source.name in err and "Traceback" not in err
    assert _raw_listing(project) == before, "nothing is placed"
    assert not list((project / "data" / "raw" / "regio").glob(".import-*")), "no staging left"


def _limited(cfg: config.Config, **limits) -> config.Config:
    return dataclasses.replace(cfg, sources={**cfg.sources, "import_grenzen": {**cfg.sources["import_grenzen"], **limits}})


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(project, tmp_path, monkeypatch):
    source = tmp_path / "groot.csv"
    source.write_bytes(b"x" * 2000)
    read = []
    monkeypatch.setattr(importer, "_stored_csv", lambda *a: read.append(a))
    with pytest.raises(errors.RawDataError, match=r"groot\.csv: bestand is 0\.0 MB, groter dan de grens"):
        importer.import_export(_limited(config.load(), megabytes=0.001), "JZ08", "wachttijden", source)
    assert read == []


def test_more_rows_than_the_limit_are_refused_for_csv_and_workbook(project, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "ROW_BYTES", 10**6)  # the declared rows decide here, not the sheet's size
    cfg = _limited(config.load(), regels=5)
    csv_source = tmp_path / "lang.csv"
    csv_source.write_text("\n".join(";".join(map(str, r)) for r in ROWS), encoding="utf-8")
    with pytest.raises(errors.RawDataError, match=r"lang\.csv: meer dan 5 regels"):
        importer.import_export(cfg, "JZ08", "wachttijden", csv_source)
    with pytest.raises(errors.RawDataError, match=r"lang\.xlsx: het werkboek heeft 13 regels, meer dan de grens van 5"):
        importer.import_export(cfg, "JZ08", "wachttijden", _workbook(tmp_path / "lang.xlsx"))


def test_a_sheet_larger_than_its_rows_may_be_is_refused_whatever_it_declares(project, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "ROW_BYTES", 1)
    with pytest.raises(errors.RawDataError, match="uitgepakt"):
        importer.import_export(_limited(config.load(), regels=100), "JZ08", "wachttijden", _workbook(tmp_path / "w.xlsx"))


def test_a_clean_workbook_passes_the_checks(tmp_path):
    importer.check_source(_workbook(tmp_path / "w.xlsx"), {"megabytes": 1, "regels": 100})
