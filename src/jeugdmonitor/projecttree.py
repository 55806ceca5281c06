"""A copied project works on itself only: a command started in a copy whose .venv still runs the
original's code (an editable install points at the original src/) is refused before it reads
or writes anything."""

from __future__ import annotations

from pathlib import Path

from jeugdmonitor import paths
from jeugdmonitor.errors import ProjectCopyError


def check_project_tree(cwd: Path | None = None, environ: dict[str, str] | None = None) -> None:
    """Stop with ProjectCopyError (exit 2) when the command runs in another project tree than the
    one its paths point at and JEUGDMONITOR_ROOT does not say which one to use."""
    here = paths.foreign_project_tree(cwd, environ)
    if here is None:
        return
    raise ProjectCopyError(
        f"deze opdracht draait in {here}, maar de code en de paden horen bij {paths.PROJECT_ROOT}: dit project is "
        f"gekopieerd en .venv/ draait nog de code van het origineel, dat niet wordt aangeraakt. Zet de kopie op met "
        f"`make setup` in {here} (die maakt .venv/ daar opnieuw; `make` doet dat ook vanzelf), of wijs de map aan met "
        f"{paths.ROOT_ENV}={here}")
