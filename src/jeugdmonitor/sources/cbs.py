"""The CBS sources read under their contracts: youth care (per form, per age group), population
by single year of age, and Iv3 spending; each loader records its files and provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.sources import iv3, raw
from jeugdmonitor.sources.cbs_keys import (
    AGE_GROUP,
    TOTAL_AGE,
    age_group_titles,
    ages_by_title,
    cbs_source,
    dimension_file,
    titles_of_keys,
    topic_columns,
    total_key_of,
)
from jeugdmonitor.sources.checks import (
    check_codes,
    check_complete,
    check_exists_in_year,
    check_parts_within_total,
    provenance_of,
    rounding_step,
    status_map,
    unknown_keys,
    year_column,
    year_span,
)
from jeugdmonitor.sources.rawdata import RawFile
from jeugdmonitor.vocabulary import (
    NL_CODE,
)


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


def _check_series_part(path: Path, frame: pd.DataFrame, dims: dict[str, str], source: str, part: config.TablePart,
                       supplied: dict[str, set[int]], register: config.Register) -> pd.Series:
    """The contract every table of a CBS series meets (its own and its successors'): known region
    codes, only the years the fetch took from this table (sidecar `reeks`: the newest table that
    has a year supplies it; two tables with the same year would give two values for one figure),
    municipalities that exist in each year, and every municipality in every year. Records this
    table's years in `supplied` and returns the year of each row."""
    check_codes(path, frame, dims["regio"], register, set(register.regions) | {NL_CODE})
    years = year_column(path, frame, dims["periode"])
    table = str(part.spec["tabel"])
    recorded = raw.read_sidecar(path).get("reeks")
    if isinstance(recorded, dict) and table in recorded:
        own = {int(y) for y in recorded[table]}
        elsewhere = ~years.isin(own)
        if elsewhere.any():
            chosen = ", ".join(f"{t} {year_span(y)}" for t, y in recorded.items())
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
    check_exists_in_year(path, frame[dims["regio"]], years, register, dims["regio"])
    expected = pd.MultiIndex.from_tuples(
        [(m.code, y) for y in sorted(years.unique()) for m in register.existing(int(y)) if m.region is not None],
        names=["code", "jaar"])
    check_complete(path, pd.DataFrame({"code": frame[dims["regio"]], "jaar": years}), expected, dims["regio"],
                    "gemeente-jaren")
    return years


def load_youth_care_by_age(cfg: config.Config, files: list[RawFile], provenance: list[dict[str, Any]]) -> pd.DataFrame:
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
        count = topic_columns(path, spec)["jongeren"]
        frame = raw.read_cbs_table(path, [dims["kenmerk"], dims["vorm"], dims["regio"], dims["periode"]], {count: False},
                                   missing)
        group_titles = titles_of_keys(path, spec, dims["kenmerk"], "leeftijdsgroepen")
        form_titles = titles_of_keys(path, spec, dims["vorm"], "vormen")
        total_key, ages = age_group_titles(spec, group_titles)
        periods = raw.read_dimension(dimension_file(path, dims["periode"]), ("Key", "Title", "Status"))
        status = status_map(cfg, periods, dimension_file(path, dims["periode"]))
        unknown_keys(path, frame, dims["vorm"], form_titles, "vormen van cbs_jeugdzorg_leeftijd")
        unknown_keys(path, frame, dims["kenmerk"], group_titles, "leeftijdsgroepen van cbs_jeugdzorg_leeftijd")
        form_keys, group_keys = frame[dims["vorm"]].str.strip(), frame[dims["kenmerk"]].str.strip()
        years = _check_series_part(path, frame, dims, "cbs_jeugdzorg_leeftijd", part, supplied, register)
        is_total = group_keys.eq(total_key)
        check_parts_within_total(path, frame, [dims["vorm"], dims["regio"], dims["periode"]], is_total, count,
                                  total_key, rounding_step(cfg))
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
        provenance.append(provenance_of(path))
    return pd.concat(frames, ignore_index=True)


def load_youth_care(cfg: config.Config, files: list[RawFile], provenance: list[dict[str, Any]]) -> pd.DataFrame:
    """CBS young people with youth care per form, region and year (84134NED and its successors)."""
    register = cfg.register
    parts = config.table_parts("cbs_jeugdzorg", cfg.sources["cbs_jeugdzorg"])
    frames = []
    supplied: dict[str, set[int]] = {}
    for part in parts:  # the table, and the successor tables that continue its series
        spec, path = part.spec, paths.RAW_DIR / part.spec["bestand"]
        dims = spec["dimensies"]
        topics = topic_columns(path, spec)
        frame = raw.read_cbs_table(path, [dims["vorm"], dims["regio"], dims["periode"]],
                                   {topics["jongeren"]: False, topics["jongeren_relatief"]: True, topics["trajecten"]: False},
                                   cfg.sources["ontbrekend_teken"])
        periods = raw.read_dimension(dimension_file(path, dims["periode"]), ("Key", "Title", "Status"))
        status = status_map(cfg, periods, dimension_file(path, dims["periode"]))
        form_titles = titles_of_keys(path, spec, dims["vorm"], "vormen")
        unknown_keys(path, frame, dims["vorm"], form_titles, "vormen van cbs_jeugdzorg")
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
        provenance.append(provenance_of(path))
    return pd.concat(frames, ignore_index=True)


def _population_totals(path: Path, spec: dict[str, Any], frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of the totals over sex and marital status (their keys found by title)."""
    dims = spec["dimensies"]
    totals = pd.Series(True, index=frame.index)
    for role, entry in (("geslacht", "totaal_geslacht"), ("burgerlijke_staat", "totaal_burgerlijke_staat")):
        totals &= frame[dims[role]].str.strip().eq(total_key_of(path, spec, dims[role], entry))
    return frame[totals]


def load_population(cfg: config.Config, files: list[RawFile], provenance: list[dict[str, Any]]) -> pd.DataFrame:
    """CBS population on 1 January per single year of age (and the total), region and year (03759ned).
    The topic and the totals are named by title: the keys come from the sidecar (`sleutels`), so a
    file fetched from OData 3 or OData 4 gives the same table."""
    spec, path = cbs_source(cfg, "cbs_bevolking")
    dims = spec["dimensies"]
    count = topic_columns(path, spec)["inwoners"]
    frame = raw.read_cbs_table(path, [dims["geslacht"], dims["leeftijd"], dims["burgerlijke_staat"], dims["regio"],
                                      dims["periode"]], {count: False}, cfg.sources["ontbrekend_teken"])
    age_of = ages_by_title(path, spec, dims["leeftijd"], total_key_of(path, spec, dims["leeftijd"], "totaal_leeftijd"))
    check_codes(path, frame, dims["regio"], cfg.register, {NL_CODE})
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
    provenance.append(provenance_of(path))
    return pd.DataFrame({
        "gebied_code": frame[dims["regio"]].astype("string"),
        "jaar": year_column(path, frame, dims["periode"]),
        "leeftijd": ages.replace({TOTAL_AGE: pd.NA}).astype("Int64"),
        "inwoners": frame[count],
    })


def load_spending(cfg: config.Config, files: list[RawFile], provenance: list[dict[str, Any]]) -> pd.DataFrame:
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
        check_exists_in_year(dimension_path, known, pd.Series(item.year, index=known.index), register, "Key")
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
        provenance.append(provenance_of(item.path))
        fictitious[item.table] = bool(raw.read_sidecar(item.path).get("fictief"))
    if len(set(fictitious.values())) > 1:
        sample = [t for t, f in fictitious.items() if f]
        fetched = [t for t, f in fictitious.items() if not f]
        raise raw.RawDataError(item.path.parent, f"de Iv3-tabellen mengen fictieve voorbeelddata ({', '.join(sample)}) met "
                                                 f"opgehaalde cijfers ({', '.join(fetched)}); haal elk jaar op met `make fetch` "
                                                 "of zet de voorbeelddata terug met `make sample-data`")
    return pd.concat(spending_parts, ignore_index=True)
