"""KPI values per area and year, computed from the clean tables by the definitions in config/kpis.yaml."""

from __future__ import annotations

from typing import Any

import pandas as pd

from jeugdmonitor.definitions import config
from jeugdmonitor.sources import exports
from jeugdmonitor.vocabulary import (
    LEVEL_COUNTRY,
    LEVEL_MUNICIPALITY,
    LEVEL_REGION,
    STATUS_FINAL,
    least_final,
    sum_parts,
)

KPI_COLUMNS = ["gebied_code", "niveau", "jaar", "kpi", "teller", "noemer", "waarde", "status", "samengesteld",
               "verandering_pct"]


def _area_levels(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["gebieden"][["gebied_code", "niveau", "regio_code"]]


def _with_regions(per_municipality: pd.DataFrame, tables: dict[str, pd.DataFrame], value: str) -> pd.DataFrame:
    """Add region rows as sums over member municipalities (missing if any member is)."""
    areas = _area_levels(tables)
    frame = per_municipality.merge(areas[areas["niveau"] == LEVEL_MUNICIPALITY][["gebied_code", "regio_code"]], on="gebied_code")
    regions = sum_parts(frame.drop(columns="gebied_code"), ["regio_code", "jaar"], [value])
    return pd.concat([per_municipality, regions.rename(columns={"regio_code": "gebied_code"})], ignore_index=True)


def _export_years(trajectories: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.MultiIndex:
    """(municipality, year) for every whole calendar year inside its region's trajectory export
    period (`export_van` - `export_tot`): only there are in- and outflow complete, and a
    municipality without a started or ended trajectory in such a year counts 0."""
    periods = trajectories.groupby("regio_code")[["export_van", "export_tot"]].first()
    first = (periods["export_van"] - pd.Timedelta(days=1)).dt.year + 1  # first year starting inside
    last = (periods["export_tot"] + pd.Timedelta(days=1)).dt.year - 1  # last year ending inside
    areas = _area_levels(tables)
    members = areas[(areas["niveau"] == LEVEL_MUNICIPALITY) & areas["regio_code"].isin(periods.index)]
    pairs = [(code, year) for code, region in zip(members["gebied_code"], members["regio_code"], strict=True)
             for year in range(int(first[region]), int(last[region]) + 1)]
    return pd.MultiIndex.from_tuples(pairs, names=["gebied_code", "jaar"])


def _age_groups(frame: pd.DataFrame, spec: dict[str, Any]) -> pd.DataFrame:
    """The age-group rows that together make up exactly the ages `leeftijd` [from, to] of the spec."""
    low, high = (int(a) for a in spec["leeftijd"])
    groups = frame[["leeftijd_van", "leeftijd_tot"]].drop_duplicates()
    inside = groups[(groups["leeftijd_van"] >= low) & (groups["leeftijd_tot"] <= high)]
    covered = sorted(age for van, tot in zip(inside["leeftijd_van"], inside["leeftijd_tot"], strict=True)
                     for age in range(int(van), int(tot) + 1))
    if covered != list(range(low, high + 1)):
        available = ", ".join(f"{int(v)}-{int(t)}" for v, t in sorted(zip(groups["leeftijd_van"], groups["leeftijd_tot"], strict=True)))
        raise config.ConfigError(f"config/kpis.yaml: leeftijd {low}-{high} van bron jeugdzorg_leeftijd is niet samen te stellen uit de "
                                 f"leeftijdsgroepen die de CBS-tabel publiceert ({available})")
    return frame[frame["leeftijd_van"].ge(low) & frame["leeftijd_tot"].le(high)]


def _youth_care_part(spec: dict[str, Any], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Young people with one form of youth care (CBS, with its own status and composition)."""
    frame = tables["jeugdzorg"]
    frame = frame[frame["vorm"] == spec["vorm"]]
    return frame[["gebied_code", "jaar", "jongeren", "status", "samengesteld"]].rename(columns={"jongeren": "value"})


def _youth_care_by_age_part(spec: dict[str, Any], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Young people with one form of youth care in the ages `leeftijd`, summed over age groups."""
    frame = tables["jeugdzorg_leeftijd"]
    frame = _age_groups(frame[frame["vorm"] == spec["vorm"]], spec)
    # a sum with a suppressed age group is itself missing
    return sum_parts(frame, ["gebied_code", "jaar"], ["jongeren"]).rename(columns={"jongeren": "value"})


def _population_part(spec: dict[str, Any], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Inhabitants in total (`leeftijd: totaal`) or in the ages [from, to]; population figures are final."""
    frame = tables["bevolking"]
    if spec["leeftijd"] == "totaal":
        frame = frame[frame["leeftijd"].isna()]
    else:
        low, high = spec["leeftijd"]
        frame = frame[frame["leeftijd"].between(low, high)]
    result = sum_parts(frame, ["gebied_code", "jaar"], ["inwoners"]).rename(columns={"inwoners": "value"})
    return result.assign(status=STATUS_FINAL)


def _spending_part(spec: dict[str, Any], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Lasten in euro on the configured taakvelden (Iv3)."""
    frame = tables["uitgaven"]
    frame = frame[frame["taakveld"].isin(spec["taakvelden"])]
    return sum_parts(frame, ["gebied_code", "jaar"], ["lasten_euro"]).rename(columns={"lasten_euro": "value"})


def _waiting_part(spec: dict[str, Any], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One measure (`maat`) of the regions' waiting-time exports per municipality and year, plus region sums."""
    frame = tables["wachttijden"]
    measure = spec["maat"]
    if measure == "wachtdagen_gewogen":
        values = frame.assign(value=frame["mediaan_wachttijd_dagen"] * frame["aantal_wachtenden"])
    elif measure == "wachtenden":
        values = frame.assign(value=frame["aantal_wachtenden"])
    elif measure == "zorgelijk_wachtenden_december":
        values = frame[frame["peildatum"].dt.month == 12].assign(value=frame["aantal_zorgelijk_wachtenden"])
    elif measure == "wachtenden_december":
        values = frame[frame["peildatum"].dt.month == 12].assign(value=frame["aantal_wachtenden"])
    else:
        raise config.ConfigError(f"config/kpis.yaml: onbekende wachttijden-maat {measure!r}")
    municipal = values.groupby(["gebied_code", "jaar"])["value"].sum().reset_index()
    municipal = municipal.assign(status=STATUS_FINAL, samengesteld=False)
    return _with_regions(municipal, tables, "value")


def _trajectory_part(spec: dict[str, Any], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Trajectories started, ended or their difference (`maat`) per municipality and whole year
    of its region's export period (of the `zorgvormen`, when given), plus region sums."""
    frame = tables["trajecten"]
    periods = frame  # the export periods, whatever the forms counted
    forms = spec.get("zorgvormen")
    if forms is not None:
        if not isinstance(forms, list) or not forms:
            raise config.ConfigError(f"config/kpis.yaml: zorgvormen van trajecten moet een lijst zijn, niet {forms!r}")
        frame = frame[frame["zorgvorm"].isin(forms)]
    started = frame.assign(jaar=frame["startdatum"].dt.year).groupby(["gebied_code", "jaar"]).size()
    ended = frame.dropna(subset=["einddatum"])
    ended = ended.assign(jaar=ended["einddatum"].dt.year).groupby(["gebied_code", "jaar"]).size()
    counts = pd.concat({"gestart": started, "beeindigd": ended}, axis=1)
    counts = counts.reindex(_export_years(periods, tables)).fillna(0)  # in- and outflow only where complete
    measure = spec["maat"]
    if measure == "netto":
        series = counts["gestart"] - counts["beeindigd"]
    elif measure in counts:
        series = counts[measure]
    else:
        raise config.ConfigError(f"config/kpis.yaml: onbekende trajecten-maat {measure!r}")
    municipal = series.rename("value").reset_index().assign(status=STATUS_FINAL, samengesteld=False)
    return _with_regions(municipal, tables, "value")


def _budget_part(spec: dict[str, Any], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Budget or realisation (`maat`) of the selected budget lines per municipality, plus region sums."""
    frame = tables["budget"]
    frame = frame[exports.budget_line_filter(spec, frame["begrotingspost"])]
    municipal = frame.groupby(["gebied_code", "jaar"])[f"{spec['maat']}_euro"].sum().rename("value").reset_index()
    municipal = municipal.assign(status=STATUS_FINAL, samengesteld=False)
    return _with_regions(municipal, tables, "value")


_PARTS = {  # `bron` of a KPI side in config/kpis.yaml -> how its values are computed
    "jeugdzorg": _youth_care_part,
    "jeugdzorg_leeftijd": _youth_care_by_age_part,
    "bevolking": _population_part,
    "uitgaven": _spending_part,
    "wachttijden": _waiting_part,
    "trajecten": _trajectory_part,
    "budget": _budget_part,
}


def _part(spec: dict[str, Any], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One side of a KPI (numerator or denominator): columns gebied_code, jaar, value, status, samengesteld."""
    source = spec["bron"]
    part = _PARTS.get(source) if isinstance(source, str) else None
    if part is None:
        raise config.ConfigError(f"config/kpis.yaml: onbekende bron {source!r}")
    return part(spec, tables)


def compute(cfg: config.Config, tables: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    """One row per KPI, area (municipality, region, NL) and year up to `year`."""
    areas = _area_levels(tables)
    allowed_forms = set(cfg.sources["regio_exports"]["trajecten"]["zorgvormen"])
    frames = []
    for kpi in cfg.kpis.values():
        for side in (kpi.numerator, kpi.denominator):
            unknown = sorted(set((side or {}).get("zorgvormen") or []) - allowed_forms)
            if unknown:
                raise config.ConfigError(f"config/kpis.yaml: {kpi.id} telt zorgvormen {unknown}, die niet in "
                                         f"regio_exports.trajecten.zorgvormen van config/bronnen.yaml staan {sorted(allowed_forms)}")
        numerator = _part(kpi.numerator, tables).rename(columns={"value": "teller"})
        if kpi.denominator is not None:
            denominator = _part(kpi.denominator, tables).rename(
                columns={"value": "noemer", "status": "status_noemer", "samengesteld": "samengesteld_noemer"})
            frame = numerator.merge(denominator, on=["gebied_code", "jaar"], how="inner")
            frame["status"] = [least_final(pair) for pair in zip(frame["status"], frame["status_noemer"], strict=True)]
            frame["samengesteld"] = frame["samengesteld"] | frame["samengesteld_noemer"]
            frame["noemer"] = frame["noemer"].astype("Float64")
            frame["waarde"] = frame["teller"].astype("Float64") / frame["noemer"] * kpi.scale
        else:
            frame = numerator.assign(noemer=pd.NA)
            frame["noemer"] = frame["noemer"].astype("Float64")
            frame["waarde"] = frame["teller"].astype("Float64") * kpi.scale
        frame = frame.assign(kpi=kpi.id, teller=frame["teller"].astype("Float64"))
        frames.append(frame)
    result = pd.concat(frames, ignore_index=True)
    result = result.merge(areas[["gebied_code", "niveau"]], on="gebied_code", how="inner")
    result = result[result["jaar"] <= year]
    order = result["niveau"].map({LEVEL_MUNICIPALITY: 0, LEVEL_REGION: 1, LEVEL_COUNTRY: 2})
    result = result.assign(_o=order).sort_values(["kpi", "_o", "gebied_code", "jaar"]).drop(columns="_o")
    # change on the previous year, in %, for the data-quality check on implausible jumps
    previous = result.groupby(["kpi", "gebied_code"])["waarde"].shift(1)
    consecutive = result.groupby(["kpi", "gebied_code"])["jaar"].diff().eq(1)
    change = (result["waarde"] - previous) / previous.abs() * 100
    result["verandering_pct"] = change.where(consecutive & previous.ne(0)).astype("Float64")
    return result[KPI_COLUMNS].reset_index(drop=True).astype({
        "gebied_code": "string", "niveau": "string", "jaar": "int64", "kpi": "string", "status": "string",
        "samengesteld": "bool", "teller": "Float64", "noemer": "Float64", "waarde": "Float64",
        "verandering_pct": "Float64"})
