"""What the tests of the report's pages share: small report inputs (areas, KPI rows, warnings)
built in memory instead of read from data/clean/."""

from __future__ import annotations

import pandas as pd

from jeugdmonitor.report.inputs import Inputs

KPI_COLUMNS = ["gebied_code", "niveau", "jaar", "kpi", "teller", "noemer", "waarde", "status", "samengesteld",
               "verandering_pct"]


def memory_inputs(cfg, areas, kpi_rows, year: int = 2023, validation: dict | None = None) -> Inputs:
    """Report inputs built in memory: `areas` (records or a frame) and KPI rows in the clean
    table's column order, a fictitious source, no mergers and a passed validation. Areas without
    a `stedelijkheid` get it empty, as the clean table has it for an area no CBS table lists."""
    areas = pd.DataFrame(areas)
    if "stedelijkheid" not in areas.columns:
        areas = areas.assign(stedelijkheid=pd.array([pd.NA] * len(areas), dtype="Int64"))
    return Inputs(year=year, cfg=cfg, areas=areas, kpi_values=pd.DataFrame(kpi_rows, columns=KPI_COLUMNS),
                  sources=pd.DataFrame([{"bestand": "cbs/x.csv", "fictief": True}]),
                  harmonisation=pd.DataFrame(columns=["jaar", "oude_code", "oude_naam", "nieuwe_code", "nieuwe_naam", "actie"]),
                  validation=validation or {"gecontroleerd": 1, "geslaagd": 1, "waarschuwingen": []})


def _inputs(cfg, kpi_rows):
    areas = pd.DataFrame([
        {"gebied_code": "GM0503", "naam": "<b>Delft</b>", "niveau": "gemeente", "regio_code": "JZ24", "regio_naam": "Haaglanden"},
        {"gebied_code": "JZ24", "naam": "Haaglanden", "niveau": "jeugdregio", "regio_code": "JZ24", "regio_naam": "Haaglanden"},
        {"gebied_code": "NL01", "naam": "Nederland", "niveau": "land", "regio_code": None, "regio_naam": None},
    ])
    return memory_inputs(cfg, areas, kpi_rows)


def _row(area, year, value, kpi="jeugdhulp_met_verblijf_per_1000", status="definitief"):
    level = {"JZ24": "jeugdregio", "NL01": "land"}.get(area, "gemeente")
    return [area, level, year, kpi, None, None, value, status, False, None]


def _two_municipalities(cfg, kpi_rows):
    inputs = _inputs(cfg, kpi_rows)
    inputs.areas = pd.concat([inputs.areas, pd.DataFrame([{"gebied_code": "GM0518", "naam": "'s-Gravenhage",
                                                           "niveau": "gemeente", "regio_code": "JZ24",
                                                           "regio_naam": "Haaglanden"}])], ignore_index=True)
    return inputs
