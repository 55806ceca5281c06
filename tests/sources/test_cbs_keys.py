"""Tests for jeugdmonitor.sources.cbs_keys: CBS keys resolved from the titles in the dimension files
and the keys the sidecars recorded."""

from __future__ import annotations

import pandas as pd
import pytest

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.sources import cbs_keys, load, raw
from tests.raw_helpers import _age_file, _rewrite_sidecar


def _dimension_file(path, text: str) -> None:
    sample_meta = raw.read_sidecar(paths.RAW_DIR / "cbs" / path.name)
    path.write_text(text, encoding="utf-8")
    raw.write_sidecar(path, {k: v for k, v in sample_meta.items() if k not in ("sha256", "bestand")})


def test_ages_are_read_by_title_and_groups_are_told_apart(cfg, tmp_path):
    spec = cfg.sources["cbs_bevolking"]
    data_path = tmp_path / "03759ned_TypedDataSet.csv"
    dimension = tmp_path / "03759ned_Leeftijd.csv"
    _dimension_file(dimension, '"Key";"Title"\n"10000";"Totaal"\n"10010";"0 jaar"\n"12210";"22 jaar"\n'
                    '"70100";"0 tot 5 jaar"\n"22300";"95 jaar of ouder"\n')

    ages = cbs_keys.ages_by_title(data_path, spec, "Leeftijd", "10000")

    assert ages == {"10000": cbs_keys.TOTAL_AGE, "10010": 0, "12210": 22, "70100": cbs_keys.AGE_GROUP,
                    "22300": cbs_keys.AGE_GROUP}

    _dimension_file(dimension, '"Key";"Title"\n"10000";"Totaal"\n"99999";"Gemiddelde leeftijd"\n')
    with pytest.raises(raw.RawDataError, match=r"03759ned_Leeftijd.csv, kolom 'Title', regels 3: .*'99999'"):
        cbs_keys.ages_by_title(data_path, spec, "Leeftijd", "10000")


def test_keys_come_from_the_titles_when_the_sidecar_records_none(project):
    before = load.load_raw(config.load()).youth_care
    path = project / "data" / "raw" / "cbs" / "85099NED_TypedDataSet.csv"
    meta = raw.read_sidecar(path)
    raw.write_sidecar(path, {**{k: v for k, v in meta.items() if k not in ("bestand", "sha256")},
                             "sleutels": {"onderwerpen": meta["sleutels"]["onderwerpen"]}})
    after = load.load_raw(config.load()).youth_care
    keys = ["gebied_code", "jaar", "vorm"]
    pd.testing.assert_frame_equal(after.sort_values(keys).reset_index(drop=True), before.sort_values(keys).reset_index(drop=True))


@pytest.mark.parametrize(("title", "message"), [
    ("JZ Jeugdzorg totaal", r"titel 'JZ Totaal jeugdzorg' komt niet voor.*'A045561' 'JZ Jeugdzorg totaal'"),
    ("JH 1 Totaal jeugdhulp", r"titel 'JH 1 Totaal jeugdhulp' past bij 2 sleutels: 'A045561' 'JH 1 Totaal jeugdhulp', "
                              r"'A045560' 'JH 1 Totaal jeugdhulp'"),
])
def test_a_dimension_file_whose_titles_do_not_resolve_is_refused(project, title, message):
    """Without a recorded resolution, the titles of the dimension file decide: none or two keys stop the run."""
    cbs = project / "data" / "raw" / "cbs"
    path = cbs / "85099NED_TypedDataSet.csv"
    meta = raw.read_sidecar(path)
    raw.write_sidecar(path, {**{k: v for k, v in meta.items() if k not in ("bestand", "sha256")},
                             "sleutels": {"onderwerpen": meta["sleutels"]["onderwerpen"]}})
    forms = cbs / "85099NED_VormenVanJeugdzorg.csv"
    forms.write_text(forms.read_text(encoding="utf-8").replace('"A045561";"JZ Totaal jeugdzorg"', f'"A045561";"{title}"'),
                     encoding="utf-8")
    _rewrite_sidecar(forms)
    with pytest.raises(raw.RawDataError, match=r"85099NED_VormenVanJeugdzorg\.csv, kolom 'Title': .*" + message):
        load.load_raw(config.load())


def test_a_table_without_recorded_topic_columns_is_refused(project):
    path = project / "data" / "raw" / "cbs" / "84134NED_TypedDataSet.csv"
    raw.write_sidecar(path, {k: v for k, v in raw.read_sidecar(path).items() if k not in ("bestand", "sha256", "sleutels")})
    with pytest.raises(raw.RawDataError, match=r"84134NED_TypedDataSet\.csv\.meta\.json: de sidecar legt niet vast welke kolom"):
        load.load_raw(config.load())


def test_an_age_key_whose_title_is_another_group_is_refused(project):
    path = _age_file(project, "85100NED", "Persoonskenmerken")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Leeftijd: 4 tot 12 jaar", "Leeftijd: 4 tot 18 jaar"), encoding="utf-8")
    _rewrite_sidecar(path)
    with pytest.raises(raw.RawDataError, match=r"85100NED_Persoonskenmerken\.csv, kolom 'Title'.*'71091'.*4 tot 18 jaar.*"
                                               r"in plaats van 'Leeftijd: 4 tot 12 jaar'"):
        load.load_raw(config.load())
