"""Data-quality gate: GX Core expectation suites for every raw source and every clean table.

Raw files are validated in the cleaning stage as read (a failure names the file and its lines);
clean tables in data/staging/<year>/ by the checkpoint `schone_data`, and only when no critical
expectation fails are they published to data/clean/<year>/ with the stamp the reports depend on.
Modules: `rules` (the expectations and their severity: edit here), `findings` (a failure by file,
column, rows and examples), `context` (the GX context in expectations/gx/, `make expectations`),
`gate` (validation, publishing, the stamp). How it works: docs/quality-gate.md.
"""

from __future__ import annotations

import os

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no network: never try to send usage statistics

from jeugdmonitor.quality.context import CHECKPOINT, DATASOURCE, RAW_PREFIX, build_context
from jeugdmonitor.quality.findings import DataQualityError, Finding, findings, warning_lines  # noqa: E402
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
    "save_validation", "suite_definitions", "validate", "validate_raw", "warning_lines", "write_raw_summary", "write_stamp",
]
