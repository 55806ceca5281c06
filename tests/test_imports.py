"""The package has no import cycles: a newcomer can read its modules from the bottom up."""

from __future__ import annotations

import ast
from pathlib import Path

import jeugdmonitor

PACKAGE_DIR = Path(jeugdmonitor.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports anywhere in its code (also inside functions)."""
    modules = {_module_name(p): p for p in PACKAGE_DIR.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                base = node.module
                if node.level:  # relative import
                    package = name.split(".")[: -node.level] if path.name != "__init__.py" else name.split(".")
                    base = ".".join([*package, node.module])
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            for target in targets:
                if target in modules and target != name and target != "jeugdmonitor":
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_package_has_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_vocabulary_imports_nothing_of_the_package():
    assert import_graph()["jeugdmonitor.vocabulary"] == set()


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_the_report_runner_does_not_load_the_quality_gate():
    # the gate imports GX (seconds per process); the runner only checks and copies its Data Docs
    loaded = {m for m in reachable(import_graph(), "jeugdmonitor.runner.run") if m.startswith("jeugdmonitor.quality")}
    assert not loaded, sorted(loaded)
    assert "jeugdmonitor.quality.gate" in reachable(import_graph(), "jeugdmonitor.fetch.importer")  # the check can see one


# Each stage folder may import the floor (the package's top-level modules) and the stages before
# it; the pipeline reads from left to right. `cli` and `makeargs` (the command lines) may import
# every stage; devtools stand beside the pipeline and only read definitions and sources.
STAGE_ORDER = ("definitions", "sources", "clean", "quality", "fetch", "report", "runner")
ALLOWED = {stage: set(STAGE_ORDER[:i]) for i, stage in enumerate(STAGE_ORDER)}
ALLOWED["devtools"] = {"definitions", "sources"}
ALLOWED["report"] = {"definitions", "sources"}  # reads validated tables through jeugdmonitor.tables
COMMANDS = {"jeugdmonitor.cli", "jeugdmonitor.makeargs"}


def _stage(module: str) -> str | None:
    """The stage folder of a package module, or None for a module on the floor."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else None


def stage_violations(graph: dict[str, set[str]]) -> list[str]:
    """Imports that point against the pipeline: a stage importing a later one, the floor importing a stage."""
    wrong = []
    for module, targets in graph.items():
        if module in COMMANDS:
            continue
        own = _stage(module)
        for target in targets:
            other = _stage(target)
            if other is None or other == own:
                continue
            if own is None or other not in ALLOWED[own]:
                wrong.append(f"{module} -> {target}")
    return sorted(wrong)


def test_imports_point_one_way_along_the_pipeline():
    assert stage_violations(import_graph()) == []


def test_the_stage_check_finds_an_import_against_the_pipeline():
    graph = {"jeugdmonitor.sources.raw": {"jeugdmonitor.report.charts"}, "jeugdmonitor.paths": {"jeugdmonitor.clean.build"},
             "jeugdmonitor.report.charts": {"jeugdmonitor.sources.raw", "jeugdmonitor.paths"}}
    assert stage_violations(graph) == ["jeugdmonitor.paths -> jeugdmonitor.clean.build",
                                       "jeugdmonitor.sources.raw -> jeugdmonitor.report.charts"]


def test_every_stage_folder_says_its_job():
    for stage in ALLOWED:
        doc = ast.get_docstring(ast.parse((PACKAGE_DIR / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()) <= 12, stage
