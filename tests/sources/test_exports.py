"""Tests for jeugdmonitor.sources.exports: the regions' own exports (trajectories, waiting times)
read with the period and norm their sidecars record."""

from __future__ import annotations

import pandas as pd
import pytest

from jeugdmonitor.definitions import config
from jeugdmonitor.sources import load, raw
from tests.raw_helpers import _rewrite_sidecar


# ---------------------------------------------------------------------------- trajectory export period
def _trajectories(root, region: str = "JZ08"):
    return root / "data" / "raw" / "regio" / region / "trajecten.csv"


def test_trajectory_export_period_comes_from_its_sidecar(raw_data):
    frame = raw_data.trajectories
    periods = frame.groupby("regio_code")[["export_van", "export_tot"]].agg(["min", "max"])
    assert (periods[("export_van", "min")] == pd.Timestamp(2019, 1, 1)).all()
    assert (periods[("export_tot", "max")] == pd.Timestamp(2024, 12, 31)).all()
    assert (periods[("export_van", "min")] == periods[("export_van", "max")]).all()


@pytest.mark.parametrize("period", [None, {"van": "2019-01-01"}, {"van": "1-1-2019", "tot": "2024-12-31"}])
def test_a_trajectory_export_without_a_valid_period_is_refused(project, period):
    path = _trajectories(project)
    _rewrite_sidecar(path, periode=period)
    with pytest.raises(raw.RawDataError, match=r"JZ08/trajecten\.csv\.meta\.json.*periode.*van.*tot"):
        load.load_raw(config.load())


def test_trajectories_outside_the_export_period_are_refused(project):
    path = _trajectories(project)
    _rewrite_sidecar(path, periode={"van": "2020-01-01", "tot": "2024-12-31"})  # the file also holds 2019 endings
    with pytest.raises(raw.RawDataError, match=r"JZ08/trajecten\.csv, kolom 'einddatum', regels \d+.*voor 2020-01-01 eindigden"):
        load.load_raw(config.load())


# ---------------------------------------------------------------------------- the waiting-time norm
@pytest.mark.parametrize("norm", [42, None, "63"])
def test_a_waiting_time_export_counted_with_another_norm_is_refused(project, norm):
    path = project / "data" / "raw" / "regio" / "JZ31" / "wachttijden.csv"
    _rewrite_sidecar(path, wachtnorm_dagen=norm)
    with pytest.raises(raw.RawDataError, match=r"JZ31/wachttijden\.csv\.meta\.json: wachtnorm_dagen is .*stelt 63 in"):
        load.load_raw(config.load())


def test_the_norm_is_read_from_config(project):
    path = project / "data" / "raw" / "regio" / "JZ31" / "wachttijden.csv"
    _rewrite_sidecar(path, wachtnorm_dagen=42)
    bronnen = project / "config" / "bronnen.yaml"
    bronnen.write_text(bronnen.read_text(encoding="utf-8").replace("wachtnorm_dagen: 63", "wachtnorm_dagen: 42"),
                       encoding="utf-8")
    config.load.cache_clear()
    with pytest.raises(raw.RawDataError, match=r"JZ24/wachttijden\.csv\.meta\.json: wachtnorm_dagen is 63.*stelt 42 in"):
        load.load_raw(config.load())
