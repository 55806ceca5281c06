"""The domain vocabulary, defined once: area levels and codes, data statuses and their marks,
goal statuses, clean table names, and the sum that keeps a missing part missing.

Every module that needs one of these words imports it from here. This module imports no
other module of the package, so it can never be part of an import cycle.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

# ------------------------------------------------------------------ areas
NL_CODE = "NL01"  # CBS RegioS key of the Netherlands
LEVEL_MUNICIPALITY = "gemeente"
LEVEL_REGION = "jeugdregio"
LEVEL_COUNTRY = "land"
LEVELS = (LEVEL_MUNICIPALITY, LEVEL_REGION, LEVEL_COUNTRY)  # also the order areas are listed in

# ------------------------------------------------------------------ exports of a region (make import SOORT=...)
REGION_EXPORTS = ("wachttijden", "trajecten", "budget")  # read by the yearly reports
QUARTER_EXPORTS = ("realisatie_maand",)  # read only by the quarter reports (config/kwartaal.yaml)
EXPORT_KINDS = (*REGION_EXPORTS, *QUARTER_EXPORTS)

# ------------------------------------------------------------------ data status of a figure
STATUS_FINAL = "definitief"
STATUS_REVISED_PROVISIONAL = "nader voorlopig"
STATUS_PROVISIONAL = "voorlopig"
STATUSES = (STATUS_FINAL, STATUS_REVISED_PROVISIONAL, STATUS_PROVISIONAL)  # from most to least final
STATUS_ORDER = {status: rank for rank, status in enumerate(STATUSES)}
STATUS_MARKS = {STATUS_FINAL: "", STATUS_REVISED_PROVISIONAL: "**", STATUS_PROVISIONAL: "*"}
MERGED_MARK = "¹"  # after a figure summed from the municipalities before a merger
MERGED_ACTION = "opgeteld bij"  # harmonisatie: a predecessor's figures summed into the report year's municipality

# ------------------------------------------------------------------ status of a regiovisie goal
GOAL_MET = "gehaald"
GOAL_NOT_MET = "niet gehaald"
GOAL_ON_TRACK = "op koers"
GOAL_OFF_TRACK = "niet op koers"
GOAL_NONE = "geen doel"
GOAL_UNDECIDABLE = "niet te bepalen"
GOAL_STATUSES = (GOAL_MET, GOAL_ON_TRACK, GOAL_OFF_TRACK, GOAL_NOT_MET, GOAL_UNDECIDABLE, GOAL_NONE)
# a symbol that accompanies a status word (never replaces it), so status is not told by colour alone
GOAL_STATUS_SYMBOLS = {GOAL_MET: "✓", GOAL_ON_TRACK: "↗", GOAL_OFF_TRACK: "↘", GOAL_NOT_MET: "✗",
                       GOAL_UNDECIDABLE: "?", GOAL_NONE: "–"}

# ------------------------------------------------------------------ judgement of a change on the year before
# a KPI with a good direction (lager_beter, hoger_beter) changes for the better or the worse; a
# neutral one goes up or down; within its margin (config/kpis.yaml `marge`) it stays about the same
CHANGE_BETTER = "beter"
CHANGE_WORSE = "slechter"
CHANGE_UP = "hoger"
CHANGE_DOWN = "lager"
CHANGE_SAME = "gelijk"
CHANGE_UNKNOWN = "onbekend"
CHANGES = (CHANGE_BETTER, CHANGE_WORSE, CHANGE_UP, CHANGE_DOWN, CHANGE_SAME, CHANGE_UNKNOWN)

# ------------------------------------------------------------------ clean tables (data/clean/<year>/)
CLEAN_TABLES = ("gebieden", "jeugdzorg", "jeugdzorg_leeftijd", "bevolking", "uitgaven", "wachttijden", "trajecten", "budget",
                "harmonisatie", "kpi_waarden", "bronnen", "cbs_regio")


def least_final(statuses: Iterable[str]) -> str:
    """The least final status of the figures a derived figure is built from."""
    return max(statuses, key=lambda s: STATUS_ORDER[s])


def sum_parts(frame: pd.DataFrame, by: list[str], values: list[str]) -> pd.DataFrame:
    """Sum rows per group. A sum with a missing (suppressed) part is itself missing, so no
    suppressed value can be recovered from a derived figure; `samengesteld` and `status`
    combine (any part built from predecessors, the least final status)."""
    grouped = frame.groupby(by, sort=True, dropna=False)
    result = grouped[values].sum(min_count=1, skipna=False)
    if "samengesteld" in frame.columns:
        result["samengesteld"] = grouped["samengesteld"].any()
    if "status" in frame.columns:
        # the least final status as the largest rank per group (vectorised; a Python function per
        # group is slow for every municipality of the country)
        ranks = frame["status"].map(STATUS_ORDER.__getitem__)  # an unknown status fails, as in least_final
        by_rank = {rank: status for status, rank in STATUS_ORDER.items()}
        result["status"] = ranks.groupby([frame[column] for column in by], sort=True, dropna=False).max().map(by_rank)
    return result.reset_index()
