"""`make import`: place one of a region's exports (waiting times, trajectories, budget, and for a
region that reports per quarter the monthly realisation) in data/raw/regio/<code>/ under its
contract, with the sidecar the workbook needs.

The file is checked with the cleaning stage's own checks before anything is placed: its contract
(exports.check_region_export: columns, types, codes, periods; exit 2) and the source's data-quality
rules (the GX suite ruw_<soort>; exit 3; a warning is printed). The monthly realisation, which only
the quarter reports read, is checked with their reader (quarter_exports.read_monthly_spending:
columns, types, dates, statuses, municipalities of the region; exit 2), then by its suite. A file that fails is refused
naming the file, the column and the rows, and data/raw/ stays as it was. A CSV as Dutch spreadsheets write it (UTF-8 with BOM or
Windows-1252, CRLF line ends, decimal comma, dates like 1-3-2023) is stored in the contract's
form (`;`, UTF-8, LF, whole numbers, dd-mm-yyyy); an .xlsx workbook is stored as it is. The
sidecar records the checksum of the stored file and the name and checksum of the original.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from jeugdmonitor import paths
from jeugdmonitor.definitions import config, quarters
from jeugdmonitor.errors import ConfigError, DataQualityError, RawDataError
from jeugdmonitor.publish import move_files_into
from jeugdmonitor.sources import exports, quarter_exports, raw, rawdata
from jeugdmonitor.vocabulary import EXPORT_KINDS, QUARTER_EXPORTS

QUARTER_KINDS = QUARTER_EXPORTS  # read only by the quarter reports, for the regions of config/kwartaal.yaml
KINDS = EXPORT_KINDS
ENCODINGS = ("utf-8-sig", "cp1252")  # what spreadsheets write: UTF-8 (with or without BOM), else Windows-1252
DUTCH_WHOLE_NUMBER = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,0+)?|-?\d+,0+")  # 1.234 / 1.234,00 / 12,0
SHORT_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
LICENCE = "Niet openbaar (levering door de jeugdregio)"
TITLES = {"wachttijden": "wachttijden per maand", "trajecten": "trajecten", "budget": "budget en realisatie",
          "realisatie_maand": "realisatie per maand"}


@dataclass
class Imported:
    """What `make import` placed (for the message) and what the user should check."""

    region: str
    kind: str
    stored: Path
    sidecar: Path
    rows: int
    period: tuple[dt.date, dt.date] | None = None
    notes: list[str] = field(default_factory=list)  # Dutch, for the user


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """PERIODE= as `2019-2024` (whole years) or `2019-01-01:2024-12-31`."""
    value = text.strip()
    years = re.fullmatch(r"(\d{4})-(\d{4})", value)
    try:
        if years:
            first, last = dt.date(int(years.group(1)), 1, 1), dt.date(int(years.group(2)), 12, 31)
        else:
            start, _, end = value.partition(":")
            first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError as error:
        raise ConfigError(f"PERIODE={text!r}: verwacht jaren zoals 2019-2024 of data zoals 2019-01-01:2024-12-31") from error
    if first > last:
        raise ConfigError(f"PERIODE={text!r}: van ligt na tot")
    return first, last


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise RawDataError(path, "bestand is niet in UTF-8 of Windows-1252 gecodeerd")


def _normalise_value(value: str, kind: str) -> str:
    text = value.strip()
    if kind == "int" and DUTCH_WHOLE_NUMBER.fullmatch(text):
        return text.split(",", 1)[0].replace(".", "")
    if kind == "date":
        match = SHORT_DATE.fullmatch(text)
        if match:
            return f"{int(match.group(1)):02d}-{int(match.group(2)):02d}-{match.group(3)}"
    return value


def _stored_csv(path: Path, columns: dict[str, str]) -> tuple[str, list[str]]:
    """The CSV's text in the contract's form (`;`, LF, whole numbers and dates written as the
    contract has them); one output line per input line, so row numbers stay the file's."""
    text, encoding = _decode(path, path.read_bytes())
    notes = [] if encoding == "utf-8-sig" else [f"{path.name} was in {encoding} gecodeerd; opgeslagen in UTF-8"]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    records = list(csv.reader(io.StringIO(text), delimiter=raw.CBS_DELIMITER))
    if not records:
        raise RawDataError(path, "bestand is leeg")
    header = [h.strip() for h in records[0]]
    # a spreadsheet may end every line with empty cells (`;;`): columns without a name or a value
    while header and not header[-1] and all(len(r) < len(header) or not r[len(header) - 1].strip() for r in records[1:]):
        header.pop()
        records = [records[0][: len(header)], *(r[: len(header)] if len(r) > len(header) else r for r in records[1:])]
        notes = [*notes, "lege kolom zonder naam aan het eind van elke regel weggelaten"]
    kinds = [columns.get(h) for h in header]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=raw.CBS_DELIMITER, lineterminator="\n")
    writer.writerow(header)
    for record in records[1:]:
        writer.writerow([_normalise_value(v, k) if k else v for v, k in zip(record, kinds, strict=False)]
                        + record[len(kinds):])
    return buffer.getvalue(), notes


def _derived_period(frame: pd.DataFrame) -> tuple[dt.date, dt.date]:
    """From 1 January of the year of the first einddatum (the file has no trajectory that ended
    before its period) to 31 December of the year of the latest date in it."""
    ends = frame["einddatum"].dropna()
    starts = frame["startdatum"].dropna()
    first_year = int((ends.min() if len(ends) else starts.min()).year)
    last_year = int(max([*ends.tolist(), *starts.tolist()]).year)
    return dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)


def _months_covered(path: Path, frame: pd.DataFrame,
                    period: tuple[dt.date, dt.date] | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The period a monthly realisation covers: PERIODE, with every row's month inside it, or else
    from the first day of its first month to the last day of its last month."""
    months = frame["peildatum"].dt.to_period("M")
    if period is None:
        return months.min().start_time, months.max().end_time.normalize()
    first, last = pd.Timestamp(period[0]), pd.Timestamp(period[1])
    outside = (frame["peildatum"] < first) | (frame["peildatum"] > last)
    if outside.any():
        raise RawDataError(path, f"maanden buiten de periode {first.date()} - {last.date()} (PERIODE)",
                           column="peildatum", rows=[int(i) + 2 for i in frame.index[outside]])
    return first, last


def check_source(source: Path, limits: dict[str, Any]) -> None:
    """Refuse what is not a region's data before it is read: a path that is not a regular file
    (missing, a folder, a FIFO, a device), a file larger than config/bronnen.yaml's
    `import_grenzen` (megabytes; rows counted without reading the whole file), and a workbook
    that is no workbook (a renamed CSV, a truncated download), holds macros or links to other files."""
    try:
        mode = source.stat().st_mode
    except FileNotFoundError:
        raise RawDataError(source, "bestand bestaat niet") from None
    except OSError as error:
        raise RawDataError(source, f"bestand is niet te lezen: {error.strerror}") from None
    if not stat.S_ISREG(mode):
        what = "een map" if stat.S_ISDIR(mode) else "een FIFO" if stat.S_ISFIFO(mode) else "geen gewoon bestand"
        raise RawDataError(source, f"dit is {what}, geen bestand met data; geef het pad van de export zelf")
    megabytes, rows = float(limits.get("megabytes", 50)), int(limits.get("regels", 200_000))
    size = source.stat().st_size
    if size > megabytes * 1_000_000:
        raise RawDataError(source, f"bestand is {size / 1_000_000:.1f} MB, groter dan de grens van {megabytes:g} MB "
                           "(import_grenzen in config/bronnen.yaml); is dit wel de export van de regio?")
    if source.suffix.lower() == ".xlsx":
        _check_workbook(source, rows)
    else:
        _check_line_count(source, rows)


MACRO_PARTS = ("vbaProject.bin", "vbaProjectSignature.bin", "activeX/")
LINK_PARTS = ("externalLinks/",)
ROW_BYTES = 500


def _check_workbook(source: Path, max_rows: int) -> None:
    """An .xlsx that is a real workbook of data: a zip that opens, without macros or external
    links, whose sheets (their declared dimension, or their unpacked size) are within `max_rows`."""
    try:
        with zipfile.ZipFile(source) as book:
            names = book.namelist()
            damaged = book.testzip()
            sheets = [info for info in book.infolist() if info.filename.startswith("xl/worksheets/")]
            unpacked = sum(info.file_size for info in sheets)
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise RawDataError(source, f"geen leesbaar Excel-werkboek (.xlsx) ({error}): is het een hernoemd CSV-bestand "
                           "of een afgebroken download? Sla het opnieuw op als .xlsx of als .csv") from None
    if damaged is not None:
        raise RawDataError(source, f"het werkboek is beschadigd (onderdeel {damaged}); sla het opnieuw op") from None
    if any(part in name for name in names for part in MACRO_PARTS):
        raise RawDataError(source, "het werkboek bevat macro's of ActiveX (vbaProject.bin); een export met data heeft "
                           "die niet: sla het op als gewoon .xlsx-werkboek zonder macro's of als .csv")
    if any(part in name for name in names for part in LINK_PARTS):
        raise RawDataError(source, "het werkboek verwijst naar andere bestanden (externe koppelingen); verbreek de "
                           "koppelingen (waarden plakken) of sla het op als .csv")
    if "xl/workbook.xml" not in names:
        raise RawDataError(source, "geen Excel-werkboek: xl/workbook.xml ontbreekt; sla het opnieuw op als .xlsx")
    # a row of a region's export (five cells) is about 200 bytes of sheet XML: a sheet much larger than
    # the limit's rows holds more rows than its dimension may claim
    if unpacked > max_rows * ROW_BYTES:
        raise RawDataError(source, f"het werkboek is uitgepakt {unpacked / 1_000_000:.1f} MB: meer dan {max_rows} regels "
                           "(import_grenzen in config/bronnen.yaml)")
    declared = _declared_rows(source)
    if declared > max_rows + 1:
        raise RawDataError(source, f"het werkboek heeft {declared} regels, meer dan de grens van {max_rows} "
                           "(import_grenzen in config/bronnen.yaml)")


def _declared_rows(source: Path) -> int:
    """The largest row number a sheet of the workbook declares (openpyxl's read-only mode reads
    only each sheet's dimension, not its rows); 0 when none declares one."""
    try:
        book = openpyxl.load_workbook(source, read_only=True)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError) as error:
        raise RawDataError(source, f"geen leesbaar Excel-werkboek ({type(error).__name__}: {error}); sla het opnieuw "
                           "op als .xlsx of als .csv") from None
    try:
        return max((sheet.max_row or 0 for sheet in book.worksheets), default=0)
    finally:
        book.close()


def _check_line_count(source: Path, max_rows: int) -> None:
    with source.open("rb") as handle:
        for count, _line in enumerate(handle, start=1):
            if count > max_rows + 1:
                raise RawDataError(source, f"meer dan {max_rows} regels, de grens van import_grenzen in "
                                   "config/bronnen.yaml; is dit wel de export van de regio?")


def _relocated(error: RawDataError, staged: Path, source: Path) -> RawDataError:
    """The error about the staged copy, told about the user's file (same column and rows)."""
    prefix = str(RawDataError(error.path, "", error.column, error.rows))
    message = str(error)[len(prefix):]
    if error.path == paths.raw_sidecar(staged):
        return RawDataError(source, f"de sidecar die de import schrijft: {message}", error.column, error.rows)
    return RawDataError(source if error.path == staged else error.path, message, error.column, error.rows)


def _checked_request(cfg: config.Config, region: str, kind: str, source: Path) -> tuple[str, Path, str]:
    """The region code (upper case), the file and its suffix, after checking that the region and
    the kind of export are known and that the file is a .csv or .xlsx within import_grenzen."""
    region = region.strip().upper()
    register = cfg.register
    if region not in register.regions:
        raise ConfigError(f"jeugdregio {region!r} staat niet in config/gemeenten.yaml (wel {sorted(register.regions)}); "
                          f"voeg haar toe met `make regio JZ={region}`")
    if kind not in KINDS:
        raise ConfigError(f"SOORT={kind!r}: verwacht een van {list(KINDS)}")
    if kind in QUARTER_KINDS:
        _check_reports_quarterly(register, region, kind)
    source = Path(source)
    suffix = source.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise RawDataError(source, f"verwacht een .csv- of .xlsx-bestand, gevonden {source.suffix!r}")
    check_source(source, cfg.sources.get("import_grenzen") or {})
    return region, source, suffix


def _check_reports_quarterly(register: config.Register, region: str, kind: str) -> None:
    """A monthly realisation is read only by the quarter reports: refuse it for a region that
    config/kwartaal.yaml does not list, before the file is read."""
    listed = quarters.reporting_regions()
    if region not in listed:
        raise ConfigError(f"jeugdregio {region} ({register.region(region).name}) rapporteert niet per kwartaal: ze staat "
                          f"niet in config/{quarters.CONFIG_NAME} (wel {', '.join(listed) or 'geen'}). SOORT={kind} is "
                          f"alleen voor de kwartaalrapportages; voeg de regio eerst toe aan config/{quarters.CONFIG_NAME} "
                          "(zie docs/kwartaal.md)")


def _stage(source: Path, suffix: str, contract: dict[str, Any], staged: Path) -> list[str]:
    """Copy the file to `staged`: an .xlsx as it is, a CSV in the contract's form; the notes for the user."""
    if suffix == ".xlsx":
        shutil.copyfile(source, staged)
        return []
    text, notes = _stored_csv(source, contract["kolommen"])
    staged.write_text(text, encoding="utf-8")
    return notes


def _sidecar_meta(cfg: config.Config, region: str, kind: str, source: Path, retrieved: dt.date | None,
                  source_name: str | None, notes: list[str]) -> dict[str, Any]:
    """The sidecar of the stored file: where it comes from, its licence and the original's
    checksum; for waiting times also the norm config/ sets (with a note for the user to check)."""
    region_name = cfg.register.region(region).name
    meta: dict[str, Any] = {
        "bron": source_name or f"Export jeugdregio {region_name} ({TITLES[kind]})",
        "tabel": f"regio-export {TITLES[kind]}",
        "titel": f"{TITLES[kind]}, {region_name}",
        "url": "niet openbaar (levering door de jeugdregio)",
        "opgehaald": (retrieved or dt.date.today()).isoformat(),
        "licentie": LICENCE,
        "fictief": False,
        "maker": "jeugdmonitor.fetch.importer (make import)",
        "origineel": {"bestand": source.name, "sha256": raw.sha256(source)},
    }
    if kind == "wachttijden":
        # the norm the export's zorgelijk wachtenden are counted with: the one config/ sets
        meta["wachtnorm_dagen"] = int(cfg.sources["regio_exports"]["wachttijden"]["wachtnorm_dagen"])
        notes.append(f"wachtnorm_dagen {meta['wachtnorm_dagen']} vastgelegd (config/bronnen.yaml): controleer dat de "
                     "regio de zorgelijk wachtenden met die norm telt")
    return meta


def _check_contract(cfg: config.Config, region: str, kind: str, staged: Path, source: Path,
                    period: tuple[dt.date, dt.date] | None, meta: dict[str, Any],
                    notes: list[str]) -> tuple[pd.DataFrame, Any]:
    """The staged file's rows and the period it covers, after the contract's checks (errors name
    the user's file); the period goes into the sidecar, with a note when derived from the data."""
    try:
        if kind in QUARTER_KINDS:
            frame = quarter_exports.read_monthly_spending(cfg, region, staged, verify_checksum=False)
            covered = _months_covered(staged, frame, period)
        else:
            frame, covered = exports.check_region_export(cfg, region, kind, staged, sidecar=False,
                                                         period=period or _derived_period)
    except RawDataError as error:
        raise _relocated(error, staged, source) from error
    if covered is not None:
        if period is None:
            how = "eerste en laatste maand" if kind in QUARTER_KINDS else "eerste einddatum, laatste datum"
            notes.append(f"periode {covered[0].date()} - {covered[1].date()} afgeleid uit de data ({how}); "
                         "geef PERIODE=van:tot als de export een andere periode beslaat")
        meta["periode"] = {"van": covered[0].date().isoformat(), "tot": covered[1].date().isoformat()}
    return frame, covered


def _check_quality(kind: str, staged: Path, frame: pd.DataFrame, source: Path) -> None:
    """The source's data-quality rules (GX suite ruw_<kind>), as the cleaning stage runs them: a
    critical failure stops with exit 3 and the file's lines, a warning is printed, both naming
    the user's file."""
    from jeugdmonitor import quality  # GX: loaded only once the file passed its structure checks

    def as_users_file(message: str) -> str:
        for shown in (paths.display_path(staged), str(staged.resolve())):
            message = message.replace(shown, str(source))
        return message
    try:
        summary = quality.validate_raw([rawdata.RawFile(kind, staged, frame.copy())])
    except DataQualityError as error:
        raise DataQualityError(as_users_file(str(error))) from error
    for line in quality.warning_lines(summary):
        print(as_users_file(line), flush=True)


def _remove_other_form(target_dir: Path, contract: dict[str, Any], stored_name: str, notes: list[str]) -> None:
    """Remove the other form of the same export (csv or xlsx) and its sidecar: two files for one
    contract would leave the cleaning stage to guess which one holds the data."""
    for other in (target_dir / Path(contract["bestand"]).with_suffix(s).name for s in (".csv", ".xlsx")):
        if other.name != stored_name:
            if other.exists():
                notes.append(f"{other.name} (met sidecar) vervangen door {stored_name}")
            for old in (other, paths.raw_sidecar(other)):
                if old.exists():
                    old.unlink()


def import_export(cfg: config.Config, region: str, kind: str, source: Path, period: tuple[dt.date, dt.date] | None = None,
                  retrieved: dt.date | None = None, source_name: str | None = None) -> Imported:
    """Check `source` against the contract of `kind` for `region` and place it with its sidecar
    in data/raw/regio/<region>/; nothing is placed when a check fails.

    The file is checked in a staging folder next to the target and moved in only when it passed."""
    region, source, suffix = _checked_request(cfg, region, kind, source)
    contract = cfg.sources["regio_exports"][kind]
    stored_name = Path(contract["bestand"]).with_suffix(suffix).name
    target_dir = paths.region_export_dir(region)
    target_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".import-{region}-", dir=target_dir.parent))
    try:
        staged = staging / stored_name
        notes = _stage(source, suffix, contract, staged)
        meta = _sidecar_meta(cfg, region, kind, source, retrieved, source_name, notes)
        frame, covered = _check_contract(cfg, region, kind, staged, source, period, meta, notes)
        raw.write_sidecar(staged, meta)
        _check_quality(kind, staged, frame, source)
        _remove_other_form(target_dir, contract, stored_name, notes)
        moved = move_files_into(staging, target_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    stored = next(p for p in moved if p.name == stored_name)
    found_period = None if covered is None else (covered[0].date(), covered[1].date())
    return Imported(region=region, kind=kind, stored=stored, sidecar=paths.raw_sidecar(stored), rows=len(frame),
                    period=found_period, notes=notes)
