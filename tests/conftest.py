"""Shared fixtures. Tests never touch the network; pipeline tests run on a copy of the project."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from jeugdmonitor import paths
from jeugdmonitor.clean import build
from jeugdmonitor.definitions import config
from jeugdmonitor.sources import load, rawdata

REPO_ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def copy_project(target: Path) -> Path:
    """A copy of the project's inputs (config, raw data, notebooks, committed GX context)."""
    for name in ("config", "notebooks"):
        shutil.copytree(REPO_ROOT / name, target / name)
    shutil.copytree(REPO_ROOT / "data" / "raw", target / "data" / "raw")
    shutil.copytree(REPO_ROOT / "expectations", target / "expectations",
                    ignore=shutil.ignore_patterns("uncommitted"))
    (target / "data" / "clean").mkdir(parents=True)
    (target / "reports").mkdir()
    shutil.copy2(REPO_ROOT / "requirements.lock", target / "requirements.lock")
    return target


# Session fixtures that build a whole project copy (minutes): under `make test` (pytest-xdist,
# two workers, --dist loadgroup) the tests that use one run on one worker, so it is built once.
SHARED_BUILDS = {"built": "gebouwd-project", "quarter_built": "gebouwd-kwartaal"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every test that uses a shared build the worker group of that build."""
    for item in items:
        for fixture, group in SHARED_BUILDS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(group))
                break


@pytest.fixture
def project(tmp_path: Path):
    """Point jeugdmonitor.paths at a fresh copy of the project for the duration of a test."""
    root = copy_project(tmp_path / "project")
    paths.use_root(root)
    config.load.cache_clear()
    try:
        yield root
    finally:
        paths.use_root(REPO_ROOT)
        config.load.cache_clear()


@pytest.fixture
def clean_tables(project):
    """The sample data's clean tables of 2023, staged in the project copy (to be validated)."""
    cfg = config.load()
    tables = build.build_tables(cfg, load.load_raw(cfg), 2023)
    build.save_staged(tables, 2023)
    return tables


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A private temporary folder with a short path, for a run's TMPDIR: a kernel's socket path must
    stay within 107 bytes, which pytest's own temporary folders (deeper under pytest-xdist) can pass."""
    folder = Path(tempfile.mkdtemp(prefix="jm-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def cfg() -> config.Config:
    return config.load()


@pytest.fixture(scope="session")
def raw_data(cfg) -> rawdata.RawData:
    """The bundled sample's raw data, read once per test session (no test changes it)."""
    return load.load_raw(cfg)


@pytest.fixture(scope="session")
def tables(cfg, raw_data) -> dict[str, pd.DataFrame]:
    """The clean tables of 2023 built from `raw_data`, once per test session (no test changes them)."""
    return build.build_tables(cfg, raw_data, 2023)
