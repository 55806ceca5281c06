"""CBS's area table ("Gebieden in Nederland <jaar>", one per year) and the register entry of a
jeugdregio written from it into config/gemeenten.yaml (`make regio JZ=JZ24`).

The table is read from data/raw/cbs/gebieden/ (fetched by `make fetch`); its sidecar records
which topic key holds which field (`onderwerpen`), since CBS numbers the keys anew every year.
The register file is edited as text: the region's lines go at the end of the `regio:` block and
its municipalities at the end of the file, so every comment and line of the hand-written file
stays as it was. The result is loaded with the workbook's own checks before it is written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.errors import ConfigError, RawDataError
from jeugdmonitor.sources import raw

AREAS = "cbs_gebieden"  # the source in config/bronnen.yaml
ROLES = ("gemeentecode", "gemeentenaam", "jeugdregio_code", "jeugdregio_naam", "provincie_code", "provincie_naam",
         "stedelijkheid")
# CBS's degree of urbanisation (stedelijkheid, from the omgevingsadressendichtheid): 1 zeer sterk
# stedelijk, 2 sterk, 3 matig, 4 weinig, 5 niet stedelijk
URBANISATION_CLASSES = ("1", "2", "3", "4", "5")
REGION_CODE = re.compile(r"JZ\d{2}")
MUNICIPALITY_CODE = re.compile(r"GM\d{4}")
REGISTER_NAME = "gemeenten.yaml"


@dataclass(frozen=True)
class AreaSettings:
    """The `cbs_gebieden` entry of config/bronnen.yaml, checked."""

    tables: dict[int, str]  # year -> table id, ascending
    title: str  # template with {jaar}
    source_name: str
    data_file: str  # template with {tabel}
    region_dimension: str
    # role -> (title of the topic's group, title of the topic); each a title or a list of alternatives
    # (CBS renamed the jeugdregio group between years), matched as cbs_titles.matches does
    topics: dict[str, tuple[str | list[str], str | list[str]]]


def _titles(value: Any, where: str) -> str | list[str]:
    """A configured title, or a non-empty list of alternative titles."""
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence) and value and all(isinstance(v, str) for v in value):
        return [str(v) for v in value]
    raise ConfigError(f"{where}: verwacht een titel of een lijst van titels, gevonden {value!r}")


def settings(cfg: config.Config) -> AreaSettings:
    spec = cfg.sources.get(AREAS)
    where = f"config/bronnen.yaml: {AREAS}"
    if not isinstance(spec, Mapping):
        raise ConfigError(f"{where} ontbreekt (de CBS-tabellen 'Gebieden in Nederland <jaar>')")
    missing = [k for k in ("tabellen", "titel", "bestand", "dimensies", "onderwerpen") if not spec.get(k)]
    if missing:
        raise ConfigError(f"{where} mist {missing}")
    topics = {}
    for role in ROLES:
        entry = spec["onderwerpen"].get(role)
        if not (isinstance(entry, Sequence) and not isinstance(entry, str) and len(entry) == 2):
            raise ConfigError(f"{where}.onderwerpen.{role}: verwacht [titel van de groep, titel van het onderwerp], "
                              f"gevonden {entry!r}")
        topics[role] = (_titles(entry[0], f"{where}.onderwerpen.{role}"), _titles(entry[1], f"{where}.onderwerpen.{role}"))
    try:
        tables = {int(year): str(table) for year, table in sorted(spec["tabellen"].items())}
    except (TypeError, ValueError, AttributeError) as error:
        raise ConfigError(f"{where}.tabellen: verwacht jaar: tabel-id ({error})") from error
    return AreaSettings(tables=tables, title=str(spec["titel"]), source_name=str(spec.get("bronnaam") or "CBS"),
                        data_file=str(spec["bestand"]), region_dimension=str(spec["dimensies"].get("regio", "RegioS")),
                        topics=topics)


def area_file(area: AreaSettings, year: int) -> Path:
    return paths.RAW_DIR / area.data_file.format(tabel=area.tables[year])


def available_years(area: AreaSettings) -> list[int]:
    """The years whose area table is in data/raw/ (fetched, or the bundled sample)."""
    return [year for year in area.tables if area_file(area, year).exists()]


@dataclass(frozen=True)
class AreaRow:
    """One municipality of a year's area table, names and codes as CBS gives them (padding stripped)."""

    code: str
    name: str
    region: str
    region_name: str
    province: str
    province_name: str
    urbanisation: int  # stedelijkheid, 1 (zeer sterk stedelijk) to 5 (niet stedelijk)


def read_area_table(path: Path) -> list[AreaRow]:
    """Read an area table under its contract: checksum, `;` CSV with ID, the region dimension and
    the topics the sidecar names, one row per municipality code."""
    meta = raw.verify(path)
    topics = meta.get("onderwerpen")
    if not isinstance(topics, Mapping) or any(role not in topics for role in ROLES):
        raise RawDataError(paths.raw_sidecar(path), f"de sidecar van een gebiedentabel noemt per veld {list(ROLES)} "
                                                    f"het onderwerp van de tabel (`onderwerpen`); gevonden {topics!r}")
    dimension = str(meta.get("dimensie") or "RegioS")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RawDataError(path, f"bestand is niet in UTF-8 gecodeerd (byte {error.start})") from error
    reader = csv.DictReader(io.StringIO(text), delimiter=raw.CBS_DELIMITER)
    expected = ["ID", dimension, *(str(topics[role]) for role in ROLES)]
    if reader.fieldnames != expected:
        raise RawDataError(path, f"kolommen {reader.fieldnames}, verwacht {expected}")
    rows: list[AreaRow] = []
    seen: dict[str, int] = {}
    for line, record in enumerate(reader, start=2):
        if None in record or any(value is None for value in record.values()):
            raise RawDataError(path, "regel met een ander aantal velden dan de kop", rows=[line])
        values = {role: record[str(topics[role])].strip() for role in ROLES}
        if not MUNICIPALITY_CODE.fullmatch(values["gemeentecode"]):
            raise RawDataError(path, f"gemeentecode {values['gemeentecode']!r} is niet GM + 4 cijfers",
                               column=str(topics["gemeentecode"]), rows=[line])
        if values["gemeentecode"] != record[dimension].strip():
            raise RawDataError(path, f"gemeentecode {values['gemeentecode']!r} hoort niet bij {dimension} "
                                     f"{record[dimension].strip()!r}", column=str(topics["gemeentecode"]), rows=[line])
        if values["jeugdregio_code"] and not REGION_CODE.fullmatch(values["jeugdregio_code"]):
            raise RawDataError(path, f"jeugdregiocode {values['jeugdregio_code']!r} is niet JZ + 2 cijfers",
                               column=str(topics["jeugdregio_code"]), rows=[line])
        if values["stedelijkheid"] not in URBANISATION_CLASSES:
            raise RawDataError(path, f"stedelijkheid {values['stedelijkheid']!r} van {values['gemeentecode']} is niet "
                                     f"een klasse {URBANISATION_CLASSES[0]} tot en met {URBANISATION_CLASSES[-1]}",
                               column=str(topics["stedelijkheid"]), rows=[line])
        if values["gemeentecode"] in seen:
            raise RawDataError(path, f"gemeente {values['gemeentecode']} staat er twee keer in",
                               column=str(topics["gemeentecode"]), rows=[seen[values["gemeentecode"]], line])
        seen[values["gemeentecode"]] = line
        rows.append(AreaRow(values["gemeentecode"], values["gemeentenaam"], values["jeugdregio_code"],
                            values["jeugdregio_naam"], values["provincie_code"], values["provincie_naam"],
                            int(values["stedelijkheid"])))
    if not rows:
        raise RawDataError(path, "de gebiedentabel heeft geen gemeenten")
    return rows


def load_urbanisation(cfg: config.Config, provenance: list[dict[str, Any]]) -> dict[int, dict[str, int]]:
    """Year of each area table in data/raw/ -> municipality code -> its stedelijkheid, for the
    peer groups; each table read under its contract and recorded in the provenance. Empty when
    no area table is in data/raw/ (the peer groups then leave stedelijkheid out and say so)."""
    area = settings(cfg)
    found = {}
    for year in available_years(area):
        path = area_file(area, year)
        found[year] = {row.code: row.urbanisation for row in read_area_table(path)}
        provenance.append({**raw.read_sidecar(path), "pad": path.relative_to(paths.RAW_DIR).as_posix()})
    return found


def urbanisation_in(tables: Mapping[int, Mapping[str, int]], year: int) -> dict[str, int]:
    """Municipality code -> its stedelijkheid, each from the area table nearest to `year` that
    lists it (the earlier on a tie): CBS's classes change slowly, and a year without a table of
    its own (or a municipality merged away before the nearest table) still gets its class."""
    found: dict[str, int] = {}
    for table_year in sorted(tables, key=lambda y: (abs(y - year), y)):
        for code, value in tables[table_year].items():
            found.setdefault(code, value)
    return found


# ---------------------------------------------------------------------------- the register entry
@dataclass
class RegionPlan:
    """What `make regio` writes: the region (unless present) and the municipalities not yet in the
    register; `filled` are present municipalities without a region that get this one."""

    code: str
    name: str
    year: int
    table: str
    region_present: bool
    added: list[dict[str, Any]] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # Dutch, for the user


def _regions_listing(rows: Sequence[AreaRow]) -> str:
    regions = sorted({(r.region, r.region_name) for r in rows if r.region})
    return ", ".join(f"{code} {name}" for code, name in regions)


def _area_tables(area: AreaSettings, year: int | None) -> tuple[int, dict[int, list[AreaRow]]]:
    """The year of the plan (None: the newest table in data/raw/) and the area tables in data/raw/
    up to it, by year; fails naming what to fetch when a table is missing."""
    present_years = available_years(area)
    if not present_years:
        raise ConfigError(f"geen gebiedentabel in {paths.RAW_DIR / Path(area.data_file).parent}: haal ze op met "
                          "`make fetch` (de tabellen 'Gebieden in Nederland <jaar>', cbs_gebieden in config/bronnen.yaml)")
    if year is None:
        year = present_years[-1]
    if year not in present_years:
        raise ConfigError(f"geen gebiedentabel voor {year} in data/raw/ (wel voor {present_years}); haal hem op met "
                          f"`make fetch JAREN={year}`")
    return year, {y: read_area_table(area_file(area, y)) for y in present_years if y <= year}


def _members(area: AreaSettings, current: list[AreaRow], region: str, year: int) -> list[AreaRow]:
    """The municipalities of `region` in the area table of `year`; the region must be there, with one name."""
    members = [r for r in current if r.region == region]
    if not members:
        raise ConfigError(f"jeugdregio {region!r} staat niet in de gebiedentabel {area.tables[year]} "
                          f"({area.title.format(jaar=year)}); bekende jeugdregio's: {_regions_listing(current)}")
    names = {r.region_name for r in members}
    if len(names) > 1:
        raise RawDataError(area_file(area, year), f"jeugdregio {region} heeft meer dan één naam: {sorted(names)}")
    return members


def _note_present(plan: RegionPlan, existing: config.Municipality, code: str, member: bool) -> None:
    """A municipality already in the register: fill in its missing region, or note (not change)
    a different one: moving to another region needs its own line with van/tot."""
    plan.present.append(code)
    if existing.region is None and member:
        plan.filled.append(code)
    elif existing.region not in (None, plan.code) and member:
        plan.notes.append(f"{code} {existing.name} staat in config/gemeenten.yaml bij {existing.region}; de "
                          f"gebiedentabel van {plan.year} zet de gemeente in {plan.code}: niet gewijzigd (een overstap "
                          "naar een andere regio vraagt een eigen regel met van/tot)")


def _new_entry(plan: RegionPlan, tables: dict[int, list[AreaRow]], row: AreaRow, first_configured: int,
               member: bool) -> dict[str, Any] | None:
    """The register entry of a municipality not yet in it, with its years (None: in another region
    by the plan's year); notes where a missing table leaves its first or last year uncertain.
    CBS never gives a code to a second municipality: its first and last table are its years."""
    code, year = row.code, plan.year
    present_in = [y for y in sorted(tables) if code in {r.code for r in tables[y]}]
    first, last = present_in[0], present_in[-1]
    if last == year and not member:
        return None  # in another region by `year`: not this region's
    entry: dict[str, Any] = {"code": code, "naam": row.name, "regio": plan.code, "van": first}
    if last < year:
        entry["tot"] = last
        if last + 1 not in tables:
            plan.notes.append(f"{code} {row.name}: tot {last} is het laatste jaar met een gebiedentabel waarin de gemeente "
                              f"staat, maar de tabel van {last + 1} is er niet; haal de jaren ertussen op voor het juiste "
                              "laatste jaar")
    if first > first_configured and first - 1 not in tables:
        plan.notes.append(f"{code} {row.name}: van {first} is het eerste jaar met een gebiedentabel in data/raw/; "
                          f"bestond de gemeente al eerder, haal dan eerdere jaren op (make fetch JAREN={first_configured}-...) "
                          "of zet het beginjaar zelf")
    return entry


def plan_region(cfg: config.Config, region: str, year: int | None = None) -> RegionPlan:
    """The register entry of `region` from the area table of `year` (None: the newest in data/raw/).

    `van` is the first year whose area table in data/raw/ lists the municipality (CBS never reuses
    a code); municipalities that were in the region in an earlier table and are gone by `year` are
    added with `tot`, the last year whose table lists them. Where a table between is missing, the
    plan's notes say so."""
    area = settings(cfg)
    region = region.strip().upper()
    year, tables = _area_tables(area, year)
    members = _members(area, tables[year], region, year)
    member_codes = {m.code for m in members}
    register = cfg.register
    plan = RegionPlan(code=region, name=members[0].region_name, year=year, table=area.tables[year],
                      region_present=region in register.regions)
    last_row: dict[str, AreaRow] = {}  # every municipality ever in the region: its row in the last table listing it there
    for _table_year, rows in sorted(tables.items()):
        last_row.update((row.code, row) for row in rows if row.region == region)
    first_configured = min(area.tables)  # the register's years start with the first configured table
    for code in sorted(last_row, key=lambda c: (c not in member_codes, c)):  # members first, by code
        existing = register.municipalities.get(code)
        if existing is not None:
            _note_present(plan, existing, code, code in member_codes)
            continue
        entry = _new_entry(plan, tables, last_row[code], first_configured, code in member_codes)
        if entry is not None:
            plan.added.append(entry)
    merged_away = {c for m in register.mergers for c in m.old}
    for entry in plan.added:
        if "tot" in entry and entry["code"] not in merged_away:
            plan.notes.append(f"{entry['code']} {entry['naam']} bestaat tot {entry['tot']}: leg de herindeling vast in "
                              "config/herindelingen.yaml")
    return plan


def _scalar(value: Any) -> str:
    """A YAML scalar that reads back as `value` (names as CBS gives them, quoted where needed)."""
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    try:
        if yaml.safe_load(f"{{v: {text}}}") == {"v": text} and text == text.strip():
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def _municipality_line(entry: Mapping[str, Any]) -> str:
    return "  - {" + ", ".join(f"{key}: {_scalar(value)}" for key, value in entry.items()) + "}\n"


def render(text: str, plan: RegionPlan, source: str) -> str:
    """`text` (config/gemeenten.yaml) with the plan applied, every other line unchanged."""
    lines = text.splitlines(keepends=True)
    if not text.endswith("\n"):
        lines[-1] += "\n"
    tops = [i for i, line in enumerate(lines) if re.match(r"[A-Za-z_]\w*:", line)]
    top_names = {lines[i].split(":", 1)[0]: i for i in tops}
    if "regio" not in top_names or "gemeenten" not in top_names or tops[-1] != top_names["gemeenten"]:
        raise ConfigError("config/gemeenten.yaml: verwacht de blokken `regio:` en `gemeenten:`, met `gemeenten:` als laatste")
    for code in plan.filled:
        pattern = re.compile(r"^(\s*- \{code: " + code + r",.*\bregio: )null\b")
        hits = [i for i, line in enumerate(lines) if pattern.match(line)]
        if len(hits) != 1:
            raise ConfigError(f"config/gemeenten.yaml: de regel van {code} met `regio: null` is niet als één regel te vinden")
        lines[hits[0]] = pattern.sub(lambda m: m.group(1) + plan.code, lines[hits[0]])
    if not plan.region_present:
        after_regio = next(i for i in tops if i > top_names["regio"])
        end = after_regio
        while end > top_names["regio"] + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1  # keep comments that introduce the next block with that block
        block = [f"  {plan.code}:\n", f"    naam: {_scalar(plan.name)}\n",
                 f"    regiovisie: {_scalar('Regiovisie jeugdhulp ' + plan.name)}\n"]
        lines[end:end] = block
    if plan.added:
        lines.append(f"  # {plan.name} ({plan.code}), uit {source}\n")
        lines.extend(_municipality_line(entry) for entry in plan.added)
    return "".join(lines)


def write_region(cfg: config.Config, region: str, year: int | None = None, register_path: Path | None = None) -> RegionPlan:
    """Write `region`'s entry from the area table into config/gemeenten.yaml; checked with the
    workbook's own loader before the file is replaced (rename, so a failure leaves it as it was)."""
    plan = plan_region(cfg, region, year)
    path = register_path or paths.CONFIG_DIR / REGISTER_NAME
    area = settings(cfg)
    source = f"CBS {area.title.format(jaar=plan.year)} (tabel {plan.table})"
    text = path.read_text(encoding="utf-8")
    new_text = render(text, plan, source)
    if new_text == text:
        return plan
    parsed = yaml.safe_load(new_text)
    herindelingen = yaml.safe_load((paths.CONFIG_DIR / "herindelingen.yaml").read_text(encoding="utf-8"))
    config._register(parsed, herindelingen)  # the checks `config.load` applies; raises ConfigError
    staging = path.with_name(f".{path.name}.nieuw")
    staging.write_text(new_text, encoding="utf-8")
    os.replace(staging, path)
    return plan
