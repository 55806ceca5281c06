"""On bad input the run stops with a clear message and a non-zero exit, and publishes nothing."""

from __future__ import annotations

import pytest

from jeugdmonitor.sources import raw

from .conftest import YEAR, make_copy, run

pytestmark = pytest.mark.integration

YOUTH_CARE = "data/raw/cbs/84134NED_TypedDataSet.csv"
POPULATION = "data/raw/cbs/03759ned_TypedDataSet.csv"


def _rewrite(root, relative, old, new):
    """Change a raw file as a bad delivery would, with a matching sidecar (so the checksum passes)."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    meta = raw.read_sidecar(path)
    raw.write_sidecar(path, {k: v for k, v in meta.items() if k not in ("sha256", "bestand")})


@pytest.fixture
def published(tmp_path):
    root = make_copy(tmp_path / "project")
    previous = root / "reports" / str(YEAR)
    previous.mkdir(parents=True)
    (previous / "index.html").write_text("vorige, goedgekeurde run")
    return root


def _assert_nothing_published(root):
    assert (root / "reports" / str(YEAR) / "index.html").read_text() == "vorige, goedgekeurde run"
    assert not (root / "data" / "clean" / str(YEAR) / "validatie.json").exists()


def test_text_in_a_numeric_column_names_file_column_and_row(published):
    _rewrite(published, YOUTH_CARE, '"      455"', '"        x"')
    result = run(published, "make", "reports", f"YEAR={YEAR}", check=False)
    assert result.returncode != 0
    assert YOUTH_CARE in result.stderr and "JongerenMetJeugdzorg_1" in result.stderr and "regels 4" in result.stderr
    _assert_nothing_published(published)


def test_edited_raw_file_without_new_sidecar_is_refused(published):
    path = published / YOUTH_CARE
    path.write_text(path.read_text().replace('"      455"', '"      460"', 1))
    result = run(published, ".venv/bin/python", "-m", "jeugdmonitor.cli", "clean", "--year", str(YEAR), check=False)
    assert result.returncode == 2
    assert "controlegetal" in result.stderr and YOUTH_CARE in result.stderr
    _assert_nothing_published(published)


def test_failed_expectation_stops_before_any_report(published):
    # a tiny population for Delft makes its shares impossible (above 100%)
    for age in range(0, 23):
        key = f'"{10010 + 100 * age}";"T001019";"GM0503  ";"{YEAR}JJ00";'
        path = published / POPULATION
        text = path.read_text(encoding="utf-8")
        start = text.index(key) + len(key)
        end = text.index("\n", start)
        path.write_text(text[:start] + '"        1"' + text[end:], encoding="utf-8")
    meta = raw.read_sidecar(published / POPULATION)
    raw.write_sidecar(published / POPULATION, {k: v for k, v in meta.items() if k not in ("sha256", "bestand")})
    result = run(published, ".venv/bin/python", "-m", "jeugdmonitor.cli", "clean", "--year", str(YEAR))
    result = run(published, ".venv/bin/python", "-m", "jeugdmonitor.cli", "validate", "--year", str(YEAR), check=False)
    assert result.returncode == 3, result.stderr[-2000:]
    assert "kpi_waarden" in result.stderr and "waarde" in result.stderr
    _assert_nothing_published(published)
    result = run(published, ".venv/bin/python", "-m", "jeugdmonitor.cli", "reports", "--year", str(YEAR), check=False)
    assert result.returncode != 0 and "validatie.json" in result.stderr
    _assert_nothing_published(published)


def test_unknown_municipality_is_an_error_naming_it(published):
    run(published, ".venv/bin/python", "-m", "jeugdmonitor.cli", "clean", "--year", str(YEAR))
    run(published, ".venv/bin/python", "-m", "jeugdmonitor.cli", "validate", "--year", str(YEAR))
    result = run(published, ".venv/bin/python", "-m", "jeugdmonitor.cli", "reports", "--year", str(YEAR),
                 "--gemeente", "GM9999", check=False)
    assert result.returncode == 2 and "GM9999" in result.stderr
    assert (published / "reports" / str(YEAR) / "index.html").read_text() == "vorige, goedgekeurde run"
