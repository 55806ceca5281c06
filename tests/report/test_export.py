"""nbconvert rendering refuses outputs that must not reach a reader."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from jeugdmonitor.report import export


def _notebook_with(output):
    return new_notebook(cells=[new_code_cell("x", outputs=[output])])


def test_error_output_is_refused(tmp_path):
    notebook = _notebook_with(new_output("error", ename="ValueError", evalue="boom", traceback=[]))
    with pytest.raises(export.RenderError, match="foutuitvoer"):
        export.check_outputs(notebook, tmp_path / "x.ipynb")


def test_stderr_output_is_refused(tmp_path):
    notebook = _notebook_with(new_output("stream", name="stderr", text="FutureWarning: ..."))
    with pytest.raises(export.RenderError, match="stderr"):
        export.check_outputs(notebook, tmp_path / "x.ipynb")


def test_rendered_page_has_no_code_no_parameters_and_no_remote_script(tmp_path):
    cells = [
        new_code_cell("jaar = 2023", metadata={"tags": ["parameters"]}),
        new_code_cell("secret_code()", outputs=[new_output("display_data", data={"text/html": "<p>Hallo 1.234,5</p>"})]),
    ]
    source = tmp_path / "in.ipynb"
    nbformat.write(new_notebook(cells=cells), source)
    saved = nbformat.read(source, as_version=4)
    page = export.node_to_html(saved, source, tmp_path / "out.html", "Titel", "Fictieve voorbeelddata").read_text()
    assert "Hallo 1.234,5" in page
    assert "secret_code" not in page and "jaar = 2023" not in page
    assert "<script" not in page, "a page without a chart loads no script at all (see test_charts for pages with one)"
    assert 'lang="nl"' in page
    assert 'class="jm-banner"' in page and "Fictieve voorbeelddata" in page
