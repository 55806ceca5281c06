"""The gate: raw files validated as read, the checkpoint over the staged tables, and publishing
the tables that passed into data/clean/<year>/ with the validation stamp the reports depend on."""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.exceptions import DataContextError
from great_expectations.expectations.expectation import (
    ColumnMapExpectation,
    ColumnPairMapExpectation,
    MulticolumnMapExpectation,
)

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.publish import swap_into_place
from jeugdmonitor.quality.context import CHECKPOINT, RAW_PREFIX, data_docs_pages, open_context
from jeugdmonitor.quality.findings import DataQualityError, Finding, findings, jsonable, stop_on_critical
from jeugdmonitor.quality.rules import raw_suite_definitions, suite_definitions
from jeugdmonitor.sources import rawdata
from jeugdmonitor.vocabulary import CLEAN_TABLES

RAW_RESULT_FORMAT = {"result_format": "COMPLETE", "partial_unexpected_count": 5}


def _judges_rows(suite: Any) -> bool:
    """Every expectation of `suite` fails on rows, all of them must pass (mostly 1): then a batch of
    files that passes means that each of its files passes."""
    return all(isinstance(e, (ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation))
               and getattr(e, "mostly", 1) == 1 for e in suite.expectations)


def validate_raw(files: list[rawdata.RawFile]) -> dict[str, Any]:
    """Validate every raw file against its source's suite; raise DataQualityError on a
    critical failure, naming the file, column, expectation, example values and file lines.

    GX spends about a tenth of a second per run on its own set-up, whatever the size of the
    data, so the files of one source with the same columns and types (e.g. the waiting-time
    export of every region) are validated as one batch. When the suite only judges rows
    (`_judges_rows`), a batch that passes means every file in it passes. A batch that fails
    is validated again file by file, so every finding names its own file and lines and
    uniqueness is judged within each file, exactly as before."""
    context = open_context()
    groups: dict[tuple[Any, ...], list[int]] = {}
    for number, raw_file in enumerate(files):  # in file order: the first file of a group names it
        key = (raw_file.kind, tuple(raw_file.frame.columns), tuple(raw_file.frame.dtypes))
        groups.setdefault(key, []).append(number)
    found_in: dict[int, list[Finding]] = {}
    checked = 0
    for members in groups.values():
        kind = files[members[0]].kind
        try:
            definition = context.validation_definitions.get(RAW_PREFIX + kind)
        except DataContextError as error:  # e.g. a successor table added to config/ without `make expectations`
            raise DataQualityError(f"{paths.display_path(files[members[0]].path)}: geen suite voor ruwe data {RAW_PREFIX + kind} in "
                                   f"{paths.display_path(paths.GX_DIR)}; draai `make expectations` na een wijziging van "
                                   "config/bronnen.yaml") from error
        if len(members) > 1 and _judges_rows(definition.suite):
            batch = pd.concat([files[n].frame for n in members], ignore_index=True)
            result = definition.run(batch_parameters={"dataframe": batch}, result_format=RAW_RESULT_FORMAT)
            if result.success:
                checked += len(result.results) * len(members)
                continue
        for number in members:  # one file, or a batch that failed: each file on its own
            raw_file = files[number]
            result = definition.run(batch_parameters={"dataframe": raw_file.frame}, result_format=RAW_RESULT_FORMAT)
            checked += len(result.results)
            found_in[number] = [replace(f, column=raw_file.columns.get(f.column, f.column)) if f.column else f  # the file's own name
                                for f in findings(result, paths.display_path(raw_file.path), file_lines=True)]
    found = [f for number in sorted(found_in) for f in found_in[number]]  # in file order, as the files were read
    _stop_on_critical(context, found, "Controle van de ruwe bestanden mislukt")
    return {"gecontroleerd": checked, "geslaagd": checked - len(found), "waarschuwingen": [asdict(f) for f in found]}


def validate(year: int, raw_summary: dict[str, Any] | None = None, tables_dir: Path | None = None) -> dict[str, Any]:
    """Run the checkpoint on the staged tables data/staging/<year>/ (or on `tables_dir`, a folder
    named after the year: the tables of a notebook run by hand); raise DataQualityError on a
    critical failure. Returns the summary for publish()."""
    folder = paths.staging_dir(year) if tables_dir is None else Path(tables_dir)
    staged = folder.resolve() == paths.staging_dir(year).resolve()
    missing = [t for t in CLEAN_TABLES if not (folder / paths.table_filename(t)).exists()]
    if missing:
        run_first = f"draai `make clean-data YEAR={year}`" if staged else "draai eerst notebook 01 met de hand"
        raise DataQualityError(f"schone tabellen ontbreken in {paths.display_path(folder)}: {missing}; {run_first}")
    context = open_context()
    with _checkpoint_root(year, folder):
        # the run name puts the year in the Data Docs paths: validations/<table>/rapportjaar_<year>/...
        run_name = f"rapportjaar_{year}" if staged else f"{paths.SCRATCH_DIR_NAME}_{year}"
        result = context.checkpoints.get(CHECKPOINT).run(batch_parameters={"year": year},
                                                         run_id=RunIdentifier(run_name=run_name))
    found: list[Finding] = []
    checked = 0
    for validation in result.run_results.values():
        checked += len(validation.results)
        table_path = folder / paths.table_filename(validation.suite_name)
        # a table with a failed expectation is read to record each area's own flagged rows
        table = None if validation.success else pd.read_parquet(table_path)
        found += findings(validation, paths.display_path(table_path), file_lines=False, table=table)
    _stop_on_critical(context, found, f"Validatie van de schone data voor {year} mislukt")
    raw_summary = raw_summary or _read_json(folder / paths.RAW_SUMMARY_NAME)
    return {
        "jaar": year,
        "gecontroleerd": checked + raw_summary.get("gecontroleerd", 0),
        "geslaagd": checked - len(found) + raw_summary.get("geslaagd", 0),
        "waarschuwingen": raw_summary.get("waarschuwingen", []) + [asdict(f) for f in found],
        "tabellen": sorted(v.suite_name for v in result.run_results.values()),
        "datadocs": data_docs_pages(context, result),
    }


@contextlib.contextmanager
def _checkpoint_root(year: int, folder: Path) -> Iterator[None]:
    """The working folder the checkpoint runs in: GX finds a year's tables in
    paths.GX_STAGING_BASE_RELATIVE/<year>/ relative to it. The project root for the staged tables;
    for another folder a temporary root whose data/staging links to that folder's parent."""
    if folder.resolve() == paths.staging_dir(year).resolve():
        with contextlib.chdir(paths.PROJECT_ROOT):
            yield
        return
    if folder.name != str(year):
        raise ValueError(f"{paths.display_path(folder)}: de map met de tabellen van {year} moet {year} heten")
    with tempfile.TemporaryDirectory(prefix="jeugdmonitor-gx-") as root:
        base = Path(root) / paths.GX_STAGING_BASE_RELATIVE
        base.parent.mkdir(parents=True)
        base.symlink_to(folder.parent.resolve(), target_is_directory=True)
        with contextlib.chdir(root):
            yield


def _stop_on_critical(context: Any, found: list[Finding], what: str) -> None:
    """Stop on a critical finding; when a suite in expectations/gx/ no longer matches config/ (a KPI
    or source added without `make expectations`), say first that this is the likely cause."""
    try:
        stop_on_critical(found, what)
    except DataQualityError as error:
        stale = stale_suites(context, config.load())
        if not stale:
            raise
        raise DataQualityError(
            f"{what}: de suites {', '.join(stale)} in {paths.display_path(paths.GX_DIR)} zijn ouder dan config/ (ze "
            f"controleren niet wat config/ nu definieert). Draai `make expectations`, commit {paths.display_path(paths.GX_DIR)} "
            f"en draai dan opnieuw.\n{error}") from error


def stale_suites(context: Any, cfg: config.Config) -> list[str]:
    """The suites of the GX context whose expectations differ from those config/ defines now
    (or that are missing): the context was built from an older config/."""
    defined = {**suite_definitions(cfg), **{RAW_PREFIX + kind: e for kind, e in raw_suite_definitions(cfg).items()}}
    stale = []
    for name, expectations in defined.items():
        try:
            committed = context.suites.get(name).expectations
        except DataContextError:
            stale.append(name)
            continue
        if sorted(map(_comparable, committed)) != sorted(map(_comparable, expectations)):
            stale.append(name)
    return sorted(stale)


def _comparable(expectation: Any) -> tuple[str, str, str]:
    described = expectation.configuration.to_json_dict()
    return (described["type"], json.dumps(described["kwargs"], sort_keys=True),
            json.dumps(described.get("meta"), sort_keys=True))


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def write_raw_summary(year: int, summary: dict[str, Any], out_dir: Path | None = None) -> Path:
    """The raw-file checks' result beside the staged tables (or in `out_dir`, a notebook run by hand)."""
    target = paths.raw_summary(year) if out_dir is None else Path(out_dir) / paths.RAW_SUMMARY_NAME
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
    return [{k: jsonable(v) if not isinstance(v, float) or v == v else None for k, v in row.items()}
            for row in changed.to_dict(orient="records")]


def publish(year: int, summary: dict[str, Any]) -> Path:
    """Move the validated staged tables into data/clean/<year>/ and write the stamp.

    The previous clean data stay in place until the new ones are complete, stamp included; the
    swap is one atomic exchange (publish.swap_into_place), so an interrupted run leaves either the
    old or the new tables with their stamp, never a mix and never tables without a stamp."""
    staged, target = paths.staging_dir(year), paths.clean_dir(year)
    summary = {**summary, "gewijzigd": changed_figures(paths.clean_table(year, "kpi_waarden"), paths.staging_table(year, "kpi_waarden"))}
    write_stamp(year, summary, staged)
    swap_into_place(staged, target)
    return paths.validation_stamp(year)


def save_validation(year: int, summary: dict[str, Any], out_dir: Path) -> Path:
    """After a passed gate: publish into data/clean/<year>/ when `out_dir` is that folder (the
    batch stage passes it); into any other folder (a notebook run by hand) only the summary is
    written, beside the tables it checked: nothing is published."""
    if Path(out_dir).resolve() == paths.clean_dir(year).resolve():
        return publish(year, summary)
    target = Path(out_dir) / paths.VALIDATION_STAMP_NAME
    target.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def write_stamp(year: int, summary: dict[str, Any], folder: Path | None = None) -> Path:
    """The validation stamp data/clean/<year>/validatie.json that the report stage depends on
    (written into `folder`, the set about to be published, when given)."""
    stamp = paths.validation_stamp(year) if folder is None else folder / paths.validation_stamp(year).name
    stamp.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return stamp
