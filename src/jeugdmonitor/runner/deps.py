"""Which package files each pipeline stage uses, derived from the import graph (for the Makefile).

`python -m jeugdmonitor.runner.deps make` writes a make include that lists, per stage, the package
modules it imports and the template folders those modules load. The Makefile rebuilds that
include whenever a module, template or notebook changes, so the lists cannot go stale, and a
change to a module a stage does not import (a report template, `report.py`) does not rerun
cleaning or validation.

The graph is read with `ast` (nothing is imported, so only the standard library is needed and
the script runs before the virtual environment exists). A stage starts at its command-line entry
modules and the modules its notebooks import; every `import` of a package module is followed,
also one inside a function, except in the command dispatchers (DISPATCHERS): their function-level
imports belong to one command each, so a stage names those it runs in its entries.
"""

from __future__ import annotations

import ast
import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = "jeugdmonitor"
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the package (deps runs before the venv: no imports)
PROJECT = PACKAGE_DIR.parent.parent
NOTEBOOKS = PROJECT / "notebooks"
# modules that dispatch commands: only their module-level imports are shared by every command
DISPATCHERS = frozenset({"cli", "makeargs", "runner.pipeline"})
# a template folder belongs to the module that loads it: a stage that imports the module uses the folder
TEMPLATE_OWNERS = {"pages": "report.templates", "jeugdmonitor": "report.export", "datadocs": "report.datadocs"}
# page kinds with template folders of their own (templates/pages/<kind>/)
PAGE_KINDS = ("gemeente", "regio", "index", "kwartaal")  # kwartaal: the quarter pages (runner.quarter)


@dataclass(frozen=True)
class Stage:
    """A Makefile stage: the modules its command loads itself and the notebooks it runs."""

    entries: tuple[str, ...]
    notebooks: tuple[str, ...]


STAGES = {
    # `cli clean` / `cli validate` load quality themselves (cli.py, function level)
    "clean": Stage(("cli", "quality"), ("01_opschonen.ipynb",)),
    "validate": Stage(("cli", "quality"), ("02_valideren.ipynb",)),
    # `makeargs reports` -> cli -> runner.pipeline.run_reports, which loads the runner
    "reports": Stage(("makeargs", "cli", "runner.run"), ("03_gemeenterapport.ipynb", "04_overzicht.ipynb",
                                                      "05_regio.ipynb")),
}


def module_file(name: str) -> Path | None:
    """The source file of package module `name` (dotted, without the package), or None."""
    base = PACKAGE_DIR.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_names(node: ast.AST) -> list[str]:
    """The package modules one import statement names (`from jeugdmonitor import a, b` gives
    a and b when they are modules, else the package part they come from)."""
    if isinstance(node, ast.Import):
        return [a.name.removeprefix(PACKAGE + ".") for a in node.names if a.name.startswith(PACKAGE + ".")]
    if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
        return []
    if node.module != PACKAGE and not node.module.startswith(PACKAGE + "."):
        return []
    base = node.module.removeprefix(PACKAGE).lstrip(".")
    names = []
    for alias in node.names:
        full = f"{base}.{alias.name}" if base else alias.name
        names.append(full if module_file(full) else base)
    return [n for n in names if n]


def _relative_names(node: ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """`from . import x` / `from .a import b` inside package module `module`."""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
    base = ".".join([*parts, *(node.module.split(".") if node.module else [])])
    found = []
    for alias in node.names:
        full = f"{base}.{alias.name}" if base else alias.name
        found.append(full if module_file(full) else base)
    return [n for n in found if n]


def imports_of(module: str) -> set[str]:
    """The package modules `module` imports (and the packages holding them, whose __init__ runs)."""
    path = module_file(module)
    if path is None:
        raise SystemExit(f"FOUT: module {PACKAGE}.{module} bestaat niet (src/{PACKAGE}/)")
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    nodes = tree.body if module in DISPATCHERS else ast.walk(tree)
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.level:
            found.update(_relative_names(node, module, path.name == "__init__.py"))
        else:
            found.update(_imported_names(node))
    return found | _parents(found)


def _parents(modules: set[str]) -> set[str]:
    """The subpackages holding these modules (importing a.b runs a/__init__.py)."""
    return {".".join(m.split(".")[:i]) for m in modules for i in range(1, m.count(".") + 1)}


def notebook_imports(notebook: str) -> set[str]:
    """The package modules a notebook's code cells import (a name in notebooks/, or a path)."""
    cells = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))["cells"]
    found: set[str] = set()
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell["source"])
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        for node in ast.walk(ast.parse("\n".join(lines))):
            found.update(_imported_names(node))
    return found | _parents(found)


def stage_modules(stage: str) -> set[str]:
    """Every package module a stage runs: the closure of its entries and notebooks' imports."""
    spec = STAGES[stage]
    return closure(set(spec.entries).union(*(notebook_imports(n) for n in spec.notebooks)))


def closure(start: set[str]) -> set[str]:
    """`start` and every package module it imports, directly or through others."""
    todo, seen = set(start), set()
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo |= imports_of(module) - seen
    return seen


@cache
def page_modules(notebook: str, runner: str = "runner.run") -> frozenset[str]:
    """The package files (relative to the package) a page runs: its notebook's imports and the
    runner that executes it and exports its HTML (runner.quarter for a quarter page)."""
    modules = closure(notebook_imports(notebook) | {runner})
    return frozenset(module_file(m).relative_to(PACKAGE_DIR).as_posix() for m in modules) | {"__init__.py"}


def page_uses_template(kind: str, relative: str) -> bool:
    """Whether a page of `kind` uses a template file (relative to templates/): the page templates
    in a folder named after a page kind (pages/gemeente/, pages/regio/) belong to that kind
    only; every other template is shared by all pages."""
    parts = relative.split("/")
    if len(parts) > 2 and parts[0] == "pages" and parts[1] in PAGE_KINDS:
        return parts[1] == kind
    return True


def stage_files(stage: str) -> list[str]:
    """The package files (modules, the package's __init__ and the owned template folders) a
    stage depends on, as paths relative to the project."""
    modules = stage_modules(stage)
    files = {module_file(m) for m in modules} | {PACKAGE_DIR / "__init__.py"}
    for folder, owner in TEMPLATE_OWNERS.items():
        if owner in modules:
            files |= {p for p in (PACKAGE_DIR / "templates" / folder).rglob("*") if p.is_file()}
    return sorted(p.relative_to(PROJECT).as_posix() for p in files)


def make_include() -> str:
    """The make include: one variable STAGE_FILES_<stage> per stage."""
    lines = ["# generated by `python -m jeugdmonitor.runner.deps make` from the import graph; do not edit"]
    for stage in STAGES:
        lines.append(f"STAGE_FILES_{stage} := " + " \\\n  ".join(stage_files(stage)))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """`make`: the include for the Makefile; `<stage>`: that stage's package files, one a line."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or (args[0] != "make" and args[0] not in STAGES):
        print(f"gebruik: python -m {PACKAGE}.runner.deps make|{'|'.join(STAGES)}", file=sys.stderr)
        return 2
    print(make_include() if args[0] == "make" else "\n".join(stage_files(args[0])), end="" if args[0] == "make" else "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
