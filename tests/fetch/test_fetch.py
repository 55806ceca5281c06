"""Tests for jeugdmonitor.fetch: cbsodata against a local server that serves tests/fixtures/odata
(StatLine tables 84134NED with its successor 85099NED, 85100NED, 03759ned, and the Iv3 table
45063NED of dataderden.cbs.nl), and the same server's OData 4 answers of tests/fixtures/odata4
(84134NED and 85099NED; see tests/test_fetch_odata4.py).

Never contacts the real network: the server listens on 127.0.0.1, the fetch is pointed at it
with JEUGDMONITOR_CBS_URL, and in these tests resolving any other host name fails."""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import io
import json
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import cbsodata
import pytest

from jeugdmonitor import fetch
from jeugdmonitor.definitions import cbs_titles, config
from jeugdmonitor.fetch import odata
from jeugdmonitor.sources import cbs, cbs_keys, raw

FIXTURES = Path(__file__).parents[1] / "fixtures" / "odata"
FIXTURES4 = Path(__file__).parents[1] / "fixtures" / "odata4"
ODATA4_HOST = "https://datasets.cbs.nl"
ODATA4 = "/odata/v1/CBS/"  # the OData 4 service's versioned path, before /<table>
SAMPLE_RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
CBS_HOST = "https://opendata.cbs.nl"
IV3_HOST = "https://dataderden.cbs.nl"
YEARS = [2022, 2023, 2024]
MISSING = ".".rjust(raw.CBS_CELL_WIDTH)
FEED = "/ODataFeed/odata/"
STATLINE = ["cbs_jeugdzorg", "cbs_bevolking"]
YOUTH_TABLE = "85099NED"  # the successor of 84134NED: it holds 2021-2024, so YEARS come from it alone
YOUTH_DATA = f"cbs/{YOUTH_TABLE}_TypedDataSet.csv"
IV3_TABLE = "45063NED"  # Gemeenten 2023 onbewerkte Iv3-data
IV3_DATA = Path("cbs") / "iv3" / f"{IV3_TABLE}_TypedDataSet.csv"
IV3_HEADER = '"ID";"TaakveldBalanspost";"Categorie";"Gemeenten";"Verslagsoort";"k_1ePlaatsing_1";"k_2ePlaatsing_2"'


# ---------------------------------------------------------------------------- local CBS server
@dataclasses.dataclass
class FixtureServer:
    base_url: str
    requests: list[tuple[str, dict[str, list[str]]]]
    root: Path = FIXTURES  # a test may serve a changed copy (see `patch_fixture`)
    root4: Path = FIXTURES4

    def data_requests(self, table: str) -> list[dict[str, list[str]]]:
        return [query for path, query in self.requests if path == f"{FEED}{table}/TypedDataSet"]

    def observation_requests(self, table: str) -> list[dict[str, list[str]]]:
        return [query for path, query in self.requests if path == f"{ODATA4}{table}/Observations"]


def _fixture_file(state: FixtureServer, path: str, query: dict[str, list[str]]) -> Path | None:
    """The recorded answer to a request: OData 3 under FEED (`$skiptoken` pages), OData 4 under
    ODATA4 (`$skip` pages)."""
    for prefix, root, page in ((FEED, state.root, "$skiptoken"), (ODATA4, state.root4, "$skip")):
        if path.startswith(prefix):
            table, _, part = path[len(prefix):].partition("/")
            suffix = {"$skiptoken": ".skiptoken-", "$skip": ".skip-"}[page]
            name = (part or "index") + (f"{suffix}{query[page][0]}" if page in query else "")
            candidate = root / table / f"{name}.json"
            if re.fullmatch(r"[\w-]+", table) and re.fullmatch(r"[\w.-]+", name) and candidate.is_file():
                return candidate
    return None


def _handler(state: FixtureServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = 10  # a stuck connection cannot hold a server thread for long

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            state.requests.append((url.path, query))
            if url.path.startswith(f"{FEED}captive-portal/"):  # a proxy's or portal's HTML page, status 200
                self._send(200, "<!DOCTYPE html><html><body>Log in to continue</body></html>", "text/html")
                return
            fixture = _fixture_file(state, url.path, query)
            if fixture is None:
                message = f"Resource not found for the segment '{url.path}'."
                self._send(404, {"odata.error": {"code": "", "message": {"lang": "nl-NL", "value": message}}})
                return
            # CBS's own links (odata.metadata, odata.nextLink) point at CBS; a mirror serves its own
            text = fixture.read_text(encoding="utf-8")
            self._send(200, text.replace(CBS_HOST, state.base_url).replace(IV3_HOST, state.base_url)
                       .replace(ODATA4_HOST, state.base_url))

        def _send(self, status: int, body: str | dict, content_type: str = "application/json;odata=minimalmetadata;"
                  "streaming=true;IEEE754Compatible=false;charset=utf-8") -> None:
            data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only 127.0.0.1 / localhost resolve; no proxy, no CBS address from the environment."""
    real = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost"):
            raise socket.gaierror(socket.EAI_NONAME, f"tests have no network (asked for {host!r})")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", fetch.ENV_URL,
                 fetch.ENV_URL4):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cbs_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FixtureServer]:
    """The fixtures on a random free port of 127.0.0.1, in a thread, shut down after the test."""
    state = FixtureServer(base_url="", requests=[])
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    monkeypatch.setenv(fetch.ENV_URL, state.base_url)
    monkeypatch.setenv(fetch.ENV_URL4, f"{state.base_url}{ODATA4.rstrip('/')}")
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------- helpers
def fixture_rows(table: str, name: str = "TypedDataSet") -> list[dict]:
    return json.loads((FIXTURES / table / f"{name}.json").read_text(encoding="utf-8"))["value"]


def table_info(table: str) -> dict:
    return fixture_rows(table, "TableInfos")[0]


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")), delimiter=";"))


def with_source(cfg: config.Config, key: str, **changes) -> config.Config:
    sources = copy.deepcopy(cfg.sources)
    sources[key].update(changes)
    return dataclasses.replace(cfg, sources=sources)


def dimension_path(data_path: Path, name: str) -> Path:
    return data_path.with_name(data_path.name.replace("TypedDataSet", name))


def read_like_clean(cfg: config.Config, key: str, out: Path, table: str | None = None):
    """Read a fetched table of a source (default: its newest) with the arguments load.load_raw
    uses: the topic columns the sidecar recorded for the configured titles."""
    parts = config.table_parts(key, cfg.sources[key])
    spec = parts[-1].spec if table is None else next(p.spec for p in parts if p.spec["tabel"] == table)
    dims = spec["dimensies"]
    path = out / spec["bestand"]
    topics = (raw.read_sidecar(path).get("sleutels") or {}).get("onderwerpen") or spec["onderwerpen"]
    decimals = {"cbs_jeugdzorg": {topics.get("jongeren_relatief")}}.get(key, set())
    frame = raw.read_cbs_table(path, list(dims.values()),
                               {t: t in decimals for t in topics.values()}, cfg.sources["ontbrekend_teken"])
    dimensions = {name: raw.read_dimension(dimension_path(path, name),
                                           ("Key", "Title", "Status") if role == "periode" else ("Key", "Title"))
                  for role, name in dims.items()}
    return frame, dimensions


def patch_fixture(server: FixtureServer, tmp_path: Path, table: str, part: str, change) -> None:
    """Serve a copy of the fixtures in which `change(values)` altered the `value` list of `part`
    (and of its further pages)."""
    root = tmp_path / "odata"
    if not root.exists():
        shutil.copytree(FIXTURES, root)
    for path in [root / table / f"{part}.json", *sorted((root / table).glob(f"{part}.skiptoken-*.json"))]:
        answer = json.loads(path.read_text(encoding="utf-8"))
        change(answer["value"])
        path.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    server.root = root


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): raw.sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------------------- paging, keys, empty cells
def test_paging_is_followed(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=cfg)

    page1 = {str(r["ID"]) for r in fixture_rows(YOUTH_TABLE)}
    page2 = {str(r["ID"]) for r in fixture_rows(YOUTH_TABLE, "TypedDataSet.skiptoken-139")}
    assert page1 and page2 and not page1 & page2
    written = {row["ID"] for row in csv_rows(out / YOUTH_DATA)}
    assert written == page1 | page2
    assert any("$skiptoken" in query for query in cbs_server.data_requests(YOUTH_TABLE))
    assert cbs_server.data_requests("84134NED") == []  # it holds none of YEARS (read: its Perioden only)


def test_region_keys_keep_their_spaces_in_the_file_and_lose_them_when_read(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=cfg)
    path = out / YOUTH_DATA

    keys = {row["RegioS"] for row in csv_rows(path)}
    assert keys == {"GM0503  ", "GM0518  ", "JZ24    ", "NL01    "}
    assert '"GM0518  "' in path.read_text(encoding="utf-8")
    assert {row["Key"] for row in csv_rows(dimension_path(path, "RegioS"))} == keys

    frame, dimensions = read_like_clean(cfg, "cbs_jeugdzorg", out)
    assert set(frame["RegioS"]) == {"GM0503", "GM0518", "JZ24", "NL01"}
    assert set(dimensions["RegioS"]["Key"]) == {"GM0503", "GM0518", "JZ24", "NL01"}


def test_null_becomes_the_missing_mark(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=cfg)
    topics = ["JongerenMetJeugdzorg_1", "JongerenMetJeugdzorgRelatief_2", "Jeugdzorgtrajecten_3"]
    rows = {(r["VormenVanJeugdzorg"], r["RegioS"].strip(), r["Perioden"]): r for r in csv_rows(out / YOUTH_DATA)}

    suppressed = rows[("A027919", "GM0503", "2024JJ00")]  # JB 1 Totaal jeugdbescherming
    assert [suppressed[t] for t in topics] == [MISSING, MISSING, MISSING]
    partly = rows[("A027918", "GM0503", "2024JJ00")]  # JH 122 Totaal jeugdhulp met verblijf
    assert partly["Jeugdzorgtrajecten_3"] == MISSING
    assert partly["JongerenMetJeugdzorg_1"] == "265".rjust(9)
    assert partly["JongerenMetJeugdzorgRelatief_2"] == "0.9".rjust(9)
    assert all(len(row[t]) == raw.CBS_CELL_WIDTH for row in rows.values() for t in topics)

    frame, _ = read_like_clean(cfg, "cbs_jeugdzorg", out)
    cell = frame[(frame["RegioS"] == "GM0503") & (frame["Perioden"] == "2024JJ00")
                 & (frame["VormenVanJeugdzorg"] == "A027919")]
    assert cell[topics].isna().all(axis=None)
    assert frame[topics].notna().sum().sum() == len(frame) * len(topics) - 4


# ---------------------------------------------------------------------------- provenance
def test_sidecars_hold_the_provenance_and_a_matching_checksum(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetched = fetch.fetch(STATLINE, years=YEARS, out_dir=out, cfg=cfg)

    assert [f.key for f in fetched] == STATLINE
    for item in fetched:
        spec = config.table_parts(item.key, cfg.sources[item.key])[-1].spec
        info = table_info(spec["tabel"])
        for relative in item.files:
            path = out / relative
            meta = json.loads(raw.paths.raw_sidecar(path).read_text(encoding="utf-8"))
            for name in (*raw.SIDECAR_FIELDS, "laatst_gewijzigd", "fictief", "perioden_status"):
                assert name in meta, (path.name, name)
            assert meta["sha256"] == raw.sha256(path)
            assert raw.verify(path) == meta
            assert meta["bestand"] == path.name
            assert meta["tabel"] == spec["tabel"]
            assert meta["titel"] == info["Title"]
            assert meta["laatst_gewijzigd"] == info["Modified"]
            assert meta["licentie"] == "CC BY 4.0"
            assert meta["fictief"] is False
            assert meta["url"].startswith(f"{cbs_server.base_url}{FEED}{spec['tabel']}/")
            assert dt.datetime.fromisoformat(meta["opgehaald"]).tzinfo is not None
            assert meta["bron"].startswith(f"CBS StatLine, tabel {spec['tabel']}")

    youth = json.loads(raw.paths.raw_sidecar(out / YOUTH_DATA).read_text(encoding="utf-8"))
    assert youth["perioden_status"] == {"2022": "Definitief", "2023": "Nader voorlopig", "2024": "Voorlopig"}
    assert youth["url"] == f"{cbs_server.base_url}{FEED}{YOUTH_TABLE}/TypedDataSet"
    assert youth["rijen"] == 48
    assert youth["reeks"] == {"84134NED": [], YOUTH_TABLE: YEARS}


# ---------------------------------------------------------------------------- shapes the workbook reads
def test_fetched_folder_has_the_sample_files_and_reads_without_error(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetched = fetch.fetch(STATLINE, years=YEARS, out_dir=out, cfg=cfg)  # Iv3: see test_iv3_writes_...

    for item in fetched:
        bestand = item.files[0]
        prefix = bestand.name.replace("TypedDataSet.csv", "")
        sample = sorted(p.name for p in (SAMPLE_RAW / bestand.parent).glob(f"{prefix}*.csv"))
        assert sorted(p.name for p in item.files) == sample
        for relative in item.files:
            written, bundled = out / relative, SAMPLE_RAW / bestand.parent / relative.name
            lines = written.read_text(encoding="utf-8").splitlines()
            assert lines[0] == bundled.read_text(encoding="utf-8").splitlines()[0], relative
            assert all(re.fullmatch(r'"[^"]*"(;"[^"]*")*', line) for line in lines), relative
        frame, dimensions = read_like_clean(cfg, item.key, out)
        assert len(frame) == item.rows
        periods = dimensions[cfg.sources[item.key]["dimensies"]["periode"]]
        assert set(periods["Status"]) <= set(cfg.sources["status_labels"])


def test_empty_cube_rows_of_merged_municipalities_are_left_out(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=out, cfg=cfg)
    path = out / cfg.sources["cbs_bevolking"]["bestand"]

    assert any(r["RegioS"] == "GM0585  " for r in fixture_rows("03759ned"))  # Binnenmaas, gone since 2019
    frame, dimensions = read_like_clean(cfg, "cbs_bevolking", out)
    assert set(frame["RegioS"]) == {"GM0503", "GM0518", "NL01"}
    assert frame["BevolkingOp1Januari_1"].notna().all()
    assert set(dimensions["Leeftijd"]["Key"]) == {"10000", "10010", "10110", "10210"}  # not the age group
    meta = raw.read_sidecar(path)
    assert "12 lege rijen" in meta["weggelaten_lege_rijen"]


def test_years_and_regions_are_requested_and_kept_exactly(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    [item] = fetch.fetch(["cbs_jeugdzorg"], years=[2023], regions=["GM0518"], out_dir=out, cfg=cfg)
    path = out / YOUTH_DATA

    assert item.rows == 4 and item.years == [2023] and item.regions == ["GM0518"]
    assert {(r["RegioS"], r["Perioden"]) for r in csv_rows(path)} == {("GM0518  ", "2023JJ00")}
    assert [r["Key"] for r in csv_rows(dimension_path(path, "Perioden"))] == ["2023JJ00"]
    assert raw.read_sidecar(path)["perioden_status"] == {"2023": "Nader voorlopig"}
    first_page = [q for q in cbs_server.data_requests(YOUTH_TABLE) if "$skiptoken" not in q]
    assert len(first_page) == 1
    titles = {r["Title"]: r["Key"] for r in fixture_rows(YOUTH_TABLE, "VormenVanJeugdzorg")}
    forms = " or ".join(f"VormenVanJeugdzorg eq '{titles[title]}'" for title in cfg.sources["cbs_jeugdzorg"]["vormen"])
    assert first_page[0]["$filter"] == [f"Perioden eq '2023JJ00' and ({forms}) and startswith(RegioS,'GM0518')"]
    assert first_page[0]["$select"] == ["ID,VormenVanJeugdzorg,RegioS,Perioden,JongerenMetJeugdzorg_1,"
                                        "JongerenMetJeugdzorgRelatief_2,Jeugdzorgtrajecten_3"]


def test_ophalen_filters_from_config(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    youth = with_source(cfg, "cbs_jeugdzorg", vormen={"JH 1 Totaal jeugdhulp": "jeugdhulp",
                                                      "JB 1 Totaal jeugdbescherming": "jeugdbescherming"})
    fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=youth)
    assert {r["VormenVanJeugdzorg"] for r in csv_rows(out / YOUTH_DATA)} == {"A045560", "A027919"}

    population = with_source(cfg, "cbs_bevolking", ophalen={**cfg.sources["cbs_bevolking"]["ophalen"],
                                                            "filters": {"Leeftijd": ["10210"]}})
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=out, cfg=population)
    sent = cbs_server.data_requests("03759ned")[0]["$filter"][0]
    # the totals config/bronnen.yaml names by title ("Totaal mannen en vrouwen"), as this table's keys
    assert "Geslacht eq 'T001038'" in sent and "BurgerlijkeStaat eq 'T001019'" in sent
    assert "(Leeftijd eq '10000' or Leeftijd eq '10210' or Leeftijd eq '10010' or Leeftijd eq '10110')" in sent
    assert raw.read_sidecar(out / "cbs/03759ned_TypedDataSet.csv")["sleutels"] == {
        "onderwerpen": {"inwoners": "BevolkingOp1Januari_1"}, "onderwerptitels": {"inwoners": "Bevolking op 1 januari"},
        "Geslacht": {"T001038": "Totaal mannen en vrouwen"}, "BurgerlijkeStaat": {"T001019": "Totaal burgerlijke staat"},
        "Leeftijd": {"10000": "Totaal"}}


def test_single_years_of_age_are_chosen_by_title_not_key(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=out, cfg=cfg)

    sent = cbs_server.data_requests("03759ned")[0]["$filter"][0]
    assert "(Leeftijd eq '10000' or Leeftijd eq '10010' or Leeftijd eq '10110' or Leeftijd eq '10210')" in sent
    assert "70100" not in sent  # "0 tot 5 jaar": a group, which the workbook must not add to single years
    assert any(path == f"{FEED}03759ned/Leeftijd" for path, _ in cbs_server.requests)


def test_a_configured_key_the_table_lacks_stops_the_fetch_with_what_the_table_has(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    spec = cfg.sources["cbs_jeugdzorg"]
    wrong = with_source(cfg, "cbs_jeugdzorg", ophalen={**spec["ophalen"], "filters": {"VormenVanJeugdzorg": ["A045560", "JH0000"]}})

    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=wrong)

    message = str(error.value)
    assert f"{cbs_server.base_url}{FEED}{YOUTH_TABLE}/VormenVanJeugdzorg" in message
    assert "['JH0000']" in message and "'A027918' 'JH 122 Totaal jeugdhulp met verblijf'" in message
    assert cbs_server.data_requests(YOUTH_TABLE) == []  # nothing downloaded on a wrong configuration
    assert not out.exists()


def test_op_titel_names_a_mapping_of_titles_or_one_title(cfg):
    population = cfg.sources["cbs_bevolking"]
    assert odata.titled_entries(population, "cbs_bevolking") == {
        "Geslacht": "totaal_geslacht", "BurgerlijkeStaat": "totaal_burgerlijke_staat", "Leeftijd": "totaal_leeftijd"}
    for empty in ("", " ", {}, None):
        with pytest.raises(config.ConfigError, match=r"cbs_bevolking.ophalen.op_titel.Geslacht .*geen titel"):
            odata.titled_entries({**population, "totaal_geslacht": empty}, "cbs_bevolking")


def test_a_population_total_whose_title_the_table_lacks_stops_the_fetch(cbs_server, tmp_path, cfg):
    wrong = with_source(cfg, "cbs_bevolking", totaal_geslacht="Mannen en vrouwen")

    with pytest.raises(cbs_titles.TitleMatchError, match=r"03759ned/Geslacht.*'Mannen en vrouwen' komt niet voor.*'T001038'"):
        fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=tmp_path / "raw", cfg=wrong)
    assert cbs_server.data_requests("03759ned") == []


def test_a_filtered_dimension_the_table_lacks_stops_before_any_lookup(cbs_server, tmp_path, cfg):
    wrong = with_source(cfg, "cbs_bevolking", ophalen={**cfg.sources["cbs_bevolking"]["ophalen"],
                                                       "titels": {"Leeftijdsklasse": "^x$"}})

    with pytest.raises(fetch.FetchError, match=r"geen dimensie\(s\) \['Leeftijdsklasse'\] die ophalen"):
        fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=tmp_path / "raw", cfg=wrong)
    assert [path for path, _ in cbs_server.requests] == [f"{FEED}03759ned/DataProperties"]


def test_a_title_pattern_that_matches_nothing_stops_the_fetch(cbs_server, tmp_path, cfg):
    spec = cfg.sources["cbs_bevolking"]
    wrong = with_source(cfg, "cbs_bevolking", ophalen={**spec["ophalen"], "titels": {"Leeftijd": "^(\\d+) years$"}})

    with pytest.raises(fetch.FetchError, match=r"geen titel in .*03759ned/Leeftijd past bij .*'10010' '0 jaar'"):
        fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=tmp_path / "raw", cfg=wrong)

    broken = with_source(cfg, "cbs_bevolking", ophalen={**spec["ophalen"], "titels": {"Leeftijd": "(("}})
    with pytest.raises(config.ConfigError, match="ophalen.titels.Leeftijd"):
        fetch.fetch(["cbs_bevolking"], years=YEARS, out_dir=tmp_path / "raw", cfg=broken)


def test_regions_are_grouped_so_that_every_request_stays_short():
    clauses = ["(" + " or ".join(f"Perioden eq '{y}JJ00'" for y in range(2015, 2025)) + ")",
               "(" + " or ".join(f"Leeftijd eq '1{age:02d}10'" for age in range(23)) + ")"]
    regions = [f"GM{number:04d}" for number in range(1, 61)]

    chunks = odata.region_chunks("03759ned", clauses, "RegioS", regions)

    assert [code for chunk in chunks for code in chunk] == regions
    assert len(chunks) > len(regions) / fetch.REGIONS_PER_REQUEST  # the length, not the count, decided
    assert all(odata.encoded_length(odata.build_filter(clauses, "RegioS", chunk)) <= fetch.MAX_FILTER_CHARS
               for chunk in chunks)
    with pytest.raises(fetch.FetchError, match="minder jaren"):
        odata.region_chunks("03759ned", ["x" * fetch.MAX_FILTER_CHARS], "RegioS", regions)


# ---------------------------------------------------------------------------- Iv3: one table per year
IV3_KEPT_IDS = [81, 83, 93, 129, 131, 173, 181, 201, 203, 257, 259, 261]  # jaarrekening lasten, configured taakvelden


def iv3_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_iv3_writes_the_table_files_in_the_shape_of_the_source(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    [item] = fetch.fetch(["cbs_iv3"], years=[2023], out_dir=out, cfg=cfg)
    data = out / IV3_DATA

    names = ["TypedDataSet", "TaakveldBalanspost", "Categorie", "Gemeenten", "Verslagsoort"]
    assert item.files == [IV3_DATA.with_name(f"{IV3_TABLE}_{n}.csv") for n in names]
    assert iv3_files(out) == sorted(f"cbs/iv3/{IV3_TABLE}_{n}.csv{s}" for n in names for s in ("", ".meta.json"))
    lines = data.read_text(encoding="utf-8").splitlines()
    assert lines[0] == IV3_HEADER
    assert all(re.fullmatch(r'"[^"]*"(;"[^"]*"){6}', line) for line in lines)
    assert lines[1] == '"81";"6.71  ";"L1.1    ";"GM0503   ";"2023X005";"      652";"      661"'

    rows = csv_rows(data)
    assert [int(r["ID"]) for r in rows] == IV3_KEPT_IDS  # both pages, CBS order
    assert any("$skiptoken" in query for query in cbs_server.data_requests(IV3_TABLE))
    assert {r["Verslagsoort"] for r in rows} == {"2023X005"}  # no begroting
    assert {r["Categorie"] for r in rows} == {"L1.1    ", "L3.4    ", "L4.3    "}  # lasten only, padded
    assert {r["TaakveldBalanspost"] for r in rows} == {"6.71  ", "6.72  ", "6.72a ", "6.81  ", "6.82  "}  # not 0.1, 6.6
    assert {r["Gemeenten"] for r in rows} == {"GM0503   ", "GM0518   ", "GM0637   "}
    by_key = {(r["TaakveldBalanspost"].strip(), r["Gemeenten"].strip()): r for r in rows if r["Categorie"].startswith("L3.4")}
    assert by_key[("6.72", "GM0503")]["k_1ePlaatsing_1"] == "1208".rjust(9)  # served as 1208.0
    assert by_key[("6.72", "GM0518")]["k_2ePlaatsing_2"] == "-99998".rjust(9)  # geen opgave: kept as the code
    assert by_key[("6.72a", "GM0637")]["k_2ePlaatsing_2"] == MISSING  # null: an empty cell
    assert all(len(r[t]) == raw.CBS_CELL_WIDTH for r in rows for t in ("k_1ePlaatsing_1", "k_2ePlaatsing_2"))

    keys = {n: [r["Key"] for r in csv_rows(dimension_path(data, n))] for n in names[1:]}
    assert keys["TaakveldBalanspost"] == ["6.71  ", "6.72  ", "6.72a ", "6.81  ", "6.82  "]
    assert keys["Categorie"] == ["L1.1    ", "L3.4    ", "L4.3    "]
    assert keys["Verslagsoort"] == ["2023X005"]
    # the whole dimension, also GM1680, which has a begroting only: the national figure sums them all
    assert keys["Gemeenten"] == ["GM0503   ", "GM0518   ", "GM0637   ", "GM1680   "]
    assert dimension_path(data, "Gemeenten").read_text(encoding="utf-8").splitlines()[0] == '"Key";"Title"'

    frame = raw.read_cbs_table(data, list(cfg.sources["cbs_iv3"]["dimensies"].values()),
                               {"k_1ePlaatsing_1": True, "k_2ePlaatsing_2": True}, cfg.sources["ontbrekend_teken"])
    assert len(frame) == item.rows == 12
    assert frame["k_2ePlaatsing_2"].isna().sum() == 5 and (frame["k_2ePlaatsing_2"] == -99998).sum() == 2
    assert (item.years, item.regions, item.requested_regions) == ([2023], ["GM0503", "GM0518", "GM0637"], None)


def test_iv3_asks_for_the_jaarrekening_of_the_configured_taakvelden_for_every_municipality(cbs_server, tmp_path, cfg):
    fetch.fetch(["cbs_iv3"], years=[2023], out_dir=tmp_path / "raw", cfg=cfg)

    [first_page] = [q for q in cbs_server.data_requests(IV3_TABLE) if "$skiptoken" not in q]
    taakvelden = " or ".join(f"TaakveldBalanspost eq '{k}'" for k in ("6.71  ", "6.72  ", "6.72a ", "6.81  ", "6.82  "))
    assert first_page["$filter"] == [f"Verslagsoort eq '2023X005' and ({taakvelden})"]  # no Gemeenten filter
    assert first_page["$select"] == ["ID,TaakveldBalanspost,Categorie,Gemeenten,Verslagsoort,k_1ePlaatsing_1,k_2ePlaatsing_2"]
    paths = [path for path, _ in cbs_server.requests]
    # the table is checked before its data are asked for
    checks = [f"{FEED}{IV3_TABLE}/{part}" for part in ("DataProperties", "TableInfos", "Verslagsoort", "TaakveldBalanspost")]
    assert paths[:4] == checks
    assert all(path.startswith(f"{FEED}{IV3_TABLE}") for path in paths)


def test_iv3_sidecars_hold_the_provenance_and_the_newest_plaatsing(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    [item] = fetch.fetch(["cbs_iv3"], years=[2023], out_dir=out, cfg=cfg)
    info = table_info(IV3_TABLE)

    for relative in item.files:
        path = out / relative
        meta = raw.verify(path)
        part = path.stem.split("_", 1)[1]
        assert meta["bron"] == (f"CBS Iv3 (dataderden.cbs.nl, onbewerkte Iv3-data), tabel {IV3_TABLE} "
                                + ("(TypedDataSet)" if part == "TypedDataSet" else f"(dimensie {part})"))
        assert meta["tabel"] == IV3_TABLE
        assert meta["titel"] == "Gemeenten 2023 onbewerkte Iv3-data" != info["Title"]  # CBS's trailing space dropped
        assert meta["url"] == f"{cbs_server.base_url}{FEED}{IV3_TABLE}/{part}"
        assert dt.datetime.fromisoformat(meta["opgehaald"]).tzinfo is not None
        assert meta["laatst_gewijzigd"] == info["Modified"]
        assert meta["licentie"] == "CC BY 4.0"
        assert meta["fictief"] is False
        assert meta["jaar"] == 2023
        assert meta["perioden_status"] == {"2023": "Nader voorlopig"}  # 2e plaatsing figures exist
        assert meta["maker"].startswith("jeugdmonitor.fetch (cbsodata ")
    data_meta = raw.read_sidecar(out / IV3_DATA)
    assert data_meta["rijen"] == 12
    assert data_meta["filter"] == [cbs_server.data_requests(IV3_TABLE)[0]["$filter"][0]]
    assert raw.read_sidecar(dimension_path(out / IV3_DATA, "Gemeenten"))["rijen"] == 4


def test_iv3_without_2e_plaatsing_figures_is_voorlopig(cbs_server, tmp_path, cfg):
    def first_plaatsing_only(rows):
        for row in rows:  # -99998 (geen opgave) stays: it is no figure either
            if row["k_2ePlaatsing_2"] != -99998:
                row["k_2ePlaatsing_2"] = None

    patch_fixture(cbs_server, tmp_path, IV3_TABLE, "TypedDataSet", first_plaatsing_only)
    out = tmp_path / "raw"
    fetch.fetch(["cbs_iv3"], years=[2023], out_dir=out, cfg=cfg)

    assert raw.read_sidecar(out / IV3_DATA)["perioden_status"] == {"2023": "Voorlopig"}
    assert {r["k_2ePlaatsing_2"] for r in csv_rows(out / IV3_DATA)} == {MISSING, "-99998".rjust(9)}


def test_iv3_table_of_another_year_stops_the_fetch(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW / "cbs", out / "cbs")
    before = snapshot(out)
    spec = cfg.sources["cbs_iv3"]
    wrong = with_source(cfg, "cbs_iv3", tabellen={**spec["tabellen"], 2024: IV3_TABLE})  # the 2023 table as 2024's

    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(years=[2023, 2024], out_dir=out, cfg=wrong)

    message = str(error.value)
    assert f"{cbs_server.base_url}{FEED}{IV3_TABLE}/TableInfos" in message
    assert "'Gemeenten 2023 onbewerkte Iv3-data'" in message and "'Gemeenten 2024 onbewerkte Iv3-data'" in message
    assert "cbs_iv3.tabellen" in message
    assert len([q for q in cbs_server.data_requests(IV3_TABLE) if "$skiptoken" not in q]) == 1  # 2023's, not 2024's
    assert snapshot(out) == before  # the StatLine tables and 2023 fetched, nothing published
    assert [p.name for p in tmp_path.iterdir()] == ["raw"]


def test_iv3_without_the_jaarrekening_lists_the_verslagsoorten(cbs_server, tmp_path, cfg):
    patch_fixture(cbs_server, tmp_path, IV3_TABLE, "Verslagsoort", lambda rows: rows.pop())

    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(["cbs_iv3"], years=[2023], out_dir=tmp_path / "raw", cfg=cfg)

    message = str(error.value)
    assert f"{cbs_server.base_url}{FEED}{IV3_TABLE}/Verslagsoort heeft geen sleutel '2023X005'" in message
    assert "'2023X000' 'Begroting 2023'" in message and "nog niet gepubliceerd" in message
    assert cbs_server.data_requests(IV3_TABLE) == []
    assert not (tmp_path / "raw").exists()


def test_iv3_taakveld_the_table_lacks_lists_what_it_has(cbs_server, tmp_path, cfg):
    wrong = with_source(cfg, "cbs_iv3", taakvelden=["6.72", "6.7"])  # 6.7 is no prefix of 6.71: no such taakveld

    with pytest.raises(fetch.FetchError, match=r"TaakveldBalanspost heeft geen taakveld \['6.7'\].*'6.72a' "):
        fetch.fetch(["cbs_iv3"], years=[2023], out_dir=tmp_path / "raw", cfg=wrong)
    assert cbs_server.data_requests(IV3_TABLE) == []


def test_iv3_year_after_the_last_configured_table_is_a_configuration_error(cbs_server, tmp_path, cfg, capsys):
    out = tmp_path / "raw"
    last = max(cfg.sources["cbs_iv3"]["tabellen"])

    with pytest.raises(config.ConfigError, match=rf"geen tabel voor {last + 1}.*onder cbs_iv3\.tabellen"):
        fetch.fetch(years=[2023, last + 1], out_dir=out, cfg=cfg)
    assert fetch.main(["--jaren", f"2023-{last + 1}", "--out", str(out)]) == 2

    err = capsys.readouterr().err
    assert f"'Gemeenten {last + 1} onbewerkte Iv3-data'" in err and "cbs_iv3.tabellen" in err
    assert cbs_server.requests == []  # refused before any table is fetched
    assert not out.exists()


def test_iv3_years_before_the_first_table_are_skipped_and_said_so(cbs_server, tmp_path, cfg, capsys):
    out = tmp_path / "raw"
    [item] = fetch.fetch(["cbs_iv3"], years=[2015, 2016, 2023], out_dir=out, cfg=cfg)
    assert item.table == IV3_TABLE
    assert item.notes == ["jaren 2015-2016 overgeslagen: cbs_iv3.tabellen in config/bronnen.yaml begint bij 2017"]
    assert fetch.fetch(["cbs_iv3"], years=[2016], out_dir=tmp_path / "other", cfg=cfg) == []
    assert {path.split("/")[3] for path, _ in cbs_server.requests} == {IV3_TABLE}

    assert fetch.main(["--jaren", "2016,2023", "--tabel", "cbs_iv3", "--regio", "GM0518", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "let op: jaren 2016 overgeslagen" in printed
    assert "--regio geldt niet voor Iv3" in printed
    assert len(csv_rows(dimension_path(out / IV3_DATA, "Gemeenten"))) == 4  # --regio did not narrow it
    assert {r["Gemeenten"].strip() for r in csv_rows(out / IV3_DATA)} == {"GM0503", "GM0518", "GM0637"}


def test_default_fetch_publishes_all_four_sources_together(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetched = fetch.fetch(years=[2023], out_dir=out, cfg=cfg)

    # the table by age: 2023 is in its successor 85100NED (84135NED holds 2015-2020)
    assert [(f.key, f.table) for f in fetched] == [("cbs_jeugdzorg", YOUTH_TABLE), ("cbs_jeugdzorg_leeftijd", "85100NED"),
                                                   ("cbs_bevolking", "03759ned"), ("cbs_iv3", IV3_TABLE)]
    assert all((out / path).is_file() and raw.verify(out / path) for f in fetched for path in f.files)


def test_a_failing_iv3_table_publishes_nothing(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"

    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(years=[2023, 2024], out_dir=out, cfg=cfg)  # 2024's table 45067NED is not served

    assert f"{cbs_server.base_url}{FEED}45067NED/" in str(error.value) and "HTTP 404" in str(error.value)
    assert cbs_server.data_requests(YOUTH_TABLE) and cbs_server.data_requests(IV3_TABLE)  # fetched, not published
    assert not out.exists() or not any(out.rglob("*"))
    assert [p.name for p in tmp_path.iterdir() if p.name != "raw"] == []


# ---------------------------------------------------------------------------- failures
def test_unreachable_address_fails_at_once_and_leaves_the_target_alone(tmp_path, monkeypatch, cfg):
    out = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW / "cbs", out / "cbs")
    before = snapshot(out)
    port = closed_port()
    monkeypatch.setenv(fetch.ENV_URL, f"http://127.0.0.1:{port}")

    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(years=YEARS, out_dir=out, cfg=cfg)

    message = str(error.value)
    assert f"http://127.0.0.1:{port}/ODataFeed/odata/84134NED/" in message
    assert "84134NED" in message and "geen verbinding" in message
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["raw"]  # no temporary folder left behind
    assert cbsodata.options.use_https is True  # the module option is restored


def test_a_failing_table_publishes_nothing(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    broken = with_source(cfg, "cbs_bevolking", tabel="00000AAA")

    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(years=YEARS, out_dir=out, cfg=broken)

    assert f"{cbs_server.base_url}{FEED}00000AAA/" in str(error.value)
    assert "HTTP 404" in str(error.value)
    assert any(path.endswith(f"/{YOUTH_TABLE}/TypedDataSet") for path, _ in cbs_server.requests)  # fetched, not published
    assert not out.exists() or not any(out.rglob("*"))
    assert [p.name for p in tmp_path.iterdir() if p.name != "raw"] == []


def test_a_source_marked_not_fetchable_is_refused_with_its_reason(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW / "cbs", out / "cbs")
    before = snapshot(out)
    assert fetch.fetchable(cfg) == fetch.SOURCES  # cbs_iv3 is fetched too now
    closed = with_source(cfg, "cbs_iv3", ophalen={"beschikbaar": False, "reden": "tijdelijk niet ophalen"})

    assert fetch.fetchable(closed) == ("cbs_jeugdzorg", "cbs_jeugdzorg_leeftijd", "cbs_bevolking")
    with pytest.raises(config.ConfigError, match=r"cbs_iv3 kan niet worden opgehaald .*tijdelijk niet ophalen"):
        fetch.fetch(["cbs_jeugdzorg", "cbs_iv3"], years=[2023], out_dir=out, cfg=closed)

    assert cbs_server.requests == []  # refused before any request
    assert snapshot(out) == before


def test_a_topic_missing_from_the_table_names_the_table_and_url(cbs_server, tmp_path, cfg):
    topics = {**cfg.sources["cbs_jeugdzorg"]["onderwerpen"], "bestaat_niet": "Bestaat niet"}
    with pytest.raises(cbs_titles.TitleMatchError,
                       match=rf"{YOUTH_TABLE} .*/ODataFeed/odata/{YOUTH_TABLE}/DataProperties.*'Bestaat niet' komt niet voor"):
        fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=tmp_path / "raw",
                    cfg=with_source(cfg, "cbs_jeugdzorg", onderwerpen=topics))
    assert not (tmp_path / "raw").exists()


def test_an_answer_that_is_not_odata_names_the_table_and_url(cbs_server, tmp_path, cfg):
    portal = with_source(cfg, "cbs_jeugdzorg", tabel="captive-portal")
    with pytest.raises(fetch.FetchError, match=r"captive-portal.*/ODataFeed/odata/captive-portal/ is geen OData-antwoord"):
        fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=tmp_path / "raw", cfg=portal)
    assert not (tmp_path / "raw").exists()


# ---------------------------------------------------------------------------- address and command line
def test_the_address_comes_from_the_environment_or_the_config():
    local = fetch.parse_service("http://127.0.0.1:8123/")
    assert (local.base_url, local.catalog_url, local.use_https) == ("http://127.0.0.1:8123", "127.0.0.1:8123", False)
    mirror = fetch.parse_service("https://cbs-mirror.example.org/statline")
    assert (mirror.catalog_url, mirror.use_https) == ("cbs-mirror.example.org/statline", True)
    assert mirror.table_url("84134NED") == "https://cbs-mirror.example.org/statline/ODataFeed/odata/84134NED"
    spec = {"url": "https://opendata.cbs.nl/ODataApi/odata/84134NED"}
    assert fetch.service_for(spec, {}).base_url == fetch.DEFAULT_URL
    assert fetch.service_for(spec, {fetch.ENV_URL: "http://127.0.0.1:8123"}).base_url == "http://127.0.0.1:8123"
    iv3 = {"url": "https://dataderden.cbs.nl/ODataApi/odata"}
    assert fetch.service_for(iv3, {}).base_url == "https://dataderden.cbs.nl"
    assert fetch.service_for(iv3, {}).table_url("45063NED") == "https://dataderden.cbs.nl/ODataFeed/odata/45063NED"
    assert fetch.service_for(iv3, {fetch.ENV_URL: "http://127.0.0.1:8123"}).base_url == "http://127.0.0.1:8123"
    for bad in ("opendata.cbs.nl", "ftp://opendata.cbs.nl", "https://opendata.cbs.nl/ODataApi/odata/84134NED"):
        with pytest.raises(fetch.FetchError, match=fetch.ENV_URL):
            fetch.parse_service(bad)


def test_command_line_writes_and_reports(cbs_server, tmp_path, capsys):
    out = tmp_path / "raw"
    assert fetch.main(["--jaren", "2023", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for table in (YOUTH_TABLE, "85100NED", "03759ned", IV3_TABLE):
        assert table in printed
    assert "Gemeenten 2023 onbewerkte Iv3-data" in printed
    assert str(out / YOUTH_DATA) in printed
    assert f"{out / IV3_DATA}  12 rijen, jaren 2023, 3 gebieden" in printed
    assert "Gebieden in Nederland 2023" in printed  # the area table, fetched by default too
    assert "22 bestanden" in printed  # 4 + 5 + 6 + 5 (Iv3: data and four dimensions) + 2 (area table and RegioS)
    assert "--regio" not in printed
    assert fetch.main(["--jaren", "2023", "--regio", "GM0518", "--tabel", "cbs_jeugdzorg", "--out", str(out)]) == 0
    assert {r["RegioS"] for r in csv_rows(out / YOUTH_DATA)} == {"GM0518  "}


def test_command_line_without_network_exits_non_zero(tmp_path, monkeypatch, capsys):
    out = tmp_path / "raw"
    port = closed_port()
    monkeypatch.setenv(fetch.ENV_URL, f"http://127.0.0.1:{port}")
    assert fetch.main(["--jaren", "2015-2024", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "FOUT" in err and f"127.0.0.1:{port}" in err and "ongewijzigd" in err
    assert not out.exists()
    with pytest.raises(SystemExit) as exit_info:
        fetch.main(["--jaren", "2024-2015"])
    assert exit_info.value.code == 2


# ---------------------------------------------------------------------------- successor tables, keys by title
def test_two_successive_tables_give_each_year_from_the_newest_with_keys_resolved_by_title(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetched = fetch.fetch(["cbs_jeugdzorg"], years=[2020, 2021, 2022, 2023, 2024], out_dir=out, cfg=cfg)

    # 84134NED holds 2015-2021, 85099NED 2021-2024: 2021 comes from the newer table (which has no rows for it here)
    assert [(f.table, f.years) for f in fetched] == [("84134NED", [2020]), (YOUTH_TABLE, [2022, 2023, 2024])]
    choice = {"84134NED": [2020], YOUTH_TABLE: [2021, 2022, 2023, 2024]}
    older, newer = (raw.read_sidecar(out / f"cbs/{t}_TypedDataSet.csv") for t in ("84134NED", YOUTH_TABLE))
    assert older["reeks"] == newer["reeks"] == choice
    asked = {t: " ".join(q.get("$filter", [""])[0] for q in cbs_server.data_requests(t)) for t in choice}
    assert "Perioden eq '2020JJ00'" in asked["84134NED"] and "2021JJ00" not in asked["84134NED"]
    assert "2020JJ00" not in asked[YOUTH_TABLE] and "Perioden eq '2021JJ00'" in asked[YOUTH_TABLE]
    # the same title, another key in each table; both recorded
    assert older["sleutels"]["VormenVanJeugdzorg"]["T001203"] == newer["sleutels"]["VormenVanJeugdzorg"]["A045561"] \
        == "JZ Totaal jeugdzorg"
    assert older["sleutels"]["onderwerpen"] == newer["sleutels"]["onderwerpen"] == {
        "jongeren": "JongerenMetJeugdzorg_1", "jongeren_relatief": "JongerenMetJeugdzorgRelatief_2",
        "trajecten": "Jeugdzorgtrajecten_3"}
    assert {r["VormenVanJeugdzorg"] for r in csv_rows(out / "cbs/84134NED_TypedDataSet.csv")} == {
        "T001203", "A042502", "A027918", "A027919"}

    # the cleaning stage maps each table's keys to the same workbook names, from the recorded resolution
    forms = {}
    for part in config.table_parts("cbs_jeugdzorg", cfg.sources["cbs_jeugdzorg"]):
        path = out / part.spec["bestand"]
        assert cbs_keys.topic_columns(path, part.spec)["jongeren_relatief"] == "JongerenMetJeugdzorgRelatief_2"
        title_of = cbs_keys.titles_of_keys(path, part.spec, "VormenVanJeugdzorg", "vormen")
        frame, _ = read_like_clean(cfg, "cbs_jeugdzorg", out, part.spec["tabel"])
        forms[part.spec["tabel"]] = set(frame["VormenVanJeugdzorg"].map(title_of).map(part.spec["vormen"]))
    assert forms["84134NED"] == forms[YOUTH_TABLE] == {"jeugdzorg_totaal", "jeugdhulp", "jeugdhulp_met_verblijf",
                                                       "jeugdbescherming"}


def test_cleaning_refuses_a_year_that_two_tables_of_the_series_supply(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetch.fetch(["cbs_jeugdzorg"], years=[2020, 2021, 2022, 2023, 2024], out_dir=out, cfg=cfg)
    register = cfg.register
    parts = config.table_parts("cbs_jeugdzorg", cfg.sources["cbs_jeugdzorg"])
    frame, _ = read_like_clean(cfg, "cbs_jeugdzorg", out, YOUTH_TABLE)
    dims = parts[1].spec["dimensies"]
    with pytest.raises(raw.RawDataError, match=r"jaren \[2022\] staan ook in 84134NED"):
        cbs._check_series_part(out / YOUTH_DATA, frame, dims, "cbs_jeugdzorg", parts[1], {"84134NED": {2020, 2022}},
                                 register)


@pytest.mark.parametrize(("change", "message"), [
    (lambda values: values[0].update(Title="JZ Jeugdzorg totaal"),
     r"titel 'JZ Totaal jeugdzorg' komt niet voor.*Wel in de lijst: 'A045561' 'JZ Jeugdzorg totaal', 'A045560' 'JH 1 Totaal"),
    (lambda values: values.append({**values[0], "Key": "A099999"}),
     r"titel 'JZ Totaal jeugdzorg' past bij 2 sleutels: 'A045561' 'JZ Totaal jeugdzorg', 'A099999' 'JZ Totaal jeugdzorg'"),
])
def test_a_title_with_no_key_or_several_stops_the_fetch_listing_the_candidates(cbs_server, tmp_path, cfg, capsys,
                                                                               change, message):
    patch_fixture(cbs_server, tmp_path, YOUTH_TABLE, "VormenVanJeugdzorg", change)
    out = tmp_path / "raw"

    with pytest.raises(cbs_titles.TitleMatchError, match=rf"CBS-tabel {YOUTH_TABLE} .*/VormenVanJeugdzorg\): {message}") as error:
        fetch.fetch(["cbs_jeugdzorg"], years=YEARS, out_dir=out, cfg=cfg)
    assert error.value.exit_code == 2
    assert cbs_server.data_requests(YOUTH_TABLE) == [] and not out.exists()
    assert fetch.main(["--jaren", "2023", "--tabel", "cbs_jeugdzorg", "--out", str(out)]) == 2
    assert "FOUT" in capsys.readouterr().err and not out.exists()


def test_a_successor_holding_every_year_leaves_the_older_table_unfetched(cbs_server, tmp_path, cfg):
    fetched = fetch.fetch(["cbs_jeugdzorg"], years=[2022, 2023], out_dir=tmp_path / "raw", cfg=cfg)
    assert [(f.table, f.years) for f in fetched] == [(YOUTH_TABLE, [2022, 2023])]
    assert not (tmp_path / "raw/cbs/84134NED_TypedDataSet.csv").exists()
    assert [path for path, _ in cbs_server.requests if "84134NED" in path] == [f"{FEED}84134NED/Perioden"]


def test_a_year_in_no_table_of_the_series_is_said_so(cbs_server, tmp_path, cfg):
    fetched = fetch.fetch(["cbs_jeugdzorg"], years=[2014, 2023], out_dir=tmp_path / "raw", cfg=cfg)
    assert [(f.table, f.years) for f in fetched] == [(YOUTH_TABLE, [2023])]
    assert fetched[-1].notes == [f"jaren [2014] staan in geen tabel van de reeks (84134NED, {YOUTH_TABLE}); ze zijn niet opgehaald"]
    with pytest.raises(fetch.FetchError, match=rf"geen van de jaren 2010-2011 staat in een tabel van de reeks \(84134NED, {YOUTH_TABLE}"):
        fetch.fetch(["cbs_jeugdzorg"], years=[2010, 2011], out_dir=tmp_path / "raw", cfg=cfg)


def test_the_table_by_age_keeps_the_configured_age_groups_and_whole_years(cbs_server, tmp_path, cfg):
    out = tmp_path / "raw"
    fetched = fetch.fetch(["cbs_jeugdzorg_leeftijd"], years=YEARS, out_dir=out, cfg=cfg)

    assert [(f.table, f.years) for f in fetched] == [("85100NED", [2022, 2023, 2024])]  # 84135NED ends in 2020
    rows = csv_rows(out / "cbs" / "85100NED_TypedDataSet.csv")
    assert {r["Persoonskenmerken"] for r in rows} == {"T009002", "71090", "71091", "71092", "71093"}  # no sex, no origin
    assert {r["Perioden"] for r in rows} == {"2022JJ00", "2023JJ00", "2024JJ00"}  # no half year
    assert {r["VormenVanJeugdzorg"] for r in rows} == {"A045560", "A027918"}  # JH 1, JH 122 (by title)
    suppressed = [r for r in rows if r["RegioS"] == "GM0503  " and r["Perioden"] == "2024JJ00"
                  and r["VormenVanJeugdzorg"] == "A027918" and r["Persoonskenmerken"] == "71090"]
    assert [r["TotaalJongerenMetJeugdzorg_1"] for r in suppressed] == [MISSING]
    titles = {r["Key"]: r["Title"] for r in csv_rows(dimension_path(out / "cbs" / "85100NED_TypedDataSet.csv",
                                                                    "Persoonskenmerken"))}
    assert titles["71091"] == "Leeftijd: 4 tot 12 jaar"
    meta = raw.verify(out / "cbs" / "85100NED_TypedDataSet.csv")
    assert meta["perioden_status"] == {"2022": "Definitief", "2023": "Nader voorlopig", "2024": "Voorlopig"}


# ---------------------------------------------------------------------------- the area table
def test_area_table_topics_are_found_by_title_and_read_back(cbs_server, tmp_path, cfg):
    from jeugdmonitor.sources import areas

    out = tmp_path / "raw"
    fetched = fetch.fetch(["cbs_gebieden"], years=[2023], out_dir=out, cfg=cfg)

    assert [(f.key, f.table) for f in fetched] == [("cbs_gebieden", "85385NED")]
    data = out / "cbs" / "gebieden" / "85385NED_TypedDataSet.csv"
    meta = raw.verify(data)
    assert meta["onderwerpen"] == {"gemeentecode": "Code_1", "gemeentenaam": "Naam_2", "jeugdregio_code": "Code_18",
                                   "jeugdregio_naam": "Naam_19", "provincie_code": "Code_28", "provincie_naam": "Naam_29"}
    assert meta["jaar"] == 2023 and meta["fictief"] is False and meta["licentie"] == "CC BY 4.0"
    assert csv_rows(data)[2]["Naam_2"].startswith("'s-Gravenhage  ")  # as CBS gives it, padding and all
    rows = areas.read_area_table(data)
    assert [(r.code, r.name, r.region, r.region_name, r.province_name) for r in rows][:3] == [
        ("GM0363", "Amsterdam", "JZ13", "Amsterdam-Amstelland", "Noord-Holland"),
        ("GM0503", "Delft", "JZ24", "Haaglanden", "Zuid-Holland"),
        ("GM0518", "'s-Gravenhage", "JZ24", "Haaglanden", "Zuid-Holland")]
    assert {r["Key"].strip() for r in csv_rows(dimension_path(data, "RegioS"))} == {r.code for r in rows}


def test_area_table_without_a_configured_topic_title_lists_the_groups(cbs_server, tmp_path, cfg):
    topics = {**cfg.sources["cbs_gebieden"]["onderwerpen"], "jeugdregio_code": ["Jeugdzorgregio's", "Code"]}
    changed = with_source(cfg, "cbs_gebieden", onderwerpen=topics)

    with pytest.raises(fetch.FetchError, match="Jeugdzorgregio's.*Jeugdregio's"):
        fetch.fetch(["cbs_gebieden"], years=[2023], out_dir=tmp_path / "raw", cfg=changed)
    assert not (tmp_path / "raw").exists()


def test_area_table_of_an_unconfigured_year_is_a_configuration_error(cbs_server, tmp_path, cfg):
    with pytest.raises(config.ConfigError, match="cbs_gebieden.tabellen heeft geen tabel voor 2040"):
        fetch.fetch(["cbs_gebieden"], years=[2040], out_dir=tmp_path / "raw", cfg=cfg)


# ---------------------------------------------------------------------------- ten years: titles that change
# How CBS words the jeugdregio group of its area tables, year by year: "Jeugdzorgregio’s" with a
# typographic apostrophe in 2016 (its published metadata), "Jeugdregio's" later; the other years'
# variants (straight or typographic apostrophe, a trailing non-breaking space, lower case) are the
# variation the matching must absorb. Topic keys are numbered anew every year, as CBS does.
GROUP_TITLES = {2015: "Jeugdzorgregio's", 2016: "Jeugdzorgregio’s", 2017: "Jeugdregio’s", 2018: "Jeugdregio's\u00a0",
                2019: "jeugdregio's", 2020: "Jeugdregio's", 2021: "Jeugdregio's", 2022: "Jeugdregio's",
                2023: "Jeugdregio's", 2024: "Jeugdregio's"}
AREA_TEMPLATE = "85385NED"  # Gebieden in Nederland 2023, with the jeugdregio topics Code_18 and Naam_19


def area_tables_for(root: Path, cfg: config.Config, years: range) -> dict[int, str]:
    """Answers of the area table of every year in `root`, made from the 2023 one: the year's own table id
    and title, its wording of the jeugdregio group (GROUP_TITLES) and its own jeugdregio topic keys."""
    tables = {year: cfg.sources["cbs_gebieden"]["tabellen"][year] for year in years}
    for year, table in tables.items():
        code_key, name_key = f"Code_{year - 2000}", f"Naam_{year - 1999}"
        (root / table).mkdir(exist_ok=True)
        for source in sorted((FIXTURES / AREA_TEMPLATE).glob("*.json")):
            text = source.read_text(encoding="utf-8").replace(AREA_TEMPLATE, table)
            text = text.replace("Gebieden in Nederland 2023", f"Gebieden in Nederland {year}").replace('"Period": "2023"',
                                                                                                 f'"Period": "{year}"')
            text = text.replace('"Code_18"', f'"{code_key}"').replace('"Naam_19"', f'"{name_key}"')
            text = text.replace('"Title": "Jeugdregio\'s"', f'"Title": {json.dumps(GROUP_TITLES[year], ensure_ascii=False)}')
            if year == 2017:  # a table title with a non-breaking space and a trailing space
                text = text.replace('"Title": "Gebieden in Nederland 2017"', '"Title": "Gebieden in\\u00a0Nederland 2017 "')
            (root / table / source.name).write_text(text, encoding="utf-8")
    return tables


def test_ten_years_are_fetched_though_cbs_renames_groups_and_renumbers_keys_between_tables(cbs_server, tmp_path, cfg):
    from jeugdmonitor.sources import areas

    root = tmp_path / "odata"
    shutil.copytree(FIXTURES, root)
    cbs_server.root = root
    tables = area_tables_for(root, cfg, range(2015, 2025))
    # the older youth-care table writes some form titles with a non-breaking space, another case, a trailing space
    older_forms = root / "84134NED" / "VormenVanJeugdzorg.json"
    older_forms.write_text(older_forms.read_text(encoding="utf-8")
                           .replace('"JB 1 Totaal jeugdbescherming"', '"JB 1 Totaal\\u00a0jeugdbescherming"')
                           .replace('"JH 1 Totaal jeugdhulp"', '"JH 1 totaal jeugdhulp "'), encoding="utf-8")
    older_topics = root / "84134NED" / "DataProperties.json"
    older_topics.write_text(older_topics.read_text(encoding="utf-8").replace(
        '"Title": "Jongeren met jeugdzorg (relatief)"', '"Title": "Jongeren met Jeugdzorg\u00a0(relatief)"'), encoding="utf-8")
    out = tmp_path / "raw"

    fetched = fetch.fetch(["cbs_jeugdzorg", "cbs_gebieden"], years=list(range(2015, 2025)), out_dir=out, cfg=cfg)

    # every year from the newest youth-care table that has it (the fixtures hold rows for 2020 and 2022-2024)
    assert raw.read_sidecar(out / "cbs/84134NED_TypedDataSet.csv")["reeks"] == {
        "84134NED": [2015, 2016, 2017, 2018, 2019, 2020], YOUTH_TABLE: [2021, 2022, 2023, 2024]}
    assert [(f.table, f.years) for f in fetched if f.key == "cbs_jeugdzorg"] == [("84134NED", [2020]),
                                                                                 (YOUTH_TABLE, [2022, 2023, 2024])]
    assert [(f.table, f.years) for f in fetched if f.key == "cbs_gebieden"] == [(t, [y]) for y, t in tables.items()]
    assert [f.title for f in fetched if f.table == tables[2017]] == ["Gebieden in\u00a0Nederland 2017"]  # as CBS wrote it
    for year, table in tables.items():
        data = out / "cbs" / "gebieden" / f"{table}_TypedDataSet.csv"
        meta = raw.verify(data)
        # the keys of this year, and the titles as this year's table writes them
        assert (meta["onderwerpen"]["jeugdregio_code"], meta["onderwerpen"]["jeugdregio_naam"]) == (
            f"Code_{year - 2000}", f"Naam_{year - 1999}")
        assert meta["titels"]["jeugdregio_code"] == [" ".join(GROUP_TITLES[year].split()), "Code"]
        assert meta["titels"]["gemeentecode"] == ["Codes en namen van gemeenten", "Code"]
        assert [(r.code, r.region) for r in areas.read_area_table(data)] == [
            ("GM0363", "JZ13"), ("GM0503", "JZ24"), ("GM0518", "JZ24"), ("GM0637", "JZ24")]
    assert raw.read_sidecar(out / "cbs/gebieden/83287NED_TypedDataSet.csv")["titels"]["jeugdregio_naam"] == [
        "Jeugdzorgregio’s", "Naam"]

    # the youth-care sidecar records each table's own wording; the cleaning stage maps it to the configured title
    older = raw.read_sidecar(out / "cbs/84134NED_TypedDataSet.csv")["sleutels"]["VormenVanJeugdzorg"]
    assert older["A027919"] == "JB 1 Totaal\u00a0jeugdbescherming".replace("\u00a0", " ")
    assert older["A042502"] == "JH 1 totaal jeugdhulp"
    topics = raw.read_sidecar(out / "cbs/84134NED_TypedDataSet.csv")["sleutels"]
    assert topics["onderwerpen"]["jongeren_relatief"] == "JongerenMetJeugdzorgRelatief_2"
    assert topics["onderwerptitels"]["jongeren_relatief"] == "Jongeren met Jeugdzorg (relatief)"
    part = config.table_parts("cbs_jeugdzorg", cfg.sources["cbs_jeugdzorg"])[0]
    title_of = cbs_keys.titles_of_keys(out / part.spec["bestand"], part.spec, "VormenVanJeugdzorg", "vormen")
    assert title_of["A042502"] == "JH 1 Totaal jeugdhulp" and title_of["A027919"] == "JB 1 Totaal jeugdbescherming"
    assert title_of["A028103"] == "JB 11 Totaal ondertoezichtstelling" and title_of["A028104"] == "JB 12 Totaal voogdij"


def test_a_group_title_whose_alternatives_match_two_groups_stops_listing_both(cbs_server, tmp_path, cfg):
    def second_group(values):
        values += [{**values[9], "ID": 15, "Key": "Jeugdzorgregios", "Title": "Jeugdzorgregio’s"},
                   {**values[10], "ID": 16, "ParentID": 15, "Key": "Code_40"},
                   {**values[11], "ID": 17, "ParentID": 15, "Key": "Naam_41"}]

    patch_fixture(cbs_server, tmp_path, AREA_TEMPLATE, "DataProperties", second_group)
    with pytest.raises(fetch.FetchError, match=r"85385NED .*DataProperties\): 2 onderwerpen \(Code_18 in de groep \"Jeugdregio's\", "
                                               r"Code_40 in de groep 'Jeugdzorgregio’s'\) voor het onderwerp 'Code' in de groep "
                                               r"\"Jeugdregio's\" of \"Jeugdzorgregio's\""):
        fetch.fetch(["cbs_gebieden"], years=[2023], out_dir=tmp_path / "raw", cfg=cfg)
    assert not (tmp_path / "raw").exists()
