"""The tests mirror the package: each module of a stage folder with functions has its own test
file, tests/<stage>/test_<module>.py, so a reader finds a module's tests by its name."""

from __future__ import annotations

import ast
from pathlib import Path

import jeugdmonitor

from .conftest import REPO_ROOT

PACKAGE_DIR = Path(jeugdmonitor.__file__).parent
TESTS_DIR = REPO_ROOT / "tests"

# Modules without a unit-test file of their own, and where they are tested instead.
TESTED_ELSEWHERE = {
    "devtools/browser": "drives a real browser: tests/integration/test_browser.py, test_overview_browser.py",
    "devtools/sample_areas": "writes the sample's area tables: tests/devtools/test_sample_data.py regenerates them",
    "report/downloads": "the page's download files: tests/hostile/test_downloads.py, tests/integration/test_hostile_names.py",
    "report/inputs": "reads data/clean/: the report tests build Inputs in memory, tests/integration/ reads real ones",
    "report/local": "the region's own tables and figures: tests/hostile/test_downloads.py",
    "report/pdf": "WeasyPrint on built pages: tests/integration/test_pdf.py",
    "report/subject": "the Report every page section takes: tests/report/test_municipal.py, test_appendix.py",
    "runner/deps": "make's dependency lists: tests/integration/test_make_dependencies.py",
    "runner/kernel": "the notebook kernels: tests/hostile/test_kernel_folders.py, tests/integration/test_runner.py",
    "runner/pipeline": "runs the notebooks: tests/integration/test_pipeline.py, tests/hostile/test_faults.py",
    "definitions/quarters": "which regions report per quarter: tests/clean/test_quarter.py",
    "sources/quarter_exports": "the exports a quarter reads, refused months: tests/clean/test_quarter.py",
    "report/quarter": "the quarter pages: tests/clean/test_quarter.py, tests/integration/test_kwartaal.py",
    "definitions/comparisons": "what CBS and a region both count: tests/clean/test_cbs_region.py",
    "report/cbs_region": "the region overview's CBS-beside-region rows: tests/clean/test_cbs_region.py",
    "report/figures": "a chart as a figure (SVG, spec, runtime): tests/report/test_charts.py renders each chart kind through it",
    "sources/boundaries": "the boundary files under their sidecar: tests/report/test_maps.py, tests/fetch/test_pdok.py",
}


def stage_modules(package_dir: Path) -> list[str]:
    """'<stage>/<module>' of every module in a stage folder that defines a function."""
    found = []
    for path in sorted(package_dir.glob("*/*.py")):
        if path.stem in ("__init__", "__main__") or not (path.parent / "__init__.py").is_file():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) for node in ast.walk(tree)):
            found.append(f"{path.parent.name}/{path.stem}")
    return found


def missing_test_files(package_dir: Path, tests_dir: Path, elsewhere: dict[str, str]) -> list[str]:
    """The test files the layout asks for and that do not exist, and allowlist entries that
    are stale (the module is gone or has its own test file now)."""
    modules = stage_modules(package_dir)
    wanted = {m: tests_dir / Path(m).parent / f"test_{Path(m).name}.py" for m in modules}
    missing = [wanted[m].relative_to(tests_dir).as_posix() for m in modules
               if m not in elsewhere and not wanted[m].is_file()]
    stale = [f"{m} (in the allowlist)" for m in sorted(elsewhere) if m not in wanted or wanted[m].is_file()]
    return missing + stale


def test_every_stage_module_has_its_own_test_file():
    assert missing_test_files(PACKAGE_DIR, TESTS_DIR, TESTED_ELSEWHERE) == []


def test_the_layout_check_finds_a_missing_test_file_and_a_stale_allowlist_entry(tmp_path):
    package, tests = tmp_path / "pkg", tmp_path / "tests"
    files = {"fetch/__init__.py": "", "fetch/odata.py": "def f():\n    pass\n", "fetch/cli.py": "def main():\n    pass\n",
             "fetch/names.py": "NAMES = ()\n", "report/__init__.py": "", "report/pdf.py": "class P:\n    def a(self):\n        pass\n"}
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    (tests / "fetch").mkdir(parents=True)
    (tests / "fetch" / "test_odata.py").write_text("", encoding="utf-8")

    assert stage_modules(package) == ["fetch/cli", "fetch/odata", "report/pdf"]  # names.py has no function
    assert missing_test_files(package, tests, {"report/pdf": "integration"}) == ["fetch/test_cli.py"]
    assert missing_test_files(package, tests, {"fetch/odata": "x", "fetch/gone": "y"}) == [
        "fetch/test_cli.py", "report/test_pdf.py", "fetch/gone (in the allowlist)", "fetch/odata (in the allowlist)"]
