"""CBS beside the region's own counts: the clean table `cbs_regio` and the region overview's
side-by-side table.

Where a region's export and a CBS table count the same thing (config/bronnen.yaml
`cbs_naast_regio`: trajectories of a form of care running in a year), the cleaning stage puts
both per municipality and year in one table with their difference; the quality gate warns where
the difference exceeds `marge_pct` of the region's own count (quality.rules), and the region
overview shows the report year's counts side by side. They can differ for good reasons: CBS
counts a trajectory per provider delivering care, the region per contract it bought.
"""

from __future__ import annotations

import pandas as pd

from jeugdmonitor.definitions import config
from jeugdmonitor.definitions.comparisons import spec
from jeugdmonitor.vocabulary import LEVEL_MUNICIPALITY

COLUMNS = ["gebied_code", "niveau", "jaar", "telling", "cbs", "regio", "verschil", "verschil_pct", "status"]


def _export_years(trajectories: pd.DataFrame) -> dict[str, range]:
    """Region -> the whole calendar years inside its trajectory export's period: only there is a
    count of running trajectories complete."""
    periods = trajectories.groupby("regio_code", sort=True)[["export_van", "export_tot"]].first()
    first = (periods["export_van"] - pd.Timedelta(days=1)).dt.year + 1
    last = (periods["export_tot"] + pd.Timedelta(days=1)).dt.year - 1
    return {region: range(int(first[region]), int(last[region]) + 1) for region in periods.index}


def _running(trajectories: pd.DataFrame, forms: list[str], members: dict[str, str], year: int) -> pd.DataFrame:
    """Per municipality and whole export year up to `year`: the trajectories of `forms` running in
    that year (a municipality with none counts 0)."""
    chosen = trajectories[trajectories["zorgvorm"].isin(forms)]
    rows = []
    for region, years in _export_years(trajectories).items():
        own = chosen[chosen["regio_code"] == region]
        codes = [code for code, of in members.items() if of == region]
        for y in (y for y in years if y <= year):
            start, end = pd.Timestamp(y, 1, 1), pd.Timestamp(y, 12, 31)
            running = own[(own["startdatum"] <= end) & (own["einddatum"].isna() | (own["einddatum"] >= start))]
            counts = running.groupby("gebied_code").size()
            rows += [{"gebied_code": code, "jaar": y, "regio": int(counts.get(code, 0))} for code in codes]
    return pd.DataFrame(rows, columns=["gebied_code", "jaar", "regio"])


def table(cfg: config.Config, cbs_trajectories: pd.DataFrame, trajectories: pd.DataFrame, year: int) -> pd.DataFrame:
    """The clean table `cbs_regio`: per comparison, municipality and whole export year, CBS's count
    (`cbs_trajectories`: CBS's Jeugdzorgtrajecten per form on the report year's boundaries) and the
    region's (`trajectories`: the clean trajectory export), the difference CBS minus region and
    that difference as a percentage of the region's count (missing where CBS suppressed its cell
    or the region counted none)."""
    # every municipality of a region with an export, on the report year's boundaries
    members = {code: region for region in sorted(set(trajectories["regio_code"]))
               for code in cfg.register.members(region, year)}
    frames = []
    for entry in spec(cfg)["tellingen"]:
        own = _running(trajectories, list(entry["regio"]["zorgvormen"]), members, year)
        cbs = cbs_trajectories[cbs_trajectories["vorm"] == entry["cbs"]["vorm"]][["gebied_code", "jaar", "trajecten", "status"]]
        joined = own.merge(cbs.rename(columns={"trajecten": "cbs"}), on=["gebied_code", "jaar"], how="left")
        frames.append(joined.assign(telling=entry["id"]))
    if not frames:
        return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in _DTYPES.items()})[COLUMNS]
    frame = pd.concat(frames, ignore_index=True)
    cbs = frame["cbs"].astype("Int64")
    region = frame["regio"].astype("Int64")
    difference = cbs - region
    share = (difference.astype("Float64") * 100 / region.astype("Float64")).where(region > 0)
    result = frame.assign(niveau=LEVEL_MUNICIPALITY, cbs=cbs, regio=region, verschil=difference, verschil_pct=share)
    return result[COLUMNS].astype(_DTYPES).sort_values(["telling", "gebied_code", "jaar"]).reset_index(drop=True)


_DTYPES = {"gebied_code": "string", "niveau": "string", "jaar": "int64", "telling": "string", "cbs": "Int64",
           "regio": "Int64", "verschil": "Int64", "verschil_pct": "Float64", "status": "string"}
