"""What the fetch tests share: the local CBS server's state and recorded answers (tests/fixtures/odata,
tests/fixtures/odata4), and helpers that read the fetched files as the cleaning stage does. The
server itself and the network guard are fixtures in conftest.py."""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
import re
import shutil
import socket
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from jeugdmonitor.definitions import config
from jeugdmonitor.sources import raw

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
YOUTH_TABLE = "85099NED"  # the successor of 84134NED: it holds 2021-2024, so YEARS come from it alone
YOUTH_DATA = f"cbs/{YOUTH_TABLE}_TypedDataSet.csv"
IV3_TABLE = "45063NED"  # Gemeenten 2023 onbewerkte Iv3-data
IV3_DATA = Path("cbs") / "iv3" / f"{IV3_TABLE}_TypedDataSet.csv"


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


# ---------------------------------------------------------------------------- OData 4 and the choice of service
SERIES_YEARS = [2020, 2021, 2022, 2023, 2024]  # 2020 from 84134NED, 2022-2024 from 85099NED


def on_service(cfg: config.Config, kind: str, successor: str | None = None) -> config.Config:
    """cfg with cbs_jeugdzorg read from `kind` first (and its successor from `successor`, if given)."""
    changed = with_source(cfg, "cbs_jeugdzorg", dienst=kind)
    if successor:
        changed.sources["cbs_jeugdzorg"]["opvolgers"] = [{**changed.sources["cbs_jeugdzorg"]["opvolgers"][0],
                                                          "dienst": successor}]
    return changed


# the population table, read from either service
POPULATION = "03759ned"
POPULATION_DATA = f"cbs/{POPULATION}_TypedDataSet.csv"
