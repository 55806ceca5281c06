"""The HTML of the quarter reports: a page per municipality, per jeugdregio, and the index.

Reads the quarter's clean tables (data/clean/<kwartaal>/, written by jeugdmonitor.runner.quarter)
and fills the templates in templates/pages/kwartaal/; every sentence lives there. Amounts over
months the administration has not closed carry the voorlopig mark (*), and each page says which
months are closed. The notebook 06_kwartaal.ipynb calls these functions.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.definitions.quarters import KIND_FINANCIAL, TABLES, settings
from jeugdmonitor.period import Quarter, month_label, parse_quarter
from jeugdmonitor.publish import latest_annual_set, published_quarters
from jeugdmonitor.report import formatting, templates
from jeugdmonitor.sources import raw
from jeugdmonitor.vocabulary import LEVEL_REGION, STATUS_FINAL, STATUS_PROVISIONAL

TEMPLATE_DIR = "kwartaal"
PLACEMENT_KPI = "jeugdhulp_met_verblijf_aantal"  # the yearly KPI of Flevoland's goal on placements


@cache
def load_tables(folder: str) -> dict[str, pd.DataFrame]:
    """The quarter's tables in `folder`, read once per process."""
    return {name: pd.read_parquet(Path(folder) / paths.table_filename(name)) for name in (*TABLES, "regio")}


def euro(value: float) -> str:
    """'€ 42.198.729' (rounded to the euro), the sign and the amount joined by a no-break space so
    that a narrow screen never ends a line on '€'."""
    return f"€\u00a0{formatting.number(round(float(value)))}"


def _rows(frame: pd.DataFrame, code: str) -> list[dict[str, Any]]:
    return frame[frame["gebied_code"] == code].to_dict("records") if len(frame) else []


def fictitious() -> bool:
    """Whether the regional exports are the bundled fictitious sample (their sidecars say so)."""
    return any(raw.read_sidecar(p.with_name(p.name.removesuffix(paths.SIDECAR_SUFFIX))).get("fictief") is True
               for p in sorted((paths.RAW_DIR / "regio").glob(f"*/*{paths.SIDECAR_SUFFIX}")))


def _common(quarter: Quarter) -> dict[str, Any]:
    return {"quarter_label": quarter.label, "year": quarter.year, "annual_year": latest_annual_set(quarter.year),
            "last_month": month_label(quarter.months[-1]), "fictitious": fictitious(),
            "label": templates.word("label_fictief")}


def _trajectory_rows(rows: list[dict[str, Any]], quarter: Quarter) -> list[dict[str, Any]]:
    """Each row with what its label needs (the template words it): whether it is a quarter, that
    quarter's name, and the last month of its year so far (the same quarter a year before for the
    year before's rows)."""
    shown = []
    for row in rows:
        this = quarter if row["jaar"] == quarter.year else quarter.shifted(-4)
        shown.append({**row, "is_quarter": row["periode"] == "kwartaal", "quarter_label": this.label,
                      "until": month_label(this.months[-1])})
    return shown


def _placements(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The placements at the end of each quarter (labelled as the sentences name a quarter), and
    the change on the same quarter a year before (None: fewer than five quarters to compare)."""
    shown = [{**row, "label": parse_quarter(row["kwartaal"]).label} for row in rows]
    year_before = rows[-5]["lopend"] if len(rows) >= 5 else None
    change = None if year_before is None else rows[-1]["lopend"] - year_before
    return {"placements": shown, "placement_year_before": year_before, "placement_change": change}


def area_page(kwartaal: str, code: str, folder: str | None = None) -> str:
    """The page of municipality or region `code` for quarter `kwartaal` ('2024-K2')."""
    quarter = parse_quarter(kwartaal)
    tables = load_tables(folder or str(paths.clean_dir(quarter)))
    spending = _rows(tables["uitgaven"], code)
    if not spending:
        raise KeyError(f"{code} rapporteert niet per kwartaal in {quarter} (config/kwartaal.yaml)")
    spending_row = spending[0]
    region = tables["regio"][tables["regio"]["regio_code"] == spending_row["regio_code"]].to_dict("records")[0]
    months = _rows(tables["maanden"], code)
    final = [month_label(pd.Period(m["maand"], "M")) for m in months if m["status"] == STATUS_FINAL]
    provisional = [month_label(pd.Period(m["maand"], "M")) for m in months if m["status"] == STATUS_PROVISIONAL]
    seasonal = spending_row["methode"] == "seizoen"
    context = {
        **_common(quarter), "area": {"code": code, "naam": spending_row["gebied_naam"]},
        "is_region": spending_row["niveau"] == LEVEL_REGION,
        "region": region, "financial_only": region["soort"] == KIND_FINANCIAL, "spending": spending_row,
        "mark": formatting.mark(spending_row["status"]), "euro": euro,
        "final_months": ", ".join(final), "provisional_months": ", ".join(provisional),
        "seasonal": seasonal, "ceiling": spending_row["doel"] == "plafond",
    }
    if not context["financial_only"]:
        trajectories = _trajectory_rows(_rows(tables["trajecten"], code), quarter)
        by_key = {(r["jaar"], r["periode"]): r for r in trajectories}
        placements = _rows(tables["uithuisplaatsingen"], code)
        context.update({
            "trajectories": trajectories,
            "t": {"now_q": by_key[(quarter.year, "kwartaal")], "before_q": by_key[(quarter.year - 1, "kwartaal")]},
            "waiting": [{**r, "label": month_label(pd.Period(r["maand"], "M"))} for r in _rows(tables["wachttijden"], code)],
            "norm": int(config.load().sources["regio_exports"]["wachttijden"]["wachtnorm_dagen"]),
            **_placements(placements),
            "goal": _placement_goal(region["regio_code"]),
        })
    return templates.render(f"{TEMPLATE_DIR}/pagina.html.j2", **context)


def _placement_goal(region: str) -> str | None:
    """The region's goal on placements from config/doelen.yaml, if it has one (Flevoland: horizon zero)."""
    for goal in config.load().goals.get(region, ()):
        if goal.kpi == PLACEMENT_KPI:
            return f"doel van de regio: {goal.text[0].lower()}{goal.text[1:]}"
    return None


def index_page(kwartaal: str, folder: str | None = None) -> str:
    """The index of the quarter: every reporting region with its municipalities."""
    quarter = parse_quarter(kwartaal)
    tables = load_tables(folder or str(paths.clean_dir(quarter)))
    spending = tables["uitgaven"]
    regions = []
    for region in tables["regio"].to_dict("records"):
        members = spending[(spending["regio_code"] == region["regio_code"]) & (spending["niveau"] != LEVEL_REGION)]
        regions.append({"code": region["regio_code"], "naam": region["regio_naam"], "financial": region["soort"] == KIND_FINANCIAL,
                        "provisional": bool((spending.loc[spending["gebied_code"] == region["regio_code"], "status"]
                                             == STATUS_PROVISIONAL).any()),
                        "gemeenten": [{"code": c, "naam": n} for c, n in zip(members["gebied_code"], members["gebied_naam"], strict=True)]})
    return templates.render(f"{TEMPLATE_DIR}/index.html.j2", **_common(quarter), regions=regions)


def page_codes(kwartaal: str, folder: str | None = None) -> list[tuple[str, str, str]]:
    """(code, level, name) of every page of the quarter, regions first."""
    tables = load_tables(folder or str(paths.clean_dir(parse_quarter(kwartaal))))
    frame = tables["uitgaven"].sort_values(["regio_code", "niveau"], ascending=[True, False], kind="stable")
    return list(zip(frame["gebied_code"], frame["niveau"], frame["gebied_naam"], strict=True))


def annual_links(cfg: config.Config, year: int) -> list[dict[str, str]]:
    """The quarters of `year` the annual index links: only those whose report set is published
    (publish.published_quarters), never a quarter `make kwartaal` has not built yet."""
    regions = settings(cfg, Quarter(year, 1))
    if not regions:
        return []
    names = ", ".join(r.name for r in regions)
    return [{"href": f"../{q}/{paths.INDEX_PAGE_NAME}", "label": q.label, "regions": names} for q in published_quarters(year)]
