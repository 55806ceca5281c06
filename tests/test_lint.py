"""The code passes ruff (settings in pyproject.toml): unused imports, undefined names, likely bugs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import REPO_ROOT

RUFF = Path(sys.executable).with_name("ruff")


def test_ruff_finds_nothing():
    assert RUFF.exists(), f"{RUFF} is missing: run `make setup` (ruff is pinned in requirements.lock)"
    result = subprocess.run([str(RUFF), "check", "--no-cache", "src", "tests", "bench"], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"ruff check src tests bench:\n{result.stdout}{result.stderr}"


def test_ruff_would_fail_on_a_finding(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n", encoding="utf-8")  # an unused import
    result = subprocess.run([str(RUFF), "check", "--no-cache", "--config", str(REPO_ROOT / "pyproject.toml"), str(bad)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "F401" in result.stdout
