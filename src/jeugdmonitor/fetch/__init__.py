"""Fetch: raw files brought into data/raw/ from outside, checked before they are placed. The
real CBS tables (cbsodata for OData 3, requests for OData 4; `make fetch`, published all or
nothing) and a region's own export (`importer`, `make import`).

The tables, dimensions and topics come from config/bronnen.yaml, not from this code; the files
written have the bundled sample's exact shape, so the cleaning stage reads them unchanged.
The package exposes the fetch's public names below; how it works, file by file and option by
option: docs/fetch.md.
"""

from __future__ import annotations

from jeugdmonitor.fetch.batch import SOURCES, default_regions, fetch, fetchable
from jeugdmonitor.fetch.cli import main
from jeugdmonitor.fetch.files import LICENCE, FetchedTable
from jeugdmonitor.fetch.iv3_download import IV3, Iv3Settings, download_iv3, iv3_settings, iv3_years
from jeugdmonitor.fetch.odata import MAX_FILTER_CHARS, REGIONS_PER_REQUEST
from jeugdmonitor.fetch.odata4 import DEFAULT_URL4, ENV_URL4, Service4, parse_service4
from jeugdmonitor.fetch.service import (
    DEFAULT_URL,
    ENV_URL,
    FetchError,
    Service,
    ServiceUnavailable,
    parse_service,
    service_for,
)
from jeugdmonitor.fetch.statline import download_table

__all__ = [
    "DEFAULT_URL", "DEFAULT_URL4", "ENV_URL", "ENV_URL4", "IV3", "LICENCE", "MAX_FILTER_CHARS", "REGIONS_PER_REQUEST",
    "SOURCES", "FetchError", "FetchedTable", "Iv3Settings", "Service", "Service4", "ServiceUnavailable", "default_regions",
    "download_iv3", "download_table", "fetch", "fetchable", "iv3_settings", "iv3_years", "main", "parse_service",
    "parse_service4", "service_for",
]
