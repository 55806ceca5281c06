"""Accountability on the pages: the data-quality findings of the run (per municipality and the
year's log), the sources, mergers and run details of the Verantwoording, and the year's
figures of every area as one CSV beside the index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jeugdmonitor import __version__, buildinfo, paths
from jeugdmonitor.report import downloads, templates
from jeugdmonitor.report.formatting import number, value_with_mark
from jeugdmonitor.report.inputs import Inputs, page_context
from jeugdmonitor.sources import boundaries
from jeugdmonitor.vocabulary import (
    MERGED_ACTION,
)


# ------------------------------------------------------------------------------ quality and accountability
def finding_of(inputs: Inputs, finding: dict[str, Any], municipality: str | None = None) -> dict[str, Any]:
    """A warning as a report lists it: with the run's first flagged rows, or with `municipality`'s
    own rows, years and values (the finding's `per_area`, recorded by the gate)."""
    table = Path(finding["source"]).stem
    note = finding.get("note") or finding["expectation"]
    if municipality is not None:
        own = finding["per_area"][municipality]
        name = inputs.names.get(municipality, municipality)
        where = ", ".join(f"{name} {year}" for year in own["jaren"] if year is not None)
        return {"note": note, "table": table, "column": finding["column"], "count": own["aantal"],
                "examples": examples_of(own["voorbeelden"]), "where": where}
    where = ""
    if table == "kpi_waarden" and finding["rows"] and not finding.get("rows_are_file_lines"):
        # name the areas and years of the flagged rows (row numbers of the published table)
        rows = inputs.kpi_values.iloc[[r for r in finding["rows"] if r < len(inputs.kpi_values)]]
        where = ", ".join(f"{inputs.names.get(r.gebied_code, r.gebied_code)} {r.jaar}" for r in rows.itertuples())
    return {"note": note, "table": table, "column": finding["column"],
            "count": finding["unexpected_count"], "examples": examples_of(finding["examples"]), "where": where}


def examples_of(values: list[Any]) -> str:
    return ", ".join(number(e, 1) if isinstance(e, (int, float)) else str(e) for e in values[:3] if e is not None)


def _quality_context(inputs: Inputs, heading: str, anchor: str, municipality: str | None = None) -> dict[str, Any]:
    """What the data-quality section says: the run's checks and its warnings; with `municipality`
    only the warnings with rows of that municipality (its own examples), and how many others."""
    validation = inputs.validation
    warnings = validation.get("waarschuwingen", [])
    if municipality is not None:
        own = [w for w in warnings if municipality in (w.get("per_area") or {})]
        shown = [finding_of(inputs, w, municipality) for w in own]
    else:
        shown = [finding_of(inputs, w) for w in warnings]
    return {"heading": heading, "anchor": anchor, "checked": validation["gecontroleerd"], "passed": validation["geslaagd"],
            "total": len(warnings), "warnings": shown, "others": len(warnings) - len(shown),
            "municipality": None if municipality is None else inputs.names.get(municipality, municipality)}


def quality_section(inputs: Inputs, heading: str = "Datakwaliteit", anchor: str = "kwaliteit",
                    municipality: str | None = None) -> str:
    """The data-quality section; with `municipality` (a municipality's bijlage) only the warnings
    that concern it, with its own example rows, and the number of other warnings in the run."""
    return templates.render("kwaliteit.html.j2", **_quality_context(inputs, heading, anchor, municipality))


CHANGES_SHOWN = 200


def quality_log(inputs: Inputs) -> str:
    """The run's quality log: what was checked, passed and warned, and which published
    figures changed since the previous validated run."""
    changed = inputs.validation.get("gewijzigd", [])
    kpis = inputs.cfg.kpis
    rows = [{"area": inputs.names.get(c["gebied_code"], c["gebied_code"]),
             "kpi": kpis[c["kpi"]].name if c["kpi"] in kpis else c["kpi"], "year": c["jaar"],
             "before": value_with_mark(c["waarde_vorige"], 2, c["status_vorige"]),
             "after": value_with_mark(c["waarde_nieuw"], 2, c["status_nieuw"])} for c in changed[:CHANGES_SHOWN]]
    return templates.render("kwaliteitslog.html.j2", **_quality_context(inputs, "Kwaliteitslog van deze run", "kwaliteitslog"),
                        changed=rows, changed_count=len(changed), more=max(0, len(changed) - CHANGES_SHOWN))


def accountability_section(inputs: Inputs, parameters: dict[str, Any], region: str | None = None) -> str:
    """Sources (CBS, and the exports of `region` when given), processing and run details."""
    sources = inputs.sources
    if region is not None:
        own = sources["bestand"].str.startswith("cbs/") | sources["bestand"].str.startswith(f"regio/{region}/")
        sources = sources[own]
    harmonisation = inputs.harmonisation
    if region is not None:  # only the mergers into this region's municipalities
        harmonisation = harmonisation[harmonisation["nieuwe_code"].isin(inputs.members(region)["gebied_code"])
                                      & (harmonisation["actie"] == MERGED_ACTION)]
    merged = []
    for row in harmonisation.drop_duplicates(["oude_code", "nieuwe_code"]).itertuples():
        years = harmonisation.loc[harmonisation["oude_code"] == row.oude_code, "jaar"]
        merged.append({**row._asdict(), "van": int(years.min()), "tot": int(years.max())})
    return templates.render("verantwoording.html.j2", **page_context(inputs), sources=list(sources.itertuples()), merged=merged,
                        merged_action=MERGED_ACTION, boundaries=boundaries.source(inputs.year),
                        year=inputs.year, parameters=parameters, version=__version__, commit=buildinfo.git_commit(),
                        versions=inputs.cfg.versions, build_date=buildinfo.build_date().isoformat())


def save_overview(inputs: Inputs, out_dir: Path) -> Path:
    """All areas' report KPIs for the report year in one CSV beside the index page."""
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = inputs.kpi_values
    frame = frame[(frame["jaar"] == inputs.year) & frame["kpi"].isin(inputs.cfg.report_kpis)]
    frame = frame.merge(inputs.areas[["gebied_code", "naam"]], on="gebied_code")
    return downloads.write_csv(frame, out_dir / paths.overview_csv_name(inputs.year), decimal=",")
