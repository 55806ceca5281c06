"""What CBS and a region's own export both count (config/bronnen.yaml `cbs_naast_regio`): the
counts compared and the margin beyond which a difference is a warning; and the clean table that
holds the comparison."""

from __future__ import annotations

from typing import Any

from jeugdmonitor.definitions import config

TABLE = "cbs_regio"


KEY = "cbs_naast_regio"  # its entry in config/bronnen.yaml


def spec(cfg: config.Config) -> dict[str, Any]:
    """The configured comparisons (none: an empty list and no margin), checked: each names a form
    of care of cbs_jeugdzorg and care forms of the trajectory export (a misspelt name would
    otherwise leave a column empty without a word)."""
    found = cfg.sources.get(KEY) or {"marge_pct": None, "tellingen": []}
    forms = set(cfg.sources["cbs_jeugdzorg"]["vormen"].values())
    care = set(cfg.sources["regio_exports"]["trajecten"]["zorgvormen"])
    for entry in found["tellingen"]:
        where = f"config/bronnen.yaml: {KEY}.tellingen {entry['id']!r}"
        if entry["cbs"]["vorm"] not in forms:
            raise config.ConfigError(f"{where}: cbs.vorm {entry['cbs']['vorm']!r} is geen vorm van cbs_jeugdzorg "
                                     f"(bekend: {', '.join(sorted(forms))})")
        unknown = [f for f in entry["regio"]["zorgvormen"] if f not in care]
        if unknown:
            raise config.ConfigError(f"{where}: regio.zorgvormen {unknown} staan niet in regio_exports.trajecten.zorgvormen "
                                     f"(bekend: {', '.join(sorted(care))})")
    return found
