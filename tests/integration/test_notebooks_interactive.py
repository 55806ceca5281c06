"""Every notebook runs top to bottom with its default parameters, as in JupyterLab, and reads
and writes the same places as the batch run."""

from __future__ import annotations

import papermill
import pytest

from jeugdmonitor import paths, pipeline

from .conftest import YEAR, make_copy

pytestmark = pytest.mark.integration


def test_notebooks_run_with_their_defaults_in_order(tmp_path, monkeypatch):
    root = make_copy(tmp_path / "project")
    monkeypatch.setenv("JEUGDMONITOR_ROOT", str(root))  # the kernel inherits it, like `make lab`
    # a plain kernel, as in JupyterLab, keeps IPython's history: in the test's folder, not the home
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    executed = tmp_path / "executed"
    executed.mkdir()
    for name in ("01_opschonen.ipynb", "02_valideren.ipynb", "03_gemeenterapport.ipynb", "04_overzicht.ipynb",
                 "05_regio.ipynb"):
        papermill.execute_notebook(str(root / "notebooks" / name), str(executed / name), kernel_name=pipeline.KERNEL_NAME,
                                   cwd=str(root / "notebooks"), progress_bar=False)
    clean = root / "data" / "clean" / str(YEAR)
    assert (clean / "manifest.json").exists() and (clean / "validatie.json").exists()
    assert (root / "reports" / str(YEAR) / "GM0503_cijfers.csv").exists()  # the report notebook's default
    assert (root / "reports" / str(YEAR) / "GM0503_lokale_paragraaf.xlsx").exists()
    assert (root / "reports" / str(YEAR) / f"overzicht_{YEAR}.csv").exists()
    assert paths.CLEAN_NOTEBOOK_NAME == "01_opschonen.ipynb"
