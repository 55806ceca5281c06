"""Every notebook runs top to bottom with its default parameters, as in JupyterLab, reading the
published data and writing only into the scratch folders (data/voorbeeld/, reports/voorbeeld/):
what the batch stages published stays byte for byte as it was."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest

from jeugdmonitor import paths
from jeugdmonitor.runner import pipeline

from .conftest import YEAR, make_copy, run

pytestmark = pytest.mark.integration

NOTEBOOKS = ("00_verkennen.ipynb", "01_opschonen.ipynb", "02_valideren.ipynb", "03_gemeenterapport.ipynb",
             "04_overzicht.ipynb", "05_regio.ipynb")
# files a notebook run by hand used to overwrite: they stand in for a published report set
PUBLISHED_REPORT_FILES = (paths.figures_csv_name("GM0503"), paths.local_table_name("GM0503", "xlsx"),
                          paths.local_table_name("GM0503", "csv"), paths.overview_csv_name(YEAR), paths.INDEX_PAGE_NAME)


def _snapshot(folder: Path, skip: str | None = None) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and (skip is None or p.relative_to(folder).parts[0] != skip)}


def _outputs(notebook: Path) -> str:
    return "\n".join(output.get("text", "") for cell in nbformat.read(notebook, as_version=4).cells
                     for output in cell.get("outputs", []))


def test_notebooks_run_by_hand_leave_the_published_files_byte_identical(tmp_path, monkeypatch):
    root = make_copy(tmp_path / "project")
    run(root, "make", "validate", f"YEAR={YEAR}")  # the batch stages publish data/clean/<year>/
    published = root / "reports" / str(YEAR)
    published.mkdir(parents=True)
    for name in PUBLISHED_REPORT_FILES:
        (published / name).write_text(f"gepubliceerd: {name}\n", encoding="utf-8")
    clean_before, staging_before = _snapshot(root / "data" / "clean"), _snapshot(root / "data" / "staging")
    reports_before = _snapshot(root / "reports")
    report_entries = {p.name for p in (root / "reports").iterdir()}
    assert (root / "data" / "clean" / str(YEAR) / paths.EXECUTED_NOTEBOOK_DIR_NAME / "02_valideren.ipynb").is_file()

    monkeypatch.setenv("JEUGDMONITOR_ROOT", str(root))  # the kernel inherits it, like `make lab`
    # a plain kernel, as in JupyterLab, keeps IPython's history: in the test's folder, not the home
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    executed = tmp_path / "executed"
    executed.mkdir()
    for name in NOTEBOOKS:
        papermill.execute_notebook(str(root / "notebooks" / name), str(executed / name), kernel_name=pipeline.KERNEL_NAME,
                                   cwd=str(root / "notebooks"), progress_bar=False)

    assert _snapshot(root / "data" / "clean") == clean_before  # notebook 02 by hand publishes nothing
    assert _snapshot(root / "reports", skip=paths.SCRATCH_DIR_NAME) == reports_before
    assert {p.name for p in (root / "reports").iterdir()} == report_entries | {paths.SCRATCH_DIR_NAME}
    assert _snapshot(root / "data" / "staging") == staging_before  # notebook 01 by hand stages nothing
    scratch_data = root / "data" / "voorbeeld" / str(YEAR)
    assert (scratch_data / "kpi_waarden.parquet").is_file() and (scratch_data / "validatie.json").is_file()
    scratch_reports = root / "reports" / "voorbeeld"
    for name in PUBLISHED_REPORT_FILES[:4]:
        assert (scratch_reports / name).is_file(), name
    for name in NOTEBOOKS[1:5]:  # each notebook that writes says where
        assert "Met de hand gedraaid (uitvoer_map = None)" in _outputs(executed / name), name
