"""Report content: escaping of data text, safe output names, goal status rules."""

from __future__ import annotations

import pandas as pd
import pytest

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.report import accountability, appendix, municipal, overview, subject
from jeugdmonitor.report.inputs import Inputs


def _inputs(cfg, kpi_rows):
    areas = pd.DataFrame([
        {"gebied_code": "GM0503", "naam": "<b>Delft</b>", "niveau": "gemeente", "regio_code": "JZ24", "regio_naam": "Haaglanden"},
        {"gebied_code": "JZ24", "naam": "Haaglanden", "niveau": "jeugdregio", "regio_code": "JZ24", "regio_naam": "Haaglanden"},
        {"gebied_code": "NL01", "naam": "Nederland", "niveau": "land", "regio_code": None, "regio_naam": None},
    ])
    kpis = pd.DataFrame(kpi_rows, columns=["gebied_code", "niveau", "jaar", "kpi", "teller", "noemer", "waarde", "status",
                                           "samengesteld", "verandering_pct"])
    sources = pd.DataFrame([{"bestand": "cbs/x.csv", "fictief": True}])
    return Inputs(year=2023, cfg=cfg, areas=areas, kpi_values=kpis, sources=sources,
                         harmonisation=pd.DataFrame(columns=["jaar", "oude_code", "oude_naam", "nieuwe_code", "nieuwe_naam", "actie"]),
                         validation={"gecontroleerd": 1, "geslaagd": 1, "waarschuwingen": []})


def test_text_from_data_is_escaped(cfg):
    rapport = subject.Report(_inputs(cfg, []), "GM0503", "<script>alert(1)</script>", "JZ24", "Haag<i>landen</i>")
    html = municipal.header(rapport)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<i>" not in html
    index = overview.index_page(_inputs(cfg, []))
    assert "<b>Delft</b>" not in index and "&lt;b&gt;Delft&lt;/b&gt;" in index


@pytest.mark.parametrize("code", ["../../etc/passwd", "GM05031", "gm0503", "GM05x3", "GM0503/../x", ""])
def test_output_names_come_from_valid_codes_only(code):
    with pytest.raises(ValueError, match="geen gemeentecode"):
        paths.report_page_name(code)


def test_output_name_of_a_valid_code():
    assert paths.report_page_name("GM0503") == "GM0503.html"


def _row(area, year, value, kpi="jeugdhulp_met_verblijf_per_1000", status="definitief"):
    level = {"JZ24": "jeugdregio", "NL01": "land"}.get(area, "gemeente")
    return [area, level, year, kpi, None, None, value, status, False, None]


def test_summary_gives_every_goal_of_the_region_a_status_word(cfg):
    rows = [_row("JZ24", 2022, 8.0), _row("JZ24", 2023, 7.5, status="nader voorlopig"),
            _row("GM0503", 2022, 6.0), _row("GM0503", 2023, 6.5, status="nader voorlopig")]
    rapport = subject.Report(_inputs(cfg, rows), "GM0503", "Delft", "JZ24", "Haaglanden")
    html = municipal.summary(rapport)
    assert html.count('class="jm-doel"') == len(cfg.goals["JZ24"])
    row = html[html.index('id="doel-minder_verblijf"'):]
    row = row[: row.index("</tr>")]
    # region falls (op koers), municipality rises (niet op koers); values keep their status mark
    assert ">op koers</strong>" in row and ">niet op koers</strong>" in row
    # the municipality's own status comes first; a rise of a lager_beter figure is judged in words
    assert row.index(">niet op koers</strong>") < row.index(">op koers</strong>")
    assert "6,5**" in row and "verslechterd" in row
    # the figures behind each status are in the note below the table, not in the cell
    note = html[html.index('id="toelichting-minder_verblijf"'):]
    note = note[: note.index("</li>")]
    assert "6,0 in 2022 en 6,5 in 2023**" in note and "8,0 in 2022 en 7,5 in 2023**" in note
    answer = html[html.index('class="jm-antwoord"'):]
    assert answer.startswith('class="jm-antwoord">Van de 7 doelen van de regiovisie zijn er voor Delft: ')


def test_region_file_names_come_from_valid_codes_only():
    assert paths.region_page_name("JZ24") == "regio-JZ24.html"
    for code in ("JZ2", "../JZ24", "GM0503", "jz24"):
        with pytest.raises(ValueError, match="geen jeugdregiocode"):
            paths.region_page_name(code)


def _region_rows(kpi, values, year=2023):
    return [_row(code, year, value, kpi=kpi) for code, value in values.items()]


def _two_municipalities(cfg, kpi_rows):
    inputs = _inputs(cfg, kpi_rows)
    inputs.areas = pd.concat([inputs.areas, pd.DataFrame([{"gebied_code": "GM0518", "naam": "'s-Gravenhage",
                                                           "niveau": "gemeente", "regio_code": "JZ24",
                                                           "regio_naam": "Haaglanden"}])], ignore_index=True)
    return inputs


def test_a_rate_is_ranked_from_high_to_low_as_its_chart_and_a_count_is_not_ranked(cfg):
    rows = [_row("GM0503", 2023, 5.0, kpi="jeugdhulp_met_verblijf_per_1000"),
            _row("GM0518", 2023, 9.0, kpi="jeugdhulp_met_verblijf_per_1000"),
            _row("GM0503", 2023, 150.0, kpi="jeugdhulp_aantal"), _row("GM0518", 2023, 3000.0, kpi="jeugdhulp_aantal")]
    rapport = subject.Report(_two_municipalities(cfg, rows), "GM0503", "Delft", "JZ24", "Haaglanden")
    rate = appendix.kpi_section(rapport, "jeugdhulp_met_verblijf_per_1000")
    table = rate[rate.index('class="jm-tabel jm-vergelijking"'):]
    assert "van hoog naar laag" in table
    assert table.index("Gravenhage") < table.index("Delft")  # 9,0 before 5,0
    assert "staat op plaats 2 van 2" in rate
    count = appendix.kpi_section(rapport, "jeugdhulp_aantal")
    assert "jm-vergelijking" not in count and "plaats" not in count


def test_a_count_is_shown_for_the_municipality_only(cfg):
    rows = [_row("GM0503", 2022, 140.0, kpi="jeugdhulp_aantal"), _row("GM0503", 2023, 150.0, kpi="jeugdhulp_aantal"),
            _row("NL01", 2023, 417285.0, kpi="jeugdhulp_aantal")]
    rapport = subject.Report(_inputs(cfg, rows), "GM0503", "Delft", "JZ24", "Haaglanden")
    section = appendix.kpi_section(rapport, "jeugdhulp_aantal")
    assert "417.285" not in section and "<th scope=\"col\">Nederland" not in section
    table = municipal.summary_table(rapport)
    row = table[table.index("Unieke jongeren met jeugdhulp"):]
    row = row[: row.index("</tr>")]
    assert "417.285" not in row and "n.v.t." in row


def test_a_merged_municipality_names_its_predecessors_and_others_say_nothing(cfg):
    inputs = _inputs(cfg, [])
    inputs.harmonisation = pd.DataFrame([
        {"jaar": year, "oude_code": old, "oude_naam": name, "nieuwe_code": "GM0503", "nieuwe_naam": "Delft",
         "actie": "opgeteld bij"} for year in (2016, 2017, 2018) for old, name in (("GM0001", "Oud-A"), ("GM0002", "Oud-B"))])
    merged = municipal.summary(subject.Report(inputs, "GM0503", "Delft", "JZ24", "Haaglanden"))
    assert "sinds 1 januari 2019, uit Oud-A en Oud-B" in merged
    inputs.harmonisation = inputs.harmonisation.iloc[:0]
    assert "bestaat sinds" not in municipal.summary(subject.Report(inputs, "GM0503", "Delft", "JZ24", "Haaglanden"))


def test_a_kpi_without_a_margin_is_refused(tmp_path, monkeypatch):
    spec = {"kpis": {"k": {"naam": "K", "omschrijving": "", "teller": {}, "schaal": 1, "eenheid": "x",
                           "richting": "neutraal", "decimalen": 0}}}
    with pytest.raises(config.ConfigError, match="k: veld 'marge' ontbreekt"):
        config._kpis(spec)


def test_a_status_on_small_cbs_counts_carries_a_caution(cfg):
    def rows(count):
        return [["GM0184", "gemeente", year, "jeugdhulp_met_verblijf_aantal", float(value), None, float(value),
                 "definitief", False, None] for year, value in ((2022, count + 5), (2023, count))]
    inputs = _inputs(cfg, rows(30))
    small = municipal.summary(subject.Report(inputs, "GM0184", "Urk", "JZ08", "Flevoland"))
    note = small[small.index('id="toelichting-minder_uithuisplaatsingen"'):]
    assert "kleine aantallen" in note[: note.index("</li>")]
    large = municipal.summary(subject.Report(_inputs(cfg, rows(300)), "GM0184", "Urk", "JZ08", "Flevoland"))
    note = large[large.index('id="toelichting-minder_uithuisplaatsingen"'):]
    assert "kleine aantallen" not in note[: note.index("</li>")]


# ---------------------------------------------------------------------------- data-quality warnings per municipality
def _warning(note, per_area, rows=(0,), examples=(99.0,)):
    return {"source": "data/staging/2023/kpi_waarden.parquet", "column": "verandering_pct",
            "expectation": "expect_column_values_to_be_between",
            "severity": "waarschuwing", "unexpected_count": sum(a["aantal"] for a in per_area.values()) or None,
            "examples": list(examples), "rows": list(rows), "rows_are_file_lines": False, "note": note, "per_area": per_area}


def _with_warnings(cfg):
    inputs = _two_municipalities(cfg, [_row("GM0518", 2022, 1.0), _row("GM0503", 2022, 2.0)])
    inputs.areas.loc[inputs.areas["gebied_code"] == "GM0503", "naam"] = "Delft"
    inputs.validation = {"gecontroleerd": 10, "geslaagd": 7, "waarschuwingen": [
        _warning("Sprong bij 's-Gravenhage", {"GM0518": {"aantal": 1, "jaren": [2022], "voorbeelden": [61.5]}}),
        _warning("Sprong bij beide", {"GM0518": {"aantal": 1, "jaren": [2022], "voorbeelden": [44.4]},
                                      "GM0503": {"aantal": 2, "jaren": [2021, 2023], "voorbeelden": [38.2, -41.7]}}),
        _warning("Tabel als geheel", {}, rows=(), examples=("x",)),
    ]}
    return inputs


def test_a_report_lists_only_its_own_warnings_with_its_own_rows_and_counts_the_others(cfg):
    html = accountability.quality_section(_with_warnings(cfg), municipality="GM0503")
    assert "Waarschuwingen over Delft" in html and "Sprong bij beide" in html
    assert "Sprong bij &#39;s-Gravenhage" not in html and "Tabel als geheel" not in html
    assert "Delft 2021, Delft 2023" in html and "bijvoorbeeld 38,2, −41,7;" in html and "(2 waarden" in html
    assert "44,4" not in html and "&#39;s-Gravenhage 2022" not in html  # not another municipality's rows
    assert "3 gaven een waarschuwing" in html  # the run's count stays
    assert "De 2 andere waarschuwingen van deze run gaan over andere gemeenten" in html


def test_a_report_without_own_warnings_says_so(cfg):
    inputs = _with_warnings(cfg)
    inputs.validation["waarschuwingen"] = inputs.validation["waarschuwingen"][:1]
    html = accountability.quality_section(inputs, municipality="GM0503")
    assert "Geen van deze waarschuwingen gaat over Delft" in html and "<li>" not in html
    assert "De andere waarschuwing van deze run gaat over andere gemeenten" in html


def test_the_run_wide_section_lists_every_warning(cfg):
    html = accountability.quality_section(_with_warnings(cfg))
    assert html.count("<li>") == 3 and "andere waarschuwing" not in html
