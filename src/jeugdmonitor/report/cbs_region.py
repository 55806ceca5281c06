"""CBS beside the region's own counts on the region overview: per municipality both counts and
their difference, as the clean table `cbs_regio` holds them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from jeugdmonitor.definitions import config
from jeugdmonitor.definitions.comparisons import spec


def region_rows(cfg: config.Config, frame: pd.DataFrame, members: pd.DataFrame, year: int) -> list[dict[str, Any]]:
    """Per configured comparison: the region's municipalities (by name) with CBS's count, the
    region's, the difference (CBS minus region, the two shown values' difference) and whether it
    exceeds the margin, for `year`. A comparison without rows for the region is left out."""
    margin = spec(cfg)["marge_pct"]
    this_year = frame[frame["jaar"] == year]
    result = []
    for entry in spec(cfg)["tellingen"]:
        rows_of = this_year[this_year["telling"] == entry["id"]].set_index("gebied_code")
        rows = []
        for code, name in zip(members["gebied_code"], members["naam"], strict=True):
            if code not in rows_of.index:
                continue
            row = rows_of.loc[code]
            cbs = None if pd.isna(row["cbs"]) else int(row["cbs"])
            own = int(row["regio"])
            share = None if pd.isna(row["verschil_pct"]) else float(row["verschil_pct"])
            rows.append({"name": name, "cbs": cbs, "status": None if pd.isna(row["status"]) else str(row["status"]),
                         "region": own, "difference": None if cbs is None else cbs - own, "share": share,
                         "beyond": share is not None and abs(share) > margin})
        if rows:
            result.append({"id": entry["id"], "name": entry["naam"], "rows": rows})
    return result
