"""One page of a report year as the runner plans and builds it: its notebook, parameters and
file, and the result of building it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jeugdmonitor import paths
from jeugdmonitor.vocabulary import LEVEL_MUNICIPALITY


# ------------------------------------------------------------------------------ pages and their files
@dataclass(frozen=True)
class Page:
    key: str  # GM0503, JZ24, or INDEX_KEY
    kind: str  # "gemeente", "regio" or "index"
    notebook: str
    parameters: dict[str, Any]
    page: str  # the HTML file
    title: str
    name: str  # for the progress lines
    # (cell tag, HTML file, title) of each page made of the notebook's cells with that tag
    other_pages: tuple[tuple[str, str, str], ...] = ()

    def files(self, year: int) -> list[str]:
        """Every file the page writes, relative to the report folder (the executed notebook last)."""
        produced = [self.page, *(file for _, file, _ in self.other_pages)]
        if self.kind == LEVEL_MUNICIPALITY:
            produced += [paths.figures_csv_name(self.key), paths.local_table_name(self.key, "csv"),
                         paths.local_table_name(self.key, "xlsx")]
        elif self.kind == "index":
            produced += [paths.overview_csv_name(year), paths.INDEX_SCRIPT_NAME]
        return [*produced, f"{paths.EXECUTED_NOTEBOOK_DIR_NAME}/{self.executed_name}"]

    @property
    def executed_name(self) -> str:
        return paths.INDEX_NOTEBOOK_NAME if self.kind == "index" else f"{self.key}.ipynb"


INDEX_KEY = "index"


@dataclass
class PageResult:
    key: str
    ok: bool
    seconds: float
    attempts: int
    error: str | None = None
    ename: str | None = None
