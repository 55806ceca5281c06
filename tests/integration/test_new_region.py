"""Adding a region is configuration plus its files: no code change, and no file edited by hand.

In a copy of the project a fictitious fifth region is written into config/gemeenten.yaml from
the bundled sample of CBS's area table (`make regio`), its files are generated, one of them is
imported as a spreadsheet CSV (`make import`), the GX suites are regenerated from config, and the
pipeline reports on it."""

from __future__ import annotations

import pytest

from .conftest import YEAR, make_copy, run

pytestmark = pytest.mark.integration


def test_a_fifth_region_needs_only_config_and_files(tmp_path):
    root = make_copy(tmp_path / "project")
    python = ".venv/bin/python"
    written = run(root, python, "-m", "jeugdmonitor.cli", "regio", "--jeugdregio", "JZ99")  # Proefregio, from the area table
    assert "2 gemeenten toegevoegd" in written.stdout
    assert "  - {code: GM9901, naam: Proefstad, regio: JZ99, van: 2015}\n" in (root / "config" / "gemeenten.yaml").read_text(
        encoding="utf-8")
    sample = root / "config" / "voorbeelddata.yaml"
    # inwoners_2023 is the last mapping in the file: the new sizes go at its end
    sample.write_text(sample.read_text(encoding="utf-8") + "  GM9901: 60000\n  GM9902: 15000\n", encoding="utf-8")
    run(root, python, "-m", "jeugdmonitor.cli", "sample-data")  # the region's files (fictitious)
    budget = root / "data" / "raw" / "regio" / "JZ99" / "budget.csv"
    generated = budget.read_bytes()
    export = tmp_path / "Begroting Proefregio.csv"  # as a spreadsheet saves it: Windows-1252, CRLF
    export.write_bytes(generated.decode("utf-8").replace("\n", "\r\n").encode("cp1252"))
    run(root, python, "-m", "jeugdmonitor.cli", "import", "--regio", "JZ99", "--soort", "budget", "--bestand", str(export))
    assert budget.read_bytes() == generated  # stored in the contract's form, with its own sidecar
    assert '"bestand": "Begroting Proefregio.csv"' in (budget.parent / "budget.csv.meta.json").read_text(encoding="utf-8")
    run(root, python, "-m", "jeugdmonitor.cli", "expectations")  # suites follow config/
    run(root, python, "-m", "jeugdmonitor.cli", "clean", "--year", str(YEAR))
    run(root, python, "-m", "jeugdmonitor.cli", "validate", "--year", str(YEAR))
    run(root, python, "-m", "jeugdmonitor.cli", "reports", "--year", str(YEAR), "--gemeente", "GM9901")
    page = (root / "reports" / str(YEAR) / "GM9901.html").read_text(encoding="utf-8")
    assert "Jeugdhulp in Proefstad: voortgangsrapportage 2023" in page and "jeugdregio Proefregio" in page
    assert "Voor Proefregio zijn geen doelen vastgelegd." in page
    assert "<h2>Proefregio</h2>" in (root / "reports" / str(YEAR) / "index.html").read_text(encoding="utf-8")
