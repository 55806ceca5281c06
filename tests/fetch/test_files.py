"""Tests for jeugdmonitor.fetch.files: the fetched files have the bundled sample's shape, keep CBS's
keys as given and carry sidecars with their provenance and checksum."""

from __future__ import annotations

import datetime as dt
import json
import re

from jeugdmonitor import fetch
from jeugdmonitor.definitions import config
from jeugdmonitor.sources import raw

from .helpers import (
    FEED,
    SAMPLE_RAW,
    YEARS,
    YOUTH_DATA,
    YOUTH_TABLE,
    csv_rows,
    dimension_path,
    read_like_clean,
    table_info,
)

STATLINE = ["cbs_jeugdzorg", "cbs_bevolking"]


def test_region_keys_keep_their_spaces_in_the_file_and_lose_them_when_read(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=cfg)
    path = out / YOUTH_DATA

    keys = {row["RegioS"] for row in csv_rows(path)}
    assert keys == {"GM0503  ", "GM0518  ", "JZ24    ", "NL01    "}
    assert '"GM0518  "' in path.read_text(encoding="utf-8")
    assert {row["Key"] for row in csv_rows(dimension_path(path, "RegioS"))} == keys

    frame, dimensions = read_like_clean(cfg, "cbs_jeugdzorg", out)
    assert set(frame["RegioS"]) == {"GM0503", "GM0518", "JZ24", "NL01"}
    assert set(dimensions["RegioS"]["Key"]) == {"GM0503", "GM0518", "JZ24", "NL01"}


# ---------------------------------------------------------------------------- provenance
def test_sidecars_hold_the_provenance_and_a_matching_checksum(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetched = fetch.fetch(STATLINE, years=YEARS, out_dir=out, cfg=cfg)

    assert [f.key for f in fetched] == STATLINE
    for item in fetched:
        spec = config.table_parts(item.key, cfg.sources[item.key])[-1].spec
        info = table_info(spec["tabel"])
        for relative in item.files:
            path = out / relative
            meta = json.loads(raw.paths.raw_sidecar(path).read_text(encoding="utf-8"))
            for name in (*raw.SIDECAR_FIELDS, "laatst_gewijzigd", "fictief", "perioden_status"):
                assert name in meta, (path.name, name)
            assert meta["sha256"] == raw.sha256(path)
            assert raw.verify(path) == meta
            assert meta["bestand"] == path.name
            assert meta["tabel"] == spec["tabel"]
            assert meta["titel"] == info["Title"]
            assert meta["laatst_gewijzigd"] == info["Modified"]
            assert meta["licentie"] == "CC BY 4.0"
            assert meta["fictief"] is False
            assert meta["url"].startswith(f"{cbs_server.base_url}{FEED}{spec['tabel']}/")
            assert dt.datetime.fromisoformat(meta["opgehaald"]).tzinfo is not None
            assert meta["bron"].startswith(f"CBS StatLine, tabel {spec['tabel']}")

    youth = json.loads(raw.paths.raw_sidecar(out / YOUTH_DATA).read_text(encoding="utf-8"))
    assert youth["perioden_status"] == {"2022": "Definitief", "2023": "Nader voorlopig", "2024": "Voorlopig"}
    assert youth["url"] == f"{cbs_server.base_url}{FEED}{YOUTH_TABLE}/TypedDataSet"
    assert youth["rijen"] == 48
    assert youth["reeks"] == {"84134NED": [], YOUTH_TABLE: YEARS}


# ---------------------------------------------------------------------------- shapes the workbook reads
def test_fetched_folder_has_the_sample_files_and_reads_without_error(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetched = fetch.fetch(STATLINE, years=YEARS, out_dir=out, cfg=cfg)  # Iv3: see test_iv3_writes_...

    for item in fetched:
        bestand = item.files[0]
        prefix = bestand.name.replace("TypedDataSet.csv", "")
        sample = sorted(p.name for p in (SAMPLE_RAW / bestand.parent).glob(f"{prefix}*.csv"))
        assert sorted(p.name for p in item.files) == sample
        for relative in item.files:
            written, bundled = out / relative, SAMPLE_RAW / bestand.parent / relative.name
            lines = written.read_text(encoding="utf-8").splitlines()
            assert lines[0] == bundled.read_text(encoding="utf-8").splitlines()[0], relative
            assert all(re.fullmatch(r'"[^"]*"(;"[^"]*")*', line) for line in lines), relative
        frame, dimensions = read_like_clean(cfg, item.key, out)
        assert len(frame) == item.rows
        periods = dimensions[cfg.sources[item.key]["dimensies"]["periode"]]
        assert set(periods["Status"]) <= set(cfg.sources["status_labels"])
