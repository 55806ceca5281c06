"""Project set-up: pinned environment, CI command, notebooks stored without outputs and shaped alike."""

from __future__ import annotations

import re

import nbformat
import pytest
import yaml
from packaging.requirements import Requirement

from jeugdmonitor.devtools import environment

from ..conftest import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))


def test_environment_yml_pins_the_same_versions_as_the_lock():
    lock = environment.lock_pins((REPO_ROOT / "requirements.lock").read_text(encoding="utf-8"))
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    env_pins = environment.lock_pins("\n".join(pip_section))
    assert env_pins == lock
    assert "python=3.11" in env["dependencies"]


def test_lock_pins_every_direct_dependency_exactly():
    """Every line of requirements.in is pinned in the lock, at a version its bounds allow (a
    bound like `jsonschema<4.25` keeps a dependency below a release that would slow every run)."""
    lock = environment.lock_pins((REPO_ROOT / "requirements.lock").read_text(encoding="utf-8"))
    lines = [line.split("#")[0].strip() for line in (REPO_ROOT / "requirements.in").read_text().splitlines()]
    direct = [Requirement(line) for line in lines if line]
    missing = [str(req) for req in direct if environment.normalise(req.name) not in lock]
    assert missing == []
    outside = [f"{req} (lock: {lock[environment.normalise(req.name)]})" for req in direct
               if not req.specifier.contains(lock[environment.normalise(req.name)], prereleases=True)]
    assert outside == []
    for needed in ("papermill", "nbconvert", "jupyterlab", "pandas", "altair", "great-expectations", "pyarrow", "cbsodata"):
        assert needed in lock


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^```(?:sh|bash)?\n(.*?)\n```", readme, flags=re.S | re.M)
    setup_command, test_command = commands[0].strip(), commands[1].strip()
    assert setup_command == "make"
    ci_lines = [line for line in (REPO_ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))]
    assert ci_lines == [test_command]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {index} has outputs: run `make setup` (nbstripout filter)"
            assert cell.execution_count is None, f"{path.name} cell {index} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_title_parameters_and_the_three_sections(path):
    notebook = nbformat.read(path, as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert "Doel:" in first.source, "purpose line"
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and notebook.cells.index(tagged[0]) == 1
    headings = [c.source.strip() for c in notebook.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert headings == ["## Invoer laden", "## Verwerken", "## Uitvoer opslaan"]
    assert notebook.metadata["kernelspec"]["name"] == "jeugdmonitor"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_code_stays_thin(path):
    """Logic lives in the package: notebook cells only call it (no defs, classes or loops over data)."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not re.search(r"^\s*(def|class) ", cell.source, flags=re.M), cell.source
            assert len(cell.source.splitlines()) <= 8, cell.source


def test_make_help_lists_the_pipeline_targets():
    import subprocess

    listing = subprocess.run(["make", "--no-print-directory", "help"], cwd=REPO_ROOT, capture_output=True, text=True,
                             check=True).stdout
    targets = {line.split()[0] for line in listing.splitlines() if line.strip()}
    assert {"setup", "clean-data", "validate", "reports", "test", "lab", "yearly", "help"} <= targets
