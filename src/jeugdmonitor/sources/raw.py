"""Reading and writing the raw source files in data/raw/ and their provenance sidecars.

Raw files are immutable input: every file has a sidecar `<file>.meta.json` with its
source, table id, URL, retrieval date, licence and sha256 checksum, and reading a file
whose checksum no longer matches is an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from jeugdmonitor import paths
from jeugdmonitor.errors import RawDataError

CBS_DELIMITER = ";"
CBS_CELL_WIDTH = 9  # CBS CSV downloads right-align numbers in 9 characters
SIDECAR_FIELDS = ("bron", "tabel", "titel", "url", "opgehaald", "licentie", "sha256")
# The characters a path under data/raw/ may hold: make lists those files as prerequisites and
# cannot follow a name with a space, `:`, `#`, `$` or quotes (the Makefile's `find` leaves such
# names out, with the same set, and the cleaning stage refuses them here with a message).
SAFE_NAME = re.compile(r"[A-Za-z0-9._/+-]+")


def check_file_names(raw_dir: Path) -> None:
    """Refuse any file under `raw_dir` whose path make cannot list as a prerequisite (a space,
    quote, `$`, `;`, a letter outside ASCII...): the message names the file and says to rename it."""
    odd = sorted(p.relative_to(raw_dir).as_posix() for p in raw_dir.rglob("*")
                 if p.is_file() and not SAFE_NAME.fullmatch(p.relative_to(raw_dir).as_posix()))
    if odd:
        raise RawDataError(raw_dir / odd[0], "deze bestandsnaam bevat tekens die make niet kan volgen (spatie, aanhalingsteken, "
                           "$, ; of een letter buiten ASCII); hernoem het bestand met alleen letters, cijfers, . _ + en -"
                           + (f" (ook: {', '.join(odd[1:])})" if len(odd) > 1 else ""))


def rounding_slack(parts: Any, step: int) -> Any:
    """How far published parts may add up above their published total when CBS rounds every cell
    on its own to a multiple of `step` (geheimhouding.afronding): each part and the total may each
    be off by half a step, so `step / 2` per part plus `step / 2` for the total (for 5: 2.5 each).
    CBS's table notes and its Jeugdmonitor say so: totals may differ from the sum of their parts
    through rounding (84135NED: 220 + 205 = 425 against 430). `parts`: a number or a Series."""
    return step / 2 * (parts + 1)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cbs_cell(value: Any, decimals: int, missing_mark: str) -> str:
    """A topic value as CBS writes it in a CSV download: right-aligned, `missing_mark` when
    empty. The inverse of parse_counts; used by the sample generator and the CBS fetch."""
    if value is None:
        text = missing_mark
    elif isinstance(value, (int, float)):
        if decimals > 0:
            text = f"{value:.{decimals}f}"
        elif float(value).is_integer():
            text = str(int(value))
        else:
            text = repr(float(value))
    else:
        text = str(value).strip() or missing_mark
    return text.rjust(CBS_CELL_WIDTH)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], quote_all: bool) -> None:
    """Write a `;`-separated UTF-8 CSV deterministically (same rows give the same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=CBS_DELIMITER,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
        lineterminator="\n",
    )
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_sidecar(path: Path, meta: dict[str, Any]) -> Path:
    record = {**meta, "bestand": path.name, "sha256": sha256(path)}
    missing = [key for key in SIDECAR_FIELDS if key not in record]
    if missing:
        raise ValueError(f"sidecar van {path} mist {missing}")
    sidecar = paths.raw_sidecar(path)
    sidecar.write_text(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return sidecar


def read_json(path: Path, what: str = "bestand") -> Any:
    """The JSON document in `path` (a sidecar, a boundary file); another encoding or invalid JSON
    is a RawDataError naming the file ("<what> is niet in UTF-8 gecodeerd", "... geen geldige JSON")."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise RawDataError(path, f"{what} is niet in UTF-8 gecodeerd (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise RawDataError(path, f"{what} is geen geldige JSON ({error})") from error


def read_sidecar(path: Path) -> dict[str, Any]:
    sidecar = paths.raw_sidecar(path)
    if not sidecar.exists():
        raise RawDataError(path, f"herkomst-sidecar {sidecar.name} ontbreekt")
    meta = read_json(sidecar, "sidecar")
    if not isinstance(meta, dict):
        raise RawDataError(sidecar, f"sidecar is geen JSON-object met velden maar {type(meta).__name__}")
    return meta


def verify(path: Path) -> dict[str, Any]:
    """Check that `path` exists and still matches its sidecar; return the sidecar."""
    if not path.exists():
        raise RawDataError(path, "bestand ontbreekt")
    meta = read_sidecar(path)
    actual = sha256(path)
    if meta.get("sha256") != actual:
        raise RawDataError(
            path,
            f"controlegetal {actual[:12]}… klopt niet met de sidecar ({str(meta.get('sha256'))[:12]}…); "
            "ruwe data zijn onveranderlijk: maak of haal het bestand en zijn sidecar samen opnieuw",
        )
    return meta


def _read_text_csv(path: Path) -> pd.DataFrame:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RawDataError(path, f"bestand is niet in UTF-8 gecodeerd (byte {error.start})") from error
    if not text.strip():
        raise RawDataError(path, "bestand is leeg")
    header = next(csv.reader(io.StringIO(text), delimiter=CBS_DELIMITER))
    if len(header) == 1:
        raise RawDataError(path, f"verwacht kolommen gescheiden door ';', gevonden: één kolom {header[0]!r}")
    _check_field_counts(path, text, len(header))
    try:
        # index_col=False: a trailing ';' on every row must not shift the columns;
        # skip_blank_lines=False keeps error line numbers equal to the file's
        frame = pd.read_csv(io.StringIO(text), sep=CBS_DELIMITER, dtype=str, keep_default_na=False,
                            index_col=False, skip_blank_lines=False)
    except pd.errors.ParserError as error:
        raise RawDataError(path, f"geen geldige CSV met ';' als scheidingsteken ({error})") from error
    if len(frame.columns) == 1:
        raise RawDataError(path, f"verwacht kolommen gescheiden door ';', gevonden: één kolom {frame.columns[0]!r}")
    return frame


def _check_field_counts(path: Path, text: str, expected: int) -> None:
    """Every record has as many fields as the header: no blank, truncated or shifted rows."""
    reader = csv.reader(io.StringIO(text), delimiter=CBS_DELIMITER)
    bad: list[int] = []
    counts: set[int] = set()
    for fields in reader:
        if len(fields) != expected:
            bad.append(reader.line_num)
            counts.add(len(fields))
    if bad:
        raise RawDataError(path, f"regel(s) met {sorted(counts)} velden waar de kop er {expected} heeft "
                                 "(lege regel, afgebroken regel of los scheidingsteken)", rows=bad)


def _require_columns(path: Path, frame: pd.DataFrame, expected: Sequence[str]) -> None:
    if len(frame) and list(frame.iloc[0].str.strip()) == list(expected) and list(frame.columns) != list(expected):
        raise RawDataError(path, f"de eerste regel lijkt een titelregel boven de kop {list(expected)}; "
                                 "verwijder die (export uit een spreadsheet?)", rows=[1])
    missing = [c for c in expected if c not in frame.columns]
    extra = [c for c in frame.columns if c not in expected]
    if missing:
        raise RawDataError(path, f"ontbrekende kolom(men) {missing}; gevonden {list(frame.columns)}", column=missing[0])
    if extra:
        raise RawDataError(path, f"onverwachte kolom(men) {extra}", column=extra[0])


def _file_rows(index: Iterable[int]) -> list[int]:
    # +2: one for the header line, one because file lines count from 1
    return [int(i) + 2 for i in index]


def parse_counts(path: Path, frame: pd.DataFrame, column: str, missing_mark: str, decimals: bool) -> pd.Series:
    """Parse a CBS numeric column: values may be space-padded; `missing_mark` is a suppressed cell."""
    raw = frame[column].str.strip()
    is_missing = raw.eq(missing_mark) | raw.eq("")
    numbers = pd.to_numeric(raw.where(~is_missing), errors="coerce")
    bad = numbers.isna() & ~is_missing
    if bad.any():
        examples = raw[bad].head(3).tolist()
        raise RawDataError(path, f"niet-numerieke waarden {examples}", column=column, rows=_file_rows(raw.index[bad]))
    if not decimals:
        fractional = numbers.notna() & (numbers != numbers.round())
        if fractional.any():
            raise RawDataError(path, "verwacht gehele getallen", column=column, rows=_file_rows(raw.index[fractional]))
        return numbers.astype("Int64")
    return numbers.astype("Float64")


def read_cbs_table(path: Path, dimensions: Sequence[str], topics: dict[str, bool], missing_mark: str) -> pd.DataFrame:
    """Read a CBS TypedDataSet saved as CSV. `topics` maps topic column -> has decimals.

    Dimension keys are stripped (CBS pads region keys with trailing spaces)."""
    verify(path)
    frame = _read_text_csv(path)
    _require_columns(path, frame, ["ID", *dimensions, *topics])
    result = pd.DataFrame(index=frame.index)
    for dim in dimensions:
        result[dim] = frame[dim].str.strip()
        empty = result[dim].eq("")
        if empty.any():
            raise RawDataError(path, "lege dimensiesleutel", column=dim, rows=_file_rows(frame.index[empty]))
    for topic, has_decimals in topics.items():
        result[topic] = parse_counts(path, frame, topic, missing_mark, has_decimals)
    duplicated = result.duplicated(subset=list(dimensions), keep=False)
    if duplicated.any():
        raise RawDataError(path, "dubbele regels voor dezelfde dimensiesleutels", column=dimensions[0],
                           rows=_file_rows(result.index[duplicated]))
    return result


def read_dimension(path: Path, columns: Sequence[str] = ("Key", "Title")) -> pd.DataFrame:
    verify(path)
    frame = _read_text_csv(path)
    _require_columns(path, frame, list(columns))
    frame["Key"] = frame["Key"].str.strip()
    return frame


def _read_excel(path: Path, columns: dict[str, str], date_format: str) -> pd.DataFrame:
    """An .xlsx export as the same text table a CSV export gives (first sheet, header in
    row 1; row numbers in errors are the spreadsheet's)."""
    try:
        sheet = pd.read_excel(path, sheet_name=0, header=None, dtype=object, engine="openpyxl")
    except (ValueError, OSError, KeyError) as error:
        raise RawDataError(path, f"geen leesbare Excel-werkmap ({error})") from error
    if sheet.empty:
        raise RawDataError(path, "bestand is leeg")

    def as_text(value: object) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
            return value.strftime(date_format)  # a real date cell, whatever its display format
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    text = sheet.map(as_text)
    header = [h.strip() for h in text.iloc[0]]
    expected = list(columns)
    if header != expected and len(text) > 1 and [h.strip() for h in text.iloc[1]][: len(expected)] == expected:
        raise RawDataError(path, f"de eerste rij lijkt een titelregel boven de kop {expected}; "
                                 "verwijder die", rows=[1])
    frame = text.iloc[1:].reset_index(drop=True)
    frame.columns = header
    return frame


def export_file(folder: Path, configured: str) -> Path:
    """A region's export: the configured CSV or an Excel workbook with the same name."""
    csv_path = folder / configured
    xlsx_path = csv_path.with_suffix(".xlsx")
    present = [p for p in (csv_path, xlsx_path) if p.exists()]
    if len(present) == 2:
        raise RawDataError(xlsx_path, f"zowel {csv_path.name} als {xlsx_path.name} is aanwezig: bewaar er één")
    return present[0] if present else csv_path


def read_region_export(path: Path, columns: dict[str, str], date_format: str, verify_checksum: bool = True) -> pd.DataFrame:
    """Read a region's own export (CSV or .xlsx) under its documented contract (columns and types);
    its checksum against the sidecar unless the file is being imported (no sidecar yet)."""
    if verify_checksum:
        verify(path)
    frame = _read_excel(path, columns, date_format) if path.suffix.lower() == ".xlsx" else _read_text_csv(path)
    _require_columns(path, frame, list(columns))
    result = pd.DataFrame(index=frame.index)
    for column, kind in columns.items():
        values = frame[column].str.strip()
        if kind == "str":
            result[column] = values.astype("string")
        elif kind == "int":
            empty = values.eq("")
            numbers = pd.to_numeric(values.where(~empty), errors="coerce")
            bad = numbers.isna() & ~empty
            if bad.any():
                raise RawDataError(path, f"niet-numerieke waarden {values[bad].head(3).tolist()}", column=column,
                                   rows=_file_rows(values.index[bad]))
            if empty.any():
                raise RawDataError(path, "lege waarden", column=column, rows=_file_rows(values.index[empty]))
            fractional = numbers != numbers.round()
            if fractional.any():
                raise RawDataError(path, f"verwacht gehele getallen, gevonden {values[fractional].head(3).tolist()}",
                                   column=column, rows=_file_rows(values.index[fractional]))
            result[column] = numbers.astype("Int64")
        elif kind == "date":
            empty = values.eq("")
            dates = pd.to_datetime(values.where(~empty), format=date_format, errors="coerce")
            bad = dates.isna() & ~empty
            if bad.any():
                raise RawDataError(path, f"datums niet in de vorm {date_format}: {values[bad].head(3).tolist()}",
                                   column=column, rows=_file_rows(values.index[bad]))
            result[column] = dates
        else:
            raise ValueError(f"onbekend kolomtype {kind!r} voor {column}")
    return result
