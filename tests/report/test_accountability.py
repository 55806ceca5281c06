"""Tests for jeugdmonitor.report.accountability: the data-quality warnings a report lists, its own
and the run's."""

from __future__ import annotations

from jeugdmonitor.report import accountability
from tests.report.helpers import _row, _two_municipalities


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
