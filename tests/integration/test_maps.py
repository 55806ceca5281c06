"""The region on a map in the built pages (jeugdmonitor.report.maps): every region overview, bijlage and
the index carry their maps, and what a map's text alternative says agrees with the table beside it."""

from __future__ import annotations

import csv
import json
import re
from html import unescape

from jeugdmonitor.definitions import config

from .conftest import YEAR

ALT = re.compile(r'<div class="jm-grafiek-statisch" role="img" aria-label="(Kaart van [^"]*)"')
SAID = re.compile(r"Hoogste: (.+?) \(([^)]+)\); laagste: (.+?) \(([^)]+)\)\.")


def _number(text: str) -> float:
    return float(text.replace(".", "").replace(",", ".").rstrip("*"))


def _spec(figure: str) -> dict:
    block = re.search(r'<script type="application/json" class="jm-grafiek-spec">(.*?)</script>', figure, flags=re.S)
    return json.loads(block.group(1))["spec"]


def _drawn(figure: str) -> list[str]:
    spec = _spec(figure)
    return sorted(f["properties"]["gebied"] for f in spec["datasets"][spec["data"]["name"]])


def _count(figure: str) -> int:
    """How many municipalities the map's text alternative says are drawn."""
    return int(re.search(r"(\d+) gemeenten ingekleurd", ALT.search(figure).group(1)).group(1))


def _figures(html: str) -> list[str]:
    """The map figures of a page: each <figure> whose text alternative starts with 'Kaart van'."""
    return [f for f in re.findall(r'<figure class="jm-grafiek".*?</figure>', html, flags=re.S) if ALT.search(f)]


def test_every_region_overview_has_a_map_per_key_rate_agreeing_with_its_table(built):
    cfg = config.load()
    rates = [k for k in cfg.overview_kpis if cfg.kpis[k].is_rate]
    pages = sorted((built / "reports" / str(YEAR)).glob("regio-*.html"))
    assert len(pages) == 4
    for page in pages:
        html = page.read_text(encoding="utf-8")
        panels = re.findall(r'<div class="jm-paneel" id="paneel-(.*?)">(.*?)</table>', html, flags=re.S)
        assert [kpi for kpi, _ in panels] == rates, page.name
        for kpi, panel in panels:
            maps = _figures(panel)
            assert len(maps) == 1, (page.name, kpi)
            said = SAID.search(unescape(ALT.search(maps[0]).group(1)))
            rows = [(unescape(re.sub(r"<[^>]+>", "", name)), value) for name, value in
                    re.findall(r'<tr><td class="jm-getal">\d+</td><th scope="row">(.*?)</th><td class="jm-getal">([^<]*)</td>', panel)]
            valued = [(name, _number(value)) for name, value in rows if value != "–"]
            assert (said.group(1), _number(said.group(2))) == valued[0], (page.name, kpi)
            assert (said.group(3), _number(said.group(4))) == valued[-1], (page.name, kpi)
            names = [unescape(re.sub(r"<[^>]+>", "", n))
                     for n in re.findall(r'<tr><td class="jm-getal">[^<]*</td><th scope="row">(.*?)</th>', panel)]
            assert _count(maps[0]) == len(names), (page.name, kpi)  # every municipality of the table is drawn
            assert "Niet op de kaart" not in maps[0] and "jm-grafiek-spec" not in maps[0]  # static, as the panels


def test_every_bijlage_outlines_its_municipality_on_the_maps_of_its_region(built):
    checked = 0
    for page in sorted((built / "reports" / str(YEAR)).glob("GM*-bijlage.html")):
        html = page.read_text(encoding="utf-8")
        sections = re.findall(r'<section class="jm-kpi" id="(.*?)".*?</section>', html, flags=re.S)
        for section in re.findall(r'<section class="jm-kpi" id=".*?".*?</section>', html, flags=re.S):
            maps = _figures(section)
            if not maps:
                continue
            text = unescape(ALT.search(maps[0]).group(1))
            own = re.search(r"\. ([^.]+?) is omlijnd\.", text).group(1)
            assert re.search(rf'<tr class="jm-deze"><td class="jm-getal">[^<]*</td><th scope="row"><strong>{re.escape(own)}</strong>',
                             unescape(section)), page.name
            said = SAID.search(text)
            table = re.search(r'<table class="jm-tabel jm-vergelijking">.*?</table>', section, flags=re.S).group(0)
            rows = [(unescape(re.sub(r"<[^>]+>|\(deze gemeente\)", "", name)).strip(), value) for name, value in
                    re.findall(r'<tr(?: class="jm-deze")?><td class="jm-getal">[^<]*</td><th scope="row">(.*?)</th>'
                               r'<td class="jm-getal">([^<]*)</td>', table)]
            valued = [(name, _number(value)) for name, value in rows if value != "–"]
            assert (said.group(1), _number(said.group(2))) == valued[0], page.name
            assert (said.group(3), _number(said.group(4))) == valued[-1], page.name
            assert [layer["name"] for layer in _spec(maps[0])["layer"]][-1] == "jm_kaart_omlijnd"
            checked += 1
        assert sections, page.name
    assert checked >= 35 * 4, "a map for (nearly) every key rate of every bijlage"


def test_the_index_maps_every_reported_municipality_and_names_the_highest_and_lowest(built):
    folder = built / "reports" / str(YEAR)
    html = (folder / "index.html").read_text(encoding="utf-8")
    maps = _figures(html)
    assert len(maps) == 1
    cfg = config.load()
    kpi = next(k for k in cfg.overview_kpis if cfg.kpis[k].is_rate)
    with (folder / f"overzicht_{YEAR}.csv").open(encoding="utf-8") as handle:
        values = {row["naam"]: float(row["waarde"].replace(",", ".")) for row in csv.DictReader(handle, delimiter=";")
                  if row["kpi"] == kpi and row["niveau"] == "gemeente" and row["waarde"]}
    assert _count(maps[0]) == len(values) == 35 and "Niet op de kaart" not in maps[0]
    said = SAID.search(unescape(ALT.search(maps[0]).group(1)))
    decimals = cfg.kpis[kpi].decimals
    assert _number(said.group(2)) == round(max(values.values()), decimals) == round(values[said.group(1)], decimals)
    assert _number(said.group(4)) == round(min(values.values()), decimals) == round(values[said.group(3)], decimals)
    assert "Kadaster / Centraal Bureau voor de Statistiek" in html


def test_the_verantwoording_page_states_where_the_boundaries_come_from(built):
    folder = built / "reports" / str(YEAR)
    pages = sorted(folder.glob("verantwoording*.html"))
    assert pages
    html = unescape(pages[0].read_text(encoding="utf-8"))
    assert "Gemeentegrenzen op de kaarten: CBS-gebiedsindelingen 2023" in html
    assert "Bronvermelding: Kadaster / Centraal Bureau voor de Statistiek, 2023" in html
