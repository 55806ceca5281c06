"""Tests for jeugdmonitor.iv3: one Iv3 table ("Gemeenten <jaar> onbewerkte Iv3-data") to spending rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from jeugdmonitor.definitions import config
from jeugdmonitor.sources import iv3, raw

NL = "NL01"
NO_FIGURE = -99998.0


@pytest.fixture(scope="module")
def cfg() -> config.Config:
    return config.load()


@pytest.fixture(scope="module")
def spec(cfg: config.Config) -> dict:
    return cfg.sources["cbs_iv3"]


def _table(tmp_path: Path) -> iv3.Iv3Table:
    return iv3.Iv3Table(2023, "45063NED", tmp_path / "cbs/iv3/45063NED_TypedDataSet.csv")


def _frame(rows: list[tuple]) -> pd.DataFrame:
    """rows: (taakveld, categorie, gemeente, verslagsoort, 1e plaatsing, 2e plaatsing)."""
    frame = pd.DataFrame(rows, columns=["TaakveldBalanspost", "Categorie", "Gemeenten", "Verslagsoort",
                                        "k_1ePlaatsing_1", "k_2ePlaatsing_2"])
    return frame.astype({"k_1ePlaatsing_1": "Float64", "k_2ePlaatsing_2": "Float64"})


def _municipalities(*codes: str) -> pd.DataFrame:
    return pd.DataFrame({"Key": list(codes), "Title": [f"Gemeente {c}" for c in codes]})


def _spending(cfg: config.Config, spec: dict, tmp_path: Path, rows: list[tuple], *codes: str,
              fill: bool = True) -> pd.DataFrame:
    if fill:  # empty cells (nothing booked) for every taakveld, as in CBS's full cube; after the rows, so line numbers hold
        rows = [*rows, *((t, "L3.4", codes[0], "2023X005", None, None) for t in spec["taakvelden"])]
    result = iv3.spending(_table(tmp_path), spec, cfg.sources["status_labels"], NL, _frame(rows), _municipalities(*codes))
    return result.set_index(["gebied_code", "taakveld"])


def test_jaarrekening_lasten_summed_per_taakveld_with_sub_taakvelden(cfg, spec, tmp_path):
    rows = [
        ("6.72", "L1.1", "GM0518", "2023X005", 10, 11),
        ("6.72", "L3.4", "GM0518", "2023X005", 100, 101),
        ("6.72", "B3.4", "GM0518", "2023X005", 7, 7),      # baten: not lasten
        ("6.72", "L3.4", "GM0518", "2023X000", 90, 90),    # begroting: not the jaarrekening
        ("6.82", "L3.4", "GM0518", "2023X005", 5, 6),
        ("6.82", "L3.4", "GM0503", "2023X005", 20, None),
        ("6.71a", "L3.4", "GM0518", "2023X005", 1, 2),     # a sub-taakveld counts under 6.71
        ("6.71b", "L3.4", "GM0518", "2023X005", 3, 4),
        ("6.1", "L3.4", "GM0518", "2023X005", 500, 500),   # a taakveld no KPI uses
        ("6.72", "L3.4", "GM0503", "2023X005", None, None),  # an empty cell: nothing booked
    ]
    result = _spending(cfg, spec, tmp_path, rows, "GM0503", "GM0518")
    assert result.loc[("GM0518", "6.72"), "lasten_euro"] == 112_000  # 2e plaatsing: 11 + 101
    assert result.loc[("GM0518", "6.71"), "lasten_euro"] == 6_000
    assert result.loc[("GM0518", "6.82"), "lasten_euro"] == 6_000
    assert result.loc[("GM0518", "6.81"), "lasten_euro"] == 0  # delivered, nothing on this taakveld
    assert result.loc[("GM0518", "6.72"), "status"] == "nader voorlopig"
    # GM0503 has no 2e plaatsing figure at all: its 1e plaatsing counts, and is voorlopig
    assert result.loc[("GM0503", "6.82"), "lasten_euro"] == 20_000
    assert result.loc[("GM0503", "6.72"), "lasten_euro"] == 0
    assert result.loc[("GM0503", "6.82"), "status"] == "voorlopig"
    # the country: every municipality of the table, as final as its least final part
    assert result.loc[(NL, "6.82"), "lasten_euro"] == 26_000
    assert result.loc[(NL, "6.72"), "lasten_euro"] == 112_000
    assert result.loc[(NL, "6.82"), "status"] == "voorlopig"
    assert set(result.index.get_level_values("taakveld")) == {"6.71", "6.72", "6.81", "6.82"}
    assert (result["jaar"] == 2023).all()


def test_geen_opgave_makes_the_figure_and_the_national_sum_missing(cfg, spec, tmp_path):
    rows = [
        ("6.72", "L3.4", "GM0518", "2023X005", 100, 101),
        ("6.72", "L1.1", "GM0503", "2023X005", 10, NO_FIGURE),
        ("6.72", "L3.4", "GM0503", "2023X005", 30, 31),
        ("6.82", "L3.4", "GM0503", "2023X005", 4, 5),
    ]
    result = _spending(cfg, spec, tmp_path, rows, "GM0503", "GM0518")
    assert pd.isna(result.loc[("GM0503", "6.72"), "lasten_euro"])
    assert result.loc[("GM0503", "6.82"), "lasten_euro"] == 5_000
    assert pd.isna(result.loc[(NL, "6.72"), "lasten_euro"])
    assert result.loc[(NL, "6.82"), "lasten_euro"] == 5_000


def test_municipality_without_any_figure_has_no_figures_and_no_national_sum(cfg, spec, tmp_path):
    rows = [("6.72", "L3.4", "GM0518", "2023X005", 100, 101),
            ("6.72", "L3.4", "GM0637", "2023X005", NO_FIGURE, None)]
    result = _spending(cfg, spec, tmp_path, rows, "GM0503", "GM0518", "GM0637")  # GM0503: no rows at all
    for code in ("GM0503", "GM0637"):
        assert result.loc[code, "lasten_euro"].isna().all(), code
        assert (result.loc[code, "status"] == "voorlopig").all()
    assert result.loc[NL, "lasten_euro"].isna().all()
    assert result.loc[("GM0518", "6.72"), "lasten_euro"] == 101_000


def test_taakveld_with_figures_on_itself_and_its_sub_taakvelden_is_refused(cfg, spec, tmp_path):
    rows = [("6.72", "L3.4", "GM0518", "2023X005", 100, 101),
            ("6.72a", "L3.4", "GM0518", "2023X005", 60, 61),
            ("6.72", "L3.4", "GM0503", "2023X005", 1, 1)]
    with pytest.raises(raw.RawDataError, match=r"45063NED_TypedDataSet\.csv.*TaakveldBalanspost.*regels 2, 3.*dubbel tellen"):
        _spending(cfg, spec, tmp_path, rows, "GM0503", "GM0518")


def test_taakveld_without_any_lasten_is_an_error_naming_what_the_file_has(cfg, spec, tmp_path):
    rows = [("6.72", "L3.4", "GM0518", "2023X005", 100, 101), ("6.82", "L3.4", "GM0518", "2023X005", 1, 1),
            ("6.71", "L3.4", "GM0518", "2023X005", 1, 1), ("6.81", "B3.4", "GM0518", "2023X005", 1, 1)]
    with pytest.raises(raw.RawDataError, match=r"TaakveldBalanspost.*taakveld\(en\) \['6\.81'\].*\['6\.71', '6\.72', '6\.81', '6\.82'\]"):
        _spending(cfg, spec, tmp_path, rows, "GM0518", fill=False)


def test_no_jaarrekening_rows_is_an_error_naming_what_the_file_has(cfg, spec, tmp_path):
    rows = [("6.72", "L3.4", "GM0518", "2023X000", 100, 101)]
    with pytest.raises(raw.RawDataError, match=r"Verslagsoort.*'2023X005'.*\['2023X000'\]"):
        _spending(cfg, spec, tmp_path, rows, "GM0518", fill=False)


def test_municipality_outside_the_dimension_or_badly_coded_is_an_error(cfg, spec, tmp_path):
    rows = [("6.72", "L3.4", "GM0518", "2023X005", 100, 101), ("6.72", "L3.4", "GM0599", "2023X005", 1, 1)]
    with pytest.raises(raw.RawDataError, match=r"Gemeenten.*regels 3.*GM0599"):
        _spending(cfg, spec, tmp_path, rows, "GM0518")
    with pytest.raises(raw.RawDataError, match=r"45063NED_Gemeenten\.csv.*Key.*518"):
        _spending(cfg, spec, tmp_path, rows[:1], "GM0518", "518")


def test_table_status_is_that_of_the_newest_plaatsing_with_a_jaarrekening_figure(spec):
    both = _frame([("6.72", "L3.4", "GM0518", "2023X005", 1, 2)])
    first_only = _frame([("6.72", "L3.4", "GM0518", "2023X005", 1, None),
                         ("6.72", "L3.4", "GM0518", "2023X000", 1, 2),       # a begroting figure does not count
                         ("6.72", "L1.1", "GM0518", "2023X005", 1, NO_FIGURE)])
    assert iv3.table_status(both, spec, 2023) == "Nader voorlopig"
    assert iv3.table_status(first_only, spec, 2023) == "Voorlopig"


def test_configured_tables_follow_the_config(spec, tmp_path):
    tables = iv3.configured_tables(spec, tmp_path)
    assert [t.year for t in tables] == sorted(int(y) for y in spec["tabellen"])
    assert tables[0].path == tmp_path / "cbs" / "iv3" / f"{spec['tabellen'][2017]}_TypedDataSet.csv"
    assert tables[0].dimension_path("Gemeenten").name == f"{spec['tabellen'][2017]}_Gemeenten.csv"
    with pytest.raises(raw.RawDataError, match="geen van de Iv3-tabellen"):
        iv3.present_tables(spec, tmp_path)
