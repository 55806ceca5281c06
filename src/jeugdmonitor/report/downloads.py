"""Writing the downloads beside the reports (CSV and Excel): every text cell is data, never a formula.

A municipality's name comes from CBS's area table (`make regio`), an indicator's name from
config/: text from outside. A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return is run as a formula by a spreadsheet that opens the file (`=HYPERLINK(...)`, DDE). As
OWASP recommends ("CSV injection"), such a text cell gets a leading apostrophe in a CSV, and in
an Excel workbook it is written as a string cell (never a formula) with Excel's quote prefix.
Numbers, negative ones too, stay numbers: only text is touched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# text that is a plain number ("-12", "-1.5", "-1,5") is not a formula; anything else is neutralised
PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*")
CSV_OPTIONS: dict[str, Any] = {"index": False, "sep": ";"}


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would read the text cell `text` as a formula."""
    return text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text)


def neutralise(value: Any) -> Any:
    """`value` safe for a CSV cell: formula-like text gets a leading apostrophe; anything else
    (numbers, missing values, harmless text) is returned unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with its text cells and its column names neutralised; numeric columns
    are left as they are (so pandas still writes them as numbers)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: Path, **options: Any) -> Path:
    """`frame` as a ';'-separated CSV at `path`, its text cells neutralised."""
    neutralised(frame).to_csv(path, **{**CSV_OPTIONS, **options})
    return path


def put(sheet: Any, row: int, column: int, value: Any, number_format: str | None = None) -> Cell:
    """Write `value` into a worksheet cell as data: text always as a string cell (openpyxl would
    make a formula of text starting with `=`), formula-like text with Excel's quote prefix so
    that editing the cell does not turn it into a formula either; numbers as numbers."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    else:
        cell.value = value
        if number_format is not None:
            cell.number_format = number_format
    return cell


def excel_number_format(decimals: int) -> str:
    """Excel's format code for a figure with `decimals` decimals and thousands grouping; Excel
    shows it with the reader's separators, so a Dutch Excel shows 1.234,5."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def new_sheet(title: str, widths: Sequence[float]) -> tuple[Workbook, Any]:
    """A workbook with one worksheet called `title`, its columns `widths` wide."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    return book, sheet
