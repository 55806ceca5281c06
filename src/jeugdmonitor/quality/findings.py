"""Failed expectations as findings that name the file or table, the column, the rows (file lines
for raw files) and example values; a critical one stops the run with DataQualityError."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jeugdmonitor.errors import DataQualityError
from jeugdmonitor.quality.rules import CRITICAL


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
    # per area (gebied_code) of a clean table, its own flagged rows: {"aantal": n, "jaren": [...], "voorbeelden": [...]}
    # (at most EXAMPLES_PER_AREA each), so a municipality's report shows its own examples, not the table's first
    per_area: dict[str, dict[str, list[Any]]] = field(default_factory=dict)

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


def jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


EXAMPLES_PER_AREA = 5


def findings(validation: Any, source: str, file_lines: bool, table: Any = None) -> list[Finding]:
    """Failed expectations of one validation result. With `file_lines`, DataFrame row
    indexes are turned into line numbers of the raw file (header is line 1). `table`: the
    validated clean table (a DataFrame), to record each area's own flagged rows (`per_area`)."""
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
            examples=[jsonable(e) for e in examples[:5]],
            rows=[r + 2 for r in rows[:5]] if file_lines else rows[:5],
            rows_are_file_lines=file_lines,
            note=(cfg.meta or {}).get("toelichting", ""),
            per_area=_per_area(table, details.get("unexpected_index_list"), cfg.kwargs.get("column")),
        ))
    return found


def _per_area(table: Any, rows: Any, column: str | None) -> dict[str, dict[str, list[Any]]]:
    """Every flagged row of `table` by area: its years and values (of `column`), the first
    EXAMPLES_PER_AREA of each area. Empty without a table with gebied_code, or without row
    indexes (an expectation on the whole table)."""
    if table is None or "gebied_code" not in table.columns or not isinstance(rows, list):
        return {}
    flagged = table.iloc[[int(r) for r in rows if isinstance(r, int)]]
    per_area: dict[str, dict[str, list[Any]]] = {}
    for row in flagged.itertuples(index=False):
        entry = per_area.setdefault(str(row.gebied_code), {"aantal": 0, "jaren": [], "voorbeelden": []})
        entry["aantal"] += 1
        if len(entry["jaren"]) < EXAMPLES_PER_AREA:
            entry["jaren"].append(_plain(getattr(row, "jaar", None)))
            entry["voorbeelden"].append(_plain(getattr(row, column)) if column in table.columns else None)
    return dict(sorted(per_area.items()))


def _plain(value: Any) -> Any:
    """A table cell as JSON: a missing value (None, NaN, pandas' NA) as None."""
    if value is None or (isinstance(value, float) and value != value) or str(value) == "<NA>":
        return None
    return jsonable(value.item() if hasattr(value, "item") else value)


def stop_on_critical(found: list[Finding], what: str) -> None:
    critical = [f for f in found if f.severity == CRITICAL]
    if critical:
        lines = "\n".join(f"  - {f.describe()}" for f in critical)
        raise DataQualityError(f"{what}: {len(critical)} kritieke fout(en); de run stopt en er wordt niets "
                               f"gepubliceerd.\n{lines}")


def warning_lines(summary: dict[str, Any]) -> list[str]:
    """The warnings of a raw-file validation (validate_raw's summary) as the lines a command
    prints: 'waarschuwing: <file>, kolom …, regels …: …'."""
    return [f"waarschuwing: {Finding(**warning).describe()}" for warning in summary["waarschuwingen"]]
