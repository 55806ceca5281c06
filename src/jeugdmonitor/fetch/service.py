"""Where and how the fetch talks to CBS: the OData service address (JEUGDMONITOR_CBS_URL or the
host in config/bronnen.yaml), and one guarded cbsodata call that turns every network or answer
failure into a FetchError naming the table and the URL.

cbsodata has no single "base URL" option. The host (plus prefix) goes through the documented
`catalog_url` argument of each call; http versus https only through the module option
`cbsodata.options.use_https`, which this module sets for the duration of a call and then
restores (the `catalog()` context manager accepts `use_https` but ignores it). Timeout and
proxies are passed as the documented requests keyword arguments. Paging (`odata.nextLink`)
is cbsodata's own.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import cbsodata
import requests

from jeugdmonitor.errors import FetchError, ServiceUnavailable
from jeugdmonitor.fetch.address import base_address
from jeugdmonitor.fetch.odata4 import Service4
from jeugdmonitor.fetch.odata4 import dimension_entries as codes_of

ENV_URL = "JEUGDMONITOR_CBS_URL"


DEFAULT_URL = "https://opendata.cbs.nl"


FEED_PATH = "ODataFeed/odata"  # where cbsodata 1.3 reads tables (its bulk feed, paged with odata.nextLink)


TIMEOUT = (5.0, 180.0)  # seconds: connect (fail at once without network), read (large pages)


@dataclass(frozen=True)
class Service:
    """The address of a CBS OData v3 service, e.g. https://opendata.cbs.nl."""

    base_url: str
    name = "OData 3"
    kind = "odata3"
    version_path = f"/{FEED_PATH}"  # where cbsodata reads: the v3 bulk feed

    @property
    def use_https(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def catalog_url(self) -> str:
        """What cbsodata calls the catalog url: host and path prefix, without the scheme."""
        return self.base_url.split("://", 1)[1]

    def table_url(self, table: str) -> str:
        return f"{self.base_url}/{FEED_PATH}/{table}"


def parse_service(value: str, origin: str = ENV_URL) -> Service:
    parts = base_address(value, origin, f"zoals {DEFAULT_URL} of http://127.0.0.1:8123")
    prefix = parts.path.rstrip("/")
    if re.search(r"/odata(api|feed|catalog)?(/|$)", prefix, flags=re.IGNORECASE):
        raise FetchError(f"{origin}={value!r}: geef alleen het basisadres (zoals {DEFAULT_URL}); "
                         f"cbsodata voegt zelf /{FEED_PATH}/<tabel> toe")
    return Service(f"{parts.scheme}://{parts.netloc}{prefix}")


def service_for(spec: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> Service:
    """JEUGDMONITOR_CBS_URL when set, else the scheme and host of the source's `url`."""
    environ = os.environ if environ is None else environ
    override = environ.get(ENV_URL, "").strip()
    if override:
        return parse_service(override)
    configured = urlsplit(str(spec.get("url", "")))
    if configured.scheme in ("http", "https") and configured.netloc:
        return Service(f"{configured.scheme}://{configured.netloc}")
    return Service(DEFAULT_URL)


@contextlib.contextmanager
def _scheme(use_https: bool) -> Iterator[None]:
    """cbsodata takes http/https only from its module options: set it, and restore it after
    (a process-wide setting: do not run two fetches with different schemes in parallel threads)."""
    previous = cbsodata.options.use_https
    cbsodata.options.use_https = use_https
    try:
        yield
    finally:
        cbsodata.options.use_https = previous


def _failed_url(error: BaseException) -> str | None:
    """The URL of the request that failed (cbsodata re-raises HTTP errors without it)."""
    for item in (error, error.__cause__):
        if isinstance(item, requests.RequestException):
            if item.request is not None and getattr(item.request, "url", None):
                return str(item.request.url)
            if item.response is not None and item.response.url:
                return str(item.response.url)
    return None


def _reason(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return f"geen antwoord binnen {TIMEOUT[0]:g} s (verbinden) / {TIMEOUT[1]:g} s (lezen) ({error})"
    if isinstance(error, requests.ConnectionError):
        return f"geen verbinding ({error})"
    for item in (error, error.__cause__):
        response = getattr(item, "response", None)
        if response is not None:
            return f"HTTP {response.status_code} {response.reason}"
    return str(error)


def call(service: Service, table: str, what: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """One cbsodata call against `service`; any failure becomes a FetchError naming table and URL."""
    request_options = {"timeout": TIMEOUT, "proxies": requests.utils.get_environ_proxies(service.base_url)}
    try:
        with _scheme(service.use_https):
            return function(*args, catalog_url=service.catalog_url, **kwargs, **request_options)
    except requests.RequestException as error:
        url = _failed_url(error) or f"{service.table_url(table)}/"
        raise ServiceUnavailable(f"CBS-tabel {table}: {what} mislukt bij {url}: {_reason(error)} ({service.name})") from error
    except (ValueError, KeyError) as error:  # JSON decoding, or no OData `value` envelope
        raise ServiceUnavailable(f"CBS-tabel {table}: {what} van {service.table_url(table)}/ is geen OData-antwoord "
                                 f"zoals CBS dat geeft ({service.name}; {type(error).__name__}: {error})") from error


def dimension_entries(service: Service | Service4, table: str, dimension: str) -> list[dict[str, Any]]:
    """A dimension's keys and titles, as the table lists them (before any data is asked for), from
    whichever service `service` is (OData 4: its code list `<dimension>Codes`)."""
    if isinstance(service, Service4):
        return codes_of(service, table, dimension)
    return call(service, table, f"lezen van dimensie {dimension}", cbsodata.get_meta, table, dimension)
