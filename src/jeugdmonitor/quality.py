"""Data-quality gate: GX Core expectation suites for every clean table, run by one checkpoint.

The GX file data context lives in expectations/gx/. Suites, validation definitions and the
checkpoint are generated from config/ by `build_context()` (make expectations) and
committed; validation results and Data Docs go to expectations/gx/uncommitted/.

Every expectation carries meta {"ernst": "kritiek" | "waarschuwing"}: a critical failure
stops the run, a warning is recorded and shown in the report.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no network: never try to send usage statistics

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.expectations.row_conditions import Column  # noqa: E402

from jeugdmonitor import clean, config, paths  # noqa: E402

DATASOURCE = "schone_data"
CHECKPOINT = "schone_data"
CRITICAL = "kritiek"
WARNING = "waarschuwing"
AREA_CODE_PATTERN = r"^(?:GM\d{4}|JZ\d{2}|NL01)$"
MUNICIPALITY_CODE_PATTERN = r"^GM\d{4}$"
STATUSES = ["definitief", "nader voorlopig", "voorlopig"]
LEVELS = [clean.LEVEL_MUNICIPALITY, clean.LEVEL_REGION, clean.LEVEL_COUNTRY]


class DataQualityError(RuntimeError):
    """A critical expectation failed; the message names table, column, expectation and examples."""


def _critical(**meta: Any) -> dict[str, Any]:
    return {"ernst": CRITICAL, **meta}


def _warning(**meta: Any) -> dict[str, Any]:
    return {"ernst": WARNING, **meta}


def suite_definitions(cfg: config.Config) -> dict[str, list[gxe.Expectation]]:
    """The expectations per clean table (table name = suite name = GX asset name)."""
    register = cfg.register
    current = sorted({code for region in register.regions for code in register.members(region, 2024)})
    forms = sorted(cfg.sources["cbs_jeugdzorg"]["vormen"].values())
    percent_kpis = [k.id for k in cfg.kpis.values() if k.unit == "%"]
    rate_kpis = [k.id for k in cfg.kpis.values() if k.scale == 1000]
    c = _critical()

    def columns(names: list[str]) -> gxe.Expectation:
        return gxe.ExpectTableColumnsToMatchSet(column_set=names, exact_match=True, meta=c)

    def area_codes(column: str = "gebied_code", pattern: str = AREA_CODE_PATTERN) -> list[gxe.Expectation]:
        return [gxe.ExpectColumnValuesToNotBeNull(column=column, meta=c),
                gxe.ExpectColumnValuesToMatchRegex(column=column, regex=pattern, meta=c)]

    def years(column: str = "jaar") -> gxe.Expectation:
        return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=2015, max_value=2100, meta=c)

    def non_negative(column: str) -> gxe.Expectation:
        return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, meta=c)

    def statuses() -> gxe.Expectation:
        return gxe.ExpectColumnValuesToBeInSet(column="status", value_set=STATUSES, meta=c)

    def levels() -> gxe.Expectation:
        return gxe.ExpectColumnValuesToBeInSet(column="niveau", value_set=LEVELS, meta=c)

    return {
        "gebieden": [
            columns(["gebied_code", "naam", "niveau", "regio_code", "regio_naam"]),
            *area_codes(), levels(),
            gxe.ExpectColumnValuesToBeUnique(column="gebied_code", meta=c),
            gxe.ExpectColumnValuesToNotBeNull(column="naam", meta=c),
            gxe.ExpectColumnDistinctValuesToContainSet(column="gebied_code", value_set=current, meta=_critical(
                toelichting="every municipality of the bundled regions has a row")),
        ],
        "jeugdzorg": [
            columns(["gebied_code", "niveau", "jaar", "vorm", "jongeren", "samengesteld", "status"]),
            *area_codes(), levels(), years(), statuses(),
            gxe.ExpectColumnValuesToBeInSet(column="vorm", value_set=forms, meta=c),
            non_negative("jongeren"),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["gebied_code", "jaar", "vorm"], meta=c),
            gxe.ExpectColumnDistinctValuesToContainSet(column="gebied_code", value_set=current, meta=c),
        ],
        "bevolking": [
            columns(["gebied_code", "niveau", "jaar", "leeftijd", "inwoners", "samengesteld"]),
            *area_codes(), levels(), years(),
            gxe.ExpectColumnValuesToNotBeNull(column="inwoners", meta=c),
            non_negative("inwoners"),
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
            *area_codes(pattern=MUNICIPALITY_CODE_PATTERN), years(),
            non_negative("aantal_wachtenden"), non_negative("aantal_zorgelijk_wachtenden"),
            gxe.ExpectColumnValuesToBeBetween(column="mediaan_wachttijd_dagen", min_value=0, max_value=730, meta=c),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="aantal_wachtenden", column_B="aantal_zorgelijk_wachtenden",
                                                        or_equal=True, meta=_critical(toelichting="part not above total")),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["gebied_code", "peildatum"], meta=c),
        ],
        "trajecten": [
            columns(["regio_code", "trajectnummer", "gebied_code", "zorgvorm", "startdatum", "einddatum"]),
            *area_codes(pattern=MUNICIPALITY_CODE_PATTERN),
            gxe.ExpectColumnValuesToBeUnique(column="trajectnummer", meta=c),
            gxe.ExpectColumnValuesToNotBeNull(column="startdatum", meta=c),
            gxe.ExpectColumnValuesToBeInSet(column="zorgvorm", value_set=cfg.sources["regio_exports"]["trajecten"]["zorgvormen"], meta=c),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="einddatum", column_B="startdatum", or_equal=True,
                                                        ignore_row_if="either_value_is_missing", meta=c),
        ],
        "budget": [
            columns(["regio_code", "jaar", "gebied_code", "begrotingspost", "begroot_euro", "gerealiseerd_euro"]),
            *area_codes(pattern=MUNICIPALITY_CODE_PATTERN), years(),
            non_negative("begroot_euro"), non_negative("gerealiseerd_euro"),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["gebied_code", "jaar", "begrotingspost"], meta=c),
        ],
        "harmonisatie": [
            columns(["jaar", "oude_code", "oude_naam", "nieuwe_code", "nieuwe_naam", "actie"]),
            *area_codes("oude_code", MUNICIPALITY_CODE_PATTERN), *area_codes("nieuwe_code", MUNICIPALITY_CODE_PATTERN),
        ],
        "bronnen": [
            columns(["bestand", "bron", "tabel", "titel", "url", "opgehaald", "licentie", "sha256", "fictief", "perioden_status"]),
            gxe.ExpectColumnValuesToMatchRegex(column="sha256", regex=r"^[0-9a-f]{64}$", meta=c),
            gxe.ExpectColumnValuesToNotBeNull(column="licentie", meta=c),
        ],
        "kpi_waarden": [
            columns(["gebied_code", "niveau", "jaar", "kpi", "teller", "noemer", "waarde", "status", "samengesteld"]),
            *area_codes(), levels(), years(), statuses(),
            gxe.ExpectColumnValuesToBeInSet(column="kpi", value_set=sorted(cfg.kpis), meta=c),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["gebied_code", "jaar", "kpi"], meta=c),
            gxe.ExpectColumnValuesToBeBetween(column="waarde", min_value=0, max_value=100, row_condition=Column("kpi").is_in(percent_kpis), meta=_critical(toelichting="shares between 0 and 100")),
            gxe.ExpectColumnValuesToBeBetween(column="waarde", min_value=0, max_value=1000, row_condition=Column("kpi").is_in(rate_kpis), meta=_critical(toelichting="rates per 1.000 at most 1.000")),
            gxe.ExpectColumnValuesToBeBetween(column="waarde", min_value=2, max_value=25,
                                              row_condition=Column("kpi") == "jeugdhulp_aandeel",
                                              meta=_warning(toelichting="share with jeugdhulp outside the plausible 2-25%")),
            gxe.ExpectColumnDistinctValuesToContainSet(column="gebied_code", value_set=current, meta=c),
        ],
    }


def build_context() -> None:
    """(Re)create the GX file data context in expectations/gx from config/."""
    cfg = config.load()
    definitions = suite_definitions(cfg)
    if set(definitions) != set(clean.CLEAN_TABLES):
        raise config.ConfigError(f"suites {sorted(definitions)} do not cover clean tables {sorted(clean.CLEAN_TABLES)}")
    if paths.GX_DIR.exists():
        shutil.rmtree(paths.GX_DIR)
    context = gx.get_context(mode="file", project_root_dir=paths.EXPECTATIONS_DIR)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    context.enable_analytics(False)
    paths.clean_dir(0).parent.mkdir(parents=True, exist_ok=True)
    with contextlib.chdir(paths.PROJECT_ROOT):
        source = context.data_sources.add_pandas_filesystem(DATASOURCE, base_directory=paths.GX_CLEAN_BASE_RELATIVE)
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
    table: str
    column: str
    expectation: str
    severity: str
    unexpected_count: int | None
    examples: list[Any]
    rows: list[int]
    note: str

    def describe(self) -> str:
        rows = f", rijen {self.rows[:5]}" if self.rows else ""
        count = f"{self.unexpected_count} afwijkende waarden, " if self.unexpected_count else ""
        return (f"tabel {self.table!r} (data/clean/<jaar>/{self.table}.parquet), kolom {self.column!r}: "
                f"{self.expectation} faalt — {count}voorbeelden {self.examples[:5]}{rows}"
                + (f" ({self.note})" if self.note else ""))


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


def findings(result: Any) -> list[Finding]:
    found = []
    for validation in result.run_results.values():
        table = validation.suite_name
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
            rows = details.get("partial_unexpected_index_list") or []
            found.append(Finding(
                table=table,
                column=_column_of(cfg.kwargs),
                expectation=cfg.type,
                severity=(cfg.meta or {}).get("ernst", CRITICAL),
                unexpected_count=details.get("unexpected_count"),
                examples=[_jsonable(e) for e in examples[:5]],
                rows=[int(r) for r in rows[:5] if isinstance(r, int)],
                note=(cfg.meta or {}).get("toelichting", ""),
            ))
    return found


def validate(year: int) -> dict[str, Any]:
    """Run the checkpoint on data/clean/<year>/; raise DataQualityError on a critical failure.

    Returns the summary (checked, passed, warnings) for write_stamp()."""
    paths.validation_stamp(year).unlink(missing_ok=True)  # a failed run must never leave an old pass in place
    missing = [t for t in clean.CLEAN_TABLES if not paths.clean_table(year, t).exists()]
    if missing:
        raise DataQualityError(f"clean tables missing for {year}: {missing}; run `make clean-data YEAR={year}`")
    context = gx.get_context(mode="file", project_root_dir=paths.EXPECTATIONS_DIR)
    with contextlib.chdir(paths.PROJECT_ROOT):
        result = context.checkpoints.get(CHECKPOINT).run(batch_parameters={"year": year})
    found = findings(result)
    checked = sum(len(v.results) for v in result.run_results.values())
    critical = [f for f in found if f.severity == CRITICAL]
    if critical:
        lines = "\n".join(f"  - {f.describe()}" for f in critical)
        raise DataQualityError(f"Validatie van de schone data voor {year} mislukt: {len(critical)} kritieke "
                               f"fout(en); er worden geen rapporten gemaakt.\n{lines}")
    summary = {
        "jaar": year,
        "gecontroleerd": checked,
        "geslaagd": checked - len(found),
        "waarschuwingen": [asdict(f) for f in found],
        "tabellen": sorted(v.suite_name for v in result.run_results.values()),
    }
    return summary


def write_stamp(year: int, summary: dict[str, Any]) -> Path:
    """The validation stamp data/clean/<year>/validatie.json that the report stage depends on."""
    stamp = paths.validation_stamp(year)
    stamp.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return stamp
