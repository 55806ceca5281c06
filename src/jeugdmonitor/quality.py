"""Data-quality gate: GX Core expectation suites for every raw source and every clean table.

The GX file data context lives in expectations/gx/. Suites, validation definitions and the
checkpoint are generated from config/ by `build_context()` (make expectations) and
committed; validation results and Data Docs go to expectations/gx/uncommitted/.

- Raw sources (`ruw_*` suites, the data contract of each file) are validated in the
  cleaning stage on the files as read, so a failure names the raw file and its line numbers.
- Clean tables are written to data/staging/<year>/ and validated there by the checkpoint
  `schone_data`; only when no critical expectation fails does `publish()` move them to
  data/clean/<year>/ and write the stamp the report stage depends on.

Every expectation carries meta {"ernst": "kritiek" | "waarschuwing"}: a critical failure
stops the run, a warning is recorded and shown in the report.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no network: never try to send usage statistics

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.exceptions import DataContextError  # noqa: E402
from great_expectations.expectations.row_conditions import Column  # noqa: E402

import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from jeugdmonitor import clean, config, paths  # noqa: E402
from jeugdmonitor.vocabulary import CLEAN_TABLES, LEVELS, STATUSES  # noqa: E402

DATASOURCE = "schone_data"
RAW_DATASOURCE = "ruwe_data"
RAW_PREFIX = "ruw_"
CHECKPOINT = "schone_data"
CRITICAL = "kritiek"
WARNING = "waarschuwing"
AREA_CODE_PATTERN = r"^(?:GM\d{4}|JZ\d{2}|NL01)$"
MUNICIPALITY_CODE_PATTERN = r"^GM\d{4}$"


class DataQualityError(RuntimeError):
    """A critical expectation failed; the message names table, column, expectation and examples."""


def _critical(**meta: Any) -> dict[str, Any]:
    return {"ernst": CRITICAL, **meta}


def _warning(**meta: Any) -> dict[str, Any]:
    return {"ernst": WARNING, **meta}


def multiple_of_regex(step: int) -> str:
    """A regex for whole numbers that are multiples of `step` (GX checks values as text)."""
    endings = {1: "[0-9]", 2: "[02468]", 5: "[05]", 10: "0"}
    if step not in endings:
        raise config.ConfigError(f"config/bronnen.yaml: geheimhouding.afronding {step} is not one of {sorted(endings)}")
    return rf"^-?\d*{endings[step]}$"


def _non_negative(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, meta=_critical())


def _disclosure(cfg: config.Config, column: str, what: str) -> list[gxe.Expectation]:
    """CBS disclosure control (config/bronnen.yaml) on a column of counts."""
    rules = cfg.sources["cbs_jeugdzorg"]["geheimhouding"]
    step, threshold = int(rules["afronding"]), int(rules["drempel"])
    return [
        gxe.ExpectColumnValuesToMatchRegex(column=column, regex=multiple_of_regex(step), meta=_critical(
            toelichting=f"{what} zijn afgerond op veelvouden van {step}")),
        gxe.ExpectColumnValuesToBeBetween(column=column, min_value=threshold, meta=_critical(
            toelichting=f"cellen onder de drempel van {threshold} zijn onderdrukt")),
    ]


def _export_contracts(cfg: config.Config, code: str) -> dict[str, list[gxe.Expectation]]:
    """The contract of the regional exports, shared by the raw files (`code` = gemeentecode)
    and the clean tables (`code` = gebied_code), so both are checked by the same rules."""
    c = _critical()

    def safe_text(column: str) -> gxe.Expectation:
        return gxe.ExpectColumnValuesToNotMatchRegex(column=column, regex=r"[<>]", meta=_critical(
            toelichting="opmaakcode (HTML) in een tekstveld"))

    return {
        "wachttijden": [
            gxe.ExpectColumnValuesToMatchRegex(column=code, regex=MUNICIPALITY_CODE_PATTERN, meta=c),
            _non_negative("aantal_wachtenden"), _non_negative("aantal_zorgelijk_wachtenden"),
            gxe.ExpectColumnValuesToBeBetween(column="mediaan_wachttijd_dagen", min_value=0, max_value=730, meta=c),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="aantal_wachtenden", column_B="aantal_zorgelijk_wachtenden",
                                                        or_equal=True, meta=_critical(toelichting="een deel is niet groter dan het totaal")),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=[code, "peildatum"], meta=c),
        ],
        "trajecten": [
            gxe.ExpectColumnValuesToMatchRegex(column=code, regex=MUNICIPALITY_CODE_PATTERN, meta=c),
            gxe.ExpectColumnValuesToBeUnique(column="trajectnummer", meta=c),
            gxe.ExpectColumnValuesToNotBeNull(column="startdatum", meta=c),
            gxe.ExpectColumnValuesToBeInSet(column="zorgvorm", value_set=cfg.sources["regio_exports"]["trajecten"]["zorgvormen"], meta=c),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="einddatum", column_B="startdatum", or_equal=True,
                                                        ignore_row_if="either_value_is_missing", meta=c),
            safe_text("trajectnummer"),
        ],
        "budget": [
            gxe.ExpectColumnValuesToMatchRegex(column=code, regex=MUNICIPALITY_CODE_PATTERN, meta=c),
            _non_negative("begroot_euro"), _non_negative("gerealiseerd_euro"),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["jaar", code, "begrotingspost"], meta=c),
            safe_text("begrotingspost"),
        ],
    }


def suite_definitions(cfg: config.Config) -> dict[str, list[gxe.Expectation]]:
    """The expectations per clean table (table name = suite name = GX asset name)."""
    register = cfg.register
    current = sorted({code for region in register.regions for code in register.members(region, 2024)})
    forms = sorted(cfg.sources["cbs_jeugdzorg"]["vormen"].values())
    percent_kpis = [k.id for k in cfg.kpis.values() if k.unit == "%"]
    exports = _export_contracts(cfg, "gebied_code")
    rate_kpis = [k.id for k in cfg.kpis.values() if k.scale == 1000]
    c = _critical()

    def columns(names: list[str]) -> gxe.Expectation:
        return gxe.ExpectTableColumnsToMatchSet(column_set=names, exact_match=True, meta=c)

    def area_codes(column: str = "gebied_code", pattern: str = AREA_CODE_PATTERN) -> list[gxe.Expectation]:
        return [gxe.ExpectColumnValuesToNotBeNull(column=column, meta=c),
                gxe.ExpectColumnValuesToMatchRegex(column=column, regex=pattern, meta=c)]

    def years(column: str = "jaar") -> gxe.Expectation:
        return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=2015, max_value=2100, meta=c)

    def statuses() -> gxe.Expectation:
        return gxe.ExpectColumnValuesToBeInSet(column="status", value_set=list(STATUSES), meta=c)

    def levels() -> gxe.Expectation:
        return gxe.ExpectColumnValuesToBeInSet(column="niveau", value_set=list(LEVELS), meta=c)

    return {
        "gebieden": [
            columns(["gebied_code", "naam", "niveau", "regio_code", "regio_naam"]),
            *area_codes(), levels(),
            gxe.ExpectColumnValuesToBeUnique(column="gebied_code", meta=c),
            gxe.ExpectColumnValuesToNotBeNull(column="naam", meta=c),
            gxe.ExpectColumnDistinctValuesToContainSet(column="gebied_code", value_set=current, meta=_critical(
                toelichting="elke gemeente van de regio's heeft een rij")),
        ],
        "jeugdzorg": [
            columns(["gebied_code", "niveau", "jaar", "vorm", "jongeren", "samengesteld", "status"]),
            *area_codes(), levels(), years(), statuses(),
            gxe.ExpectColumnValuesToBeInSet(column="vorm", value_set=forms, meta=c),
            _non_negative("jongeren"),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["gebied_code", "jaar", "vorm"], meta=c),
            gxe.ExpectColumnDistinctValuesToContainSet(column="gebied_code", value_set=current, meta=c),
            # disclosure control holds for published (harmonised, summed) counts too
            *_disclosure(cfg, "jongeren", "gepubliceerde aantallen"),
        ],
        "jeugdzorg_leeftijd": [
            columns(["gebied_code", "niveau", "jaar", "vorm", "leeftijd_van", "leeftijd_tot", "jongeren", "samengesteld",
                     "status"]),
            *area_codes(), levels(), years(), statuses(),
            gxe.ExpectColumnValuesToBeInSet(column="vorm", value_set=forms, meta=c),
            gxe.ExpectColumnValuesToBeBetween(column="leeftijd_van", min_value=0, max_value=22, meta=c),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="leeftijd_tot", column_B="leeftijd_van", or_equal=True, meta=c),
            _non_negative("jongeren"),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["gebied_code", "jaar", "vorm", "leeftijd_van"], meta=c),
            gxe.ExpectColumnDistinctValuesToContainSet(column="gebied_code", value_set=current, meta=c),
            *_disclosure(cfg, "jongeren", "gepubliceerde aantallen"),
        ],
        "bevolking": [
            columns(["gebied_code", "niveau", "jaar", "leeftijd", "inwoners", "samengesteld"]),
            *area_codes(), levels(), years(),
            gxe.ExpectColumnValuesToNotBeNull(column="inwoners", meta=c),
            _non_negative("inwoners"),
            gxe.ExpectColumnValuesToBeBetween(column="leeftijd", min_value=0, max_value=120, meta=c),
            gxe.ExpectColumnDistinctValuesToContainSet(column="gebied_code", value_set=current, meta=c),
        ],
        "uitgaven": [
            columns(["gebied_code", "niveau", "jaar", "taakveld", "lasten_euro", "samengesteld", "status"]),
            *area_codes(), levels(), years(), statuses(),
            gxe.ExpectColumnValuesToMatchRegex(column="taakveld", regex=r"^\d\.\d{1,2}$", meta=c),
            gxe.ExpectColumnValuesToNotBeNull(column="lasten_euro", meta=_warning()),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["gebied_code", "jaar", "taakveld"], meta=c),
        ],
        "wachttijden": [
            columns(["regio_code", "peildatum", "gebied_code", "aantal_wachtenden", "mediaan_wachttijd_dagen",
                     "aantal_zorgelijk_wachtenden", "jaar"]),
            gxe.ExpectColumnValuesToNotBeNull(column="gebied_code", meta=c), years(),
            *exports["wachttijden"],
        ],
        "trajecten": [
            columns(["regio_code", "export_van", "export_tot", "trajectnummer", "gebied_code", "zorgvorm", "startdatum",
                     "einddatum"]),
            gxe.ExpectColumnValuesToNotBeNull(column="gebied_code", meta=c),
            *exports["trajecten"],
        ],
        "budget": [
            columns(["regio_code", "jaar", "gebied_code", "begrotingspost", "begroot_euro", "gerealiseerd_euro"]),
            gxe.ExpectColumnValuesToNotBeNull(column="gebied_code", meta=c), years(),
            *exports["budget"],
        ],
        "harmonisatie": [
            columns(["jaar", "oude_code", "oude_naam", "nieuwe_code", "nieuwe_naam", "actie"]),
            *area_codes("oude_code", MUNICIPALITY_CODE_PATTERN), *area_codes("nieuwe_code", MUNICIPALITY_CODE_PATTERN),
        ],
        "bronnen": [
            columns(["bestand", "bron", "tabel", "titel", "url", "opgehaald", "laatst_gewijzigd", "licentie", "sha256",
                     "fictief", "perioden_status"]),
            gxe.ExpectColumnValuesToMatchRegex(column="sha256", regex=r"^[0-9a-f]{64}$", meta=c),
            gxe.ExpectColumnValuesToNotBeNull(column="licentie", meta=c),
        ],
        "kpi_waarden": [
            columns(["gebied_code", "niveau", "jaar", "kpi", "teller", "noemer", "waarde", "status", "samengesteld",
                     "verandering_pct"]),
            *area_codes(), levels(), years(), statuses(),
            gxe.ExpectColumnValuesToBeInSet(column="kpi", value_set=sorted(cfg.kpis), meta=c),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["gebied_code", "jaar", "kpi"], meta=c),
            gxe.ExpectColumnValuesToBeBetween(column="waarde", min_value=0, max_value=100, row_condition=Column("kpi").is_in(percent_kpis), meta=_critical(toelichting="percentages liggen tussen 0 en 100")),
            gxe.ExpectColumnValuesToBeBetween(column="waarde", min_value=0, max_value=1000, row_condition=Column("kpi").is_in(rate_kpis), meta=_critical(toelichting="cijfers per 1.000 zijn ten hoogste 1.000")),
            gxe.ExpectColumnValuesToBeBetween(column="waarde", min_value=2, max_value=25,
                                              row_condition=Column("kpi") == "jeugdhulp_aandeel",
                                              meta=_warning(toelichting="aandeel jongeren met jeugdhulp buiten het aannemelijke bereik van 2 tot 25%")),
            gxe.ExpectColumnDistinctValuesToContainSet(column="gebied_code", value_set=current, meta=c),
            *[gxe.ExpectColumnValuesToBeBetween(
                column="verandering_pct", min_value=-kpi.max_jump_pct, max_value=kpi.max_jump_pct,
                row_condition=Column("kpi") == kpi.id,
                meta=_warning(toelichting=f"{kpi.name}: verandering ten opzichte van het vorige jaar groter dan {kpi.max_jump_pct:g}%"))
              for kpi in cfg.kpis.values() if kpi.max_jump_pct is not None],
        ],
    }


def raw_suite_definitions(cfg: config.Config) -> dict[str, list[gxe.Expectation]]:
    """The data contract of every raw source, on its own column names (suite `ruw_<kind>`)."""
    c = _critical()
    src = cfg.sources
    youth, population, iv3 = src["cbs_jeugdzorg"], src["cbs_bevolking"], src["cbs_iv3"]
    raw_codes = r"^(?:GM\d{4}|JZ\d{2}|NL01)$"

    def periods(column: str) -> gxe.Expectation:
        return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=r"^\d{4}JJ00$", meta=c)

    def youth_care(spec: dict[str, Any]) -> list[gxe.Expectation]:
        count = spec["onderwerpen"]["jongeren"]
        return [
            gxe.ExpectColumnValuesToMatchRegex(column=spec["dimensies"]["regio"], regex=raw_codes, meta=c),
            periods(spec["dimensies"]["periode"]),
            _non_negative(count),
            *_disclosure(cfg, count, "CBS-aantallen"),
            gxe.ExpectColumnValuesToBeBetween(column=spec["onderwerpen"]["jongeren_relatief"], min_value=0, max_value=100,
                                              meta=_critical(toelichting="een percentage")),
            _non_negative(spec["onderwerpen"]["trajecten"]),
        ]

    def youth_care_by_age(spec: dict[str, Any]) -> list[gxe.Expectation]:
        count, dims = spec["onderwerpen"]["jongeren"], spec["dimensies"]
        return [
            gxe.ExpectColumnValuesToMatchRegex(column=dims["regio"], regex=raw_codes, meta=c),
            periods(dims["periode"]),
            gxe.ExpectColumnValuesToBeInSet(column=dims["kenmerk"], value_set=sorted(str(k) for k in spec["leeftijdsgroepen"]), meta=c),
            gxe.ExpectColumnValuesToBeInSet(column=dims["vorm"], value_set=sorted(spec["vormen"]), meta=c),
            _non_negative(count),
            *_disclosure(cfg, count, "CBS-aantallen"),
        ]

    return {
        # one suite per table of the series: a successor table may name its columns differently
        **{part.kind: youth_care(part.spec) for part in config.table_parts("cbs_jeugdzorg", youth)},
        **{part.kind: youth_care_by_age(part.spec)
           for part in config.table_parts("cbs_jeugdzorg_leeftijd", src["cbs_jeugdzorg_leeftijd"])},
        "cbs_bevolking": [
            gxe.ExpectColumnValuesToMatchRegex(column=population["dimensies"]["regio"], regex=raw_codes, meta=c),
            periods(population["dimensies"]["periode"]),
            gxe.ExpectColumnValuesToNotBeNull(column=population["onderwerpen"]["inwoners"], meta=c),
            _non_negative(population["onderwerpen"]["inwoners"]),
        ],
        "cbs_iv3": [
            gxe.ExpectColumnValuesToMatchRegex(column=iv3["dimensies"]["regio"], regex=MUNICIPALITY_CODE_PATTERN, meta=c),
            gxe.ExpectColumnValuesToMatchRegex(column=iv3["dimensies"]["verslagsoort"], regex=r"^\d{4}X\d{3}$", meta=c),
            gxe.ExpectColumnValuesToMatchRegex(column=iv3["dimensies"]["categorie"], regex=r"^[A-Z][0-9A-Za-z.]*$", meta=c),
            *(gxe.ExpectColumnValuesToBeBetween(
                column=topic, min_value=0, row_condition=Column(topic) != float(iv3["geen_opgave"]),
                meta=_warning(toelichting="negatieve lasten (correcties) komen voor maar zijn zeldzaam; "
                                          f"{iv3['geen_opgave']} betekent geen opgave"))
              for topic in iv3["onderwerpen"].values()),
        ],
        **_export_contracts(cfg, "gemeentecode"),
    }


REMOTE_LOAD = re.compile(r"<(?:script|link|img)\b[^>]*?(?:src|href)=\"https?://[^>]*>(?:\s*</script>)?", re.S)


# GX marks results with Font Awesome icons; without that stylesheet they need a text stand-in
OFFLINE_STYLE = ('<style>.fa-check-circle::before{content:"\\2714  geslaagd";color:#0b5d1e}'
                 '.fa-times::before{content:"\\2718  mislukt";color:#8b0000}'
                 '.jm-fictief{background:#fff3cd;border:2px solid #8a6d00;padding:.5em 1em;font-weight:bold}</style>')


DATA_DOCS_SITE = "local_site"


def _site_dir() -> Path:
    return paths.GX_DIR / "uncommitted" / "data_docs" / DATA_DOCS_SITE


def _data_docs_pages(context: Any, result: Any) -> dict[str, dict[str, Any]]:
    """Per clean table, its Data Docs page of this validation run (path inside the site) and
    whether every expectation passed: the stamp records them so that the reports publish
    the validation that vouches for their data, not whichever run happens to be newest."""
    site = _site_dir().resolve()
    pages = {}
    for identifier, run in result.run_results.items():
        (url,) = context.get_docs_sites_urls(resource_identifier=identifier, site_name=DATA_DOCS_SITE)
        if not url["site_url"]:
            raise DataQualityError(f"GX built no Data Docs page for {run.suite_name} in {_display(site)}")
        page = Path(url2pathname(urlparse(url["site_url"]).path)).resolve()
        pages[run.suite_name] = {"pagina": page.relative_to(site).as_posix(), "geslaagd": bool(run.success)}
    return dict(sorted(pages.items()))


def recorded_data_docs(validation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The Data Docs pages that the validation stamp records, each checked to be there."""
    site = _site_dir()
    year = validation["jaar"]
    stamp = _display(paths.validation_stamp(year))
    # the stamp is up to date for make, so validating again means removing it first
    again = f"remove {stamp} and run `make reports YEAR={year}` to validate again"
    pages = validation.get("datadocs")
    if not pages:
        raise DataQualityError(f"{stamp} names no Data Docs pages: {again}")
    missing = [entry["pagina"] for entry in pages.values() if not (site / entry["pagina"]).exists()]
    if missing:
        raise DataQualityError(f"Data Docs pages of the validation in {stamp} are gone from {_display(site)}: "
                               f"{missing[:3]}; {again}")
    return pages


def offline_data_docs(target: Path, validation: dict[str, Any], banner: str | None = None) -> Path:
    """Publish the Data Docs of the validation recorded in `validation` (the stamp of
    data/clean/<year>/) to `target`, so that they open with the network cut.

    Copied: GX's static files, the suite pages and the validation page of each clean table
    for this stamp, no other run (the working site in expectations/gx/uncommitted holds every
    run, including other years and failed ones). GX's own index fills its tables with
    JavaScript from a CDN and lists every run, so the copy gets a plain index of this run.
    GX's templates cannot be overridden (custom views only add templates), so the pages are
    post-processed: remote scripts, stylesheets and the logo are dropped (without Bootstrap
    they are plain HTML with GX's own stylesheet and every section visible), and `banner`
    (the fictitious-data label) is put at the top of every page."""
    site = _site_dir()
    pages = recorded_data_docs(validation)
    shutil.copytree(site / "static", target / "static")
    for table, entry in pages.items():
        for page in (f"expectations/{table}.html", entry["pagina"]):
            (target / page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(site / page, target / page)
    (target / "index.html").write_text(_data_docs_index(validation, pages), encoding="utf-8")
    notice = f'<p class="jm-fictief">{escape(banner)}</p>' if banner else ""
    for page in target.rglob("*.html"):
        text = REMOTE_LOAD.sub("", page.read_text(encoding="utf-8"))
        text = text.replace("</head>", OFFLINE_STYLE + "</head>", 1)
        text = re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + notice, text, count=1)
        if re.search(r"<(?:script|link|img)\b[^>]*?(?:src|href)=\"https?://", text):
            raise RuntimeError(f"{page} still loads a remote resource")
        page.write_text(text, encoding="utf-8")
    return target


def _data_docs_index(validation: dict[str, Any], pages: dict[str, dict[str, Any]]) -> str:
    year = validation["jaar"]
    rows = "".join(
        f'<tr><td>{escape(table)}</td><td><a href="{escape(entry["pagina"])}">'
        f'{"geslaagd" if entry["geslaagd"] else "geslaagd met waarschuwingen"}</a></td>'
        f'<td><a href="expectations/{escape(table)}.html">controles</a></td></tr>'
        for table, entry in pages.items())
    return (f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Datakwaliteit {year}</title>'
            '<link rel="stylesheet" href="static/styles/data_docs_default_styles.css"><style>'
            'body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em}table{border-collapse:collapse}'
            'th,td{text-align:left;padding:.2em .8em;border-bottom:1px solid #ccc}</style></head><body>'
            f"<h1>Datakwaliteit: controles van de schone tabellen voor {year}</h1>"
            f"<p>De validatie (Great Expectations) die de tabellen in data/clean/{year}/ heeft goedgekeurd, "
            "en waarop de rapportages van dit jaar zijn gebaseerd. Per tabel het resultaat en de controles zelf.</p>"
            f"<table><thead><tr><th>tabel</th><th>resultaat</th><th>verwachtingen</th></tr></thead><tbody>{rows}"
            "</tbody></table></body></html>")


def build_context() -> bool:
    """(Re)create the GX file data context in expectations/gx from config/; True when it changed.

    GX gives every suite, expectation, asset and definition a new random id, so rebuilding
    in place would rewrite every committed file even when config/ did not change. The new
    context is built beside the old one and replaces it only when it differs in more than
    its ids. Validation results and Data Docs (uncommitted/) are kept either way: published
    reports' validation stamps point into them."""
    cfg = config.load()
    definitions = suite_definitions(cfg)
    if set(definitions) != set(CLEAN_TABLES):
        raise config.ConfigError(f"suites {sorted(definitions)} do not cover clean tables {sorted(CLEAN_TABLES)}")
    paths.EXPECTATIONS_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=paths.EXPECTATIONS_DIR, prefix=".opbouw-") as scratch:
        built = _build_context_in(Path(scratch), cfg, definitions)
        if paths.GX_DIR.exists() and _content_without_ids(built) == _content_without_ids(paths.GX_DIR):
            return False
        paths.GX_DIR.mkdir(exist_ok=True)
        for entry in paths.GX_DIR.iterdir():
            if entry.name != UNCOMMITTED:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        for entry in built.iterdir():
            if entry.name != UNCOMMITTED:
                entry.rename(paths.GX_DIR / entry.name)
    return True


UNCOMMITTED = "uncommitted"
GX_CONTEXT_ID_KEYS = {"id", "data_context_id"}


def _content_without_ids(gx_dir: Path) -> dict[str, Any]:
    """The committed part of a GX context, file by file, with GX's random ids left out."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in GX_CONTEXT_ID_KEYS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    content: dict[str, Any] = {}
    for path in sorted(gx_dir.rglob("*")):
        relative = path.relative_to(gx_dir)
        if not path.is_file() or relative.parts[0] == UNCOMMITTED:
            continue
        if path.suffix == ".json":
            content[relative.as_posix()] = strip(json.loads(path.read_text(encoding="utf-8")))
        elif path.suffix == ".yml":
            content[relative.as_posix()] = strip(yaml.safe_load(path.read_text(encoding="utf-8")))
        elif path.name == ".ge_store_backend_id":
            content[relative.as_posix()] = None  # a random id and nothing else
        else:
            content[relative.as_posix()] = path.read_bytes()
    return content


def _build_context_in(root: Path, cfg: config.Config, definitions: dict[str, list[gxe.Expectation]]) -> Path:
    """Build the whole GX context from config/ in `root`/gx; returns that folder."""
    context = gx.get_context(mode="file", project_root_dir=root)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    context.enable_analytics(False)
    site = dict(context.variables.data_docs_sites[DATA_DOCS_SITE])
    site["show_how_to_buttons"] = False  # walkthrough pop-ups need Bootstrap's JavaScript
    context.update_data_docs_site(DATA_DOCS_SITE, site)
    raw_source = context.data_sources.add_pandas(RAW_DATASOURCE)
    for kind, expectations in raw_suite_definitions(cfg).items():
        batch = raw_source.add_dataframe_asset(kind).add_batch_definition_whole_dataframe("bestand")
        suite = context.suites.add(gx.ExpectationSuite(name=RAW_PREFIX + kind, meta={"bron": kind}))
        for expectation in expectations:
            suite.add_expectation(expectation)
        context.validation_definitions.add(gx.ValidationDefinition(name=RAW_PREFIX + kind, data=batch, suite=suite))
    paths.STAGING_DIR.mkdir(parents=True, exist_ok=True)
    # GX tests each new file asset against its folder, which may be empty on a fresh
    # checkout: a placeholder file satisfies that check while the context is built
    placeholder = paths.STAGING_DIR / ".gx-opbouw"
    placeholder.touch()
    try:
        with contextlib.chdir(paths.PROJECT_ROOT):
            _add_clean_tables(context, definitions)
    finally:
        placeholder.unlink()
    return root / paths.GX_DIR.name


def _add_clean_tables(context: Any, definitions: dict[str, list[gxe.Expectation]]) -> None:
    source = context.data_sources.add_pandas_filesystem(DATASOURCE, base_directory=paths.GX_STAGING_BASE_RELATIVE)
    validation_definitions = []
    for table, expectations in definitions.items():
        asset = source.add_parquet_asset(table)
        batch = asset.add_batch_definition_yearly("per_rapportjaar", regex=rf"(?P<year>\d{{4}})/{table}\.parquet")
        suite = context.suites.add(gx.ExpectationSuite(name=table, meta={"tabel": table}))
        for expectation in expectations:
            suite.add_expectation(expectation)
        validation_definitions.append(
            context.validation_definitions.add(gx.ValidationDefinition(name=table, data=batch, suite=suite)))
    context.checkpoints.add(gx.Checkpoint(
        name=CHECKPOINT,
        validation_definitions=validation_definitions,
        actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
        result_format={"result_format": "COMPLETE", "partial_unexpected_count": 5},
    ))


@dataclass
class Finding:
    source: str  # the raw file or clean table at fault
    column: str
    expectation: str
    severity: str
    unexpected_count: int | None
    examples: list[Any]
    rows: list[int]
    rows_are_file_lines: bool
    note: str

    def describe(self) -> str:
        if self.rows and self.rows_are_file_lines:
            rows = ", regels " + ", ".join(str(r) for r in self.rows[:5])
        elif self.rows:
            rows = f", rijen {self.rows[:5]}"
        else:
            rows = ""
        count = f"{self.unexpected_count} afwijkende waarden, " if self.unexpected_count else ""
        return (f"{self.source}, kolom {self.column!r}{rows}: {self.expectation} faalt — {count}"
                f"voorbeelden {self.examples[:5]}" + (f" ({self.note})" if self.note else ""))


def _column_of(kwargs: dict[str, Any]) -> str:
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return f"{kwargs['column_A']} / {kwargs['column_B']}"
    if "column_list" in kwargs:
        return ", ".join(kwargs["column_list"])
    return "(tabel)"


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def findings(validation: Any, source: str, file_lines: bool) -> list[Finding]:
    """Failed expectations of one validation result. With `file_lines`, DataFrame row
    indexes are turned into line numbers of the raw file (header is line 1)."""
    found = []
    for item in validation.results:
        if item.success:
            continue
        cfg = item.expectation_config
        details = item.result or {}
        examples = details.get("partial_unexpected_list") or details.get("observed_value") or []
        if not isinstance(examples, list):
            examples = [examples]
        if item.exception_info and item.exception_info.get("raised_exception"):
            examples = [item.exception_info.get("exception_message")]
        rows = [int(r) for r in (details.get("partial_unexpected_index_list") or []) if isinstance(r, int)]
        found.append(Finding(
            source=source,
            column=_column_of(cfg.kwargs),
            expectation=cfg.type,
            severity=(cfg.meta or {}).get("ernst", CRITICAL),
            unexpected_count=details.get("unexpected_count"),
            examples=[_jsonable(e) for e in examples[:5]],
            rows=[r + 2 for r in rows[:5]] if file_lines else rows[:5],
            rows_are_file_lines=file_lines,
            note=(cfg.meta or {}).get("toelichting", ""),
        ))
    return found


def _stop_on_critical(found: list[Finding], what: str) -> None:
    critical = [f for f in found if f.severity == CRITICAL]
    if critical:
        lines = "\n".join(f"  - {f.describe()}" for f in critical)
        raise DataQualityError(f"{what}: {len(critical)} kritieke fout(en); de run stopt en er wordt niets "
                               f"gepubliceerd.\n{lines}")


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def _context() -> Any:
    return gx.get_context(mode="file", project_root_dir=paths.EXPECTATIONS_DIR)


def validate_raw(files: list[clean.RawFile]) -> dict[str, Any]:
    """Validate every raw file against its source's suite; raise DataQualityError on a
    critical failure, naming the file, column, expectation, example values and file lines."""
    context = _context()
    found: list[Finding] = []
    checked = 0
    for raw_file in files:
        try:
            definition = context.validation_definitions.get(RAW_PREFIX + raw_file.kind)
        except DataContextError as error:  # e.g. a successor table added to config/ without `make expectations`
            raise DataQualityError(f"{_display(raw_file.path)}: no raw-data suite {RAW_PREFIX + raw_file.kind} in "
                                   f"{_display(paths.GX_DIR)}; run `make expectations` after changing "
                                   "config/bronnen.yaml") from error
        result = definition.run(batch_parameters={"dataframe": raw_file.frame},
                                result_format={"result_format": "COMPLETE", "partial_unexpected_count": 5})
        checked += len(result.results)
        found += findings(result, _display(raw_file.path), file_lines=True)
    _stop_on_critical(found, "Controle van de ruwe bestanden mislukt")
    return {"gecontroleerd": checked, "geslaagd": checked - len(found), "waarschuwingen": [asdict(f) for f in found]}


def validate(year: int, raw_summary: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run the checkpoint on the staged tables data/staging/<year>/; raise DataQualityError
    on a critical failure. Returns the summary for publish()."""
    missing = [t for t in CLEAN_TABLES if not paths.staging_table(year, t).exists()]
    if missing:
        raise DataQualityError(f"clean tables missing in {_display(paths.staging_dir(year))}: {missing}; "
                               f"run `make clean-data YEAR={year}`")
    context = _context()
    with contextlib.chdir(paths.PROJECT_ROOT):
        # the run name puts the year in the Data Docs paths: validations/<table>/rapportjaar_<year>/...
        result = context.checkpoints.get(CHECKPOINT).run(batch_parameters={"year": year},
                                                         run_id=RunIdentifier(run_name=f"rapportjaar_{year}"))
    found: list[Finding] = []
    checked = 0
    for validation in result.run_results.values():
        checked += len(validation.results)
        found += findings(validation, _display(paths.staging_table(year, validation.suite_name)), file_lines=False)
    _stop_on_critical(found, f"Validatie van de schone data voor {year} mislukt")
    raw_summary = raw_summary or _read_json(paths.staging_dir(year) / RAW_SUMMARY)
    return {
        "jaar": year,
        "gecontroleerd": checked + raw_summary.get("gecontroleerd", 0),
        "geslaagd": checked - len(found) + raw_summary.get("geslaagd", 0),
        "waarschuwingen": raw_summary.get("waarschuwingen", []) + [asdict(f) for f in found],
        "tabellen": sorted(v.suite_name for v in result.run_results.values()),
        "datadocs": _data_docs_pages(context, result),
    }


RAW_SUMMARY = "ruwe_validatie.json"


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def write_raw_summary(year: int, summary: dict[str, Any]) -> Path:
    target = paths.staging_dir(year) / RAW_SUMMARY
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def changed_figures(previous: Path, new: Path) -> list[dict[str, Any]]:
    """Published KPI values that differ from the previous validated run (value or status)."""
    if not previous.exists():
        return []
    keys = ["gebied_code", "jaar", "kpi"]
    old = pd.read_parquet(previous, columns=[*keys, "waarde", "status"])
    now = pd.read_parquet(new, columns=[*keys, "waarde", "status"])
    both = old.merge(now, on=keys, how="outer", suffixes=("_vorige", "_nieuw"))
    differs = ~(both["waarde_vorige"].round(6).eq(both["waarde_nieuw"].round(6)).fillna(False)
                | (both["waarde_vorige"].isna() & both["waarde_nieuw"].isna()))
    differs |= both["status_vorige"].fillna("").ne(both["status_nieuw"].fillna(""))
    changed = both[differs].sort_values(keys)
    return [{k: _jsonable(v) if not isinstance(v, float) or v == v else None for k, v in row.items()}
            for row in changed.to_dict(orient="records")]


def publish(year: int, summary: dict[str, Any]) -> Path:
    """Move the validated staged tables into data/clean/<year>/ and write the stamp.

    The previous clean data stay in place until the new ones are complete; the swap is two
    renames, so an interrupted run leaves either the old or the new tables, never a mix."""
    staged, target = paths.staging_dir(year), paths.clean_dir(year)
    summary = {**summary, "gewijzigd": changed_figures(target / "kpi_waarden.parquet", staged / "kpi_waarden.parquet")}
    previous = target.with_name(f".vorige-{year}")
    if previous.exists():
        shutil.rmtree(previous)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rename(previous)
    staged.rename(target)
    if previous.exists():
        shutil.rmtree(previous)
    return write_stamp(year, summary)


def write_stamp(year: int, summary: dict[str, Any]) -> Path:
    """The validation stamp data/clean/<year>/validatie.json that the report stage depends on."""
    stamp = paths.validation_stamp(year)
    stamp.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return stamp
