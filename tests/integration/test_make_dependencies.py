"""The Makefile's prerequisites cannot go stale: touching any input makes its stage stale.

No pipeline is built: a fresh copy of the project gets its stage targets as empty files,
touched in order, so make considers everything up to date; then each input in turn gets a
newer modification time and `make --question` must call the stage stale (exit 1).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import YEAR, make_copy, run

PACKAGE = Path("src") / "jeugdmonitor"
STAGED = f"data/staging/{YEAR}.klaar.json"
VALIDATED = f"data/clean/{YEAR}/validatie.json"
REPORTS = f"reports/{YEAR}/index.html"
STAGES = (STAGED, VALIDATED, REPORTS)


def _stale(root: Path, target: str) -> bool:
    result = run(root, "make", "--question", target, f"YEAR={YEAR}", check=False)
    assert result.returncode in (0, 1), f"make --question {target} failed:\n{result.stderr}"
    return result.returncode == 1


@pytest.fixture(scope="module")
def up_to_date(tmp_path_factory) -> Path:
    root = make_copy(tmp_path_factory.mktemp("make-deps"))
    newest = max(p.stat().st_mtime for p in root.rglob("*") if p.is_file() and ".venv" not in p.parts)
    newest = max(newest, (root / ".venv" / ".setup-klaar").stat().st_mtime)  # `make setup`, a prerequisite too
    for offset, target in enumerate(STAGES, start=1):
        path = root / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}\n", encoding="utf-8")
        os.utime(path, (newest + offset, newest + offset))
    for target in STAGES:
        assert not _stale(root, target), f"{target} should be up to date in the prepared copy"
    return root


def _package_files(root: Path) -> list[str]:
    found = [p for p in (root / PACKAGE).rglob("*")
             if p.is_file() and "__pycache__" not in p.parts
             and (p.suffix == ".py" or (root / PACKAGE / "templates") in p.parents)]
    return sorted(p.relative_to(root).as_posix() for p in found)


@contextlib.contextmanager
def _touched(root: Path, relative: str) -> Iterator[None]:
    path = root / relative
    before = path.stat()
    later = max((root / t).stat().st_mtime for t in STAGES) + 100
    os.utime(path, (later, later))
    try:
        yield
    finally:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _stale_stages(root: Path, relative: str) -> set[str]:
    with _touched(root, relative):
        return {target for target in STAGES if _stale(root, target)}


STAGE_OF = {STAGED: "clean", VALIDATED: "validate", REPORTS: "reports"}


def _expected_stale(root: Path, relative: str) -> set[str]:
    """The stages that use a package file (by the import graph) and the stages after them."""
    result = run(root, "python3", "-B", "-c", "import json, sys; from jeugdmonitor.runner import deps; "
                 "print(json.dumps({s: deps.stage_files(s) for s in deps.STAGES}))",
                 env={"PYTHONPATH": str(root / "src")})
    uses = json.loads(result.stdout)
    first = next((i for i, target in enumerate(STAGES) if relative in uses[STAGE_OF[target]]), len(STAGES))
    return set(STAGES[first:])


def test_every_package_file_makes_the_stages_that_use_it_stale(up_to_date):
    files = _package_files(up_to_date)
    assert any(f.endswith("/iv3.py") for f in files) and any("/templates/" in f for f in files)
    wrong = {f: (sorted(stale), sorted(expected)) for f in files
             if (stale := _stale_stages(up_to_date, f)) != (expected := _expected_stale(up_to_date, f))}
    assert not wrong, f"package files whose stale stages (found, expected) differ: {wrong}"


@pytest.mark.parametrize("relative", [
    f"{PACKAGE}/clean/build.py", f"{PACKAGE}/paths.py", f"{PACKAGE}/definitions/config.py", f"{PACKAGE}/quality/rules.py",
])
def test_a_module_cleaning_imports_makes_every_stage_stale(up_to_date, relative):
    assert _stale_stages(up_to_date, Path(relative).as_posix()) == set(STAGES)


@pytest.mark.parametrize("relative", [
    f"{PACKAGE}/report/municipal.py", f"{PACKAGE}/runner/run.py", f"{PACKAGE}/report/charts.py",
    f"{PACKAGE}/templates/pages/gemeente/kop.html.j2", f"{PACKAGE}/templates/pages/index.html.j2",
    f"{PACKAGE}/templates/jeugdmonitor/index.html.j2",
])
def test_a_report_module_or_template_leaves_cleaning_and_validation_up_to_date(up_to_date, relative):
    assert _stale_stages(up_to_date, Path(relative).as_posix()) == {REPORTS}


def test_a_module_unused_by_every_stage_makes_none_stale(up_to_date):
    assert _stale_stages(up_to_date, f"{PACKAGE.as_posix()}/devtools/sample_data.py") == set()


def test_a_new_import_is_followed_without_editing_the_makefile(up_to_date):
    """The lists come from the import graph: once the cleaning stage imports the report module, it is an
    input of cleaning (make rebuilds its include before asking)."""
    module = up_to_date / PACKAGE / "clean" / "build.py"
    before = module.read_text(encoding="utf-8")
    stat = module.stat()
    try:
        module.write_text(before + "\nfrom jeugdmonitor.report import municipal  # noqa\n", encoding="utf-8")
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # cleaning stale only through the report module
        os.utime(up_to_date / ".make" / "stages.mk", (0, 0))  # as after an edit: the module is newer than the include
        assert _stale_stages(up_to_date, f"{PACKAGE.as_posix()}/report/municipal.py") == set(STAGES)
    finally:
        module.write_text(before, encoding="utf-8")
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.utime(up_to_date / ".make" / "stages.mk", (0, 0))
    assert _stale_stages(up_to_date, f"{PACKAGE.as_posix()}/report/municipal.py") == {REPORTS}


def test_every_definition_makes_every_stage_stale(up_to_date):
    files = sorted(p.relative_to(up_to_date).as_posix() for p in (up_to_date / "config").glob("*.yaml"))
    assert files
    missing = {f: sorted(set(STAGES) - stale) for f in files if (stale := _stale_stages(up_to_date, f)) != set(STAGES)}
    assert not missing, f"stages that do not depend on these definitions: {missing}"


@pytest.mark.parametrize(("notebook", "stale"), [
    ("01_opschonen.ipynb", set(STAGES)),
    ("02_valideren.ipynb", {VALIDATED, REPORTS}),
    ("03_gemeenterapport.ipynb", {REPORTS}),
    ("04_overzicht.ipynb", {REPORTS}),
])
def test_a_notebook_makes_its_stage_and_the_later_ones_stale(up_to_date, notebook, stale):
    assert _stale_stages(up_to_date, f"notebooks/{notebook}") == stale


def test_a_stale_stage_makes_the_later_stages_stale(up_to_date):
    assert _stale_stages(up_to_date, STAGED) == {VALIDATED, REPORTS}
    assert _stale_stages(up_to_date, VALIDATED) == {REPORTS}


def test_raw_files_and_the_committed_gx_context_make_the_cleaning_stage_stale(up_to_date):
    # many files: only the first stage is asked; the test above shows that the later ones follow
    raw = sorted(p for p in (up_to_date / "data" / "raw").rglob("*") if p.is_file() and p.name != "README.md")
    gx = sorted(p for p in (up_to_date / "expectations" / "gx").rglob("*")
                if p.is_file() and "uncommitted" not in p.relative_to(up_to_date).parts)
    assert raw and gx
    missing = []
    for path in (*raw, *gx):
        relative = path.relative_to(up_to_date).as_posix()
        with _touched(up_to_date, relative):
            if not _stale(up_to_date, STAGED):
                missing.append(relative)
    assert not missing, f"the cleaning stage does not depend on {missing}"
