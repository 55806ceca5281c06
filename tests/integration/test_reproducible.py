"""Two runs on the same inputs give byte-identical pages (SOURCE_DATE_EPOCH fixes the run date)."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest

from ..conftest import REPO_ROOT
from .conftest import YEAR, make_copy, run

pytestmark = pytest.mark.integration

EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC
EPOCH_DATE = "2023-11-14"
MUNICIPALITIES = ("GM0503", "GM1963")
NOT_PAGES = ("uitgevoerde-notebooks/",)  # executed notebooks keep their execution times (audit)
RUN_RECORDS = ("run.json", "bouwmanifest.json")  # they record how long the run and each page took
PYTHON = str(REPO_ROOT / ".venv" / "bin" / "python")


@pytest.fixture(scope="module")
def two_runs(built, tmp_path_factory) -> tuple[Path, Path]:
    """`cli reports` twice for two municipalities, on the validated data of the main job."""
    base = tmp_path_factory.mktemp("reproducible")
    root = make_copy(base / "project")
    shutil.copytree(built / "data" / "clean" / str(YEAR), root / "data" / "clean" / str(YEAR))
    shutil.copytree(built / "expectations" / "gx" / "uncommitted", root / "expectations" / "gx" / "uncommitted")
    selection = [arg for code in MUNICIPALITIES for arg in ("--gemeente", code)]
    outputs = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for number in (1, 2):
            run(root, PYTHON, "-m", "jeugdmonitor.cli", "reports", "--year", str(YEAR), *selection)
            target = base / f"run{number}"
            (root / "reports" / str(YEAR)).rename(target)
            outputs.append(target)
    return outputs[0], outputs[1]


def published(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).as_posix().startswith(NOT_PAGES) and p.name not in RUN_RECORDS}


def test_two_runs_give_byte_identical_pages(two_runs):
    first, second = (published(folder) for folder in two_runs)
    assert first.keys() == second.keys()
    pages = [name for name in first if name.endswith(".html")]
    assert {f"{code}.html" for code in MUNICIPALITIES} | {"index.html", "datadocs/index.html"} <= set(pages)
    assert len([p for p in pages if p.startswith("datadocs/")]) > 10, "the Data Docs copies are compared too"
    differing = []
    for name, path in first.items():
        a, b = path.read_bytes(), second[name].read_bytes()
        if a != b:
            diff = difflib.unified_diff(a.decode("utf-8", "replace").splitlines(),
                                        b.decode("utf-8", "replace").splitlines(), lineterm="", n=0)
            differing.append(f"{name}:\n" + "\n".join(line[:300] for line in list(diff)[:8]))
    assert not differing, "pages differ between two runs:\n" + "\n".join(differing)


def test_run_record_differs_only_in_duration(two_runs):
    first, second = (json.loads((folder / "run.json").read_text(encoding="utf-8")) for folder in two_runs)
    first.pop("seconden"), second.pop("seconden")
    assert first == second and first["gemeenten"] == list(MUNICIPALITIES)


def test_run_date_is_the_utc_date_of_source_date_epoch(two_runs):
    for code in MUNICIPALITIES:
        page = (two_runs[0] / f"{code}.html").read_text(encoding="utf-8")
        assert f"gemaakt op {EPOCH_DATE}" in page, code
