"""What every page of a year reads: the validated tables and the definitions (`Inputs`), loaded
once per worker and year, and the context every page template shares."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from jeugdmonitor import paths, tables
from jeugdmonitor.definitions import comparisons, config
from jeugdmonitor.report import goals, templates
from jeugdmonitor.vocabulary import (
    LEVEL_MUNICIPALITY,
    MERGED_MARK,
)

FICTITIOUS_LABEL = templates.word("label_fictief")


STATUS_LEGEND = templates.word("legenda")


NL_NAME = templates.word("land")


@dataclass
class Inputs:
    year: int
    cfg: config.Config
    areas: pd.DataFrame
    kpi_values: pd.DataFrame
    sources: pd.DataFrame
    harmonisation: pd.DataFrame
    validation: dict[str, Any]
    cbs_region: pd.DataFrame | None = None  # clean table cbs_regio (None: not loaded, no CBS-beside-region table)

    @property
    def fictitious(self) -> bool:
        return bool(self.sources["fictief"].any())

    @cached_property
    def values(self) -> goals.Values:
        return goals.Values(self.kpi_values)

    @cached_property
    def budget(self) -> pd.DataFrame:
        """The regional budget exports (begroot and gerealiseerd per begrotingspost)."""
        return tables.read_table(self.year, "budget")

    @cached_property
    def kpi_rows(self) -> dict[str, pd.DataFrame]:
        """kpi -> its rows of kpi_values: each page looks up every KPI, and filtering the national
        table for each of them cost more than grouping it once."""
        return {kpi: rows for kpi, rows in self.kpi_values.groupby("kpi", sort=False, observed=True)}

    @cached_property
    def _kpi_area_positions(self) -> dict[str, dict[str, np.ndarray]]:
        kept = {}
        for kpi, rows in self.kpi_rows.items():
            order = np.argsort(rows["jaar"].to_numpy(), kind="stable")
            codes = rows["gebied_code"].to_numpy(dtype=object)[order]
            found: dict[str, list[int]] = {}
            for position, code in zip(order.tolist(), codes.tolist(), strict=True):
                found.setdefault(code, []).append(position)
            kept[kpi] = {code: np.asarray(positions, dtype=np.intp) for code, positions in found.items()}
        return kept

    def kpi_area_rows(self, kpi: str, areas: list[str]) -> pd.DataFrame:
        """The rows of `kpi` for `areas`, area by area in the given order and each area's years
        in order: a page's trend asks this for every KPI, and the positions are found once per
        kernel instead of filtering and sorting the KPI's rows each time."""
        rows = self.kpi_rows.get(kpi, self.kpi_values.iloc[:0])
        found = self._kpi_area_positions.get(kpi, {})
        parts = [found[area] for area in areas if area in found]
        return rows.take(np.concatenate(parts) if parts else np.empty(0, dtype=np.intp))

    @cached_property
    def names(self) -> dict[str, str]:
        return dict(zip(self.areas["gebied_code"], self.areas["naam"], strict=True))

    @cached_property
    def _members(self) -> dict[str, pd.DataFrame]:
        areas = self.areas
        municipalities = areas[areas["niveau"] == LEVEL_MUNICIPALITY].sort_values("naam")
        return {region: rows for region, rows in municipalities.groupby("regio_code", sort=False, observed=True)}

    def members(self, region: str) -> pd.DataFrame:
        """The region's municipalities in the report year, by name (looked up once per region:
        every KPI of every page asks)."""
        return self._members.get(region, self.areas.iloc[:0])


def _inputs_key(year: int) -> tuple:
    """What the validated inputs of `year` are made of: the stamp, the clean tables and config/
    (path, size, modification time). A new validation or an edited definition gives a new key."""
    files = [paths.validation_stamp(year), *sorted(paths.clean_dir(year).glob(f"*{paths.TABLE_SUFFIX}")),
             *sorted(paths.CONFIG_DIR.glob("*.yaml"))]
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


# year -> (key, inputs): a warm kernel builds many pages of one year and reads the tables once
_loaded: dict[int, tuple[tuple, Inputs]] = {}


def load_inputs(year: int) -> Inputs:
    """Read the validated clean tables of `year`; refuse to report on unvalidated data. Read once
    per process while the files stay the same (the pages only read the returned tables)."""
    stamp = paths.validation_stamp(year)
    if not stamp.exists():
        raise FileNotFoundError(f"{stamp} ontbreekt: de schone data van {year} zijn niet door de validatie gekomen "
                                f"(draai `make validate YEAR={year}`)")
    key = _inputs_key(year)
    cached = _loaded.get(year)
    if cached is not None and cached[0] == key:
        return cached[1]
    inputs = Inputs(
        year=year,
        cfg=config.load(),
        areas=tables.read_table(year, "gebieden"),
        kpi_values=tables.read_table(year, "kpi_waarden"),
        sources=tables.read_table(year, "bronnen"),
        harmonisation=tables.read_table(year, "harmonisatie"),
        validation=json.loads(stamp.read_text(encoding="utf-8")),
        cbs_region=tables.read_table(year, comparisons.TABLE),
    )
    _loaded.clear()  # one year at a time: memory does not grow with the years a kernel has seen
    _loaded[year] = (key, inputs)
    return inputs


def page_context(inputs: Inputs) -> dict[str, Any]:
    return {"fictitious": inputs.fictitious, "label": FICTITIOUS_LABEL, "legend": STATUS_LEGEND,
            "merged_mark": MERGED_MARK, "all_kpis": inputs.cfg.kpis}
