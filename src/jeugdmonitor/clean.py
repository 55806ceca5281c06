"""Raw sources to tidy, typed clean tables on the municipal boundaries of the report year."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from jeugdmonitor import cbs_regio, cbs_titles, config, iv3, kpis, paths, raw
from jeugdmonitor.errors import DamagedFileError, ReportYearError
from jeugdmonitor.vocabulary import (
    LEVEL_COUNTRY,
    LEVEL_MUNICIPALITY,
    LEVEL_REGION,
    MERGED_ACTION,
    NL_CODE,
    sum_parts,
)


@dataclass
class RawFile:
    """One raw file as read (file row order) for the raw-data suites. CBS youth-care tables name
    their topics and keys differently from table to table; their frame carries the workbook's
    topic names as columns, the workbook's form names and the configured age-group titles, so
    one contract fits every table of the series."""

    kind: str
    path: Path
    frame: pd.DataFrame
    columns: dict[str, str] = field(default_factory=dict)  # column of `frame` -> its name in the file, where they differ


@dataclass
class RawData:
    youth_care: pd.DataFrame
    population: pd.DataFrame
    spending: pd.DataFrame
    waiting: pd.DataFrame
    trajectories: pd.DataFrame
    budget: pd.DataFrame
    youth_care_by_age: pd.DataFrame | None = None  # CBS 84135NED and successors: age groups per form
    provenance: list[dict[str, Any]] = field(default_factory=list)
    files: list[RawFile] = field(default_factory=list)


def _status_map(cfg: config.Config, periods: pd.DataFrame, path: Path) -> dict[str, str]:
    labels = cfg.sources["status_labels"]
    unknown = periods.loc[~periods["Status"].isin(labels), "Status"]
    if len(unknown):
        raise raw.RawDataError(path, f"onbekende periodestatus {unknown.unique().tolist()}", column="Status",
                               rows=[int(i) + 2 for i in unknown.index])
    recorded = raw.read_sidecar(path).get("perioden_status", {})
    for index, key, status in zip(periods.index, periods["Key"], periods["Status"], strict=True):
        year = key[:4]
        if year in recorded and recorded[year] != status:
            # e.g. a provisional year presented as definitive after the fact
            raise raw.RawDataError(path, f"status van {year} is {status!r}, maar de herkomst-sidecar legde "
                                         f"{recorded[year]!r} vast toen de tabel werd opgehaald", column="Status",
                                   rows=[int(index) + 2])
    return {key: labels[status]["status"] for key, status in zip(periods["Key"], periods["Status"], strict=True)}


def _years(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    bad = ~frame[column].str.fullmatch(r"\d{4}JJ00")
    if bad.any():
        raise raw.RawDataError(path, f"periodesleutels niet in de vorm 2023JJ00: {frame.loc[bad, column].head(3).tolist()}",
                               column=column, rows=[int(i) + 2 for i in frame.index[bad]])
    return frame[column].str[:4].astype(int)


def _check_codes(path: Path, frame: pd.DataFrame, column: str, register: config.Register, allowed: set[str]) -> None:
    codes = frame[column]
    municipal = codes.str.startswith("GM")
    unknown = municipal & ~codes.isin(register.municipalities.keys())
    bad_other = ~municipal & ~codes.isin(allowed)
    problems = unknown | bad_other
    if problems.any():
        raise raw.RawDataError(path, f"onbekende regiocodes {codes[problems].unique()[:5].tolist()} "
                                     "(niet in config/gemeenten.yaml)", column=column,
                               rows=[int(i) + 2 for i in codes.index[problems]])


def _provenance(path: Path) -> dict[str, Any]:
    return {**raw.read_sidecar(path), "pad": path.relative_to(paths.RAW_DIR).as_posix()}


def _check_exists_in_year(path: Path, codes: pd.Series, years: pd.Series, register: config.Register, column: str) -> None:
    """A municipality code must exist in the year of its row (no merged-away municipality)."""
    municipal = codes.str.startswith("GM")
    gone = pd.Series(False, index=codes.index)
    gone[municipal] = [not register.municipality(c).exists_in(int(y)) for c, y in zip(codes[municipal], years[municipal], strict=True)]
    if gone.any():
        examples = sorted({f"{c} ({register.municipality(c).name}) in {int(y)}" for c, y in zip(codes[gone], years[gone], strict=True)})[:3]
        raise raw.RawDataError(path, f"gemeenten gemeld voor een jaar waarin ze niet meer (of nog niet) bestaan: "
                                     f"{examples}; zie config/herindelingen.yaml", column=column,
                               rows=[int(i) + 2 for i in codes.index[gone]])


def _check_complete(path: Path, present: pd.DataFrame, expected: pd.MultiIndex, column: str, what: str) -> None:
    """Every expected (municipality, period) pair has a row: no year or municipality missing."""
    have = pd.MultiIndex.from_frame(present.drop_duplicates())
    missing = expected.difference(have)
    if len(missing):
        examples = [" ".join(str(part) for part in item) for item in missing[:5]]
        raise raw.RawDataError(path, f"ontbrekende {what}: {len(missing)}, bijvoorbeeld {examples}", column=column)


def _cbs(cfg: config.Config, key: str) -> tuple[dict[str, Any], Path]:
    spec = cfg.sources[key]
    return spec, paths.RAW_DIR / spec["bestand"]


def _dimension_path(data_path: Path, name: str) -> Path:
    return data_path.with_name(data_path.name.replace("TypedDataSet", name))


AGE_GROUP = -1  # a Leeftijd key that is a group of ages ("0 tot 5 jaar", "95 jaar of ouder")
TOTAL_AGE = -2  # the Leeftijd key of all ages together


def _ages_by_title(path: Path, spec: dict[str, Any], dimension: str, total_key: str) -> dict[str, int]:
    """Leeftijd key -> single year of age, TOTAL_AGE or AGE_GROUP, read from the dimension's titles.

    Keys differ between CBS tables, titles do not: "<n> jaar" is one year of age
    (`enkel_jaar_titel` in config/bronnen.yaml); `total_key` is the key of `totaal_leeftijd`, found
    by its title (`_total_key`). A title that is neither that, the total nor a recognisable age
    group is an error, so that a new kind of category is never summed blindly."""
    dimension_path = _dimension_path(path, dimension)
    ages = raw.read_dimension(dimension_path)
    single_year = re.compile(spec["enkel_jaar_titel"])
    group = re.compile(r"^\d+ (tot|à|-) \d+ jaar$|^\d+ jaar of (ouder|jonger)$|^jonger dan \d+ jaar$", re.IGNORECASE)
    age_of: dict[str, int] = {}
    strange = []
    for line, (key, title) in enumerate(zip(ages["Key"], ages["Title"], strict=True), start=2):
        match = single_year.fullmatch(title.strip())
        if key.strip() == total_key:
            age_of[key] = TOTAL_AGE
        elif match:
            age_of[key] = int(match.group(1))
        elif group.fullmatch(title.strip()):
            age_of[key] = AGE_GROUP
        else:
            strange.append((line, key, title))
    if strange:
        raise raw.RawDataError(
            dimension_path, "titels die geen enkel leeftijdsjaar zijn (enkel_jaar_titel "
            f"{spec['enkel_jaar_titel']}), geen leeftijdsgroep en niet het totaal {spec['totaal_leeftijd']!r} ({total_key!r}): "
            + ", ".join(f"{key!r} {title!r}" for _, key, title in strange[:5]),
            column="Title", rows=[line for line, _, _ in strange])
    return age_of


def _check_ages_for_kpis(path: Path, cfg: config.Config, frame: pd.DataFrame, dims: dict[str, str],
                         ages: pd.Series) -> None:
    """Every single year of age that a KPI of config/kpis.yaml sums is there for every area and year,
    so that a denominator is never a sum over fewer ages than its definition says."""
    needed: set[int] = set()
    for kpi in cfg.kpis.values():
        for part in (kpi.numerator, kpi.denominator):
            if part and part.get("bron") == "bevolking" and part.get("leeftijd") != "totaal":
                low, high = part["leeftijd"]
                needed.update(range(int(low), int(high) + 1))
    if not needed:
        return
    # grouped over every row, total included, so that an area-year with no single years is found short
    present = (ages.groupby([frame[dims["regio"]], frame[dims["periode"]]])
               .agg(lambda values: frozenset(int(v) for v in values if v >= 0)))
    short = [(area.strip(), period, sorted(needed - ages_there)) for (area, period), ages_there in present.items()
             if not needed <= ages_there]
    if short:
        area, period, missing_ages = short[0]
        raise raw.RawDataError(
            path, f"de KPI's in config/kpis.yaml tellen de leeftijden {min(needed)}-{max(needed)} op, maar de enkele "
            f"leeftijdsjaren {missing_ages[:10]} ontbreken voor {area} {period}"
            f"{f' (en nog {len(short) - 1} gebied-jaren)' if len(short) > 1 else ''}; "
            "haal die leeftijden op (ophalen.titels van cbs_bevolking in config/bronnen.yaml)",
            column=dims["leeftijd"])


AGE_GROUP_COLUMNS = ["leeftijd_van", "leeftijd_tot"]


def _recorded_keys(path: Path) -> dict[str, Any]:
    recorded = raw.read_sidecar(path).get("sleutels") or {}
    return recorded if isinstance(recorded, dict) else {}


def _topic_columns(path: Path, spec: dict[str, Any]) -> dict[str, str]:
    """Workbook topic name -> the column of the file, as the fetch resolved it from the topic
    titles in config/bronnen.yaml (sidecar `sleutels.onderwerpen`)."""
    recorded = _recorded_keys(path).get("onderwerpen")
    if not isinstance(recorded, dict) or not set(spec["onderwerpen"]) <= set(recorded):
        raise raw.RawDataError(paths.raw_sidecar(path), f"de sidecar legt niet vast welke kolom elk onderwerp "
                                                        f"{sorted(spec['onderwerpen'])} is (sleutels.onderwerpen: {recorded!r}); "
                                                        "haal de tabel opnieuw op met `make fetch`, dat de kolommen bij de "
                                                        "CBS-titels in config/bronnen.yaml zoekt")
    return {name: str(recorded[name]) for name in spec["onderwerpen"]}


def _titles_of_keys(path: Path, spec: dict[str, Any], dimension: str, entry: str) -> dict[str, str]:
    """Key (stripped) -> the title in `spec[entry]` (config/bronnen.yaml) it stands for: from the
    resolution the fetch recorded in the sidecar (`sleutels.<dimension>`), else from the titles
    in the dimension file. Never from keys in the configuration: CBS renumbers them."""
    recorded = _recorded_keys(path).get(dimension)
    dimension_path = _dimension_path(path, dimension)
    listed = raw.read_dimension(dimension_path)
    if isinstance(recorded, dict) and recorded:
        # the dimension file (the keys the data use) must say the same, or one of the two was changed after the fetch
        title_in_file = dict(zip(listed["Key"].str.strip(), listed["Title"].map(cbs_titles.normal), strict=True))
        differ = [f"{k!r}: {title_in_file[k.strip()]!r} in plaats van {t!r}" for k, t in recorded.items()
                  if k.strip() in title_in_file and title_in_file[k.strip()] != cbs_titles.normal(t)]
        if differ:
            raise raw.RawDataError(dimension_path, "de titels wijken af van wat de sidecar van het databestand bij het "
                                                   f"ophalen vastlegde (sleutels.{dimension}): " + ", ".join(differ[:5]),
                                   column="Title")
        where, entries = paths.raw_sidecar(path), [{"Key": k, "Title": t} for k, t in recorded.items()]
    else:
        where, entries = dimension_path, listed.to_dict("records")
    try:
        resolved = cbs_titles.resolve(entries, cbs_titles.titles_of(spec[entry]), f"{spec['tabel']}/{dimension}")
    except cbs_titles.TitleMatchError as error:
        raise raw.RawDataError(where, f"{error} ({entry} in config/bronnen.yaml)", column="Title") from error
    return {key.strip(): title for title, key in resolved.items()}


def _age_groups(spec: dict[str, Any], title_of: dict[str, str]) -> tuple[str, dict[str, tuple[int, int]]]:
    """The total key and Persoonskenmerken key -> (from, to) of `leeftijdsgroepen` (title -> ages),
    each title checked against its ages ("Leeftijd: 0 tot 4 jaar" is 0-3), so a group is never
    summed as ages it does not hold."""
    groups = spec["leeftijdsgroepen"]
    totals = [title for title, value in groups.items() if value == "totaal"]
    ages = {str(title): (int(value[0]), int(value[1])) for title, value in groups.items() if value != "totaal"}
    if len(totals) != 1 or any(low > high for low, high in ages.values()):
        raise config.ConfigError(f"config/bronnen.yaml: leeftijdsgroepen van {spec['tabel']} vraagt één titel met `totaal` en "
                                 f"groepen [van, tot] met van <= tot, niet {groups}")
    wrong = [f"{title!r} (verwacht '... {low} tot {high + 1} jaar')" for title, (low, high) in ages.items()
             if f"{low} tot {high + 1} jaar" not in title]
    if wrong:
        raise config.ConfigError("config/bronnen.yaml: titels van leeftijdsgroepen passen niet bij hun leeftijden: "
                                 + ", ".join(wrong[:5]))
    key_of = {title: key for key, title in title_of.items()}
    return key_of[totals[0]], {key_of[title]: value for title, value in ages.items()}


def _check_series_part(path: Path, frame: pd.DataFrame, dims: dict[str, str], source: str, part: config.TablePart,
                       supplied: dict[str, set[int]], register: config.Register) -> pd.Series:
    """The contract every table of a CBS series meets (its own and its successors'): known region
    codes, only the years the fetch took from this table (sidecar `reeks`: the newest table that
    has a year supplies it; two tables with the same year would give two values for one figure),
    municipalities that exist in each year, and every municipality in every year. Records this
    table's years in `supplied` and returns the year of each row."""
    _check_codes(path, frame, dims["regio"], register, set(register.regions) | {NL_CODE})
    years = _years(path, frame, dims["periode"])
    table = str(part.spec["tabel"])
    recorded = raw.read_sidecar(path).get("reeks")
    if isinstance(recorded, dict) and table in recorded:
        own = {int(y) for y in recorded[table]}
        elsewhere = ~years.isin(own)
        if elsewhere.any():
            chosen = ", ".join(f"{t} {_span(y)}" for t, y in recorded.items())
            raise raw.RawDataError(path, f"jaren {sorted(set(years[elsewhere]))} horen volgens de sidecar (reeks: {chosen}) bij "
                                         f"een andere tabel van de reeks; haal opnieuw op met `make fetch`",
                                   column=dims["periode"], rows=[int(i) + 2 for i in frame.index[elsewhere]])
    else:
        own = set(int(y) for y in years.unique())
    for other, other_years in supplied.items():
        twice = years.isin(other_years)
        if twice.any():
            raise raw.RawDataError(path, f"jaren {sorted(set(years[twice]))} staan ook in {other} ({source}.opvolgers in "
                                         "config/bronnen.yaml): elk jaar hoort bij één tabel van de reeks, de nieuwste die het "
                                         "heeft; haal opnieuw op met `make fetch`, dat de jaren over de tabellen verdeelt",
                                   column=dims["periode"], rows=[int(i) + 2 for i in frame.index[twice]])
    supplied[table] = own
    _check_exists_in_year(path, frame[dims["regio"]], years, register, dims["regio"])
    expected = pd.MultiIndex.from_tuples(
        [(m.code, y) for y in sorted(years.unique()) for m in register.existing(int(y)) if m.region is not None],
        names=["code", "jaar"])
    _check_complete(path, pd.DataFrame({"code": frame[dims["regio"]], "jaar": years}), expected, dims["regio"],
                    "gemeente-jaren")
    return years


def _span(years: list[int]) -> str:
    years = sorted(int(y) for y in years)
    if not years:
        return "(geen jaren)"
    return f"{years[0]}-{years[-1]}" if years == list(range(years[0], years[-1] + 1)) else ", ".join(map(str, years))


def _unknown_keys(path: Path, frame: pd.DataFrame, dim: str, known: dict[str, str], where: str) -> None:
    unknown = ~frame[dim].str.strip().isin(known)
    if unknown.any():
        raise raw.RawDataError(path, f"onbekende {dim}-sleutels {frame.loc[unknown, dim].unique()[:5].tolist()} (geen van de "
                                     f"titels in {where} in config/bronnen.yaml; bekend: {dict(list(known.items())[:12])})",
                               column=dim, rows=[int(i) + 2 for i in frame.index[unknown]])


def _rounding_step(cfg: config.Config) -> int:
    """CBS's rounding of published counts (geheimhouding.afronding of cbs_jeugdzorg; the table by
    age is rounded the same way)."""
    return int(cfg.sources["cbs_jeugdzorg"]["geheimhouding"]["afronding"])


def _check_parts_within_total(path: Path, frame: pd.DataFrame, keys: list[str], is_total: pd.Series, count: str,
                              total_key: str, step: int) -> None:
    """The age groups of a form-region-year may add up above its total only by what independent
    rounding can explain (`raw.rounding_slack`: half a step per published group and for the total;
    a young person counts in one age group). More than that stops the cleaning, naming the rows."""
    parts = frame[~is_total].groupby(keys)[count]
    summed, published = parts.sum(min_count=1), parts.count()
    totals = frame[is_total].set_index(keys)[count]
    slack = raw.rounding_slack(published.reindex(totals.index), step)
    over = summed.reindex(totals.index).gt(totals + slack).fillna(False)
    if not over.any():
        return
    bad = set(over.index[over])
    lines = [int(i) + 2 for i, key in zip(frame.index, zip(*(frame[k] for k in keys), strict=True), strict=True)
             if key in bad]
    example = min(bad)
    half = f"{step / 2:g}".replace(".", ",")
    raise raw.RawDataError(
        path, f"de leeftijdsgroepen tellen op tot meer dan het totaal ({total_key}) bij {len(bad)} vorm-regio-jaren, "
              f"meer dan afronding op {step} kan verklaren (ten hoogste {half} per groep en {half} voor het "
              f"totaal), bijvoorbeeld {' '.join(example)}: {summed[example]:g} tegen {totals[example]:g}",
        column=count, rows=lines)


def _load_youth_care_by_age(cfg: config.Config, files: list[RawFile], provenance: list[dict[str, Any]]) -> pd.DataFrame:
    """CBS young people with youth care by age group (84135NED and its successors), per form and region.
    The age groups of a region-year-form may add up to more than its total only by CBS's rounding."""
    register = cfg.register
    missing = cfg.sources["ontbrekend_teken"]
    frames = []
    supplied: dict[str, set[int]] = {}
    parts = config.table_parts("cbs_jeugdzorg_leeftijd", cfg.sources["cbs_jeugdzorg_leeftijd"])
    for part in parts:
        spec, path = part.spec, paths.RAW_DIR / part.spec["bestand"]
        dims = spec["dimensies"]
        count = _topic_columns(path, spec)["jongeren"]
        frame = raw.read_cbs_table(path, [dims["kenmerk"], dims["vorm"], dims["regio"], dims["periode"]], {count: False},
                                   missing)
        group_titles = _titles_of_keys(path, spec, dims["kenmerk"], "leeftijdsgroepen")
        form_titles = _titles_of_keys(path, spec, dims["vorm"], "vormen")
        total_key, ages = _age_groups(spec, group_titles)
        periods = raw.read_dimension(_dimension_path(path, dims["periode"]), ("Key", "Title", "Status"))
        status = _status_map(cfg, periods, _dimension_path(path, dims["periode"]))
        _unknown_keys(path, frame, dims["vorm"], form_titles, "vormen van cbs_jeugdzorg_leeftijd")
        _unknown_keys(path, frame, dims["kenmerk"], group_titles, "leeftijdsgroepen van cbs_jeugdzorg_leeftijd")
        form_keys, group_keys = frame[dims["vorm"]].str.strip(), frame[dims["kenmerk"]].str.strip()
        years = _check_series_part(path, frame, dims, "cbs_jeugdzorg_leeftijd", part, supplied, register)
        is_total = group_keys.eq(total_key)
        _check_parts_within_total(path, frame, [dims["vorm"], dims["regio"], dims["periode"]], is_total, count,
                                  total_key, _rounding_step(cfg))
        forms = form_keys.map(form_titles).map(spec["vormen"])
        files.append(RawFile(part.kind, path, frame.assign(**{dims["vorm"]: forms, dims["kenmerk"]: group_keys.map(group_titles)})
                             .rename(columns={count: "jongeren"}), columns={"jongeren": count}))
        groups = frame[~is_total]
        age = group_keys[~is_total].map(ages)
        frames.append(pd.DataFrame({
            "gebied_code": groups[dims["regio"]].astype("string"),
            "jaar": years[~is_total],
            "vorm": forms[~is_total].astype("string"),
            "leeftijd_van": age.map(lambda a: a[0]).astype("int64"),
            "leeftijd_tot": age.map(lambda a: a[1]).astype("int64"),
            "jongeren": groups[count],
            "status": groups[dims["periode"]].map(status).astype("string"),
        }))
        provenance.append(_provenance(path))
    return pd.concat(frames, ignore_index=True)


def _check_waiting_norm(cfg: config.Config, path: Path) -> None:
    """A waiting-time export counts zorgelijk wachtenden beyond a norm in days; its sidecar records
    which (`wachtnorm_dagen`). The figure must mean what config/bronnen.yaml says."""
    wanted = int(cfg.sources["regio_exports"]["wachttijden"]["wachtnorm_dagen"])
    found = raw.read_sidecar(path).get("wachtnorm_dagen")
    if found is None or isinstance(found, bool) or not isinstance(found, int) or found != wanted:
        raise raw.RawDataError(paths.raw_sidecar(path),
                               f"wachtnorm_dagen is {found!r}, maar config/bronnen.yaml (regio_exports.wachttijden."
                               f"wachtnorm_dagen) stelt {wanted} in: de zorgelijk wachtenden in dit bestand zijn met een "
                               "andere norm geteld (of de sidecar zegt niet met welke); vraag de regio om een export "
                               "met de ingestelde norm, of pas de norm in config/bronnen.yaml aan")


def _load_youth_care(cfg: config.Config, files: list[RawFile], provenance: list[dict[str, Any]]) -> pd.DataFrame:
    """CBS young people with youth care per form, region and year (84134NED and its successors)."""
    register = cfg.register
    parts = config.table_parts("cbs_jeugdzorg", cfg.sources["cbs_jeugdzorg"])
    frames = []
    supplied: dict[str, set[int]] = {}
    for part in parts:  # the table, and the successor tables that continue its series
        spec, path = part.spec, paths.RAW_DIR / part.spec["bestand"]
        dims = spec["dimensies"]
        topics = _topic_columns(path, spec)
        frame = raw.read_cbs_table(path, [dims["vorm"], dims["regio"], dims["periode"]],
                                   {topics["jongeren"]: False, topics["jongeren_relatief"]: True, topics["trajecten"]: False},
                                   cfg.sources["ontbrekend_teken"])
        periods = raw.read_dimension(_dimension_path(path, dims["periode"]), ("Key", "Title", "Status"))
        status = _status_map(cfg, periods, _dimension_path(path, dims["periode"]))
        form_titles = _titles_of_keys(path, spec, dims["vorm"], "vormen")
        _unknown_keys(path, frame, dims["vorm"], form_titles, "vormen van cbs_jeugdzorg")
        forms = frame[dims["vorm"]].str.strip().map(form_titles).map(spec["vormen"])
        years = _check_series_part(path, frame, dims, "cbs_jeugdzorg", part, supplied, register)
        files.append(RawFile(part.kind, path, frame.assign(**{dims["vorm"]: forms})
                             .rename(columns={column: name for name, column in topics.items()}), columns=dict(topics)))
        frames.append(pd.DataFrame({
            "gebied_code": frame[dims["regio"]].astype("string"),
            "jaar": years,
            "vorm": forms.astype("string"),
            "jongeren": frame[topics["jongeren"]],
            "trajecten": frame[topics["trajecten"]],  # only for cbs_regio: CBS beside the region's own counts
            "status": frame[dims["periode"]].map(status).astype("string"),
        }))
        provenance.append(_provenance(path))
    return pd.concat(frames, ignore_index=True)


def _total_key(path: Path, spec: dict[str, Any], dimension: str, entry: str) -> str:
    """The key (stripped) of the one total that `spec[entry]` names by its CBS title (e.g.
    `totaal_geslacht`: "Totaal mannen en vrouwen"), as the fetch recorded it in the sidecar
    (`sleutels.<dimension>`), else from the dimension file: OData 3 and OData 4 may code it differently."""
    [key] = _titles_of_keys(path, spec, dimension, entry)
    return key


def _population_totals(path: Path, spec: dict[str, Any], frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of the totals over sex and marital status (their keys found by title)."""
    dims = spec["dimensies"]
    totals = pd.Series(True, index=frame.index)
    for role, entry in (("geslacht", "totaal_geslacht"), ("burgerlijke_staat", "totaal_burgerlijke_staat")):
        totals &= frame[dims[role]].str.strip().eq(_total_key(path, spec, dims[role], entry))
    return frame[totals]


def _load_population(cfg: config.Config, files: list[RawFile], provenance: list[dict[str, Any]]) -> pd.DataFrame:
    """CBS population on 1 January per single year of age (and the total), region and year (03759ned).
    The topic and the totals are named by title: the keys come from the sidecar (`sleutels`), so a
    file fetched from OData 3 or OData 4 gives the same table."""
    spec, path = _cbs(cfg, "cbs_bevolking")
    dims = spec["dimensies"]
    count = _topic_columns(path, spec)["inwoners"]
    frame = raw.read_cbs_table(path, [dims["geslacht"], dims["leeftijd"], dims["burgerlijke_staat"], dims["regio"],
                                      dims["periode"]], {count: False}, cfg.sources["ontbrekend_teken"])
    age_of = _ages_by_title(path, spec, dims["leeftijd"], _total_key(path, spec, dims["leeftijd"], "totaal_leeftijd"))
    _check_codes(path, frame, dims["regio"], cfg.register, {NL_CODE})
    frame = _population_totals(path, spec, frame)
    unknown_ages = ~frame[dims["leeftijd"]].isin(age_of)
    if unknown_ages.any():
        raise raw.RawDataError(path, "onbekende Leeftijd-sleutels", column=dims["leeftijd"],
                               rows=[int(i) + 2 for i in frame.index[unknown_ages]])
    ages = frame[dims["leeftijd"]].map(age_of)
    groups = ages.eq(AGE_GROUP)
    if groups.any():
        keys = sorted(set(frame.loc[groups, dims["leeftijd"]]))
        raise raw.RawDataError(
            path, f"Leeftijd-sleutels {keys} zijn leeftijdsgroepen, geen enkele leeftijdsjaren en niet het totaal "
            f"({spec['totaal_leeftijd']!r}); het werkboek telt de enkele jaren zelf op en zou een groep dubbel tellen. "
            "Haal op met `make fetch` (dat vraagt alleen enkele jaren) of verwijder die rijen",
            column=dims["leeftijd"], rows=[int(i) + 2 for i in frame.index[groups]])
    _check_ages_for_kpis(path, cfg, frame, dims, ages)
    if frame[count].isna().any():
        raise raw.RawDataError(path, "bevolkingsaantallen mogen niet leeg zijn", column=count,
                               rows=[int(i) + 2 for i in frame.index[frame[count].isna()]])
    files.append(RawFile("cbs_bevolking", path, frame.rename(columns={count: "inwoners"}), columns={"inwoners": count}))
    provenance.append(_provenance(path))
    return pd.DataFrame({
        "gebied_code": frame[dims["regio"]].astype("string"),
        "jaar": _years(path, frame, dims["periode"]),
        "leeftijd": ages.replace({TOTAL_AGE: pd.NA}).astype("Int64"),
        "inwoners": frame[count],
    })


def _load_spending(cfg: config.Config, files: list[RawFile], provenance: list[dict[str, Any]]) -> pd.DataFrame:
    """Municipal lasten per taakveld from the Iv3 tables, one per year (iv3.py cleans each table)."""
    register = cfg.register
    spec = cfg.sources["cbs_iv3"]
    region_dim = spec["dimensies"]["regio"]
    spending_parts, fictitious = [], {}
    for item in iv3.present_tables(spec):
        frame, municipalities = iv3.read_table(item, spec, cfg.sources["ontbrekend_teken"])
        dimension_path = item.dimension_path(region_dim)
        codes = municipalities["Key"]
        known = codes[codes.isin(register.municipalities.keys())]
        _check_exists_in_year(dimension_path, known, pd.Series(item.year, index=known.index), register, "Key")
        absent = sorted({m.code for m in register.existing(item.year) if m.region is not None} - set(codes))
        if absent:
            raise raw.RawDataError(dimension_path, f"gemeenten uit config/gemeenten.yaml die in {item.year} bestonden, "
                                                   f"ontbreken in de tabel: {absent[:5]}", column="Key")
        recorded = raw.read_sidecar(item.path).get("perioden_status", {}).get(str(item.year))
        found = iv3.table_status(frame, spec, item.year)
        if recorded is not None and recorded != found:
            # e.g. figures of a later plaatsing added after the table was retrieved
            raise raw.RawDataError(item.path, f"de cijfers van {item.year} zijn {found!r} (nieuwste plaatsing met een cijfer), "
                                              f"maar de herkomst-sidecar legde {recorded!r} vast toen de tabel werd opgehaald",
                                   column=spec["onderwerpen"][str(spec["plaatsingen"][0]["onderwerp"])])
        rows = iv3.spending(item, spec, cfg.sources["status_labels"], NL_CODE, frame, municipalities)
        # the other municipalities of the country only count in the national figure
        spending_parts.append(rows[rows["gebied_code"].isin(register.municipalities.keys()) | rows["gebied_code"].eq(NL_CODE)])
        files.append(RawFile("cbs_iv3", item.path, frame))
        provenance.append(_provenance(item.path))
        fictitious[item.table] = bool(raw.read_sidecar(item.path).get("fictief"))
    if len(set(fictitious.values())) > 1:
        sample = [t for t, f in fictitious.items() if f]
        fetched = [t for t, f in fictitious.items() if not f]
        raise raw.RawDataError(item.path.parent, f"de Iv3-tabellen mengen fictieve voorbeelddata ({', '.join(sample)}) met "
                                                 f"opgehaalde cijfers ({', '.join(fetched)}); haal elk jaar op met `make fetch` "
                                                 "of zet de voorbeelddata terug met `make sample-data`")
    return pd.concat(spending_parts, ignore_index=True)


REGION_EXPORTS = ("wachttijden", "trajecten", "budget")


def _load_region_exports(cfg: config.Config, files: list[RawFile], provenance: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """Each region's own exports (waiting times, trajectories, budget), under their contract."""
    register = cfg.register
    exports = cfg.sources["regio_exports"]
    parts: dict[str, list[pd.DataFrame]] = {kind: [] for kind in REGION_EXPORTS}
    for region in register.regions:
        for kind in parts:
            path = raw.export_file(paths.region_export_dir(region), exports[kind]["bestand"])
            frame = check_region_export(cfg, region, kind, path)
            files.append(RawFile(kind, path, frame.copy()))
            if kind == "trajecten":
                first, last = _export_period(path, frame)
                frame.insert(0, "export_tot", last)
                frame.insert(0, "export_van", first)
            frame.insert(0, "regio_code", region)
            parts[kind].append(frame)
            provenance.append(_provenance(path))
    return {kind: pd.concat(frames, ignore_index=True) for kind, frames in parts.items()}


def check_region_export(cfg: config.Config, region: str, kind: str, path: Path) -> pd.DataFrame:
    """Read one of a region's exports under its contract (checksum, columns, types, codes of the
    region, every municipality and period; for trajectories the sidecar's period). Also used by
    `make import` on a file before it is placed in data/raw/."""
    register = cfg.register
    exports = cfg.sources["regio_exports"]
    frame = raw.read_region_export(path, exports[kind]["kolommen"], exports["datumformaat"])
    if kind == "wachttijden":
        _check_waiting_norm(cfg, path)
    _check_codes(path, frame.astype({"gemeentecode": str}), "gemeentecode", register, set())
    outside = frame["gemeentecode"].map(lambda c: register.municipality(c).region) != region
    if outside.any():
        raise raw.RawDataError(path, f"gemeenten buiten regio {region}: "
                                     f"{frame.loc[outside, 'gemeentecode'].unique()[:5].tolist()}",
                               column="gemeentecode", rows=[int(i) + 2 for i in frame.index[outside]])
    if kind != "trajecten":  # trajectories are delivered on the current layout, whenever they started
        period_years = frame["jaar"] if kind == "budget" else frame["peildatum"].dt.year
        _check_exists_in_year(path, frame["gemeentecode"].astype(str), period_years, register, "gemeentecode")
        _check_export_complete(path, frame, kind, register, region)
    else:
        _export_period(path, frame)
    return frame


def load_raw(cfg: config.Config) -> RawData:
    """Read and check every raw source (checksums, columns, codes, numbers): one loader per source,
    each checking its file's contract and recording the file (for the raw-data suites) and its
    provenance."""
    files: list[RawFile] = []
    provenance: list[dict[str, Any]] = []
    youth_care = _load_youth_care(cfg, files, provenance)
    youth_care_by_age = _load_youth_care_by_age(cfg, files, provenance)
    population = _load_population(cfg, files, provenance)
    spending = _load_spending(cfg, files, provenance)
    exports = _load_region_exports(cfg, files, provenance)
    return RawData(
        youth_care=youth_care,
        population=population,
        spending=spending,
        waiting=exports["wachttijden"],
        trajectories=exports["trajecten"],
        budget=exports["budget"],
        youth_care_by_age=youth_care_by_age,
        provenance=provenance,
        files=files,
    )


def _export_period(path: Path, frame: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The period a trajectory export covers, from its sidecar (`periode`: `van`, `tot`). The
    export holds every trajectory that ran at any time in it, so in- and outflow are complete
    for the years inside it only; trajectories that did not run in it are refused."""
    sidecar = paths.raw_sidecar(path)
    period = raw.read_sidecar(path).get("periode")
    try:
        first, last = dt.date.fromisoformat(period["van"]), dt.date.fromisoformat(period["tot"])
    except (TypeError, KeyError, ValueError) as error:
        raise raw.RawDataError(sidecar, "de sidecar van een trajectenexport legt de periode vast die de export beslaat, "
                                        '"periode": {"van": "JJJJ-MM-DD", "tot": "JJJJ-MM-DD"} (elk traject dat er op enig '
                                        f"moment in liep, staat in het bestand); gevonden {period!r}") from error
    if first > last:
        raise raw.RawDataError(sidecar, f"periode: van {first} ligt na tot {last}")
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    for column, outside, what in (("einddatum", frame["einddatum"] < first, f"voor {first.date()} eindigden"),
                                  ("startdatum", frame["startdatum"] > last, f"na {last.date()} begonnen")):
        if outside.any():
            raise raw.RawDataError(path, f"trajecten die {what}, buiten de periode van de export "
                                         f"{first.date()} - {last.date()} (sidecar `periode`)", column=column,
                                   rows=[int(i) + 2 for i in frame.index[outside]])
    return first, last


def _check_export_complete(path: Path, frame: pd.DataFrame, kind: str, register: config.Register, region: str) -> None:
    """Every municipality of the region, every year from the first to the last (every month
    for waiting times)."""
    if kind == "wachttijden":
        periods = frame["peildatum"].dt.to_period("M")
        first, last = periods.min(), periods.max()
        wanted = pd.period_range(pd.Period(f"{first.year}-01", "M"), pd.Period(f"{last.year}-12", "M"), freq="M")
        members = {year: register.members(region, year) for year in {p.year for p in wanted}}  # per year, not per month
        expected = pd.MultiIndex.from_tuples([(c, str(p)) for p in wanted for c in members[p.year]],
                                             names=["code", "periode"])
        present = pd.DataFrame({"code": frame["gemeentecode"].astype(str), "periode": periods.astype(str)})
        _check_complete(path, present, expected, "peildatum", "gemeente-maanden")
    else:
        years = range(int(frame["jaar"].min()), int(frame["jaar"].max()) + 1)
        expected = pd.MultiIndex.from_tuples([(c, y) for y in years for c in register.members(region, y)],
                                             names=["code", "jaar"])
        present = pd.DataFrame({"code": frame["gemeentecode"].astype(str), "jaar": frame["jaar"].astype(int)})
        _check_complete(path, present, expected, "gemeentecode", "gemeente-jaren")


# ---------------------------------------------------------------------------- harmonisation
def check_report_year(cfg: config.Config, data: RawData, year: int) -> None:
    available = set(data.youth_care["jaar"])
    export_years = set(data.waiting["peildatum"].dt.year)
    if year not in available or year not in export_years:
        raise ReportYearError(
            f"rapportjaar {year} zit niet in de data: de CBS-cijfers over jeugdzorg beslaan {min(available)}-{max(available)}, "
            f"de regio-exports {min(export_years)}-{max(export_years)}"
        )


def harmonisation_table(register: config.Register, years: list[int], boundary_year: int) -> pd.DataFrame:
    """Which code each municipality of each year counts under on the boundaries of `boundary_year`."""
    rows = []
    members = {code for region in register.regions for code in register.members(region, boundary_year)}
    for year in years:
        for municipality in register.existing(year):
            target = register.successor(municipality.code, boundary_year)
            if target == municipality.code:
                continue
            action = MERGED_ACTION if target in members else "valt buiten de jeugdregio's van het rapportjaar"
            rows.append({"jaar": year, "oude_code": municipality.code, "oude_naam": municipality.name,
                         "nieuwe_code": target, "nieuwe_naam": register.municipality(target).name, "actie": action})
    return pd.DataFrame(rows, columns=["jaar", "oude_code", "oude_naam", "nieuwe_code", "nieuwe_naam", "actie"]).astype(
        {"jaar": "int64", "oude_code": "string", "oude_naam": "string", "nieuwe_code": "string", "nieuwe_naam": "string",
         "actie": "string"})


def harmonise(frame: pd.DataFrame, register: config.Register, boundary_year: int, keys: list[str],
              values: list[str]) -> pd.DataFrame:
    """Sum municipal rows onto the municipalities of `boundary_year`.

    A sum that includes a suppressed (missing) cell is itself missing, so no suppressed
    value can be recovered from a derived figure. `samengesteld` marks rows built from
    merged predecessors."""
    municipal = frame[frame["gebied_code"].str.startswith("GM") & (frame["jaar"] <= boundary_year)].copy()
    # looked up once per code, not per row: a national table has some 100,000 municipal rows
    successors = {code: register.successor(code, boundary_year) for code in municipal["gebied_code"].unique()}
    municipal["doel_code"] = municipal["gebied_code"].map(lambda c: successors[c])
    current = {m.code for m in register.existing(boundary_year) if m.region is not None}
    municipal = municipal[municipal["doel_code"].isin(current)]
    municipal["samengesteld"] = municipal["gebied_code"] != municipal["doel_code"]
    result = sum_parts(municipal, ["doel_code", *keys], values).rename(columns={"doel_code": "gebied_code"})
    result.insert(1, "niveau", LEVEL_MUNICIPALITY)
    return result


def region_sums(municipal: pd.DataFrame, register: config.Register, boundary_year: int, keys: list[str],
                values: list[str]) -> pd.DataFrame:
    """Region figures as sums of their (harmonised) municipalities; missing if any part is."""
    region_of = {code: register.municipality(code).region for code in municipal["gebied_code"].unique()}
    frame = municipal.drop(columns="niveau").assign(regio=municipal["gebied_code"].map(region_of))
    result = sum_parts(frame, ["regio", *keys], values).rename(columns={"regio": "gebied_code"})
    result.insert(1, "niveau", LEVEL_REGION)
    return result


def _youth_care_regions(data: RawData, municipal: pd.DataFrame, register: config.Register, year: int) -> pd.DataFrame:
    """CBS's own region row where the region's territory is unchanged (rounded once, fewer
    suppressed cells); otherwise the sum of its municipalities on today's boundaries."""
    return _cbs_regions(data.youth_care, municipal, register, year, ["jaar", "vorm"])


def _cbs_regions(cbs: pd.DataFrame, municipal: pd.DataFrame, register: config.Register, year: int,
                 keys: list[str], value: str = "jongeren") -> pd.DataFrame:
    """Region rows of a CBS table with JZ rows: the CBS row where the region is unchanged, else the sum."""
    summed = region_sums(municipal, register, year, keys, [value])
    cbs_rows = cbs[cbs["gebied_code"].isin(register.regions) & (cbs["jaar"] <= year)]
    cbs_rows = cbs_rows.assign(niveau=LEVEL_REGION, samengesteld=False)
    # decided once per region and year, not per row: at national size a row-wise check took half a minute
    pairs = set(zip(cbs_rows["gebied_code"], cbs_rows["jaar"].astype(int), strict=True))
    unchanged_pairs = {(region, row_year) for region, row_year in pairs if register.composition_unchanged(region, row_year, year)}
    unchanged = pd.Series([(region, int(row_year)) in unchanged_pairs
                           for region, row_year in zip(cbs_rows["gebied_code"], cbs_rows["jaar"], strict=True)],
                          index=cbs_rows.index, dtype=bool)
    cbs_rows = cbs_rows[unchanged]
    keyed = summed.set_index(["gebied_code", *keys])
    keep = ~keyed.index.isin(cbs_rows.set_index(["gebied_code", *keys]).index)
    combined = pd.concat([cbs_rows[summed.columns], keyed[keep].reset_index()[summed.columns]], ignore_index=True)
    return combined


def _country(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    rows = frame[(frame["gebied_code"] == NL_CODE) & (frame["jaar"] <= year)].copy()
    rows.insert(1, "niveau", LEVEL_COUNTRY)
    rows["samengesteld"] = False
    return rows


def _order(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    level = frame["niveau"].map({LEVEL_MUNICIPALITY: 0, LEVEL_REGION: 1, LEVEL_COUNTRY: 2})
    return frame.assign(_level=level).sort_values(["_level", "gebied_code", *keys]).drop(columns="_level").reset_index(drop=True)


def build_tables(cfg: config.Config, data: RawData, year: int) -> dict[str, pd.DataFrame]:
    """All clean tables for report year `year`, on that year's municipal boundaries."""
    register = cfg.register
    check_report_year(cfg, data, year)
    years = sorted(y for y in data.youth_care["jaar"].unique() if y <= year)

    areas = []
    for region in register.regions.values():
        for code in register.members(region.code, year):
            areas.append({"gebied_code": code, "naam": register.municipality(code).name, "niveau": LEVEL_MUNICIPALITY,
                          "regio_code": region.code, "regio_naam": region.name})
        areas.append({"gebied_code": region.code, "naam": region.name, "niveau": LEVEL_REGION,
                      "regio_code": region.code, "regio_naam": region.name})
    areas.append({"gebied_code": NL_CODE, "naam": "Nederland", "niveau": LEVEL_COUNTRY, "regio_code": pd.NA, "regio_naam": pd.NA})
    gebieden = pd.DataFrame(areas).astype("string")

    youth_m = harmonise(data.youth_care, register, year, ["jaar", "vorm"], ["jongeren"])
    jeugdzorg = pd.concat([youth_m, _youth_care_regions(data, youth_m, register, year),
                           _country(data.youth_care, year)[youth_m.columns]], ignore_index=True)

    age_keys = ["jaar", "vorm", *AGE_GROUP_COLUMNS]
    by_age = data.youth_care_by_age
    by_age_m = harmonise(by_age, register, year, age_keys, ["jongeren"])
    jeugdzorg_leeftijd = pd.concat([by_age_m, _cbs_regions(by_age, by_age_m, register, year, age_keys),
                                    _country(by_age, year)[by_age_m.columns]], ignore_index=True)

    pop_m = harmonise(data.population, register, year, ["jaar", "leeftijd"], ["inwoners"])
    bevolking = pd.concat([pop_m, region_sums(pop_m, register, year, ["jaar", "leeftijd"], ["inwoners"]),
                           _country(data.population, year)[pop_m.columns]], ignore_index=True)

    spend_m = harmonise(data.spending, register, year, ["jaar", "taakveld"], ["lasten_euro"])
    uitgaven = pd.concat([spend_m, region_sums(spend_m, register, year, ["jaar", "taakveld"], ["lasten_euro"]),
                          _country(data.spending, year)[spend_m.columns]], ignore_index=True)

    waiting = data.waiting[data.waiting["peildatum"].dt.year <= year].rename(columns={"gemeentecode": "gebied_code"})
    waiting = waiting.assign(jaar=waiting["peildatum"].dt.year.astype("int64"))
    trajectories = data.trajectories.rename(columns={"gemeentecode": "gebied_code"})
    trajectories = trajectories[trajectories["startdatum"].dt.year <= year]
    budget = data.budget.rename(columns={"gemeentecode": "gebied_code"})
    budget = budget[budget["jaar"] <= year].astype({"jaar": "int64"})

    tables = {
        "gebieden": gebieden,
        "jeugdzorg": _order(jeugdzorg, ["jaar", "vorm"]).astype({"jongeren": "Int64", "jaar": "int64", "samengesteld": "bool"}),
        "bevolking": _order(bevolking, ["jaar", "leeftijd"]).astype({"inwoners": "Int64", "jaar": "int64", "samengesteld": "bool"}),
        "uitgaven": _order(uitgaven, ["jaar", "taakveld"]).astype({"lasten_euro": "Int64", "jaar": "int64", "samengesteld": "bool"}),
        "jeugdzorg_leeftijd": _order(jeugdzorg_leeftijd, age_keys).astype(
            {"jongeren": "Int64", "jaar": "int64", "leeftijd_van": "int64", "leeftijd_tot": "int64", "samengesteld": "bool"}),
        "wachttijden": waiting.sort_values(["gebied_code", "peildatum"]).reset_index(drop=True),
        "trajecten": trajectories.sort_values(["gebied_code", "startdatum", "trajectnummer"]).reset_index(drop=True),
        "budget": budget.sort_values(["gebied_code", "jaar", "begrotingspost"]).reset_index(drop=True),
        "harmonisatie": harmonisation_table(register, years, year),
        cbs_regio.TABLE: cbs_regio.table(cfg, harmonise(data.youth_care, register, year, ["jaar", "vorm"], ["trajecten"]),
                                         trajectories, year),
        "bronnen": provenance_table(data.provenance),
    }
    for name in ("jeugdzorg", "jeugdzorg_leeftijd", "bevolking", "uitgaven"):
        tables[name] = tables[name].astype({"gebied_code": "string", "niveau": "string"})
        if "status" in tables[name]:
            tables[name]["status"] = tables[name]["status"].astype("string")
    tables["kpi_waarden"] = kpis.compute(cfg, tables, year)
    return tables


def provenance_table(sidecars: list[dict[str, Any]]) -> pd.DataFrame:
    rows = [{
        "bestand": meta["pad"],
        "bron": meta["bron"],
        "tabel": meta["tabel"],
        "titel": meta["titel"],
        "url": meta["url"],
        "opgehaald": meta["opgehaald"],
        "laatst_gewijzigd": meta.get("laatst_gewijzigd", ""),
        "licentie": meta["licentie"],
        "sha256": meta["sha256"],
        "fictief": bool(meta.get("fictief", False)),
        "perioden_status": ", ".join(f"{k}: {v.lower()}" for k, v in meta.get("perioden_status", {}).items()
                                     if v != "Definitief"),
    } for meta in sidecars]
    return pd.DataFrame(rows).astype({c: "string" for c in rows[0] if c != "fictief"})


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write every table as Parquet; files appear under their final name only when complete."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # new tables are unvalidated: drop the stamp and manifest first, so an interrupted
    # write can never be taken for validated data
    (out_dir / paths.VALIDATION_STAMP_NAME).unlink(missing_ok=True)
    (out_dir / paths.MANIFEST_NAME).unlink(missing_ok=True)
    written = []
    for name, frame in tables.items():
        target = out_dir / paths.table_filename(name)
        partial = target.with_suffix(".parquet.partial")
        frame.to_parquet(partial, index=False)
        partial.replace(target)
        written.append(target)
    manifest = {name: {"rijen": len(frame), "kolommen": list(frame.columns)} for name, frame in tables.items()}
    # written last: the Makefile target of the cleaning stage
    (out_dir / paths.MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return written


def save_staged(tables: dict[str, pd.DataFrame], year: int, out_dir: Path | None = None) -> list[Path]:
    """Write the tables to data/staging/<year>/ for the data-quality gate, then the marker (the
    Makefile target of the cleaning stage). `out_dir`: another folder (a notebook run by hand,
    paths.scratch_data_dir), written without a marker, so no stage takes the tables for its own."""
    target = paths.staging_dir(year) if out_dir is None else Path(out_dir)
    written = write_tables(tables, target)
    if target.resolve() != paths.staging_dir(year).resolve():
        return written
    marker = paths.staging_marker(year)
    marker.write_text(paths.staging_manifest(year).read_text(encoding="utf-8"), encoding="utf-8")
    return [*written, marker]


def read_table(year: int, name: str) -> pd.DataFrame:
    path = paths.clean_table(year, name)
    if not path.exists():
        raise FileNotFoundError(f"{path} bestaat niet: voer eerst `make clean-data YEAR={year}` uit")
    try:
        return pd.read_parquet(path)
    except (pa.ArrowException, OSError, ValueError) as error:
        raise DamagedFileError(f"{paths.display_path(path)} is beschadigd of afgebroken en niet te lezen ({error}); "
                               f"maak de schone data opnieuw: rm -r {paths.display_path(path.parent)} && "
                               f"make validate YEAR={year}") from None
