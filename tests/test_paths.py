"""Tests for jeugdmonitor.paths: output names come from valid area codes only."""

from __future__ import annotations

import pytest

from jeugdmonitor import paths


@pytest.mark.parametrize("code", ["../../etc/passwd", "GM05031", "gm0503", "GM05x3", "GM0503/../x", ""])
def test_output_names_come_from_valid_codes_only(code):
    with pytest.raises(ValueError, match="geen gemeentecode"):
        paths.report_page_name(code)


def test_output_name_of_a_valid_code():
    assert paths.report_page_name("GM0503") == "GM0503.html"


def test_region_file_names_come_from_valid_codes_only():
    assert paths.region_page_name("JZ24") == "regio-JZ24.html"
    for code in ("JZ2", "../JZ24", "GM0503", "jz24"):
        with pytest.raises(ValueError, match="geen jeugdregiocode"):
            paths.region_page_name(code)
