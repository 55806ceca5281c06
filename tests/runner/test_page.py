"""Tests for jeugdmonitor.runner.page: the files a page owns."""

from __future__ import annotations

from jeugdmonitor import paths
from jeugdmonitor.runner.page import INDEX_KEY, Page


def test_the_index_page_owns_its_filter_script_so_a_taken_over_index_keeps_it():
    index = Page(INDEX_KEY, "index", "04_overzicht.ipynb", {"gemeenten": []}, "index.html", "t", "t")
    assert index.files(2023)[:3] == ["index.html", "overzicht_2023.csv", paths.INDEX_SCRIPT_NAME]
