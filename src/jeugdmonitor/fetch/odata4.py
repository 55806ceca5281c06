"""Reading a StatLine table from CBS's OData 4 service (datasets.cbs.nl/odata/v1/CBS/<table>) with
requests, and handing it to the fetch in the shape the OData 3 feed gives, so that one code path
checks the answer and writes the same raw files whichever service served it.

What the service has, per table (data/raw/README.md cites where this is documented):
- `Properties` (one object: `Identifier`, `Title`, `Modified`, ...), `Dimensions` (`Identifier`,
  `Title`, `Kind`), `MeasureCodes` (the topics: `Identifier`, `Title`, `Decimals`, ...) and one
  code list `<Dimension>Codes` per dimension (`Identifier`, `Index`, `Title`; the period list also
  `Status`: Definitief, Voorlopig, Nader voorlopig);
- `Observations`, long: one per cell (`Id`, `Measure`, one column per dimension, `Value`,
  `ValueAttribute`, `StringValue`); an empty cell has no observation; pages follow
  `@odata.nextLink`.

The conversion (`download`) makes one row per combination of dimension codes that has an
observation, with `None` for a measure without an observation or whose `ValueAttribute` marks it
(anything but `None`): the empty cell OData 3 gives as `null`. A row's `ID` is its position in
the cube of the full code lists (in `Dimensions` order), as the OData 3 row ID is."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from jeugdmonitor.errors import FetchError, ServiceUnavailable
from jeugdmonitor.fetch.address import base_address

ENV_URL4 = "JEUGDMONITOR_CBS4_URL"


DEFAULT_URL4 = "https://datasets.cbs.nl/odata/v1/CBS"


TIMEOUT = (5.0, 180.0)  # seconds: connect (fail at once without network), read (large pages)


ORDINARY = {None, "", "None"}  # ValueAttribute of an ordinary value; any other: no figure (OData 3: null)


KINDS = {"TimeDimension": "TimeDimension", "GeoDimension": "GeoDimension", "GeoDetail": "GeoDetail"}


@dataclass(frozen=True)
class Service4:
    """The address of a CBS OData 4 catalogue, e.g. https://datasets.cbs.nl/odata/v1/CBS: the
    base before `/<table>`, its version path included."""

    base_url: str
    name = "OData 4"
    kind = "odata4"

    @property
    def version_path(self) -> str:
        """The path of the base (`/odata/v1/CBS`): CBS versions the service in its path."""
        return urlsplit(self.base_url).path or "/"

    def table_url(self, table: str) -> str:
        return f"{self.base_url}/{table}"


def parse_service4(value: str, origin: str = ENV_URL4) -> Service4:
    parts = base_address(value, origin, f"van de OData 4-dienst zoals {DEFAULT_URL4}")
    return Service4(f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}")


def service4_from_environment(environ: Mapping[str, str] | None = None) -> Service4:
    """JEUGDMONITOR_CBS4_URL when set (a mirror or a test server), else CBS's own service."""
    environ = os.environ if environ is None else environ
    return parse_service4(environ.get(ENV_URL4, "").strip() or DEFAULT_URL4)


def _reason(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return f"geen antwoord binnen {TIMEOUT[0]:g} s (verbinden) / {TIMEOUT[1]:g} s (lezen) ({error})"
    if isinstance(error, requests.ConnectionError):
        return f"geen verbinding ({error})"
    response = getattr(error, "response", None)
    return f"HTTP {response.status_code} {response.reason}" if response is not None else str(error)


def _get(service: Service4, table: str, what: str, url: str, params: Mapping[str, str] | None = None) -> Any:
    """One GET; any failure becomes a ServiceUnavailable naming the table, the URL and the service."""
    try:
        response = requests.get(url, params=params, timeout=TIMEOUT, headers={"Accept": "application/json"},
                                proxies=requests.utils.get_environ_proxies(url))
        response.raise_for_status()
    except requests.RequestException as error:
        failed = error.request.url if error.request is not None and error.request.url else url
        raise ServiceUnavailable(f"CBS-tabel {table}: {what} mislukt bij {failed} ({service.name}, "
                                 f"{service.base_url}): {_reason(error)}") from error
    try:
        return response.json()
    except ValueError as error:
        raise ServiceUnavailable(f"CBS-tabel {table}: {what} van {response.url} ({service.name}) is geen "
                                 f"OData-antwoord zoals CBS dat geeft ({error})") from error


def collection(service: Service4, table: str, part: str, params: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Every entry of a collection (`Dimensions`, `<Dimension>Codes`, `Observations`), following
    `@odata.nextLink` page by page."""
    url: str | None = f"{service.table_url(table)}/{part}"
    entries: list[dict[str, Any]] = []
    while url:
        answer = _get(service, table, f"lezen van {part}", url, params)
        if not isinstance(answer, dict) or not isinstance(answer.get("value"), list):
            raise ServiceUnavailable(f"CBS-tabel {table}: {service.table_url(table)}/{part} ({service.name}) geeft "
                                     "geen OData-lijst (`value`)")
        entries += answer["value"]
        url, params = answer.get("@odata.nextLink"), None  # the link carries the query itself
    return entries


def table_properties(service: Service4, table: str) -> dict[str, Any]:
    """`Properties`: one object describing the table (Identifier, Title, Modified, ...)."""
    answer = _get(service, table, "lezen van Properties", f"{service.table_url(table)}/Properties")
    if not isinstance(answer, dict) or "Identifier" not in answer:
        raise ServiceUnavailable(f"CBS-tabel {table}: {service.table_url(table)}/Properties ({service.name}) "
                                 "beschrijft geen tabel")
    return answer


def data_properties(service: Service4, table: str) -> list[dict[str, Any]]:
    """The table's dimensions (`Dimensions`) and topics (`MeasureCodes`) as OData 3 lists them in
    DataProperties: Key, Title, Type (Dimension, GeoDimension, TimeDimension or Topic), Decimals."""
    dimensions = [{"Key": d.get("Identifier"), "Title": d.get("Title"), "Type": KINDS.get(str(d.get("Kind")), "Dimension")}
                  for d in collection(service, table, "Dimensions")]
    topics = [{"Key": m.get("Identifier"), "Title": m.get("Title"), "Type": "Topic", "Decimals": m.get("Decimals") or 0}
              for m in sorted(collection(service, table, "MeasureCodes"), key=lambda m: m.get("Index") or 0)]
    return dimensions + topics


def dimension_entries(service: Service4, table: str, dimension: str) -> list[dict[str, Any]]:
    """A dimension's code list (`<Dimension>Codes`) as OData 3 lists a dimension: Key, Title and,
    for the period dimension, Status; in the list's own order (`Index`)."""
    codes = sorted(collection(service, table, f"{dimension}Codes"), key=lambda c: c.get("Index") or 0)
    return [{"Key": str(c.get("Identifier", "")), "Title": c.get("Title"), "Description": c.get("Description"),
             **({"Status": c["Status"]} if "Status" in c else {})} for c in codes]


def _clause(dimension: str, keys: Sequence[str]) -> str:
    quoted = ("'" + k.strip().replace("'", "''") + "'" for k in keys)
    return "(" + " or ".join(f"{dimension} eq {q}" for q in quoted) + ")"


def observation_filter(periods: Sequence[str] | None, period_dim: str, fixed: Mapping[str, Sequence[str]],
                       region_dim: str, regions: Sequence[str] | None, topics: Sequence[str]) -> str:
    """The `$filter` of an Observations request: the periods (else every whole year), the fixed
    keys per dimension, the regions of this group and the topics (`Measure`). OData 4 codes carry
    no padding, so keys are compared stripped."""
    clauses = [_clause(period_dim, periods) if periods else f"endswith({period_dim},'JJ00')"]
    clauses += [_clause(dim, keys) for dim, keys in fixed.items()]
    clauses += [_clause(region_dim, regions)] if regions else []
    clauses.append(_clause("Measure", topics))
    return " and ".join(clauses)


def _row_id(index: Mapping[str, Mapping[str, int]], order: Sequence[str], key: Sequence[str]) -> int:
    """The position of a combination of codes in the cube of the full code lists."""
    position = 0
    for dim, code in zip(order, key, strict=True):
        position = position * len(index[dim]) + index[dim][code]
    return position


def wide_rows(table: str, url: str, observations: Sequence[Mapping[str, Any]], dimensions: Sequence[str],
              order: Sequence[str], topics: Sequence[str],
              codes: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Observations -> OData-3-shaped rows (ID, each dimension, each topic), one per combination of
    codes that has an observation; a topic without one, or marked by its ValueAttribute, is None."""
    known = {dim: {str(e["Key"]): i for i, e in enumerate(codes[dim])} for dim in order}
    rows: dict[tuple[str, ...], dict[str, Any]] = {}
    for obs in observations:
        missing = [d for d in order if d not in obs]
        if missing or "Measure" not in obs:
            raise FetchError(f"CBS-tabel {table}: een observatie uit {url}/Observations mist {missing or ['Measure']}")
        key = tuple(str(obs[d]) for d in order)
        unknown = [f"{d}={obs[d]!r}" for d in order if str(obs[d]) not in known[d]]
        if unknown:
            raise FetchError(f"CBS-tabel {table}: {url}/Observations noemt code(s) {unknown} die niet in de "
                             "codelijsten (<Dimensie>Codes) staan")
        if obs["Measure"] not in topics:
            continue
        row = rows.setdefault(key, {"ID": _row_id(known, order, key), **dict(zip(order, key, strict=True)),
                                    **dict.fromkeys(topics)})
        if obs.get("ValueAttribute") in ORDINARY:
            row[obs["Measure"]] = obs.get("Value")
    return [{name: row[name] for name in ("ID", *dimensions, *topics)} for row in rows.values()]


def download(service: Service4, table: str, dimensions: Sequence[str], topics: Sequence[str], filter_text: str,
             properties: Sequence[Mapping[str, Any]], codes: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The observations that `filter_text` (`observation_filter`) selects, as cbsodata's
    `download_data` answers from OData 3: `TableInfos` (Identifier, Title, Modified),
    `TypedDataSet` (wide rows) and each dimension's list of keys. `properties`: the table's
    `data_properties`; `codes`: the code lists read so far (filled here, so that a table asked in
    several region groups reads each list once)."""
    url = service.table_url(table)
    infos = table_properties(service, table)  # per request: the fetch checks that Modified stays the same
    order = [str(p["Key"]) for p in properties if p.get("Type") != "Topic"]
    for dim in order:
        if dim not in codes:
            codes[dim] = dimension_entries(service, table, dim)
    observations = collection(service, table, "Observations", {"$filter": filter_text})
    return {"TableInfos": [{name: infos.get(name) for name in ("Identifier", "Title", "Modified")}],
            "TypedDataSet": wide_rows(table, url, observations, dimensions, order, topics, codes),
            **{dim: codes[dim] for dim in dimensions}}
