"""Which regions report per quarter and what (config/kwartaal.yaml): a full or a financial-only
quarter, steering on a budget or a ceiling, a straight-line or seasonal forecast; and the names
of a quarter report's tables."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.period import Quarter

CONFIG_NAME = "kwartaal.yaml"


KIND_FULL = "volledig"


KIND_FINANCIAL = "financieel"


STEERING_CEILING = "plafond"


FORECAST_SEASONAL = "seizoen"


# the tables a quarter's cleaning writes, each one parquet file in data/clean/<kwartaal>/
TABLES = ("trajecten", "wachttijden", "uitgaven", "uithuisplaatsingen", "maanden")


@dataclass(frozen=True)
class RegionSetting:
    """How one region reports this quarter (config/kwartaal.yaml)."""

    code: str
    name: str
    kind: str  # KIND_FULL or KIND_FINANCIAL
    steering: str  # "budget" or "plafond"
    ceiling: int | None
    note: str
    forecast: str  # "lineair" or "seizoen"
    weights: tuple[float, ...]


def settings(cfg: config.Config, quarter: Quarter) -> list[RegionSetting]:
    """The regions that report per quarter, with what they report in `quarter`."""
    result = []
    for code, entry in sorted(_region_entries().items()):
        result.append(RegionSetting(
            code=code, name=cfg.register.regions[code].name, kind=entry["kwartalen"][f"K{quarter.quarter}"],
            steering=entry["sturing"], ceiling=entry.get("plafond_euro"), note=entry["toelichting"],
            forecast=entry["prognose"], weights=tuple(entry.get("maandgewichten") or (1.0,) * 12)))
    return result


def reporting_regions() -> list[str]:
    """The codes of the regions config/kwartaal.yaml lists: those that report per quarter."""
    return sorted(_region_entries())


def _region_entries() -> dict[str, dict]:
    data = yaml.safe_load((paths.CONFIG_DIR / CONFIG_NAME).read_text(encoding="utf-8"))
    return data.get("regio") or {}
