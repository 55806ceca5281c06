"""The manuals point at what exists: every link between them reaches a file and a heading, and
every file of the project they name in backticks is there (a moved module leaves no stale path)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

MANUALS = sorted([REPO_ROOT / "README.md", REPO_ROOT / "bench" / "README.md", REPO_ROOT / "data" / "raw" / "README.md",
                  *(REPO_ROOT / "docs").glob("*.md")])
LINK = re.compile(r"\]\(([^)\s]+)\)")
# a path of the project in backticks: `src/jeugdmonitor/report/goals.py`, `tests/report/test_questions.py`
NAMED_FILE = re.compile(r"`((?:src|tests|notebooks|config|bench|docs|expectations)/[\w./-]+\.[a-z0-9]+)`")


def _slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {_slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", text, flags=re.M)}


def _links(manual: Path) -> list[str]:
    return [target for target in LINK.findall(manual.read_text(encoding="utf-8"))
            if not re.match(r"[a-z]+:", target)]  # https:, mailto:


def test_the_manuals_are_found():
    assert len(MANUALS) >= 10 and all(m.is_file() for m in MANUALS)


@pytest.mark.parametrize("manual", MANUALS, ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_every_link_reaches_a_file_and_a_heading(manual):
    broken = []
    for target in _links(manual):
        file_part, _, anchor = target.partition("#")
        linked = (manual.parent / file_part).resolve() if file_part else manual
        if not linked.exists():
            broken.append(f"{target}: geen bestand")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{target}: geen kop #{anchor} in {linked.relative_to(REPO_ROOT)}")
    assert not broken, f"{manual.relative_to(REPO_ROOT)}: " + "; ".join(broken)


@pytest.mark.parametrize("manual", MANUALS, ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_every_file_a_manual_names_exists(manual):
    missing = sorted({name for name in NAMED_FILE.findall(manual.read_text(encoding="utf-8"))
                      if not (REPO_ROOT / name).exists()})
    assert not missing, f"{manual.relative_to(REPO_ROOT)} noemt bestanden die er niet zijn: {missing}"


def test_the_checks_would_fail_on_a_stale_path_and_a_broken_anchor(tmp_path):
    assert NAMED_FILE.findall("zie `src/jeugdmonitor/goals.py`") == ["src/jeugdmonitor/goals.py"]
    assert not (REPO_ROOT / "src/jeugdmonitor/goals.py").exists()
    assert "the-runner" in _anchors(REPO_ROOT / "docs" / "runner.md")
    assert "de-runner" not in _anchors(REPO_ROOT / "docs" / "runner.md")
    assert _slug("Goals and how their status is decided") == "goals-and-how-their-status-is-decided"
