"""Content of the annual progress report per municipality (and the index page).

The report notebook calls these functions; each returns an HTML fragment to display.
All text that comes from data is escaped (formatting.escape).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from jeugdmonitor import __version__, charts, clean, config, paths
from jeugdmonitor.vocabulary import LEVEL_MUNICIPALITY, NL_CODE, least_final
from jeugdmonitor.formatting import (
    MISSING,
    STATUS_LEGEND,
    escape,
    is_missing,
    number,
    signed,
    value_with_mark,
    year_label,
)

FICTITIOUS_LABEL = "Fictieve voorbeelddata — deze cijfers zijn verzonnen en geen CBS- of regiocijfers"
GOAL_MET = "gehaald"
GOAL_NOT_MET = "niet gehaald"
GOAL_UNKNOWN = "onbekend"


@dataclass
class Inputs:
    year: int
    cfg: config.Config
    areas: pd.DataFrame
    kpi_values: pd.DataFrame
    sources: pd.DataFrame
    harmonisation: pd.DataFrame
    validation: dict[str, Any]

    @property
    def fictitious(self) -> bool:
        return bool(self.sources["fictief"].any())


def load_inputs(year: int) -> Inputs:
    """Read the validated clean tables of `year`; refuse to report on unvalidated data."""
    stamp = paths.validation_stamp(year)
    if not stamp.exists():
        raise FileNotFoundError(f"{stamp} is missing: the clean data for {year} have not passed validation "
                                f"(run `make validate YEAR={year}`)")
    return Inputs(
        year=year,
        cfg=config.load(),
        areas=clean.read_table(year, "gebieden"),
        kpi_values=clean.read_table(year, "kpi_waarden"),
        sources=clean.read_table(year, "bronnen"),
        harmonisation=clean.read_table(year, "harmonisatie"),
        validation=json.loads(stamp.read_text(encoding="utf-8")),
    )


@dataclass
class Report:
    inputs: Inputs
    municipality: str
    name: str
    region: str
    region_name: str

    @property
    def year(self) -> int:
        return self.inputs.year

    @property
    def area_codes(self) -> list[str]:
        return [self.municipality, self.region, NL_CODE]

    @property
    def area_names(self) -> dict[str, str]:
        return {self.municipality: self.name, self.region: f"Regio {self.region_name}", NL_CODE: "Nederland"}

    def values(self, kpi: str) -> pd.DataFrame:
        frame = self.inputs.kpi_values
        return frame[(frame["kpi"] == kpi) & frame["gebied_code"].isin(self.area_codes)]

    def value(self, kpi: str, area: str, year: int) -> tuple[Any, Any]:
        """(value, status) or (None, None) when there is no row."""
        frame = self.values(kpi)
        row = frame[(frame["gebied_code"] == area) & (frame["jaar"] == year)]
        if row.empty:
            return None, None
        return row["waarde"].iloc[0], row["status"].iloc[0]


def build(inputs: Inputs, municipality: str) -> Report:
    register = inputs.cfg.register
    info = register.municipality(municipality)  # unknown code -> error naming it
    areas = inputs.areas
    row = areas[(areas["gebied_code"] == municipality) & (areas["niveau"] == LEVEL_MUNICIPALITY)]
    if row.empty:
        raise config.UnknownMunicipalityError(
            f"municipality {municipality} ({info.name}) is not in a bundled jeugdregio in {inputs.year}")
    return Report(inputs=inputs, municipality=municipality, name=info.name,
                  region=str(row["regio_code"].iloc[0]), region_name=str(row["regio_naam"].iloc[0]))


# ------------------------------------------------------------------------------ sections
def fictitious_notice(inputs: Inputs) -> str:
    if not inputs.fictitious:
        return ""
    return f'<p class="jm-fictief" role="note"><strong>{escape(FICTITIOUS_LABEL)}</strong></p>'


def header(report: Report) -> str:
    merged = report.inputs.harmonisation
    note = ""
    if not merged.empty:
        note = " Jaren vóór een herindeling zijn omgerekend naar de huidige gemeenten."
    return (
        fictitious_notice(report.inputs)
        + f"<h1>Jeugdhulp in {escape(report.name)}: voortgangsrapportage {report.year}</h1>"
        + f'<p class="jm-ondertitel">Gemeente {escape(report.name)} ({escape(report.municipality)}), '
        f"jeugdregio {escape(report.region_name)}. Alle cijfers volgens de gemeentelijke indeling van "
        f"{report.year}.{escape(note)}</p>"
        + "<p>Deze rapportage volgt elk jaar dezelfde kerncijfers voor de gemeente, de jeugdregio en Nederland, "
        "en de doelen uit de regiovisie. De verantwoording onderaan noemt bron, tabel, peildatum en status van "
        "elk cijfer.</p>"
    )


def _change(report: Report, kpi: config.Kpi, area: str) -> str:
    now, _ = report.value(kpi.id, area, report.year)
    before, _ = report.value(kpi.id, area, report.year - 1)
    if is_missing(now) or is_missing(before):
        return MISSING
    unit = " %-punt" if kpi.unit == "%" else ""
    return signed(float(now) - float(before), kpi.decimals) + unit


def summary_table(report: Report) -> str:
    cfg = report.inputs.cfg
    head = "".join(f'<th scope="col">{escape(report.area_names[a])}</th><th scope="col">verschil met {report.year - 1}</th>'
                   for a in report.area_codes)
    rows = []
    for kpi_id in cfg.report_kpis:
        kpi = cfg.kpis[kpi_id]
        cells = ""
        for area in report.area_codes:
            value, status = report.value(kpi_id, area, report.year)
            cells += f'<td class="jm-getal">{escape(value_with_mark(value, kpi.decimals, status))}</td>'
            cells += f'<td class="jm-getal">{escape(_change(report, kpi, area))}</td>'
        rows.append(f'<tr><th scope="row">{escape(kpi.name)} <span class="jm-eenheid">({escape(kpi.unit)})</span></th>{cells}</tr>')
    return (
        f'<h2 id="kerncijfers">Kerncijfers {report.year}</h2>'
        f'<table class="jm-tabel"><caption>Kerncijfers {report.year}: {escape(report.name)}, regio en Nederland</caption>'
        f"<thead><tr><th scope=\"col\">Indicator</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<p class="jm-legenda">{escape(STATUS_LEGEND)}</p>'
    )


def _series(report: Report, kpi: config.Kpi) -> pd.DataFrame:
    frame = report.values(kpi.id).copy()
    frame["gebied"] = frame["gebied_code"].map(report.area_names)
    # one status per year (the least final across areas) so every area shares a year label
    status_per_year = frame.groupby("jaar")["status"].agg(least_final)
    frame["jaar_label"] = frame["jaar"].map(lambda y: year_label(y, status_per_year[y]))
    order = {code: i for i, code in enumerate(report.area_codes)}
    return frame.assign(_o=frame["gebied_code"].map(order)).sort_values(["_o", "jaar"]).drop(columns="_o")


def with_unit(value: object, kpi: config.Kpi) -> str:
    """'10,1%', '8,1 per 1.000 jongeren', '82 dagen'."""
    text = number(value, kpi.decimals)
    return f"{text}%" if kpi.unit == "%" else f"{text} {kpi.unit}"


def _sentence(report: Report, kpi: config.Kpi) -> str:
    value, status = report.value(kpi.id, report.municipality, report.year)
    label = year_label(report.year, status)
    if is_missing(value):
        reason = "onderdrukt vanwege kleine aantallen" if status is not None else "niet beschikbaar"
        return f"Voor {report.name} is dit cijfer over {label} {reason}."
    parts = [f"In {label} was dit in {report.name} {with_unit(value, kpi)}"]
    change = _change(report, kpi, report.municipality)
    if change != MISSING:
        parts.append(f", een verschil van {change} met {report.year - 1}")
    region, _ = report.value(kpi.id, report.region, report.year)
    country, _ = report.value(kpi.id, NL_CODE, report.year)
    compare = []
    if not is_missing(region):
        compare.append(f"regio {report.region_name}: {with_unit(region, kpi)}")
    if not is_missing(country):
        compare.append(f"Nederland: {with_unit(country, kpi)}")
    return "".join(parts) + (f" ({'; '.join(compare)})" if compare else "") + "."


def kpi_section(report: Report, kpi_id: str) -> str:
    kpi = report.inputs.cfg.kpis[kpi_id]
    series = _series(report, kpi)
    present = [a for a in report.area_codes if series.loc[series["gebied_code"] == a, "waarde"].notna().any()]
    html = [f'<section class="jm-kpi" id="{escape(kpi_id)}"><h2>{escape(kpi.name)}</h2>',
            f'<p class="jm-definitie">{escape(kpi.description)}</p>',
            f"<p>{escape(_sentence(report, kpi))}</p>"]
    if series["waarde"].notna().any():
        first = int(series.loc[series["waarde"].notna(), "jaar"].min())
        alt_text = (f"Lijngrafiek van {kpi.name.lower()} ({kpi.unit}) van {first} tot en met {report.year} voor "
                    + ", ".join(report.area_names[a] for a in present) + ". De cijfers staan in de tabel eronder.")
        chart = charts.trend_chart(series[["jaar_label", "gebied", "waarde", "status"]], kpi.name, kpi.unit, kpi.decimals)
        html.append(charts.figure_html(chart, alt_text))
        html.append(_series_table(report, kpi, series))
    html.append("</section>")
    return "".join(html)


MERGED_MARK = "¹"
MERGED_NOTE = f"{MERGED_MARK} opgeteld uit de gemeenten van vóór de herindeling (indeling van het rapportjaar)"


def _series_table(report: Report, kpi: config.Kpi, series: pd.DataFrame) -> str:
    table = series.pivot_table(index=["jaar", "jaar_label"], columns="gebied_code", values="waarde", aggfunc="first",
                               dropna=False)
    merged = series.pivot_table(index=["jaar", "jaar_label"], columns="gebied_code", values="samengesteld",
                                aggfunc="any", dropna=False)
    table = table[table.notna().any(axis=1)] if not table.empty else table
    head = "".join(f'<th scope="col">{escape(report.area_names[a])}</th>' for a in report.area_codes)
    rows = []
    any_merged = False
    for key, row in table.iterrows():
        cells = ""
        for area in report.area_codes:
            text = number(row.get(area), kpi.decimals)
            if area in merged.columns and bool(merged.loc[key, area]) and text != MISSING:
                text += MERGED_MARK
                any_merged = True
            cells += f'<td class="jm-getal">{escape(text)}</td>'
        rows.append(f'<tr><th scope="row">{escape(key[1])}</th>{cells}</tr>')
    note = f'<p class="jm-legenda">{escape(MERGED_NOTE)}</p>' if any_merged else ""
    return (f'<table class="jm-tabel jm-reeks"><caption>{escape(kpi.name)} ({escape(kpi.unit)}) per jaar</caption>'
            f"<thead><tr><th scope=\"col\">Jaar</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}")


def goal_status(report: Report, goal: config.Goal) -> tuple[str, str]:
    """(status, explanation) of one regiovisie goal for the report year."""
    kpi = report.inputs.cfg.kpis[goal.kpi]
    now, status = report.value(goal.kpi, report.region, report.year)
    label = year_label(report.year, status)
    if is_missing(now):
        return GOAL_UNKNOWN, f"geen cijfer voor de regio over {report.year}"
    shown = f"{number(now, kpi.decimals)} {kpi.unit} in {label}"
    if goal.rule == "max_waarde":
        met = float(now) <= float(goal.value)
        prefix = "" if goal.year is None or report.year >= goal.year else f"doeljaar {goal.year}; "
        return (GOAL_MET if met else GOAL_NOT_MET), f"{prefix}{shown}, doel: ten hoogste {number(goal.value, kpi.decimals)}"
    if goal.rule == "daling_tov_vorig_jaar":
        before, _ = report.value(goal.kpi, report.region, report.year - 1)
        if is_missing(before):
            return GOAL_UNKNOWN, f"{shown}; geen cijfer over {report.year - 1}"
        met = float(now) < float(before)
        return (GOAL_MET if met else GOAL_NOT_MET), f"{shown}, {report.year - 1}: {number(before, kpi.decimals)}"
    if goal.rule == "onder_landelijk":
        country, _ = report.value(goal.kpi, NL_CODE, report.year)
        if is_missing(country):
            return GOAL_UNKNOWN, f"{shown}; geen landelijk cijfer"
        met = float(now) < float(country)
        return (GOAL_MET if met else GOAL_NOT_MET), f"{shown}, Nederland: {number(country, kpi.decimals)}"
    raise config.ConfigError(f"unknown goal rule {goal.rule!r}")


def goals_section(report: Report) -> str:
    goals = report.inputs.cfg.goals.get(report.region, ())
    region = report.inputs.cfg.register.region(report.region)
    if not goals:
        return f"<h2 id=\"doelen\">Doelen uit de regiovisie</h2><p>Voor {escape(region.name)} zijn geen doelen vastgelegd.</p>"
    rows = []
    for goal in goals:
        status, explanation = goal_status(report, goal)
        rows.append(f'<tr><th scope="row">{escape(goal.text)}</th><td>{escape(report.inputs.cfg.kpis[goal.kpi].name)}</td>'
                    f"<td>{escape(explanation)}</td><td class=\"jm-status jm-status-{status.replace(' ', '-')}\">"
                    f"<strong>{escape(status)}</strong></td></tr>")
    return (f'<h2 id="doelen">Doelen uit de regiovisie</h2><p>Doelen van de jeugdregio {escape(region.name)} '
            f"({escape(region.vision)}), getoetst op de cijfers van de hele regio over {report.year}.</p>"
            f'<table class="jm-tabel"><caption>Doelen en stand van zaken {report.year}</caption><thead><tr>'
            f'<th scope="col">Doel</th><th scope="col">Indicator</th><th scope="col">Stand</th><th scope="col">Status</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _finding_text(inputs: Inputs, finding: dict[str, Any]) -> str:
    table = Path(finding["source"]).stem
    where = ""
    if table == "kpi_waarden" and finding["rows"] and not finding.get("rows_are_file_lines"):
        # name the areas and years of the flagged rows (row numbers of the published table)
        rows = inputs.kpi_values.iloc[[r for r in finding["rows"] if r < len(inputs.kpi_values)]]
        names = dict(zip(inputs.areas["gebied_code"], inputs.areas["naam"], strict=True))
        where = "; " + ", ".join(f"{names.get(r.gebied_code, r.gebied_code)} {r.jaar}" for r in rows.itertuples())
    examples = ", ".join(number(e, 1) if isinstance(e, (int, float)) else str(e) for e in finding["examples"][:3])
    note = finding.get("note") or finding["expectation"]
    return (f"{note} (tabel {table}, kolom {finding['column']}: {finding['unexpected_count'] or 'enkele'} "
            f"afwijkende waarde(n), bijvoorbeeld {examples}{where})")


def quality_section(inputs: Inputs, heading: str = "Datakwaliteit", anchor: str = "kwaliteit") -> str:
    validation = inputs.validation
    warnings = validation.get("waarschuwingen", [])
    text = (f"De ruwe bestanden en de schone data zijn gecontroleerd met {validation['gecontroleerd']} "
            f"datakwaliteitsregels (Great Expectations): {validation['geslaagd']} geslaagd, "
            f"{len(warnings)} waarschuwing(en), geen kritieke fouten.")
    items = "".join(f"<li>{escape(_finding_text(inputs, w))}</li>" for w in warnings)
    return (f'<h2 id="{anchor}">{escape(heading)}</h2><p>{escape(text)}</p>'
            + (f"<p>Waarschuwingen (de cijfers zijn wel gepubliceerd; controleer ze):</p><ul>{items}</ul>" if items else ""))


def quality_log(inputs: Inputs) -> str:
    """The run's quality log: what was checked, passed and warned, and which published
    figures changed since the previous validated run."""
    changed = inputs.validation.get("gewijzigd", [])
    kpis = inputs.cfg.kpis
    names = dict(zip(inputs.areas["gebied_code"], inputs.areas["naam"], strict=True))
    html = [quality_section(inputs, "Kwaliteitslog van deze run", "kwaliteitslog")]
    if not changed:
        html.append("<p>Geen gepubliceerde cijfers gewijzigd ten opzichte van de vorige gevalideerde run "
                    "(of dit is de eerste run voor dit jaar).</p>")
        return "".join(html)
    rows = "".join(
        f"<tr><td>{escape(names.get(c['gebied_code'], c['gebied_code']))}</td><td>{escape(kpis[c['kpi']].name if c['kpi'] in kpis else c['kpi'])}</td>"
        f"<td>{escape(c['jaar'])}</td><td class=\"jm-getal\">{escape(value_with_mark(c['waarde_vorige'], 2, c['status_vorige']))}</td>"
        f"<td class=\"jm-getal\">{escape(value_with_mark(c['waarde_nieuw'], 2, c['status_nieuw']))}</td></tr>"
        for c in changed[:200])
    more = f"<p>En nog {len(changed) - 200} wijzigingen.</p>" if len(changed) > 200 else ""
    html.append(f"<p>{len(changed)} gepubliceerde cijfers zijn gewijzigd ten opzichte van de vorige gevalideerde run.</p>"
                '<table class="jm-tabel jm-klein"><caption>Gewijzigde cijfers</caption><thead><tr><th scope="col">Gebied</th>'
                '<th scope="col">Indicator</th><th scope="col">Jaar</th><th scope="col">Vorige run</th>'
                f'<th scope="col">Deze run</th></tr></thead><tbody>{rows}</tbody></table>{more}')
    return "".join(html)


def git_commit() -> str:
    try:
        result = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=paths.PROJECT_ROOT,
                                capture_output=True, text=True, check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "onbekend (geen git-checkout)"
    return result.stdout.strip()


def accountability_section(inputs: Inputs, parameters: dict[str, Any], region: str | None = None) -> str:
    """Sources (CBS, and the exports of `region` when given), processing and run details."""
    sources = inputs.sources
    if region is not None:
        own = sources["bestand"].str.startswith("cbs/") | sources["bestand"].str.startswith(f"regio/{region}/")
        sources = sources[own]
    rows = "".join(
        f"<tr><td>{escape(r.bestand)}</td><td>{escape(r.bron)}</td><td>{escape(r.tabel)}</td>"
        f"<td>{escape(r.opgehaald)}{(' (CBS: gewijzigd ' + escape(r.laatst_gewijzigd) + ')') if r.laatst_gewijzigd else ''}</td>"
        f"<td>{escape(r.perioden_status or 'alle jaren definitief')}</td>"
        f"<td>{escape(r.licentie)}</td></tr>"
        for r in sources.itertuples()
    )
    harmonisation = inputs.harmonisation
    merged = ""
    if not harmonisation.empty:
        pairs = harmonisation.drop_duplicates(["oude_code", "nieuwe_code"])
        merged = "<ul>" + "".join(
            f"<li>{escape(r.oude_naam)} ({escape(r.oude_code)}): {escape(r.actie)} {escape(r.nieuwe_naam)} "
            f"({escape(r.nieuwe_code)}), {int(harmonisation[harmonisation['oude_code'] == r.oude_code]['jaar'].min())}"
            f"–{int(harmonisation[harmonisation['oude_code'] == r.oude_code]['jaar'].max())}</li>"
            for r in pairs.itertuples()) + "</ul>"
    params = "".join(f"<li>{escape(k)} = {escape(v)}</li>" for k, v in parameters.items())
    versions = ", ".join(f"{escape(k)} {escape(v)}" for k, v in inputs.cfg.versions.items())
    return (
        '<h2 id="verantwoording">Verantwoording</h2>'
        + (f"<p><strong>{escape(FICTITIOUS_LABEL)}.</strong> De bestanden hebben de vorm van de echte bronnen; "
           "de getallen zijn gegenereerd.</p>" if inputs.fictitious else "")
        + "<h3>Bronnen</h3>"
        '<table class="jm-tabel jm-klein"><caption>Bronbestanden, peildatum en status</caption><thead><tr>'
        '<th scope="col">Bestand</th><th scope="col">Bron</th><th scope="col">Tabel</th><th scope="col">Opgehaald</th>'
        '<th scope="col">Status per jaar</th><th scope="col">Licentie</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        "<h3>Bewerking</h3><p>Aantallen van het CBS zijn afgerond op veelvouden van 5; kleine aantallen zijn "
        "onderdrukt. Een regio- of gemeentecijfer dat uit een onderdrukt cijfer zou volgen, wordt niet getoond. "
        "Percentages en cijfers per 1.000 zijn berekend uit de afgeronde aantallen en de bevolking op 1 januari. "
        "Regiocijfers zijn de CBS-regiocijfers waar de regio sinds dat jaar niet van samenstelling veranderde, "
        f"en anders de som van de gemeenten. Alle reeksen volgen de gemeentelijke indeling van {inputs.year}.</p>"
        "<p>Uitgaven komen uit de onbewerkte Iv3-data die gemeenten aan het CBS leveren: de lasten volgens de "
        "jaarrekening op de genoemde taakvelden (met hun subtaakvelden), per gemeente uit de nieuwste plaatsing. "
        "Het CBS bewerkt deze cijfers niet; ze dragen de status van hun plaatsing (nader voorlopig of voorlopig), "
        "nooit definitief. Het landelijke cijfer is de som van alle gemeenten en ontbreekt "
        "als één gemeente voor dat jaar geen opgave deed.</p>"
        + (f"<p>Omgerekende gemeenten:</p>{merged}" if merged else "")
        + f"<h3>Uitvoering</h3><ul>{params}<li>jeugdmonitor versie {escape(__version__)}, commit {escape(git_commit())}</li>"
        f"<li>definities: {versions}</li><li>gemaakt op {dt.date.today().isoformat()}</li></ul>"
    )


def save_figures(report: Report, out_dir: Path) -> Path:
    """The report's figures as CSV beside the HTML, for reuse and for backtests."""
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = report.inputs.kpi_values
    frame = frame[frame["gebied_code"].isin(report.area_codes) & frame["kpi"].isin(report.inputs.cfg.report_kpis)]
    path = out_dir / paths.figures_csv_name(report.municipality)
    frame.to_csv(path, index=False, sep=";", decimal=",")
    return path


# ------------------------------------------------------------------------------ index page
def index_page(inputs: Inputs, municipalities: list[str] | None = None, docs_dir: Path | None = None) -> str:
    """Links to every municipality's report, grouped by region (`municipalities`: a subset),
    the run's quality log and, when `docs_dir` holds the Data Docs, their pages."""
    areas = inputs.areas
    if municipalities:
        areas = areas[(areas["niveau"] != LEVEL_MUNICIPALITY) | areas["gebied_code"].isin(municipalities)]
    parts = [fictitious_notice(inputs), f"<h1>Voortgangsrapportages jeugdhulp {inputs.year}</h1>",
             f"<p>Eén rapportage per gemeente, volgens de gemeentelijke indeling van {inputs.year}, gegroepeerd per jeugdregio.</p>"]
    municipalities = areas[areas["niveau"] == LEVEL_MUNICIPALITY]
    for region_code, group in municipalities.groupby("regio_code", sort=False):
        parts.append(f"<h2>{escape(group['regio_naam'].iloc[0])}</h2><ul class=\"jm-index\">")
        for row in group.sort_values("naam").itertuples():
            parts.append(f'<li><a href="{escape(report_filename(row.gebied_code))}">{escape(row.naam)}</a></li>')
        parts.append("</ul>")
    parts.append(quality_log(inputs))
    if docs_dir is not None and paths.report_index(docs_dir).exists():
        links = "".join(f'<li><a href="{escape(docs_dir.name)}/{escape(entry["pagina"])}">{escape(table)}</a></li>'
                        for table, entry in inputs.validation["datadocs"].items())
        parts.append('<p>De controles van de schone tabellen in detail (Data Docs van Great Expectations, '
                     f'<a href="{escape(docs_dir.name)}/index.html">overzicht</a>):</p><ul>{links}</ul>')
    return "".join(parts)


def report_filename(municipality: str) -> str:
    """The output file of a municipality's report: derived from its validated code only,
    never from a name, so no data value can steer a path outside reports/."""
    if not (len(municipality) == 6 and municipality.startswith("GM") and municipality[2:].isdigit()):
        raise config.UnknownMunicipalityError(f"not a municipality code: {municipality!r}")
    return paths.report_page_name(municipality)


def save_overview(inputs: Inputs, out_dir: Path) -> Path:
    """All areas' report KPIs for the report year in one CSV beside the index page."""
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = inputs.kpi_values
    frame = frame[(frame["jaar"] == inputs.year) & frame["kpi"].isin(inputs.cfg.report_kpis)]
    frame = frame.merge(inputs.areas[["gebied_code", "naam"]], on="gebied_code")
    path = out_dir / paths.overview_csv_name(inputs.year)
    frame.to_csv(path, index=False, sep=";", decimal=",")
    return path
