"""Versioned definitions from config/*.yaml: regions, municipalities, mergers, KPIs, goals, sources."""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from jeugdmonitor import paths
from jeugdmonitor.definitions import configcheck
from jeugdmonitor.errors import ConfigError, UnknownMunicipalityError


def _load_yaml(name: str) -> dict[str, Any]:
    path = paths.CONFIG_DIR / name
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: verwacht een mapping op het hoogste niveau")
    _refuse_control_characters(path, data, "")
    return data


NAME_FIELDS = frozenset({"naam", "code", "id", "eenheid"})  # one line on a page, in a download, in a file name


def _refuse_control_characters(path: Path, data: Any, where: str) -> None:
    """Refuse a text in config/ holding a control character (a tab, a carriage return, an escape
    code...): names travel into pages and into downloads a spreadsheet opens. A line break is
    only allowed in longer texts, never in a name, code or unit."""
    if isinstance(data, dict):
        for key, value in data.items():
            _refuse_control_characters(path, key, where)
            _refuse_control_characters(path, value, f"{where}.{key}" if where else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _refuse_control_characters(path, value, f"{where}[{index}]")
    elif isinstance(data, str):
        allowed = "" if where.rsplit(".", 1)[-1] in NAME_FIELDS else "\n"
        bad = [c for c in data if unicodedata.category(c) == "Cc" and c not in allowed]
        if bad:
            raise ConfigError(f"{paths.display_path(path)}: {where or 'een sleutel'} bevat een stuurteken "
                              f"({', '.join(sorted({repr(c) for c in bad}))}) in {data!r}; verwijder het")


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    region: str | None
    first_year: int
    last_year: int | None  # None: still exists

    def exists_in(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    vision: str


@dataclass(frozen=True)
class Merger:
    year: int
    new: str
    old: tuple[str, ...]


@dataclass(frozen=True)
class Register:
    """The municipal register: which codes exist when, in which region, and their mergers."""

    regions: dict[str, Region]
    municipalities: dict[str, Municipality]
    mergers: tuple[Merger, ...]

    def municipality(self, code: str) -> Municipality:
        try:
            return self.municipalities[code]
        except KeyError:
            raise UnknownMunicipalityError(
                f"onbekende gemeentecode {code!r}: niet in config/gemeenten.yaml"
            ) from None

    def region(self, code: str) -> Region:
        try:
            return self.regions[code]
        except KeyError:
            raise ConfigError(f"onbekende jeugdregiocode {code!r}: niet in config/gemeenten.yaml") from None

    def existing(self, year: int) -> list[Municipality]:
        return [m for m in self.municipalities.values() if m.exists_in(year)]

    def members(self, region: str, year: int) -> list[str]:
        """Codes of the municipalities in `region` in `year`, in register order."""
        return [m.code for m in self.existing(year) if m.region == region]

    def successor(self, code: str, year: int) -> str:
        """The code that holds `code`'s territory in `year` (follows mergers forward)."""
        current = self.municipality(code).code
        for merger in sorted(self.mergers, key=lambda m: m.year):
            if merger.year <= year and current in merger.old:
                current = merger.new
        return current

    @functools.cached_property
    def _unchanged(self) -> dict[tuple[str, int, int], bool]:
        return {}  # the register does not change: each answer of composition_unchanged holds

    def composition_unchanged(self, region: str, year: int, boundary_year: int) -> bool:
        """True if `region` in `year` covers exactly the territory of `region` in `boundary_year`.
        Each question is answered once: it walks every municipality of `year`, and every CBS
        table with region rows asks it for the same regions and years."""
        key = (region, year, boundary_year)
        if key not in self._unchanged:
            self._unchanged[key] = self._composition_unchanged(region, year, boundary_year)
        return self._unchanged[key]

    def _composition_unchanged(self, region: str, year: int, boundary_year: int) -> bool:
        then = set(self.members(region, year))
        now = set(self.members(region, boundary_year))
        mapped_then = {self.successor(code, boundary_year) for code in then}
        mapping_into_now = {m.code for m in self.existing(year) if self.successor(m.code, boundary_year) in now}
        return mapped_then == now and mapping_into_now == then


@dataclass(frozen=True)
class Kpi:
    id: str
    name: str
    description: str
    numerator: dict[str, Any]
    denominator: dict[str, Any] | None
    scale: float
    unit: str
    direction: str
    decimals: int
    max_jump_pct: float | None  # year-on-year change beyond this is flagged (warning); None: not checked
    margin: float = 0.0  # a change or a distance to a target smaller than this is "about the same" / "nipt"
    questions: tuple[str, ...] = ()  # gespreksvragen for the council when the figure worsened
    unit_singular: str | None = None  # the unit after exactly 1 ("1 traject"); None: the unit as it is
    # a net figure's sign in words (above zero, below zero, zero): "10 trajecten meer beëindigd dan gestart"
    sign_words: tuple[str, str, str] | None = None

    @property
    def is_rate(self) -> bool:
        """A rate, share or average (it has a denominator): comparable between areas of any size.
        A count or total is not, so it is never ranked across areas."""
        return self.denominator is not None

    @property
    def rounded_by_cbs(self) -> bool:
        """Its numerator is a CBS youth-care count, rounded to 5 and suppressed when small."""
        return self.numerator.get("bron") in ("jeugdzorg", "jeugdzorg_leeftijd")


class Question(NamedTuple):
    """A question for the council's debate (`gespreksvragen` in config/doelen.yaml), with the
    regiovisie passage it rests on."""

    text: str
    passage: str


GOAL_RULES = ("max_waarde", "min_waarde", "daling", "stijging", "onder_landelijk", "verhouding_max", "volgen")
# how a regional goal is judged for one municipality of the region
GOAL_MUNICIPALITY = ("zelfde", "aandeel_inwoners", "alleen_regio")


@dataclass(frozen=True)
class Goal:
    region: str
    id: str
    text: str
    source: str
    kpi: str
    rule: str
    value: float | None = None
    year: int | None = None  # target year; None: every year
    base_year: int | None = None  # start of the straight path to the target (op koers)
    relative_to: str | None = None  # the other KPI of a ratio (verhouding_max)
    municipality: str = "zelfde"  # one of GOAL_MUNICIPALITY
    period: tuple[int, int] | None = None  # the years the goal runs (looptijd); None: every year
    measured_as: str | None = None  # how the indicator differs from the goal's wording (`meting`)
    questions: tuple[Question, ...] = ()  # gespreksvragen for the council when the goal is off course


@dataclass(frozen=True)
class Config:
    register: Register
    kpis: dict[str, Kpi]
    report_kpis: tuple[str, ...]
    overview_kpis: tuple[str, ...]  # the key figures of the index and the region overviews
    local_kpis: tuple[str, ...]  # the rows of a municipality's lokale paragraaf
    goals: dict[str, tuple[Goal, ...]]
    sources: dict[str, Any]
    sample: dict[str, Any] = field(repr=False)
    versions: dict[str, str] = field(default_factory=dict)
    # pairs of KPIs that can move apart, with why (kpis.yaml `uiteenlopend`): {"kpis": [a, b], "uitleg": ...}
    diverging: tuple[dict[str, Any], ...] = ()
    # the rule of a municipality's peer group (kpis.yaml `vergelijkbare_gemeenten`; jeugdmonitor.report.peers)
    peers: dict[str, Any] = field(default_factory=dict)


def _register(gemeenten: dict[str, Any], herindelingen: dict[str, Any]) -> Register:
    regions = {
        code: Region(code=code, name=spec["naam"], vision=spec["regiovisie"])
        for code, spec in gemeenten["regio"].items()
    }
    municipalities: dict[str, Municipality] = {}
    for entry in gemeenten["gemeenten"]:
        code = str(entry["code"])
        if code in municipalities:
            raise ConfigError(f"config/gemeenten.yaml: gemeente {code} staat er twee keer in")
        if entry["regio"] is not None and entry["regio"] not in regions:
            raise ConfigError(f"config/gemeenten.yaml: {code} noemt onbekende regio {entry['regio']!r}")
        municipalities[code] = Municipality(
            code=code,
            name=str(entry["naam"]),
            region=entry["regio"],
            first_year=int(entry["van"]),
            last_year=int(entry["tot"]) if entry.get("tot") is not None else None,
        )
    mergers = []
    for entry in herindelingen["herindelingen"]:
        merger = Merger(year=int(entry["jaar"]), new=str(entry["nieuw"]), old=tuple(str(c) for c in entry["oud"]))
        for code in (merger.new, *merger.old):
            if code not in municipalities:
                raise ConfigError(f"config/herindelingen.yaml: {code} staat niet in config/gemeenten.yaml")
        for code in merger.old:
            if municipalities[code].last_year != merger.year - 1:
                raise ConfigError(
                    f"config/herindelingen.yaml: {code} gaat op in {merger.year}, maar volgens config/gemeenten.yaml "
                    f"bestaat de gemeente tot {municipalities[code].last_year}"
                )
        mergers.append(merger)
    return Register(regions=regions, municipalities=municipalities, mergers=tuple(mergers))


def _kpis(spec: dict[str, Any]) -> dict[str, Kpi]:
    kpis = {}
    default_jump = spec.get("max_jaarsprong_pct")
    for kpi_id, entry in spec["kpis"].items():
        if entry["richting"] not in {"lager_beter", "hoger_beter", "neutraal"}:
            raise ConfigError(f"config/kpis.yaml: {kpi_id} heeft onbekende richting {entry['richting']!r}")
        if entry.get("gespreksvragen") and entry["richting"] == "neutraal":
            raise ConfigError(f"config/kpis.yaml: {kpi_id}: gespreksvragen worden getoond als het cijfer verslechterde; "
                              "een KPI met richting neutraal verslechtert nooit")
        kpis[kpi_id] = Kpi(
            id=kpi_id,
            name=entry["naam"],
            description=entry["omschrijving"],
            numerator=entry["teller"],
            denominator=entry.get("noemer"),
            scale=float(entry["schaal"]),
            unit=entry["eenheid"],
            direction=entry["richting"],
            decimals=int(entry["decimalen"]),
            max_jump_pct=(None if entry.get("max_jaarsprong_pct", default_jump) is None
                          else float(entry.get("max_jaarsprong_pct", default_jump))),
            margin=_margin(kpi_id, entry),
            questions=tuple(entry.get("gespreksvragen", ())),
            unit_singular=entry.get("eenheid_enkelvoud"),
            sign_words=(None if "tekenwoorden" not in entry else
                        (entry["tekenwoorden"]["boven_nul"], entry["tekenwoorden"]["onder_nul"], entry["tekenwoorden"]["nul"])),
        )
    return kpis


def _margin(kpi_id: str, entry: dict[str, Any]) -> float:
    """`marge`: the change that still counts as about the same, in the KPI's unit (required)."""
    if "marge" not in entry:
        raise ConfigError(f"config/kpis.yaml: {kpi_id}: veld 'marge' ontbreekt (het verschil dat nog als "
                          f"'ongeveer gelijk' geldt, in {entry.get('eenheid', 'de eenheid van de KPI')})")
    margin = entry["marge"]
    if not isinstance(margin, (int, float)) or isinstance(margin, bool) or margin < 0:
        raise ConfigError(f"config/kpis.yaml: {kpi_id}: marge moet een getal van 0 of meer zijn, niet {margin!r}")
    return float(margin)


def _diverging(entries: list[Any], kpis: dict[str, Kpi]) -> tuple[dict[str, Any], ...]:
    for number, entry in enumerate(entries, start=1):
        where = f"config/kpis.yaml: uiteenlopend, paar {number}"
        if not isinstance(entry, dict) or set(entry) != {"kpis", "uitleg"}:
            raise ConfigError(f"{where}: verwacht de velden 'kpis' (twee KPI's) en 'uitleg'")
        if len(entry["kpis"]) != 2 or any(k not in kpis for k in entry["kpis"]):
            raise ConfigError(f"{where}: 'kpis' moet twee bekende KPI's noemen, niet {entry['kpis']!r}")
    return tuple(entries)


def _goals(spec: dict[str, Any], kpis: dict[str, Kpi], regions: dict[str, Region]) -> dict[str, tuple[Goal, ...]]:
    goals = {}
    for region, entries in spec["doelen"].items():
        if region not in regions:
            raise ConfigError(f"config/doelen.yaml: onbekende regio {region!r}")
        parsed = []
        for entry in entries:
            where = f"config/doelen.yaml: {region} doel {entry.get('id', entry.get('doel'))!r}"
            for name in ("id", "doel", "bron", "kpi", "regel"):
                if name not in entry:
                    raise ConfigError(f"{where}: veld {name!r} ontbreekt")
            for name in ("kpi", "ten_opzichte_van"):
                if name in entry and entry[name] not in kpis:
                    raise ConfigError(f"{where}: {name} noemt onbekende KPI {entry[name]!r}")
            if entry["regel"] not in GOAL_RULES:
                raise ConfigError(f"{where}: onbekende regel {entry['regel']!r} (bekend: {', '.join(GOAL_RULES)})")
            needs_value = entry["regel"] in ("max_waarde", "min_waarde", "verhouding_max")
            if needs_value != ("waarde" in entry):
                raise ConfigError(f"{where}: regel {entry['regel']} {'vraagt' if needs_value else 'kent geen'} 'waarde'")
            if (entry["regel"] == "verhouding_max") != ("ten_opzichte_van" in entry):
                raise ConfigError(f"{where}: 'ten_opzichte_van' hoort bij regel verhouding_max, en alleen daar")
            if "basisjaar" in entry and ("jaar" not in entry or int(entry["basisjaar"]) >= int(entry["jaar"])):
                raise ConfigError(f"{where}: basisjaar moet vóór het doeljaar 'jaar' liggen")
            municipality = entry.get("gemeente", "zelfde")
            if municipality not in GOAL_MUNICIPALITY:
                raise ConfigError(f"{where}: onbekende waarde gemeente: {municipality!r} (bekend: {', '.join(GOAL_MUNICIPALITY)})")
            period = entry.get("looptijd")
            if period is not None and not (isinstance(period, list) and len(period) == 2 and int(period[0]) <= int(period[1])):
                raise ConfigError(f"{where}: looptijd moet [eerste jaar, laatste jaar] zijn, niet {period!r}")
            if entry.get("gespreksvragen") and entry["regel"] == "volgen":
                raise ConfigError(f"{where}: gespreksvragen worden getoond bij een doel dat niet op koers is of niet "
                                  "gehaald; een doel met regel volgen is dat nooit")
            if entry["id"] in {g.id for g in parsed}:
                raise ConfigError(f"{where}: id komt twee keer voor")
            parsed.append(
                Goal(
                    region=region,
                    id=str(entry["id"]),
                    text=entry["doel"],
                    source=entry["bron"],
                    kpi=entry["kpi"],
                    rule=entry["regel"],
                    value=float(entry["waarde"]) if "waarde" in entry else None,
                    year=int(entry["jaar"]) if "jaar" in entry else None,
                    base_year=int(entry["basisjaar"]) if "basisjaar" in entry else None,
                    relative_to=entry.get("ten_opzichte_van"),
                    municipality=municipality,
                    period=(int(period[0]), int(period[1])) if period is not None else None,
                    measured_as=entry.get("meting"),
                    questions=tuple(Question(q["vraag"], q["passage"]) for q in entry.get("gespreksvragen", ())),
                )
            )
        goals[region] = tuple(parsed)
    return goals


@dataclass(frozen=True)
class TablePart:
    """One CBS table of a source: its own table, or a successor (`opvolgers` in
    config/bronnen.yaml) that continues the series. `spec` is the source's entry with the
    successor's settings (tabel, bestand, vormen, ...) put over it. Which years each table
    supplies is not configured: the fetch reads every table's Perioden and takes each year from
    the newest table that has it, and records the choice in the sidecars."""

    kind: str  # the source key for its own table, `<source>_<table id>` for a successor
    spec: dict[str, Any]
    position: int  # 0 for the source's own table; a successor is newer than every table before it


def table_parts(key: str, spec: dict[str, Any]) -> list[TablePart]:
    """The tables of a CBS source, oldest first: its own `tabel`, then each successor."""
    base = {k: v for k, v in spec.items() if k != "opvolgers"}
    successors = spec.get("opvolgers") or []
    specs = [base]
    for entry in successors:
        missing = [name for name in ("tabel", "bestand") if name not in entry]
        unknown = sorted(set(entry) - set(base) - {"dienst"})  # a successor may be read from another CBS service
        if missing or unknown:
            hint = (" (vanaf bestaat niet meer: `make fetch` leest de jaren uit de Perioden van elke tabel)"
                    if "vanaf" in unknown else "")
            raise ConfigError(f"config/bronnen.yaml: {key}.opvolgers-item {entry.get('tabel', entry)!r} "
                              f"mist {missing} of zet {unknown}, die {key} niet heeft{hint}")
        specs.append({**base, **entry})
    tables = [str(part["tabel"]) for part in specs]
    if len(set(tables)) != len(tables):
        raise ConfigError(f"config/bronnen.yaml: {key} noemt een tabel twee keer in de reeks {tables}")
    return [TablePart(kind=key if index == 0 else f"{key}_{part['tabel']}", spec=part, position=index)
            for index, part in enumerate(specs)]


def _with_norm(kpis: dict[str, Kpi], sources: dict[str, Any]) -> dict[str, Kpi]:
    """Put the waiting-time norm of config/bronnen.yaml into the KPI descriptions ("{wachtnorm_dagen}")."""
    norm = (sources.get("regio_exports") or {}).get("wachttijden", {}).get("wachtnorm_dagen")
    if not isinstance(norm, int) or isinstance(norm, bool) or norm <= 0:
        raise ConfigError(f"config/bronnen.yaml: regio_exports.wachttijden.wachtnorm_dagen moet een geheel aantal "
                          f"dagen boven 0 zijn, niet {norm!r}")
    return {kpi_id: dataclasses.replace(kpi, description=kpi.description.replace("{wachtnorm_dagen}", str(norm)))
            for kpi_id, kpi in kpis.items()}


@functools.cache
def load() -> Config:
    """The definitions of config/, after the files passed their schemas (ConfigError otherwise)."""
    configcheck.check()
    gemeenten = _load_yaml("gemeenten.yaml")
    herindelingen = _load_yaml("herindelingen.yaml")
    kpi_spec = _load_yaml("kpis.yaml")
    goal_spec = _load_yaml("doelen.yaml")
    sources = _load_yaml("bronnen.yaml")
    sample = _load_yaml("voorbeelddata.yaml")
    register = _register(gemeenten, herindelingen)
    kpis = _with_norm(_kpis(kpi_spec), sources)
    for key in ("rapport_kpis", "overzicht_kpis", "lokale_paragraaf"):
        for kpi_id in kpi_spec[key]:
            if kpi_id not in kpis:
                raise ConfigError(f"config/kpis.yaml: {key} noemt onbekende KPI {kpi_id!r}")
    return Config(
        register=register,
        kpis=kpis,
        report_kpis=tuple(kpi_spec["rapport_kpis"]),
        overview_kpis=tuple(kpi_spec["overzicht_kpis"]),
        local_kpis=tuple(kpi_spec["lokale_paragraaf"]),
        goals=_goals(goal_spec, kpis, register.regions),
        diverging=_diverging(kpi_spec.get("uiteenlopend", []), kpis),
        peers=kpi_spec.get("vergelijkbare_gemeenten") or {},
        sources=sources,
        sample=sample,
        versions={
            name: str(spec.get("versie"))
            for name, spec in {
                "gemeenten.yaml": gemeenten,
                "herindelingen.yaml": herindelingen,
                "kpis.yaml": kpi_spec,
                "doelen.yaml": goal_spec,
                "bronnen.yaml": sources,
            }.items()
        },
    )
