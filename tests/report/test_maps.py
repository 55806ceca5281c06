"""Unit tests for jeugdmonitor.report.maps: the bundled municipal boundaries, their sidecar, and the map."""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from jeugdmonitor import paths
from jeugdmonitor.definitions import config
from jeugdmonitor.errors import RawDataError
from jeugdmonitor.report import maps
from jeugdmonitor.sources import boundaries as geo
from jeugdmonitor.sources import raw

BUNDLED = sorted((paths.RAW_DIR / geo.GEO_DIR).glob("gemeente_*.topojson"))
# the Netherlands in longitude/latitude, with a margin
LON, LAT = (3.2, 7.3), (50.7, 53.6)
KPI = SimpleNamespace(id="jeugdhulp_aandeel", name="Jongeren met jeugdhulp", unit="%", decimals=1)


def _rings(geometry: dict) -> list[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def _svg(figure_html: str) -> str:
    return base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', figure_html).group(1)).decode()


def test_a_boundary_file_is_bundled_for_the_default_report_year():
    assert [p.name for p in BUNDLED] == ["gemeente_2023.topojson"]
    assert geo.boundary_file(2023) == BUNDLED[0]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_the_boundary_files_sidecar_is_complete_and_its_checksum_matches(path):
    meta = raw.verify(path)  # raises when the file no longer matches its checksum
    for field in (*raw.SIDECAR_FIELDS, "bestand", "jaar", "bronvermelding", "herkomst", "bewerking", "fictief"):
        assert meta.get(field) not in (None, ""), field
    assert meta["bestand"] == path.name
    assert meta["fictief"] is False  # real boundaries, not sample data
    assert meta["jaar"] == int(re.search(r"\d{4}", path.name).group(0))
    assert "Kadaster" in meta["bronvermelding"] and "Centraal Bureau voor de Statistiek" in meta["bronvermelding"]
    assert re.fullmatch(r"[0-9a-f]{40}", meta["herkomst"]["commit"])
    assert "pdok.nl" in meta["url"]
    assert path.stat().st_size < 1_000_000


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_the_maps_areas_are_the_registers_municipalities_of_the_bundled_regions(path):
    year = int(re.search(r"\d{4}", path.name).group(0))
    boundaries = geo.load(year)
    register = config.load().register
    expected = {m.code: m.name for m in register.existing(year) if m.region is not None}
    assert set(boundaries.areas) == set(expected)
    assert {code: name for code, (name, _) in boundaries.areas.items()} == expected


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_boundary_is_a_closed_ring_inside_the_netherlands(path):
    boundaries = geo.load(int(re.search(r"\d{4}", path.name).group(0)))
    for code, (_, geometry) in boundaries.areas.items():
        for ring in _rings(geometry):
            assert len(ring) >= 4 and ring[0] == ring[-1], code
            assert all(LON[0] < x < LON[1] and LAT[0] < y < LAT[1] for x, y in ring), code


def test_a_changed_boundary_file_is_refused(tmp_path):
    target = tmp_path / geo.GEO_DIR / BUNDLED[0].name
    target.parent.mkdir()
    shutil.copyfile(BUNDLED[0], target)
    shutil.copyfile(paths.raw_sidecar(BUNDLED[0]), paths.raw_sidecar(target))
    assert len(geo.load(2023, tmp_path).areas) == 35
    target.write_text(target.read_text(encoding="utf-8").replace("Delft", "Delf"), encoding="utf-8")
    with pytest.raises(RawDataError, match="sha256|checksum|controlegetal|gewijzigd"):
        geo.load(2023, tmp_path)


def _geojson(folder: Path, year: int, features: list[dict]) -> Path:
    path = folder / geo.GEO_DIR / f"gemeente_{year}.geojson"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    raw.write_sidecar(path, {"bron": "test", "tabel": "gemeente_gegeneraliseerd", "titel": "test", "url": "https://example.invalid",
                             "opgehaald": "2026-12-07", "licentie": "test", "jaar": year})
    return path


SQUARE = {"type": "Polygon", "coordinates": [[[5.0, 52.0], [5.1, 52.0], [5.1, 52.1], [5.0, 52.1], [5.0, 52.0]]]}


def test_the_newest_boundaries_up_to_the_report_year_count_and_a_geojson_file_is_read(tmp_path):
    _geojson(tmp_path, 2021, [{"type": "Feature", "properties": {"statcode": "GM0001", "statnaam": "Een"}, "geometry": SQUARE}])
    _geojson(tmp_path, 2024, [{"type": "Feature", "properties": {"statcode": "GM0002", "statnaam": "Twee"}, "geometry": SQUARE}])
    assert geo.load(2020, tmp_path) is None
    assert list(geo.load(2023, tmp_path).areas) == ["GM0001"]
    assert geo.load(2023, tmp_path).year == 2021
    assert list(geo.load(2025, tmp_path).areas) == ["GM0002"]


def test_two_boundary_files_of_one_year_and_an_area_without_code_are_refused(tmp_path):
    _geojson(tmp_path, 2023, [{"type": "Feature", "properties": {"naam": "zonder code"}, "geometry": SQUARE}])
    with pytest.raises(RawDataError, match="gemeentecode"):
        geo.load(2023, tmp_path)
    (tmp_path / geo.GEO_DIR / "gemeente_2023.topojson").write_text("{}", encoding="utf-8")
    with pytest.raises(RawDataError, match="twee grensbestanden"):
        geo.load(2023, tmp_path)


def test_a_boundary_file_not_in_utf8_is_named_not_a_traceback(tmp_path):
    path = _geojson(tmp_path, 2023, [])
    path.write_bytes(b"\xff" + path.read_bytes())
    raw.write_sidecar(path, raw.read_sidecar(path))  # sealed as it is: its reader refuses it
    with pytest.raises(RawDataError, match=r"gemeente_2023\.geojson.*niet in UTF-8 gecodeerd \(byte 0\)"):
        geo.load(2023, tmp_path)


def _rows() -> list[maps.MapRow]:
    boundaries = geo.load(2023)
    codes = ["GM0503", "GM0518", "GM0637", "GM0603"]
    values = [12.5, 11.0, None, None]
    rows = [maps.MapRow(code, boundaries.areas[code][0], value) for code, value in zip(codes, values, strict=True)]
    rows[3] = maps.MapRow("GM8001", "Voorbeeldgemeente 001", 9.5)  # a stand-in: no boundary
    return sorted(rows, key=lambda row: (row.value is None, -(row.value or 0.0)))


def test_the_text_alternative_names_the_tables_highest_and_lowest_and_lists_what_is_not_drawn():
    result = maps.figure(_rows(), 2023, KPI, "de gemeenten van Haaglanden", "2023**", highlight="Delft")
    text = result["text"]
    assert "Hoogste: Delft (12,5); laagste: Voorbeeldgemeente 001 (9,5)." in text
    assert "Delft is omlijnd." in text and "Zonder cijfer (grijs): Zoetermeer." in text
    assert "Niet op de kaart: Voorbeeldgemeente 001." in text
    assert result["missing"] == ["Voorbeeldgemeente 001"]
    html = str(result["figure"])
    assert f'aria-label="{text}"' in html.replace("&#x27;", "'")
    assert "Niet op de kaart, want zonder grens in de gemeentegrenzen van 2023: Voorbeeldgemeente 001." in html
    assert "Kadaster / Centraal Bureau voor de Statistiek" in html


def test_the_static_map_draws_each_area_with_a_boundary_and_outlines_the_municipality():
    html = str(maps.figure(_rows(), 2023, KPI, "de gemeenten van Haaglanden", "2023", highlight="Delft")["figure"])
    spec = json.loads(re.search(r'<script type="application/json" class="jm-grafiek-spec">(.*?)</script>', html).group(1))["spec"]
    names = [layer["name"] for layer in spec["layer"]]
    assert names == ["jm_kaart", "jm_kaart_leeg", "jm_kaart_omlijnd"]
    drawn = sorted(f["properties"]["gebied"] for f in spec["datasets"][spec["data"]["name"]])
    assert drawn == ["'s-Gravenhage", "Delft", "Zoetermeer"]
    svg = _svg(html)
    assert svg.count("<path") >= 4  # three areas and the outline (plus the legend)
    assert "12,5" in svg or "12,0" in svg or "11,5" in svg  # the legend in Dutch number format
    plain = str(maps.figure(_rows(), 2023, KPI, "de gemeenten van Haaglanden", "2023")["figure"])
    assert "jm_kaart_omlijnd" not in plain


def test_no_map_without_a_boundary_for_any_row():
    rows = [maps.MapRow("GM8001", "Voorbeeldgemeente 001", 1.0)]
    assert maps.figure(rows, 2023, KPI, "ergens", "2023") is None
    assert maps.figure(_rows(), 2022, KPI, "ergens", "2022") is None  # no boundaries of 2022 or earlier


def test_the_verantwoording_states_the_boundaries_source_and_attribution():
    stated = geo.source(2024)
    assert stated["bestand"] == "geo/gemeente_2023.topojson" and stated["jaar"] == 2023
    assert stated["bronvermelding"].startswith("Kadaster / Centraal Bureau voor de Statistiek")
    assert geo.source(2022) is None


def test_the_caption_says_where_the_figures_are():
    beside = str(maps.figure(_rows(), 2023, KPI, "ergens", "2023")["figure"])
    assert "de legenda geeft de schaal. De cijfers staan in de tabel bij de kaart." in beside
    below = maps.figure(_rows(), 2023, KPI, "ergens", "2023", table="De cijfers staan per regio in de tabellen hieronder.")
    assert below["text"].endswith("De cijfers staan per regio in de tabellen hieronder.")
    assert "de legenda geeft de schaal. De cijfers staan per regio in de tabellen hieronder." in str(below["figure"])


def test_a_long_list_of_areas_without_boundary_is_counted_in_the_text_alternative_and_named_under_the_map():
    many = [maps.MapRow(f"GM8{i:03d}", f"Voorbeeldgemeente {i:03d}", 1.0) for i in range(1, 13)]
    result = maps.figure(_rows() + many, 2023, KPI, "alle gemeenten", "2023")
    assert "Niet op de kaart: 13 gemeenten zonder grens, genoemd onder de kaart." in result["text"]
    assert "Voorbeeldgemeente 005" not in result["text"] and "Voorbeeldgemeente 005" in str(result["figure"])
