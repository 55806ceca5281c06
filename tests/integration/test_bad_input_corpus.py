"""The bad-input corpus (tests/bad_inputs/): every case stops the run with its expected exit
code and a message naming the file, column and rows, and publishes nothing.

Each case folder holds case.yaml (what a bad delivery changes in data/raw/ and the expected
outcome) and, for whole-file cases, the small replacement file."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from jeugdmonitor import paths
from jeugdmonitor.sources import raw

from .conftest import YEAR, make_copy, run

pytestmark = pytest.mark.integration

CORPUS = Path(__file__).resolve().parents[1] / "bad_inputs"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


def test_the_corpus_has_at_least_twenty_cases():
    assert len(CASES) >= 20


def apply_case(case: Path, root: Path) -> dict:
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    target = root / "data" / "raw" / spec["doel"]
    action = spec["actie"]
    text = target.read_text(encoding="utf-8")
    if action == "vervang":
        shutil.copy(case / spec["bestand"], target)
    elif action == "vervang_bestand":  # e.g. the CSV export delivered as an Excel workbook instead
        meta = raw.read_sidecar(target)
        target.unlink()
        paths.raw_sidecar(target).unlink()
        target = target.with_name(spec["bestand"])
        shutil.copy(case / spec["bestand"], target)
        raw.write_sidecar(target, {k: v for k, v in meta.items() if k not in ("sha256", "bestand")})
        return spec
    elif action == "wijzig":
        assert spec["oud"] in text, f"{case.name}: text to change not found"
        target.write_text(text.replace(spec["oud"], spec["nieuw"], 1), encoding="utf-8")
    elif action == "voegtoe":
        target.write_text(text + "\n".join(spec["regels"]) + "\n", encoding="utf-8")
    elif action == "verwijder_regels":
        lines = text.splitlines(keepends=True)
        kept = [line for number, line in enumerate(lines) if number == 0 or spec["filter"] not in line]
        assert len(kept) < len(lines), f"{case.name}: no line matched"
        target.write_text("".join(kept), encoding="utf-8")
    elif action == "hercodeer":
        assert spec["oud"] in text
        target.write_bytes(text.replace(spec["oud"], spec["nieuw"]).encode(spec["codering"]))
    else:
        raise ValueError(f"{case.name}: unknown actie {action!r}")
    if spec.get("sidecar", "bijwerken") == "bijwerken":
        # a delivery whose sidecar matches the bad file: the checksum check cannot catch it
        meta = raw.read_sidecar(target)
        raw.write_sidecar(target, {k: v for k, v in meta.items() if k not in ("sha256", "bestand")})
    return spec


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A project copy with previously published clean data and reports."""
    root = make_copy(tmp_path_factory.mktemp("corpus") / "template")
    (root / "data" / "clean" / str(YEAR)).mkdir(parents=True)
    (root / "data" / "clean" / str(YEAR) / "validatie.json").write_text('{"vorige": true}')
    (root / "reports" / str(YEAR)).mkdir(parents=True)
    (root / "reports" / str(YEAR) / "index.html").write_text("vorige, goedgekeurde run")
    return root


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_bad_input_stops_the_run_and_publishes_nothing(case, template, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(template, root, symlinks=True)
    spec = apply_case(case, root)
    before = {name: snapshot(root / name) for name in ("reports", "data/clean")}
    python = ".venv/bin/python"
    result = run(root, python, "-m", "jeugdmonitor.cli", "clean", "--year", str(YEAR), check=False)
    if result.returncode == 0:  # problems only the clean-table suites see
        result = run(root, python, "-m", "jeugdmonitor.cli", "validate", "--year", str(YEAR), check=False)
    expected = spec["verwacht"]
    assert result.returncode == expected["exit"], result.stderr[-3000:]
    for fragment in expected["boodschap"]:
        assert fragment in result.stderr, f"{fragment!r} not in:\n{result.stderr[-3000:]}"
    for name, files in before.items():
        assert snapshot(root / name) == files, f"{name} changed by a failed run"
