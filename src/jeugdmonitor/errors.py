"""The errors a user can meet, each carrying the exit code of the command that stops on it.

One registry (`ERRORS`, by class name) maps an error to its code, also when only its name is
known: a notebook that fails reports the name of its exception (papermill's `ename`), and the
command line maps that name here instead of searching the message text.

Exit codes: 0 success; 1 anything unexpected, or a CBS table that could not be fetched;
2 bad raw input or definitions; 3 a data-quality expectation failed (or the Data Docs behind
the clean data are gone); 4 a notebook failed otherwise; 5 another run of the same report year
is busy in this project.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from jeugdmonitor import paths

EXIT_UNEXPECTED = 1
EXIT_FETCH = 1
EXIT_BAD_INPUT = 2
EXIT_QUALITY = 3
EXIT_NOTEBOOK = 4
EXIT_BUSY = 5

ERRORS: dict[str, type[WorkbookError]] = {}


class WorkbookError(Exception):
    """Base of the workbook's own errors; `exit_code` is what the command line exits with."""

    exit_code: ClassVar[int] = EXIT_UNEXPECTED

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__name__ in ERRORS:
            raise TypeError(f"twee fouten van het werkboek heten {cls.__name__}")
        ERRORS[cls.__name__] = cls


class ConfigError(WorkbookError, ValueError):
    """A definition in config/ is missing or inconsistent."""

    exit_code = EXIT_BAD_INPUT


class UnknownMunicipalityError(WorkbookError, KeyError):
    """A municipality code that the register in config/gemeenten.yaml does not know."""

    exit_code = EXIT_BAD_INPUT

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0])


class RawDataError(WorkbookError, ValueError):
    """Bad raw input. The message names the file, the column and example rows."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, path: Path | str, message: str, column: str | None = None, rows: Sequence[int] = ()):
        self.path = Path(path)
        self.column = column
        self.rows = list(rows)
        where = paths.display_path(self.path)
        if column is not None:
            where += f", kolom {column!r}"
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:5])
            more = f" (en {len(self.rows) - 5} meer)" if len(self.rows) > 5 else ""
            where += f", regels {shown}{more}"
        super().__init__(f"{where}: {message}")


class DamagedFileError(WorkbookError, ValueError):
    """A file the pipeline wrote itself (a clean table in data/clean/) cannot be read: truncated or
    overwritten. The message names the file and the stage that writes it again."""

    exit_code = EXIT_BAD_INPUT


class TemplateError(WorkbookError, ValueError):
    """A page template (templates/pages/) does not compile, or fails while rendering a page; the
    message names its file and line."""

    exit_code = EXIT_BAD_INPUT


class PdfError(WorkbookError, RuntimeError):
    """A page could not be converted to PDF; the message names it."""

    exit_code = EXIT_NOTEBOOK


class BuildDateError(WorkbookError, ValueError):
    """SOURCE_DATE_EPOCH is set but is not a whole, non-negative number of seconds."""

    exit_code = EXIT_BAD_INPUT


class RunBusyError(WorkbookError, RuntimeError):
    """Another run of the same report year holds the project's lock for that year."""

    exit_code = EXIT_BUSY


class ReportYearError(WorkbookError, ValueError):
    """The requested report year cannot be built from the available data."""

    exit_code = EXIT_BAD_INPUT


class DataQualityError(WorkbookError, RuntimeError):
    """A critical expectation failed; the message names table, column, expectation and examples."""

    exit_code = EXIT_QUALITY


class ProjectCopyError(WorkbookError, RuntimeError):
    """A command started in a copy of the project would run on, and write into, the original."""

    exit_code = EXIT_BAD_INPUT


class FetchError(WorkbookError, RuntimeError):
    """A CBS table could not be fetched completely. The message names the table and the URL."""

    exit_code = EXIT_FETCH


class ServiceUnavailable(FetchError):
    """A CBS service did not serve a table: no connection, no answer in time, an HTTP error (404:
    the service lacks the table) or an answer that is not OData. The fetch may then try the other
    CBS service (OData 3 or OData 4); any other FetchError is about the table itself and stops."""


def exit_code_of(name: str | None, default: int = EXIT_NOTEBOOK) -> int:
    """The exit code of the workbook error called `name` (a notebook's `ename`); `default` for
    any other exception (a notebook that failed otherwise)."""
    error = ERRORS.get(name or "")
    return error.exit_code if error is not None else default
