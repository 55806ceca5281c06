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

Modules (each one job)
- `rules`: the expectations per raw source and clean table, with their severity (edit here)
- `findings`: failed expectations described by file, column, rows and examples; DataQualityError
- `context`: the GX context in expectations/gx/ built from the rules (`make expectations`),
  and the Data Docs pages a validation made
- `gate`: validation of raw files and staged tables, publishing to data/clean/, the stamp

The offline copy of the Data Docs for the reports is `jeugdmonitor.report.datadocs`, outside this
package: it needs no GX, and the report runner does not load it.
"""

from __future__ import annotations

import os

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no network: never try to send usage statistics

from jeugdmonitor.quality.context import CHECKPOINT, DATASOURCE, RAW_PREFIX, build_context
from jeugdmonitor.quality.findings import DataQualityError, Finding, findings  # noqa: E402
from jeugdmonitor.quality.gate import (
    changed_figures,
    publish,
    save_validation,
    validate,
    validate_raw,
    write_raw_summary,
    write_stamp,
)
from jeugdmonitor.quality.rules import (
    CRITICAL,
    WARNING,
    multiple_of_regex,
    raw_suite_definitions,
    suite_definitions,
)

__all__ = [
    "CHECKPOINT", "CRITICAL", "DATASOURCE", "RAW_PREFIX", "WARNING", "DataQualityError", "Finding", "build_context",
    "changed_figures", "findings", "multiple_of_regex", "publish", "raw_suite_definitions",
    "save_validation", "suite_definitions", "validate", "validate_raw", "write_raw_summary", "write_stamp",
]
