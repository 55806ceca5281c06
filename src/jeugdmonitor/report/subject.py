"""The municipality a report is about (`Report`): its region, its areas (municipality, region,
country) and their values, and the change between two values as shown, which the report and
its bijlage both state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from jeugdmonitor.definitions import config
from jeugdmonitor.report import goals, templates
from jeugdmonitor.report.inputs import NL_NAME, Inputs
from jeugdmonitor.vocabulary import (
    LEVEL_MUNICIPALITY,
    NL_CODE,
)


@dataclass
class Report:
    inputs: Inputs
    municipality: str
    name: str
    region: str
    region_name: str
    # kpi -> its trend (chart and table): a goal's chart on the report is the same as its KPI's in the bijlage
    trends: dict[str, dict[str, Any] | None] = field(default_factory=dict, repr=False)

    @property
    def year(self) -> int:
        return self.inputs.year

    @property
    def area_codes(self) -> list[str]:
        return [self.municipality, self.region, NL_CODE]

    @property
    def area_names(self) -> dict[str, str]:
        return {self.municipality: self.name, self.region: templates.word("regio", self.region_name), NL_CODE: NL_NAME}

    def values(self, kpi: str) -> pd.DataFrame:
        """The rows of `kpi` for the report's areas (municipality, region, country)."""
        frame = self.inputs.kpi_rows.get(kpi, self.inputs.kpi_values.iloc[:0])
        return frame[frame["gebied_code"].isin(self.area_codes)]

    def value(self, kpi: str, area: str, year: int) -> tuple[Any, Any]:
        """(value, status); value None when missing or suppressed, status None when there is no row."""
        return self.inputs.values.get(kpi, area, year)


def build(inputs: Inputs, municipality: str) -> Report:
    register = inputs.cfg.register
    info = register.municipality(municipality)  # unknown code -> error naming it
    areas = inputs.areas
    row = areas[(areas["gebied_code"] == municipality) & (areas["niveau"] == LEVEL_MUNICIPALITY)]
    if row.empty:
        raise config.UnknownMunicipalityError(
            f"gemeente {municipality} ({info.name}) ligt in {inputs.year} niet in een jeugdregio van de werkmap")
    return Report(inputs=inputs, municipality=municipality, name=info.name,
                  region=str(row["regio_code"].iloc[0]), region_name=str(row["regio_naam"].iloc[0]))


def change_between(report: Report, kpi: config.Kpi, area: str) -> float | None:
    return goals.change_on_previous_year(report.inputs.values, kpi, area, report.year)


def area_list(report: Report, kpi: config.Kpi | None = None) -> list[dict[str, str]]:
    return [{"code": code, "name": report.area_names[code]} for code in areas_for(report, kpi)]


def areas_for(report: Report, kpi: config.Kpi | None) -> list[str]:
    """A rate is shown for the municipality, its region and the country; a count only for the
    municipality, so no larger area's count flattens its line or invites a comparison."""
    return report.area_codes if kpi is None or kpi.is_rate else [report.municipality]
