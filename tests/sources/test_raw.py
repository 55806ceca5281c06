"""Unit tests for jeugdmonitor.sources.raw: sidecars, checksums and the CBS / region-export readers."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from jeugdmonitor.sources import raw

META = {
    "bron": "testbron (fictief)",
    "tabel": "TEST01",
    "titel": "Testtabel",
    "url": "https://example.invalid/TEST01",
    "opgehaald": "2026-11-25",
    "licentie": "CC BY 4.0",
}
DIMS = ["RegioS", "Perioden"]
TOPICS = {"Jongeren_1": False, "Relatief_2": True}
HEADER = '"ID";"RegioS";"Perioden";"Jongeren_1";"Relatief_2"\n'

REGION_COLUMNS = {"peildatum": "date", "gemeentecode": "str", "aantal_wachtenden": "int", "einddatum": "date"}
REGION_HEADER = "peildatum;gemeentecode;aantal_wachtenden;einddatum\n"
DATE_FORMAT = "%d-%m-%Y"


def write(path: Path, content: str | bytes, sidecar: bool = True) -> Path:
    """Write a raw file (text as UTF-8, or raw bytes) and, unless told not to, its sidecar."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    if sidecar:
        raw.write_sidecar(path, META)
    return path


def read_cbs(path: Path) -> pd.DataFrame:
    return raw.read_cbs_table(path, DIMS, TOPICS, ".")


# ---------------------------------------------------------------------------- sidecars and checksums
def test_write_sidecar_records_checksum_and_fields(tmp_path):
    path = write(tmp_path / "t.csv", HEADER)
    sidecar = tmp_path / "t.csv.meta.json"
    assert sidecar.exists()
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    assert meta["sha256"] == raw.sha256(path)
    assert meta["bestand"] == "t.csv"
    for key in raw.SIDECAR_FIELDS:
        assert key in meta
    assert raw.verify(path) == meta


def test_write_sidecar_without_required_fields_raises(tmp_path):
    path = write(tmp_path / "t.csv", HEADER, sidecar=False)
    with pytest.raises(ValueError, match="licentie"):
        raw.write_sidecar(path, {k: v for k, v in META.items() if k != "licentie"})


def test_checksum_mismatch_raises_naming_the_file(tmp_path):
    path = write(tmp_path / "jeugdzorg.csv", HEADER + '"0";"GM0034  ";"2023JJ00";"  455";"  1.1"\n')
    path.write_text(HEADER + '"0";"GM0034  ";"2023JJ00";"  460";"  1.1"\n', encoding="utf-8")  # edited after the fact
    with pytest.raises(raw.RawDataError) as excinfo:
        read_cbs(path)
    message = str(excinfo.value)
    assert str(path) in message
    assert "controlegetal" in message
    assert excinfo.value.path == path


def test_verify_checksum_mismatch(tmp_path):
    path = write(tmp_path / "x.csv", "a;b\n1;2\n")
    path.write_text("a;b\n1;3\n", encoding="utf-8")
    with pytest.raises(raw.RawDataError, match="klopt niet met de sidecar"):
        raw.verify(path)


def test_missing_sidecar_raises(tmp_path):
    path = write(tmp_path / "zonder.csv", HEADER + '"0";"GM0034";"2023JJ00";"5";"1.0"\n', sidecar=False)
    with pytest.raises(raw.RawDataError) as excinfo:
        read_cbs(path)
    message = str(excinfo.value)
    assert "zonder.csv.meta.json" in message
    assert "ontbreekt" in message
    assert str(path) in message


def test_missing_file_raises(tmp_path):
    with pytest.raises(raw.RawDataError, match="bestand ontbreekt"):
        raw.verify(tmp_path / "bestaat-niet.csv")


def test_invalid_sidecar_json_raises(tmp_path):
    path = write(tmp_path / "t.csv", HEADER, sidecar=False)
    (tmp_path / "t.csv.meta.json").write_text("{niet: json", encoding="utf-8")
    with pytest.raises(raw.RawDataError, match="geen geldige JSON"):
        raw.verify(path)


@pytest.mark.parametrize(("content", "expected"), [(b"\xff\xfe{}", "sidecar is niet in UTF-8 gecodeerd (byte 0)"),
                                                   (b"[1, 2]", "sidecar is geen JSON-object met velden maar list")])
def test_a_sidecar_of_other_bytes_or_shape_is_named_not_a_traceback(tmp_path, content, expected):
    path = write(tmp_path / "t.csv", HEADER, sidecar=False)
    (tmp_path / "t.csv.meta.json").write_bytes(content)
    with pytest.raises(raw.RawDataError) as excinfo:
        raw.verify(path)
    assert "t.csv.meta.json" in str(excinfo.value) and expected in str(excinfo.value)


# ---------------------------------------------------------------------------- read_cbs_table: numbers
def test_padded_numbers_and_suppressed_cells_parse(tmp_path):
    path = write(tmp_path / "t.csv", HEADER
                 + '"0";"GM0034  ";"2022JJ00";"     3390";"      7.9"\n'
                 + '"1";"GM0034  ";"2023JJ00";"        .";"        ."\n'
                 + '"2";"JZ08    ";"2023JJ00";"    12345";"     10.0"\n')
    frame = read_cbs(path)
    assert list(frame.columns) == ["RegioS", "Perioden", "Jongeren_1", "Relatief_2"]
    assert frame["RegioS"].tolist() == ["GM0034", "GM0034", "JZ08"]  # padding stripped
    assert str(frame["Jongeren_1"].dtype) == "Int64"
    assert str(frame["Relatief_2"].dtype) == "Float64"
    assert frame.loc[0, "Jongeren_1"] == 3390
    assert frame.loc[0, "Relatief_2"] == pytest.approx(7.9)
    assert frame.loc[1, "Jongeren_1"] is pd.NA
    assert frame.loc[1, "Relatief_2"] is pd.NA
    assert frame.loc[2, "Jongeren_1"] == 12345


def test_parse_counts_treats_dot_and_empty_as_missing(tmp_path):
    frame = pd.DataFrame({"n": ["  5", "  .", "", "10  "]})
    parsed = raw.parse_counts(tmp_path / "f.csv", frame, "n", ".", decimals=False)
    assert parsed.tolist()[0] == 5
    assert parsed.isna().tolist() == [False, True, True, False]
    assert parsed.tolist()[3] == 10


def test_non_numeric_value_names_column_and_file_line(tmp_path):
    path = write(tmp_path / "t.csv", HEADER
                 + '"0";"GM0034";"2022JJ00";"   10";"  1.0"\n'
                 + '"1";"GM0034";"2023JJ00";"    x";"  1.0"\n')
    with pytest.raises(raw.RawDataError) as excinfo:
        read_cbs(path)
    error = excinfo.value
    assert error.column == "Jongeren_1"
    assert error.rows == [3]  # header is line 1, first data row line 2
    message = str(error)
    assert "kolom 'Jongeren_1'" in message
    assert "regels 3" in message
    assert "'x'" in message
    assert str(path) in message


def test_fraction_in_count_column_raises(tmp_path):
    path = write(tmp_path / "t.csv", HEADER + '"0";"GM0034";"2023JJ00";"   12.5";"  1.0"\n')
    with pytest.raises(raw.RawDataError, match="gehele getallen") as excinfo:
        read_cbs(path)
    assert excinfo.value.column == "Jongeren_1"
    assert excinfo.value.rows == [2]


def test_many_bad_rows_are_summarised(tmp_path):
    rows = "".join(f'"{i}";"GM{i:04d}";"2023JJ00";"  x";"  1.0"\n' for i in range(7))
    path = write(tmp_path / "t.csv", HEADER + rows)
    with pytest.raises(raw.RawDataError) as excinfo:
        read_cbs(path)
    assert excinfo.value.rows == [2, 3, 4, 5, 6, 7, 8]
    assert "regels 2, 3, 4, 5, 6 (en 2 meer)" in str(excinfo.value)


# ---------------------------------------------------------------------------- read_cbs_table: file shape
def test_comma_separated_file_raises(tmp_path):
    path = write(tmp_path / "komma.csv", "ID,RegioS,Perioden,Jongeren_1,Relatief_2\n0,GM0034,2023JJ00,5,1.0\n")
    with pytest.raises(raw.RawDataError) as excinfo:
        read_cbs(path)
    message = str(excinfo.value)
    assert "gescheiden door ';'" in message
    assert "komma.csv" in message


def test_empty_file_raises(tmp_path):
    path = write(tmp_path / "leeg.csv", "")
    with pytest.raises(raw.RawDataError, match="bestand is leeg") as excinfo:
        read_cbs(path)
    assert "leeg.csv" in str(excinfo.value)


def test_whitespace_only_file_raises(tmp_path):
    path = write(tmp_path / "leeg.csv", "\n  \n")
    with pytest.raises(raw.RawDataError, match="bestand is leeg"):
        read_cbs(path)


def test_non_utf8_file_raises(tmp_path):
    content = (HEADER + '"0";"GM1900";"2023JJ00";"5";"1.0"\n').replace("GM1900", "Súdwest-Fryslân")
    path = write(tmp_path / "latin1.csv", content.encode("latin-1"))
    with pytest.raises(raw.RawDataError) as excinfo:
        read_cbs(path)
    message = str(excinfo.value)
    assert "niet in UTF-8" in message
    assert "latin1.csv" in message


def test_utf8_bom_is_accepted(tmp_path):
    path = write(tmp_path / "bom.csv", "\ufeff".encode() + (HEADER + '"0";"GM0034";"2023JJ00";"5";"1.0"\n').encode())
    frame = read_cbs(path)
    assert frame["RegioS"].tolist() == ["GM0034"]


def test_missing_column_raises(tmp_path):
    path = write(tmp_path / "t.csv", '"ID";"RegioS";"Perioden";"Jongeren_1"\n"0";"GM0034";"2023JJ00";"5"\n')
    with pytest.raises(raw.RawDataError) as excinfo:
        read_cbs(path)
    assert excinfo.value.column == "Relatief_2"
    message = str(excinfo.value)
    assert "ontbrekende kolom(men) ['Relatief_2']" in message
    assert "Jongeren_1" in message  # shows what was found


def test_extra_column_raises(tmp_path):
    path = write(tmp_path / "t.csv", '"ID";"RegioS";"Perioden";"Jongeren_1";"Relatief_2";"Nieuw_3"\n'
                                     '"0";"GM0034";"2023JJ00";"5";"1.0";"7"\n')
    with pytest.raises(raw.RawDataError) as excinfo:
        read_cbs(path)
    assert excinfo.value.column == "Nieuw_3"
    assert "onverwachte kolom(men) ['Nieuw_3']" in str(excinfo.value)


def test_duplicate_dimension_keys_raise(tmp_path):
    path = write(tmp_path / "t.csv", HEADER
                 + '"0";"GM0034  ";"2023JJ00";"5";"1.0"\n'
                 + '"1";"GM0303  ";"2023JJ00";"5";"1.0"\n'
                 + '"2";"GM0034";"2023JJ00";"10";"2.0"\n')  # same key once the padding is stripped
    with pytest.raises(raw.RawDataError, match="dubbele regels") as excinfo:
        read_cbs(path)
    assert excinfo.value.rows == [2, 4]


def test_empty_dimension_key_raises(tmp_path):
    path = write(tmp_path / "t.csv", HEADER + '"0";"     ";"2023JJ00";"5";"1.0"\n')
    with pytest.raises(raw.RawDataError, match="lege dimensiesleutel") as excinfo:
        read_cbs(path)
    assert excinfo.value.column == "RegioS"


def test_read_dimension_strips_keys(tmp_path):
    path = write(tmp_path / "RegioS.csv", '"Key";"Title"\n"GM0034  ";"Almere"\n"NL01    ";"Nederland"\n')
    frame = raw.read_dimension(path)
    assert frame["Key"].tolist() == ["GM0034", "NL01"]
    assert frame["Title"].tolist() == ["Almere", "Nederland"]


def test_truncated_row_raises(tmp_path):
    path = write(tmp_path / "t.csv", HEADER
                 + '"0";"GM0034";"2022JJ00";"5"\n'  # Relatief_2 cut off
                 + '"1";"GM0034";"2023JJ00";"10";"2.0"\n')
    with pytest.raises(raw.RawDataError):
        read_cbs(path)


def test_trailing_delimiter_on_data_rows_raises(tmp_path):
    path = write(tmp_path / "t.csv", HEADER
                 + '"0";"GM0034";"2022JJ00";"5";"1.0";\n'
                 + '"1";"GM0034";"2023JJ00";"10";"2.0";\n')
    with pytest.raises(raw.RawDataError):
        read_cbs(path)


def test_blank_line_is_an_error_naming_its_file_line(tmp_path):
    path = write(tmp_path / "t.csv", HEADER
                 + '"0";"GM0034";"2022JJ00";"5";"1.0"\n'
                 + "\n"  # line 3 of the file
                 + '"1";"GM0034";"2023JJ00";"x";"1.0"\n')
    with pytest.raises(raw.RawDataError, match="lege regel") as excinfo:
        read_cbs(path)
    assert excinfo.value.rows == [3]


# ---------------------------------------------------------------------------- read_region_export
def read_export(path: Path) -> pd.DataFrame:
    return raw.read_region_export(path, REGION_COLUMNS, DATE_FORMAT)


def test_region_export_parses_dd_mm_yyyy_dates(tmp_path):
    path = write(tmp_path / "wachttijden.csv", REGION_HEADER
                 + "31-01-2019;GM0482;16;28-02-2019\n"
                 + "01-02-2019; GM0505 ;  7;\n")
    frame = read_export(path)
    assert frame.loc[0, "peildatum"] == pd.Timestamp(2019, 1, 31)
    assert frame.loc[1, "peildatum"] == pd.Timestamp(2019, 2, 1)  # day first, not 2 January
    assert frame.loc[0, "einddatum"] == pd.Timestamp(2019, 2, 28)
    assert pd.isna(frame.loc[1, "einddatum"])  # an empty date is allowed (still running)
    assert frame["gemeentecode"].tolist() == ["GM0482", "GM0505"]
    assert str(frame["gemeentecode"].dtype) == "string"
    assert str(frame["aantal_wachtenden"].dtype) == "Int64"
    assert frame["aantal_wachtenden"].tolist() == [16, 7]
    assert pd.api.types.is_datetime64_any_dtype(frame["peildatum"])


@pytest.mark.parametrize("bad_date", ["2019-01-31", "31/01/2019", "31-13-2019", "30-02-2019", "gisteren"])
def test_region_export_rejects_bad_date_naming_column_and_row(tmp_path, bad_date):
    path = write(tmp_path / "wachttijden.csv", REGION_HEADER
                 + "31-01-2019;GM0482;16;\n"
                 + f"{bad_date};GM0482;18;\n")
    with pytest.raises(raw.RawDataError) as excinfo:
        read_export(path)
    error = excinfo.value
    assert error.column == "peildatum"
    assert error.rows == [3]
    message = str(error)
    assert "kolom 'peildatum'" in message
    assert "regels 3" in message
    assert bad_date in message
    assert "%d-%m-%Y" in message


def test_region_export_rejects_non_numeric_int(tmp_path):
    path = write(tmp_path / "wachttijden.csv", REGION_HEADER + "31-01-2019;GM0482;veel;\n")
    with pytest.raises(raw.RawDataError, match="niet-numeriek") as excinfo:
        read_export(path)
    assert excinfo.value.column == "aantal_wachtenden"
    assert excinfo.value.rows == [2]


def test_region_export_rejects_empty_int(tmp_path):
    path = write(tmp_path / "wachttijden.csv", REGION_HEADER + "31-01-2019;GM0482;;\n")
    with pytest.raises(raw.RawDataError, match="lege waarden") as excinfo:
        read_export(path)
    assert excinfo.value.column == "aantal_wachtenden"


def test_region_export_missing_column_raises(tmp_path):
    path = write(tmp_path / "wachttijden.csv", "peildatum;gemeentecode;einddatum\n31-01-2019;GM0482;\n")
    with pytest.raises(raw.RawDataError, match="ontbrekende kolom") as excinfo:
        read_export(path)
    assert excinfo.value.column == "aantal_wachtenden"


def test_region_export_checksum_is_verified(tmp_path):
    path = write(tmp_path / "wachttijden.csv", REGION_HEADER + "31-01-2019;GM0482;16;\n")
    path.write_text(REGION_HEADER + "31-01-2019;GM0482;61;\n", encoding="utf-8")
    with pytest.raises(raw.RawDataError, match="controlegetal"):
        read_export(path)


def test_region_export_rejects_fraction_in_int_column(tmp_path):
    path = write(tmp_path / "wachttijden.csv", REGION_HEADER + "31-01-2019;GM0482;12.5;\n")
    with pytest.raises(raw.RawDataError) as excinfo:
        read_export(path)
    assert excinfo.value.column == "aantal_wachtenden"
    assert excinfo.value.rows == [2]


def test_write_csv_is_deterministic_semicolon_utf8(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (first, second):
        raw.write_csv(path, ["Key", "Title"], [["GM0518", "'s-Gravenhage"], ["GM1900", "Súdwest-Fryslân"]],
                      quote_all=True)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().decode("utf-8") == '"Key";"Title"\n"GM0518";"\'s-Gravenhage"\n"GM1900";"Súdwest-Fryslân"\n'


# ---------------------------------------------------------------------------- Excel exports
def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    raw.write_sidecar(path, {"bron": "test", "tabel": "t", "titel": "t", "url": "-", "opgehaald": "2026-11-25",
                             "licentie": "test"})
    return path


def test_excel_export_reads_like_the_csv_export(tmp_path):
    import datetime as dt

    csv_path = write(tmp_path / "wachttijden.csv", REGION_HEADER + "31-01-2019;GM0482;16;28-02-2019\n")
    xlsx_path = _xlsx(tmp_path / "wachttijden_x.xlsx",
                      [REGION_HEADER.strip().split(";"), [dt.datetime(2019, 1, 31), "GM0482", 16, "28-02-2019"]])
    pd.testing.assert_frame_equal(read_export(xlsx_path), read_export(csv_path))


def test_excel_title_row_is_named(tmp_path):
    path = _xlsx(tmp_path / "w.xlsx", [["Wachttijden Flevoland"], REGION_HEADER.strip().split(";"),
                                       ["31-01-2019", "GM0482", 16, ""]])
    with pytest.raises(raw.RawDataError, match="titelregel") as excinfo:
        read_export(path)
    assert excinfo.value.rows == [1]


def test_excel_bad_number_names_the_spreadsheet_row(tmp_path):
    path = _xlsx(tmp_path / "w.xlsx", [REGION_HEADER.strip().split(";"), ["31-01-2019", "GM0482", 16, ""],
                                       ["28-02-2019", "GM0482", "veel", ""]])
    with pytest.raises(raw.RawDataError) as excinfo:
        read_export(path)
    assert excinfo.value.column == "aantal_wachtenden" and excinfo.value.rows == [3]


def test_csv_and_excel_export_side_by_side_is_an_error(tmp_path):
    (tmp_path / "budget.csv").write_text("x")
    (tmp_path / "budget.xlsx").write_text("x")
    with pytest.raises(raw.RawDataError, match="bewaar er één"):
        raw.export_file(tmp_path, "budget.csv")
