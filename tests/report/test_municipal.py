"""Tests for jeugdmonitor.report.municipal: the municipal report's header and summary, on small
inputs built in memory."""

from __future__ import annotations

import pandas as pd

from jeugdmonitor.report import municipal, overview, subject
from tests.report.helpers import _inputs, _row


def test_text_from_data_is_escaped(cfg):
    rapport = subject.Report(_inputs(cfg, []), "GM0503", "<script>alert(1)</script>", "JZ24", "Haag<i>landen</i>")
    html = municipal.header(rapport)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<i>" not in html
    index = overview.index_page(_inputs(cfg, []))
    assert "<b>Delft</b>" not in index and "&lt;b&gt;Delft&lt;/b&gt;" in index


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


def test_a_merged_municipality_names_its_predecessors_and_others_say_nothing(cfg):
    inputs = _inputs(cfg, [])
    inputs.harmonisation = pd.DataFrame([
        {"jaar": year, "oude_code": old, "oude_naam": name, "nieuwe_code": "GM0503", "nieuwe_naam": "Delft",
         "actie": "opgeteld bij"} for year in (2016, 2017, 2018) for old, name in (("GM0001", "Oud-A"), ("GM0002", "Oud-B"))])
    merged = municipal.summary(subject.Report(inputs, "GM0503", "Delft", "JZ24", "Haaglanden"))
    assert "sinds 1 januari 2019, uit Oud-A en Oud-B" in merged
    inputs.harmonisation = inputs.harmonisation.iloc[:0]
    assert "bestaat sinds" not in municipal.summary(subject.Report(inputs, "GM0503", "Delft", "JZ24", "Haaglanden"))


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
