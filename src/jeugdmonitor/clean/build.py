"""The clean tables of a report year built from the raw sources (harmonised, summed, KPI values
computed, provenance recorded) and staged in data/staging/<year>/ for the quality gate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from jeugdmonitor import paths
from jeugdmonitor.clean import cbs_region, kpis
from jeugdmonitor.clean.harmonise import (
    cbs_region_sums,
    country_rows,
    harmonisation_table,
    harmonise,
    in_order,
    region_sums,
    youth_care_region_sums,
)
from jeugdmonitor.definitions import comparisons, config
from jeugdmonitor.errors import ReportYearError
from jeugdmonitor.sources.areas import urbanisation_in
from jeugdmonitor.sources.cbs_keys import AGE_GROUP_COLUMNS
from jeugdmonitor.sources.rawdata import RawData
from jeugdmonitor.tables import write_tables
from jeugdmonitor.vocabulary import (
    LEVEL_COUNTRY,
    LEVEL_MUNICIPALITY,
    LEVEL_REGION,
    NL_CODE,
)


# ---------------------------------------------------------------------------- harmonisation
def check_report_year(cfg: config.Config, data: RawData, year: int) -> None:
    available = set(data.youth_care["jaar"])
    export_years = set(data.waiting["peildatum"].dt.year)
    if year not in available or year not in export_years:
        raise ReportYearError(
            f"rapportjaar {year} zit niet in de data: de CBS-cijfers over jeugdzorg beslaan {min(available)}-{max(available)}, "
            f"de regio-exports {min(export_years)}-{max(export_years)}"
        )


def _areas_table(register: config.Register, year: int, urbanisation: dict[int, dict[str, int]]) -> pd.DataFrame:
    """The areas of the report: each region's municipalities of `year` followed by the region, then NL;
    a municipality with its stedelijkheid from CBS's area table nearest to `year` (empty when no
    area table lists it, and for a region or the country)."""
    classes = urbanisation_in(urbanisation, year)
    areas = []
    for region in register.regions.values():
        for code in register.members(region.code, year):
            areas.append({"gebied_code": code, "naam": register.municipality(code).name, "niveau": LEVEL_MUNICIPALITY,
                          "regio_code": region.code, "regio_naam": region.name, "stedelijkheid": classes.get(code)})
        areas.append({"gebied_code": region.code, "naam": region.name, "niveau": LEVEL_REGION,
                      "regio_code": region.code, "regio_naam": region.name, "stedelijkheid": None})
    areas.append({"gebied_code": NL_CODE, "naam": "Nederland", "niveau": LEVEL_COUNTRY, "regio_code": pd.NA, "regio_naam": pd.NA,
                  "stedelijkheid": None})
    frame = pd.DataFrame(areas)
    return frame.astype({**{c: "string" for c in frame.columns if c != "stedelijkheid"}, "stedelijkheid": "Int64"})


def _cbs_tables(data: RawData, register: config.Register, year: int) -> dict[str, pd.DataFrame]:
    """The CBS tables on the boundaries of `year`: municipalities harmonised, region sums and the
    national rows, in order and typed (youth care, population, spending, youth care by age)."""
    youth_m = harmonise(data.youth_care, register, year, ["jaar", "vorm"], ["jongeren"])
    jeugdzorg = pd.concat([youth_m, youth_care_region_sums(data, youth_m, register, year),
                           country_rows(data.youth_care, year)[youth_m.columns]], ignore_index=True)

    age_keys = ["jaar", "vorm", *AGE_GROUP_COLUMNS]
    by_age = data.youth_care_by_age
    by_age_m = harmonise(by_age, register, year, age_keys, ["jongeren"])
    jeugdzorg_leeftijd = pd.concat([by_age_m, cbs_region_sums(by_age, by_age_m, register, year, age_keys),
                                    country_rows(by_age, year)[by_age_m.columns]], ignore_index=True)

    pop_m = harmonise(data.population, register, year, ["jaar", "leeftijd"], ["inwoners"])
    bevolking = pd.concat([pop_m, region_sums(pop_m, register, year, ["jaar", "leeftijd"], ["inwoners"]),
                           country_rows(data.population, year)[pop_m.columns]], ignore_index=True)

    spend_m = harmonise(data.spending, register, year, ["jaar", "taakveld"], ["lasten_euro"])
    uitgaven = pd.concat([spend_m, region_sums(spend_m, register, year, ["jaar", "taakveld"], ["lasten_euro"]),
                          country_rows(data.spending, year)[spend_m.columns]], ignore_index=True)

    tables = {
        "jeugdzorg": in_order(jeugdzorg, ["jaar", "vorm"]).astype({"jongeren": "Int64", "jaar": "int64", "samengesteld": "bool"}),
        "bevolking": in_order(bevolking, ["jaar", "leeftijd"]).astype({"inwoners": "Int64", "jaar": "int64", "samengesteld": "bool"}),
        "uitgaven": in_order(uitgaven, ["jaar", "taakveld"]).astype({"lasten_euro": "Int64", "jaar": "int64", "samengesteld": "bool"}),
        "jeugdzorg_leeftijd": in_order(jeugdzorg_leeftijd, age_keys).astype(
            {"jongeren": "Int64", "jaar": "int64", "leeftijd_van": "int64", "leeftijd_tot": "int64", "samengesteld": "bool"}),
    }
    for name, table in tables.items():
        tables[name] = table.astype({"gebied_code": "string", "niveau": "string"})
        if "status" in tables[name]:
            tables[name]["status"] = tables[name]["status"].astype("string")
    return tables


def _export_tables(data: RawData, year: int) -> dict[str, pd.DataFrame]:
    """The regions' exports up to `year` (waiting times, trajectories, budget), keyed by gebied_code, sorted."""
    waiting = data.waiting[data.waiting["peildatum"].dt.year <= year].rename(columns={"gemeentecode": "gebied_code"})
    waiting = waiting.assign(jaar=waiting["peildatum"].dt.year.astype("int64"))
    trajectories = data.trajectories.rename(columns={"gemeentecode": "gebied_code"})
    trajectories = trajectories[trajectories["startdatum"].dt.year <= year]
    budget = data.budget.rename(columns={"gemeentecode": "gebied_code"})
    budget = budget[budget["jaar"] <= year].astype({"jaar": "int64"})
    return {
        "wachttijden": waiting.sort_values(["gebied_code", "peildatum"]).reset_index(drop=True),
        "trajecten": trajectories.sort_values(["gebied_code", "startdatum", "trajectnummer"]).reset_index(drop=True),
        "budget": budget.sort_values(["gebied_code", "jaar", "begrotingspost"]).reset_index(drop=True),
    }


def build_tables(cfg: config.Config, data: RawData, year: int) -> dict[str, pd.DataFrame]:
    """All clean tables for report year `year`, on that year's municipal boundaries: the areas,
    the CBS tables, the regions' exports, how municipalities were harmonised, the sources and
    the KPI values computed from them."""
    register = cfg.register
    check_report_year(cfg, data, year)
    years = sorted(y for y in data.youth_care["jaar"].unique() if y <= year)
    gebieden = _areas_table(register, year, data.urbanisation)
    tables = {
        "gebieden": gebieden,
        **_cbs_tables(data, register, year),
        **_export_tables(data, year),
        "harmonisatie": harmonisation_table(register, years, year),
        "bronnen": provenance_table(data.provenance),
    }
    cbs_trajectories = harmonise(data.youth_care, register, year, ["jaar", "vorm"], ["trajecten"])
    tables[comparisons.TABLE] = cbs_region.table(cfg, cbs_trajectories, tables["trajecten"], year)
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
