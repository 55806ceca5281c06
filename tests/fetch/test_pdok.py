"""Tests for jeugdmonitor.fetch.boundaries: the municipal boundaries of a year from a local stand-in of
PDOK's WFS (tests/fixtures/pdok), never the real network."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from jeugdmonitor import paths
from jeugdmonitor.fetch import pdok as wfs
from jeugdmonitor.fetch.cli import main as fetch_main
from jeugdmonitor.fetch.service import FetchError
from jeugdmonitor.sources import boundaries as geo
from jeugdmonitor.sources import raw

FIXTURE = Path(__file__).parents[1] / "fixtures" / "pdok" / "gemeente_gegeneraliseerd_2024.json"
BUNDLED = paths.RAW_DIR / geo.GEO_DIR / "gemeente_2023.topojson"


@pytest.fixture
def pdok(monkeypatch):
    """The fixture as PDOK's WFS of 2024 on 127.0.0.1; requests are recorded; other years are 404."""
    requests: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            url = urlparse(self.path)
            query = parse_qs(url.query)
            requests.append({"path": url.path, **{k: v[0] for k, v in query.items()}})
            if url.path != "/cbs/gebiedsindelingen/2024/wfs/v1_0" or query.get("typeNames") != [wfs.LAYER]:
                self.send_error(404)
                return
            body = FIXTURE.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv(wfs.ENV_URL, f"http://127.0.0.1:{server.server_address[1]}/cbs/gebiedsindelingen")
    try:
        yield requests
    finally:
        server.shutdown()


def _raw_copy(tmp_path: Path) -> Path:
    out = tmp_path / "raw"
    (out / geo.GEO_DIR).mkdir(parents=True)
    for file in (BUNDLED, paths.raw_sidecar(BUNDLED)):
        shutil.copyfile(file, out / geo.GEO_DIR / file.name)
    return out


def test_the_boundaries_of_a_year_are_fetched_with_a_complete_sidecar(pdok, tmp_path):
    out = _raw_copy(tmp_path)
    path = wfs.fetch_boundaries(2024, out)
    assert path == out / geo.GEO_DIR / "gemeente_2024.geojson"
    request = pdok[0]
    assert (request["typeNames"], request["srsName"], request["outputFormat"]) == (wfs.LAYER, "EPSG:4326", "application/json")
    meta = raw.verify(path)
    for field in (*raw.SIDECAR_FIELDS, "jaar", "bronvermelding", "bewerking"):
        assert meta.get(field) not in (None, ""), field
    assert meta["url"].endswith("/2024/wfs/v1_0") and meta["jaar"] == 2024 and meta["fictief"] is False
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    assert [f["properties"] for f in features] == [{"statcode": "GM0503", "statnaam": "Delft"},
                                                  {"statcode": "GM0603", "statnaam": "Rijswijk"}]
    assert sorted(geo.load(2024, out).areas) == ["GM0503", "GM0603"]
    assert sorted(geo.load(2023, out).areas)[:2] == ["GM0034", "GM0050"]  # the bundled 2023 file stays for 2023


def test_a_fetch_replaces_the_bundled_file_of_its_year(pdok, tmp_path, monkeypatch):
    out = _raw_copy(tmp_path)
    renamed = out / geo.GEO_DIR / "gemeente_2024.topojson"  # as if the bundled file were of 2024
    (out / geo.GEO_DIR / BUNDLED.name).rename(renamed)
    paths.raw_sidecar(out / geo.GEO_DIR / BUNDLED.name).rename(paths.raw_sidecar(renamed))
    wfs.fetch_boundaries(2024, out)
    assert sorted(p.name for p in (out / geo.GEO_DIR).iterdir()) == ["gemeente_2024.geojson", "gemeente_2024.geojson.meta.json"]


def test_a_failed_fetch_leaves_the_raw_folder_as_it_was(pdok, tmp_path):
    out = _raw_copy(tmp_path)
    before = sorted(p.name for p in (out / geo.GEO_DIR).iterdir())
    with pytest.raises(FetchError, match="PDOK-gemeentegrenzen.*2022/wfs/v1_0"):
        wfs.fetch_boundaries(2022, out)
    assert sorted(p.name for p in (out / geo.GEO_DIR).iterdir()) == before
    assert not list(tmp_path.glob(".geo-ophalen-*"))


def test_make_fetch_asks_for_the_boundaries_only_when_told(pdok, tmp_path, capsys, monkeypatch):
    out = _raw_copy(tmp_path)
    monkeypatch.setattr("jeugdmonitor.projecttree.check_project_tree", lambda: None)
    assert fetch_main(["--jaren", "2024", "--tabel", "gemeentegrenzen", "--out", str(out)]) == 0
    assert "gemeente_2024.geojson  gemeentegrenzen met sidecar" in capsys.readouterr().out
    assert fetch_main(["--jaren", "2022", "--tabel", "gemeentegrenzen", "--out", str(out)]) == 1
    assert "PDOK-gemeentegrenzen" in capsys.readouterr().err
