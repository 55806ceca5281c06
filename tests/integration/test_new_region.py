"""Adding a region is configuration plus its files: no code change.

A fictitious fifth region is added to config/ in a copy of the project, its files are
generated, the GX suites are regenerated from config, and the pipeline reports on it."""

from __future__ import annotations

import pytest

from .conftest import YEAR, make_copy, run

pytestmark = pytest.mark.integration

NEW_REGION = """  JZ99:
    naam: Proefregio
    regiovisie: "Regiovisie Proefregio (test)"
"""
NEW_MUNICIPALITIES = """  - {code: GM9901, naam: Proefstad, regio: JZ99, van: 2015}
  - {code: GM9902, naam: Proefdorp, regio: JZ99, van: 2015}
"""


def test_a_fifth_region_needs_only_config_and_files(tmp_path):
    root = make_copy(tmp_path / "project")
    municipalities = root / "config" / "gemeenten.yaml"
    text = municipalities.read_text(encoding="utf-8")
    text = text.replace("gemeenten:\n", NEW_REGION + "gemeenten:\n" + NEW_MUNICIPALITIES, 1)
    municipalities.write_text(text, encoding="utf-8")
    sample = root / "config" / "voorbeelddata.yaml"
    # inwoners_2023 is the last mapping in the file: the new sizes go at its end
    sample.write_text(sample.read_text(encoding="utf-8") + "  GM9901: 60000\n  GM9902: 15000\n", encoding="utf-8")
    python = ".venv/bin/python"
    run(root, python, "-m", "jeugdmonitor.cli", "sample-data")  # the region's files (fictitious)
    assert (root / "data" / "raw" / "regio" / "JZ99" / "budget.csv").exists()
    run(root, python, "-m", "jeugdmonitor.cli", "expectations")  # suites follow config/
    run(root, python, "-m", "jeugdmonitor.cli", "clean", "--year", str(YEAR))
    run(root, python, "-m", "jeugdmonitor.cli", "validate", "--year", str(YEAR))
    run(root, python, "-m", "jeugdmonitor.cli", "reports", "--year", str(YEAR), "--gemeente", "GM9901")
    page = (root / "reports" / str(YEAR) / "GM9901.html").read_text(encoding="utf-8")
    assert "Jeugdhulp in Proefstad: voortgangsrapportage 2023" in page and "jeugdregio Proefregio" in page
    assert "Voor Proefregio zijn geen doelen vastgelegd." in page
    assert "<h2>Proefregio</h2>" in (root / "reports" / str(YEAR) / "index.html").read_text(encoding="utf-8")
