"""Mergers harmonised: each year's municipalities counted on the boundaries of the report year,
and the sums for regions and the country."""

from __future__ import annotations

import pandas as pd

from jeugdmonitor.definitions import config
from jeugdmonitor.sources.rawdata import RawData
from jeugdmonitor.vocabulary import (
    LEVEL_COUNTRY,
    LEVEL_MUNICIPALITY,
    LEVEL_REGION,
    MERGED_ACTION,
    NL_CODE,
    sum_parts,
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


def youth_care_region_sums(data: RawData, municipal: pd.DataFrame, register: config.Register, year: int) -> pd.DataFrame:
    """CBS's own region row where the region's territory is unchanged (rounded once, fewer
    suppressed cells); otherwise the sum of its municipalities on today's boundaries."""
    return cbs_region_sums(data.youth_care, municipal, register, year, ["jaar", "vorm"])


def cbs_region_sums(cbs: pd.DataFrame, municipal: pd.DataFrame, register: config.Register, year: int,
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


def country_rows(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    rows = frame[(frame["gebied_code"] == NL_CODE) & (frame["jaar"] <= year)].copy()
    rows.insert(1, "niveau", LEVEL_COUNTRY)
    rows["samengesteld"] = False
    return rows


def in_order(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    level = frame["niveau"].map({LEVEL_MUNICIPALITY: 0, LEVEL_REGION: 1, LEVEL_COUNTRY: 2})
    return frame.assign(_level=level).sort_values(["_level", "gebied_code", *keys]).drop(columns="_level").reset_index(drop=True)
