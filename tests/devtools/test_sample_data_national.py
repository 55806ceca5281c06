"""Unit tests for the national-size sample data (`sample_data --schaal landelijk`): every
municipality of the country in a copy of the project, in the shapes of the bundled files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
import yaml

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.devtools import sample_data
from jeugdmonitor.devtools.sample import national as national_sample

REPO_ROOT = Path(__file__).resolve().parents[2]
COMMITTED_RAW = REPO_ROOT / "data" / "raw"
LAST_YEAR = 2024


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    """A national copy of the project (without its GX suites: the register is what is tested)."""
    before = _digest(REPO_ROOT / "config"), _digest(COMMITTED_RAW)
    target = tmp_path_factory.mktemp("landelijk") / "project"
    national_sample.generate_national(target, suites=False)
    assert (_digest(REPO_ROOT / "config"), _digest(COMMITTED_RAW)) == before, "the project's own tree was written"
    return target


@pytest.fixture(scope="module")
def national_cfg(national) -> config.Config:
    """The copy's definitions, loaded once; the paths point back at this project afterwards."""
    paths.use_root(national)
    config.load.cache_clear()
    try:
        return config.load()
    finally:
        paths.use_root(REPO_ROOT)
        config.load.cache_clear()


def test_every_municipality_of_the_country_in_a_region(national_cfg):
    register = national_cfg.register
    current = register.existing(LAST_YEAR)
    assert len(current) == national_sample.NATIONAL_MUNICIPALITIES
    assert len(register.regions) == national_sample.NATIONAL_REGIONS
    assert all(m.region is not None for m in current)
    assert all(len(register.members(region, LAST_YEAR)) >= 2 for region in register.regions)


def test_bundled_regions_and_goals_are_kept(national_cfg, cfg):
    for code, municipality in cfg.register.municipalities.items():
        kept = national_cfg.register.municipality(code)
        assert (kept.name, kept.first_year, kept.last_year) == (municipality.name, municipality.first_year, municipality.last_year)
        if municipality.region is not None:
            assert kept.region == municipality.region
    assert national_cfg.goals == cfg.goals  # the stand-in regions have none


def test_sizes_add_up_to_the_country_with_a_realistic_spread(national_cfg):
    sizes = pd.Series({m.code: national_cfg.sample["inwoners_2023"][m.code] for m in national_cfg.register.existing(2023)})
    assert sizes.sum() == pytest.approx(national_cfg.sample["nederland"]["inwoners_2023"], rel=0.01)
    assert (sizes > 300_000).sum() >= 3  # a few large cities
    assert sizes.between(10_000, 50_000).mean() > 0.5  # many of 10-50 thousand
    assert national_cfg.sample["iv3"]["overige_gemeenten"] == 0  # no fictitious rest of the country


def test_same_files_and_headers_as_the_bundled_sample(national, national_cfg):
    raw = national / "data" / "raw"
    for path in COMMITTED_RAW.rglob("*.csv"):
        twin = raw / path.relative_to(COMMITTED_RAW)
        assert twin.exists(), twin
        with path.open(encoding="utf-8") as bundled, twin.open(encoding="utf-8") as generated:
            assert generated.readline() == bundled.readline(), twin
    for region in national_cfg.register.regions:
        for name in ("wachttijden.csv", "trajecten.csv", "budget.csv"):
            assert (raw / "regio" / region / name).exists()
            assert (raw / "regio" / region / (name + paths.SIDECAR_SUFFIX)).exists()


def test_cbs_region_dimension_lists_the_country(national, national_cfg):
    spec = national_cfg.sources["cbs_bevolking"]
    dimension = national / "data" / "raw" / spec["bestand"].replace("TypedDataSet", spec["dimensies"]["regio"])
    keys = pd.read_csv(dimension, sep=";", dtype=str)["Key"].str.strip()
    assert set(m.code for m in national_cfg.register.existing(LAST_YEAR)) <= set(keys)


def test_register_is_seeded(cfg):
    assert national_sample.national_definitions(cfg) == national_sample.national_definitions(cfg)


def test_written_register_is_the_one_generated(national, cfg):
    gemeenten, sample = national_sample.national_definitions(cfg)
    written = yaml.safe_load((national / "config" / "gemeenten.yaml").read_text(encoding="utf-8"))
    assert written == gemeenten
    assert yaml.safe_load((national / "config" / "voorbeelddata.yaml").read_text(encoding="utf-8")) == sample


def test_refuses_a_folder_in_use_and_a_register_already_national(tmp_path, national_cfg):
    (tmp_path / "in-gebruik").mkdir()
    (tmp_path / "in-gebruik" / "iets.txt").write_text("x", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="niet leeg"):
        national_sample.generate_national(tmp_path / "in-gebruik", suites=False)
    with pytest.raises(config.ConfigError, match="git checkout config"):
        national_sample.national_definitions(national_cfg)


def test_command_line_needs_a_target(capsys):
    with pytest.raises(SystemExit) as excinfo:
        sample_data.main(["--schaal", "landelijk"])
    assert excinfo.value.code == 2 and "--doel" in capsys.readouterr().err
