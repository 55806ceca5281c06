"""The preview's choice of page: exactly one municipality or region, known to the register."""

from __future__ import annotations

import pytest

from jeugdmonitor import errors, makeargs
from jeugdmonitor.definitions import config
from jeugdmonitor.runner import preview


@pytest.fixture(scope="module")
def cfg() -> config.Config:
    return config.load()


def test_a_municipality_or_a_region_gives_the_runners_page(cfg):
    page = preview.preview_page(cfg, 2023, "GM0503", None)
    assert (page.key, page.kind, page.page) == ("GM0503", "gemeente", "GM0503.html")
    region = preview.preview_page(cfg, 2023, None, "JZ24")
    assert (region.key, region.kind, region.notebook) == ("JZ24", "regio", "05_regio.ipynb")


@pytest.mark.parametrize(("municipality", "region"), [(None, None), ("GM0503", "JZ24")])
def test_not_exactly_one_page_is_refused(cfg, municipality, region):
    with pytest.raises(config.ConfigError, match="GEMEENTE=GM0503 of REGIO=JZ24"):
        preview.preview_page(cfg, 2023, municipality, region)


def test_an_unknown_municipality_is_a_definition_error(cfg):
    with pytest.raises(errors.WorkbookError) as raised:
        preview.preview_page(cfg, 2023, "GM9999", None)
    assert raised.value.exit_code == errors.EXIT_BAD_INPUT


def test_make_voorbeeld_needs_one_of_gemeente_and_regio(monkeypatch):
    monkeypatch.setenv(makeargs.PREFIX + "YEAR", "2023")
    with pytest.raises(SystemExit) as refused:
        makeargs.arguments("voorbeeld")
    assert refused.value.code == errors.EXIT_BAD_INPUT
    monkeypatch.setenv(makeargs.PREFIX + "REGIO", "JZ24")
    assert makeargs.arguments("voorbeeld") == ["voorbeeld", "--year", "2023", "--regio", "JZ24"]
