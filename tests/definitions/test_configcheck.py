"""config/*.yaml against its schemas: every mistake reported in Dutch with file, line and entry,
the nearest known name for a misspelt one, and exit code 2 before any stage runs."""

from __future__ import annotations

import re

import pytest

from jeugdmonitor import cli, paths
from jeugdmonitor.definitions import config, configcheck


def _edit(project, name: str, old: str, new: str) -> None:
    path = project / "config" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    config.load.cache_clear()


def _problem(project) -> str:
    with pytest.raises(config.ConfigError) as excinfo:
        configcheck.check()
    return str(excinfo.value)


def _line_of(project, name: str, text: str) -> int:
    lines = (project / "config" / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_the_committed_config_passes_its_schemas():
    configcheck.check()  # raises on any problem


def test_every_config_file_has_a_schema():
    assert {p.stem for p in configcheck.schema_files()} == {p.stem for p in paths.CONFIG_DIR.glob("*.yaml")}


def test_a_yaml_indentation_error_names_file_line_and_column_in_dutch(project):
    _edit(project, "kpis.yaml", "    decimalen: 1\n    marge: 0.2\n", "  decimalen: 1\n    marge: 0.2\n")
    message = _problem(project)
    line = _line_of(project, "kpis.yaml", "    marge: 0.2")
    assert message.startswith(f"config/kpis.yaml, regel {line}, kolom 10: een dubbele punt waar die niet kan")
    assert "ParserError" not in message and "mapping values are not allowed" not in message


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    decimalen: 1\n    marge: 0.2\n", "    decimalen: 1\n      marge: 0.2\n", "een dubbele punt waar die niet kan"),
    ("    decimalen: 1\n    marge: 0.2\n", "\tdecimalen: 1\n    marge: 0.2\n", "spring in met spaties"),
    ("    decimalen: 1\n    marge: 0.2\n", "    decimalen 1\n    marge: 0.2\n", "een regel zonder dubbele punt na de naam"),
])
def test_every_yaml_mistake_is_said_in_dutch_with_its_line(project, old, new, expected):
    _edit(project, "kpis.yaml", old, new)
    message = _problem(project)
    assert re.match(r"config/kpis\.yaml, regel \d+, kolom \d+: ", message) and expected in message
    assert "ongeldige YAML (" not in message  # the parser's English wording is translated


def test_a_field_indented_one_level_too_little_is_named_with_its_kpi(project):
    _edit(project, "kpis.yaml", "    decimalen: 1\n    marge: 0.2\n", "    marge: 0.2\n  decimalen: 1\n")
    message = _problem(project)
    line = _line_of(project, "kpis.yaml", "  decimalen: 1")
    assert f"config/kpis.yaml, regel {line} (kpis → decimalen): verwacht een mapping" in message
    assert "staat het één niveau te weinig ingesprongen?" in message
    assert re.search(r"config/kpis\.yaml, regel \d+ \(kpis → jeugdhulp_aandeel\): veld 'decimalen' ontbreekt", message)
    assert "KeyError" not in message


def test_a_field_indented_one_level_too_deep_is_found_under_its_neighbour(project):
    _edit(project, "kpis.yaml", "    teller: {bron: jeugdzorg, vorm: jeugdhulp}\n",
          "    teller:\n      bron: jeugdzorg\n      vorm: jeugdhulp\n      marge: 0.2\n")
    _edit(project, "kpis.yaml", "    decimalen: 1\n    marge: 0.2\n", "    decimalen: 1\n")
    message = _problem(project)
    assert "(kpis → jeugdhulp_aandeel): veld 'marge' ontbreekt (het staat onder 'teller'" in message


@pytest.mark.parametrize(("name", "old", "new", "expected"), [
    ("kpis.yaml", "  - jeugdbescherming_per_1000\n  - jeugdreclassering", "  - jeugdbescherming_per_100\n  - jeugdreclassering",
     r"\(rapport_kpis → nr\. 5\): onbekende KPI 'jeugdbescherming_per_100': niet in config/kpis\.yaml; "
     r"bedoelde u 'jeugdbescherming_per_1000'\?"),
    ("doelen.yaml", "kpi: zorgelijk_wachtenden", "kpi: zorgelijk_wachtende",
     r"\(doelen → JZ24 → minder_zorgelijk_wachtenden → kpi\): onbekende KPI 'zorgelijk_wachtende'.*"
     r"bedoelde u 'zorgelijk_wachtenden'\?"),
    ("kpis.yaml", "    decimalen: 1\n    marge: 0.5\n", "    decimaln: 1\n    marge: 0.5\n",
     r"\(kpis → jeugdhulp_met_verblijf_per_1000 → decimaln\): onbekend veld 'decimaln'; bedoelde u 'decimalen'\?"),
    ("doelen.yaml", "      regel: daling\n", "      regl: daling\n",
     r"\(doelen → JZ24 → minder_verblijf → regl\): onbekend veld 'regl'; bedoelde u 'regel'\?"),
    ("doelen.yaml", "  JZ24:\n", "  JZ42:\n", r"\(doelen → JZ42\): onbekende jeugdregio 'JZ42': niet in config/gemeenten\.yaml"),
])
def test_a_misspelt_name_gets_the_nearest_known_one(project, name, old, new, expected):
    _edit(project, name, old, new)
    message = _problem(project)
    assert re.search(rf"config/{re.escape(name)}, regel \d+ {expected}", message), message


def test_a_name_given_twice_is_reported_with_both_lines(project):
    _edit(project, "kpis.yaml", "  jeugdbescherming_per_1000:\n", "  jeugdhulp_aandeel:\n")
    first = _line_of(project, "kpis.yaml", "  jeugdhulp_aandeel:")
    second = _line_of(project, "kpis.yaml", "    naam: Jeugdbescherming") - 1
    assert (f"config/kpis.yaml, regel {second}: 'jeugdhulp_aandeel' staat hier voor de tweede keer (eerder op regel {first})"
            in _problem(project))


def test_the_reported_line_holds_the_entry(project):
    _edit(project, "doelen.yaml", "kpi: zorgelijk_wachtenden", "kpi: zorgelijk_wachtende")
    reported = int(re.search(r"doelen\.yaml, regel (\d+)", _problem(project)).group(1))
    assert reported == _line_of(project, "doelen.yaml", "kpi: zorgelijk_wachtende")


def test_a_missing_required_field_is_named(project):
    _edit(project, "kpis.yaml", "    decimalen: 0\n    marge: 10\n", "    decimalen: 0\n")
    assert re.search(r"\(kpis → uitgaven_per_jongere\): veld 'marge' ontbreekt", _problem(project))


def test_every_problem_is_listed_at_once(project):
    _edit(project, "kpis.yaml", "    decimalen: 1\n    marge: 0.5\n", "    decimaln: 1\n    marge: 0.5\n")
    _edit(project, "doelen.yaml", "kpi: zorgelijk_wachtenden", "kpi: zorgelijk_wachtende")
    message = _problem(project)
    assert "'decimaln'" in message and "'zorgelijk_wachtende'" in message


@pytest.mark.parametrize("title", ['"^Kerncijfers over jeugdzorg(, 2015-2020)?$"',
                                   '["Kerncijfers over jeugdzorg, 2015-2020", "Kerncijfers jeugdzorg"]'])
def test_a_title_may_be_a_pattern_or_a_list_of_alternatives(project, title):
    _edit(project, "bronnen.yaml", 'titel: "Kerncijfers over jeugdzorg, 2015-2020"', f"titel: {title}")
    configcheck.check()


def test_a_title_that_is_no_text_is_refused(project):
    _edit(project, "bronnen.yaml", 'titel: "Kerncijfers over jeugdzorg, 2015-2020"', "titel: 42")
    assert re.search(r"config/bronnen\.yaml, regel \d+ \(cbs_jeugdzorg → titel\): 42 past niet", _problem(project))


def test_optional_fields_are_accepted(project):
    assert "uiteenlopend:" in (project / "config" / "kpis.yaml").read_text(encoding="utf-8")
    assert "meting:" in (project / "config" / "doelen.yaml").read_text(encoding="utf-8")
    configcheck.check()


def test_config_load_checks_the_schemas_first(project):
    _edit(project, "kpis.yaml", "    decimalen: 1\n    marge: 0.2\n", "    marge: 0.2\n  decimalen: 1\n")
    with pytest.raises(config.ConfigError, match="te weinig ingesprongen"):
        config.load()


def test_the_command_line_stops_with_exit_2_before_any_stage(project, capsys):
    _edit(project, "kpis.yaml", "    decimalen: 1\n    marge: 0.2\n", "  decimalen: 1\n    marge: 0.2\n")
    gx_before = sorted(p.stat().st_mtime_ns for p in paths.GX_DIR.rglob("*") if p.is_file())
    assert cli.main(["expectations"]) == 2
    error = capsys.readouterr().err
    line = _line_of(project, "kpis.yaml", "    marge: 0.2")
    assert error.startswith(f"FOUT: config/kpis.yaml, regel {line}, kolom 10") and error.count("FOUT") == 1
    assert sorted(p.stat().st_mtime_ns for p in paths.GX_DIR.rglob("*") if p.is_file()) == gx_before


def test_sign_words_without_the_word_for_zero_are_refused(project):
    _edit(project, "kpis.yaml", ", nul: evenveel gestart als beëindigd}", "}")
    assert re.search(r"\(kpis → netto_instroom → tekenwoorden\): veld 'nul' ontbreekt", _problem(project))
