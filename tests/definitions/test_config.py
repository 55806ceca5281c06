"""Unit tests for jeugdmonitor.definitions.config: the municipal register, mergers and definition checks."""

from __future__ import annotations

import pytest

from jeugdmonitor.definitions import config

HOEKSCHE_WAARD_PREDECESSORS = {"GM0585", "GM0611", "GM0588", "GM0584", "GM0617"}  # Binnenmaas .. Strijen
MOLENLANDEN_PREDECESSORS = {"GM0689", "GM1927"}  # Giessenlanden, Molenwaard
LEERDAM, ZEDERIK, VIANEN, VIJFHEERENLANDEN = "GM0545", "GM0707", "GM0620", "GM1961"


@pytest.fixture
def register(cfg):
    return cfg.register


# ---------------------------------------------------------------------------- successor()
def test_successor_of_binnenmaas_in_2023_is_hoeksche_waard(register):
    assert register.successor("GM0585", 2023) == "GM1963"


def test_successor_before_the_merger_is_the_code_itself(register):
    assert register.successor("GM0585", 2018) == "GM0585"
    assert register.successor("GM0585", 2019) == "GM1963"


def test_successor_of_leerdam_leaves_the_bundled_regions(register):
    assert register.successor(LEERDAM, 2023) == VIJFHEERENLANDEN
    assert register.municipality(VIJFHEERENLANDEN).region is None


def test_successor_of_unmerged_municipality_is_itself(register):
    assert register.successor("GM0034", 2023) == "GM0034"


def test_successor_of_every_predecessor(register):
    for code in HOEKSCHE_WAARD_PREDECESSORS:
        assert register.successor(code, 2023) == "GM1963"
    for code in MOLENLANDEN_PREDECESSORS:
        assert register.successor(code, 2023) == "GM1978"
    for code in (LEERDAM, ZEDERIK, VIANEN):
        assert register.successor(code, 2023) == VIJFHEERENLANDEN


# ---------------------------------------------------------------------------- members()
def test_members_of_zuid_holland_zuid_2018_include_predecessors(register):
    members = register.members("JZ31", 2018)
    assert HOEKSCHE_WAARD_PREDECESSORS <= set(members)
    assert MOLENLANDEN_PREDECESSORS <= set(members)
    assert LEERDAM in members
    assert ZEDERIK in members
    assert "GM1963" not in members
    assert "GM1978" not in members
    assert len(members) == 17
    assert len(set(members)) == len(members)


def test_members_of_zuid_holland_zuid_2023(register):
    members = register.members("JZ31", 2023)
    assert len(members) == 10
    assert set(members) == {"GM0482", "GM0505", "GM0512", "GM0523", "GM0531", "GM1963", "GM1978", "GM0590",
                            "GM0610", "GM0642"}
    assert LEERDAM not in members
    assert ZEDERIK not in members
    assert not HOEKSCHE_WAARD_PREDECESSORS & set(members)


def test_members_are_in_register_order(register):
    assert register.members("JZ08", 2023) == ["GM0034", "GM0303", "GM0995", "GM0171", "GM0184", "GM0050"]


def test_bundled_regions_hold_35_municipalities_in_2023(register):
    assert set(register.regions) == {"JZ08", "JZ24", "JZ31", "JZ36"}
    counts = {region: len(register.members(region, 2023)) for region in register.regions}
    assert counts == {"JZ24": 10, "JZ36": 9, "JZ31": 10, "JZ08": 6}
    assert sum(counts.values()) == 35


def test_vijfheerenlanden_belongs_to_no_bundled_region(register):
    in_regions = {code for region in register.regions for code in register.members(region, 2023)}
    assert VIJFHEERENLANDEN not in in_regions


# ---------------------------------------------------------------------------- composition_unchanged()
def test_composition_of_zuid_holland_zuid_changed_between_2018_and_2023(register):
    assert register.composition_unchanged("JZ31", 2018, 2023) is False


def test_composition_of_zuid_holland_zuid_unchanged_since_2019(register):
    assert register.composition_unchanged("JZ31", 2019, 2023) is True
    assert register.composition_unchanged("JZ31", 2023, 2023) is True


@pytest.mark.parametrize("region", ["JZ24", "JZ36", "JZ08"])
def test_composition_of_regions_without_mergers_is_unchanged(register, region):
    assert register.composition_unchanged(region, 2018, 2023) is True
    assert register.composition_unchanged(region, 2015, 2023) is True


# ---------------------------------------------------------------------------- lookups
def test_municipality_lookup(register):
    binnenmaas = register.municipality("GM0585")
    assert binnenmaas.name == "Binnenmaas"
    assert binnenmaas.region == "JZ31"
    assert (binnenmaas.first_year, binnenmaas.last_year) == (2015, 2018)
    assert binnenmaas.exists_in(2018)
    assert not binnenmaas.exists_in(2019)
    hoeksche_waard = register.municipality("GM1963")
    assert hoeksche_waard.last_year is None
    assert not hoeksche_waard.exists_in(2018)
    assert hoeksche_waard.exists_in(2030)


def test_unknown_municipality_raises_with_code_in_message(register):
    with pytest.raises(config.UnknownMunicipalityError) as excinfo:
        register.municipality("GM9999")
    assert "GM9999" in str(excinfo.value)
    assert "config/gemeenten.yaml" in str(excinfo.value)
    assert isinstance(excinfo.value, KeyError)


def test_successor_of_unknown_code_raises(register):
    with pytest.raises(config.UnknownMunicipalityError, match="GM9999"):
        register.successor("GM9999", 2023)


def test_unknown_region_raises_config_error(register):
    with pytest.raises(config.ConfigError, match="JZ99"):
        register.region("JZ99")


def test_codes_are_strings(register):
    assert register.municipalities
    for key, municipality in register.municipalities.items():
        assert isinstance(key, str)
        assert isinstance(municipality.code, str)
        assert key == municipality.code
        assert len(key) == 6 and key.startswith("GM") and key[2:].isdigit()
    for merger in register.mergers:
        assert isinstance(merger.new, str)
        assert all(isinstance(code, str) for code in merger.old)
    assert register.municipality("GM0034").code == "GM0034"  # leading zero kept


def test_integer_code_is_not_a_known_municipality(register):
    with pytest.raises(config.UnknownMunicipalityError):
        register.municipality(34)


def test_mergers_from_config(register):
    by_new = {m.new: m for m in register.mergers}
    assert set(by_new) == {"GM1963", "GM1978", VIJFHEERENLANDEN}
    assert set(by_new["GM1963"].old) == HOEKSCHE_WAARD_PREDECESSORS
    assert all(m.year == 2019 for m in register.mergers)


def test_report_kpis_are_defined(cfg):
    assert cfg.report_kpis[0] == "jeugdhulp_aandeel"
    assert set(cfg.report_kpis) <= set(cfg.kpis)
    assert cfg.kpis["jeugdhulp_aandeel"].scale == 100.0


# ---------------------------------------------------------------------------- consistency checks
def _rewrite(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_unmodified_project_copy_loads(project):
    config.load.cache_clear()
    loaded = config.load()
    assert loaded.register.successor("GM0585", 2023) == "GM1963"


def test_merger_year_disagreeing_with_tot_raises_config_error(project):
    _rewrite(project / "config" / "gemeenten.yaml",
             "{code: GM0585, naam: Binnenmaas, regio: JZ31, van: 2015, tot: 2018}",
             "{code: GM0585, naam: Binnenmaas, regio: JZ31, van: 2015, tot: 2017}")
    config.load.cache_clear()
    with pytest.raises(config.ConfigError) as excinfo:
        config.load()
    message = str(excinfo.value)
    assert "GM0585" in message
    assert "2019" in message
    assert "2017" in message


def test_merged_code_without_tot_raises_config_error(project):
    _rewrite(project / "config" / "gemeenten.yaml",
             "{code: GM0617, naam: Strijen, regio: JZ31, van: 2015, tot: 2018}",
             "{code: GM0617, naam: Strijen, regio: JZ31, van: 2015}")
    config.load.cache_clear()
    with pytest.raises(config.ConfigError, match="GM0617"):
        config.load()


def test_merger_naming_unknown_code_raises_config_error(project):
    _rewrite(project / "config" / "herindelingen.yaml",
             "oud: [GM0689, GM1927]", "oud: [GM0689, GM1927, GM9998]")
    config.load.cache_clear()
    with pytest.raises(config.ConfigError, match="GM9998"):
        config.load()


def test_municipality_listed_twice_raises_config_error(project):
    _rewrite(project / "config" / "gemeenten.yaml",
             "  - {code: GM0503, naam: Delft, regio: JZ24, van: 2015}\n",
             "  - {code: GM0503, naam: Delft, regio: JZ24, van: 2015}\n"
             "  - {code: GM0503, naam: Delft, regio: JZ24, van: 2015}\n")
    config.load.cache_clear()
    with pytest.raises(config.ConfigError, match="GM0503"):
        config.load()


# ---------------------------------------------------------------------------- successor tables
def test_youth_care_is_84134ned_continued_by_85099ned(cfg):
    own, successor = config.table_parts("cbs_jeugdzorg", cfg.sources["cbs_jeugdzorg"])
    assert (own.kind, own.spec["tabel"], own.position) == ("cbs_jeugdzorg", "84134NED", 0)
    assert (successor.kind, successor.spec["tabel"], successor.position) == ("cbs_jeugdzorg_85099NED", "85099NED", 1)
    assert successor.spec["vormen"] == own.spec["vormen"]  # the same titles, whatever keys each table has


def test_successors_override_the_settings(cfg):
    spec = {**cfg.sources["cbs_jeugdzorg"], "opvolgers": [
        {"tabel": "90001NED", "bestand": "cbs/90001NED_TypedDataSet.csv", "vormen": {"JH Jeugdhulp": "jeugdhulp"}},
        {"tabel": "90002NED", "bestand": "cbs/90002NED_TypedDataSet.csv"}]}
    own, first, second = config.table_parts("cbs_jeugdzorg", spec)
    assert [p.kind for p in (own, first, second)] == ["cbs_jeugdzorg", "cbs_jeugdzorg_90001NED", "cbs_jeugdzorg_90002NED"]
    assert [p.position for p in (own, first, second)] == [0, 1, 2]
    assert own.spec["vormen"] == cfg.sources["cbs_jeugdzorg"]["vormen"] and "opvolgers" not in own.spec
    assert first.spec["vormen"] == {"JH Jeugdhulp": "jeugdhulp"} and first.spec["onderwerpen"] == own.spec["onderwerpen"]
    assert second.spec["vormen"] == own.spec["vormen"]  # a successor without its own titles keeps the table's


@pytest.mark.parametrize("entry, message", [
    ({"tabel": "90001NED"}, r"mist \['bestand'\]"),
    ({"tabel": "90001NED", "bestand": "x.csv", "vormn": {}}, r"zet \['vormn'\]"),
    ({"tabel": "90001NED", "bestand": "x.csv", "vanaf": 2022}, r"vanaf bestaat niet meer.*Perioden"),
])
def test_a_malformed_successor_is_a_config_error(cfg, entry, message):
    spec = {**cfg.sources["cbs_jeugdzorg"], "opvolgers": [entry]}
    with pytest.raises(config.ConfigError, match=message):
        config.table_parts("cbs_jeugdzorg", spec)


def test_a_table_twice_in_a_series_is_a_config_error(cfg):
    spec = {**cfg.sources["cbs_jeugdzorg"], "opvolgers": [{"tabel": "84134NED", "bestand": "b.csv"}]}
    with pytest.raises(config.ConfigError, match=r"twee keer in de reeks \['84134NED', '84134NED'\]"):
        config.table_parts("cbs_jeugdzorg", spec)


# ---------------------------------------------------------------------------- goals (config/doelen.yaml)
@pytest.mark.parametrize(("old", "new", "message"), [
    ("      regel: daling\n", "      regel: minder\n",
     r"doelen\.yaml, regel \d+ \(doelen → JZ24 → minder_verblijf → regel\): onbekende waarde 'minder'"),
    ("      kpi: jeugdhulp_met_verblijf_per_1000\n", "      kpi: verblijf\n", r"minder_verblijf → kpi\): onbekende KPI 'verblijf'"),
    ("      waarde: 100\n", "", r"kosten_100_mln.*regel max_waarde vraagt 'waarde'"),
    ("      basisjaar: 2019\n", "      basisjaar: 2023\n", r"kosten_100_mln.*basisjaar moet vóór het doeljaar"),
    ("      gemeente: aandeel_inwoners\n", "      gemeente: naar_rato\n", r"kosten_100_mln → gemeente\): onbekende waarde 'naar_rato'"),
    ("      ten_opzichte_van: uitstroom\n      waarde: 1\n    - id: transformatiefonds", "      waarde: 1\n    - id: transformatiefonds",
     r"in_en_uitstroom.*ten_opzichte_van"),
])
def test_a_malformed_goal_is_a_config_error_naming_region_and_goal(project, old, new, message):
    path = project / "config" / "doelen.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    config.load.cache_clear()
    with pytest.raises(config.ConfigError, match=message):
        config.load()


def test_every_goal_has_an_id_text_source_and_kpi(cfg):
    assert set(cfg.goals) == set(cfg.register.regions)
    for region_goals in cfg.goals.values():
        assert region_goals and len({g.id for g in region_goals}) == len(region_goals)
        for goal in region_goals:
            assert goal.text and goal.source and goal.kpi in cfg.kpis
# ---------------------------------------------------------------------------- the waiting-time norm and the age table
def test_kpi_descriptions_name_the_configured_waiting_norm(cfg):
    assert cfg.sources["regio_exports"]["wachttijden"]["wachtnorm_dagen"] == 63
    for kpi_id in ("lang_wachtenden_aandeel", "zorgelijk_wachtenden"):
        description = cfg.kpis[kpi_id].description
        assert "wachtnorm van 63 dagen" in description and "{" not in description


def test_another_norm_changes_the_descriptions(project):
    _rewrite(project / "config" / "bronnen.yaml", "wachtnorm_dagen: 63", "wachtnorm_dagen: 28")
    config.load.cache_clear()
    assert "wachtnorm van 28 dagen" in config.load().kpis["lang_wachtenden_aandeel"].description


@pytest.mark.parametrize("norm", ["0", "negen weken", "63.5"])
def test_a_norm_that_is_no_number_of_days_is_a_config_error(project, norm):
    _rewrite(project / "config" / "bronnen.yaml", "wachtnorm_dagen: 63", f"wachtnorm_dagen: {norm}")
    config.load.cache_clear()
    with pytest.raises(config.ConfigError, match="wachtnorm_dagen moet een geheel aantal"):
        config.load()


def test_the_age_table_is_84135ned_continued_by_85100ned(cfg):
    from jeugdmonitor import fetch
    from jeugdmonitor.fetch import odata
    parts = config.table_parts("cbs_jeugdzorg_leeftijd", cfg.sources["cbs_jeugdzorg_leeftijd"])
    assert [p.spec["tabel"] for p in parts] == ["84135NED", "85100NED"]
    assert set(cfg.sources["cbs_jeugdzorg_leeftijd"]["vormen"].values()) <= set(cfg.sources["cbs_jeugdzorg"]["vormen"].values())
    assert "cbs_jeugdzorg_leeftijd" in fetch.fetchable(cfg)
    assert odata.titled_entries(cfg.sources["cbs_jeugdzorg_leeftijd"], "cbs_jeugdzorg_leeftijd") == {
        "Persoonskenmerken": "leeftijdsgroepen", "VormenVanJeugdzorg": "vormen"}


def test_the_new_goal_kpis_are_defined(cfg):
    expected = {"jeugdhulp_met_verblijf_0_11_aantal": 1, "jeugdhulp_met_verblijf_0_11_per_1000": 1000, "inwoners": 1,
                "transformatiefonds_begroot_mln": 0.000001, "transformatiefonds_besteed_mln": 0.000001,
                "transformatiefonds_besteed_pct": 100, "ambulant_aandeel": 100, "lang_wachtenden_aandeel": 100}
    assert {k: cfg.kpis[k].scale for k in expected} == expected


def test_a_kpi_without_a_margin_is_refused(tmp_path, monkeypatch):
    spec = {"kpis": {"k": {"naam": "K", "omschrijving": "", "teller": {}, "schaal": 1, "eenheid": "x",
                           "richting": "neutraal", "decimalen": 0}}}
    with pytest.raises(config.ConfigError, match="k: veld 'marge' ontbreekt"):
        config._kpis(spec)
