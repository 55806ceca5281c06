"""Which CBS service serves a StatLine table: OData 3 (opendata.cbs.nl, read with cbsodata) or
OData 4 (datasets.cbs.nl, `odata4`), chosen per table in config/bronnen.yaml, and the fallback to
the other one when the first cannot serve the table.

config/bronnen.yaml: `cbs_diensten: {standaard: odata3 | odata4, terugvallen: true | false}`, and
per source (or per successor table) `dienst: odata3 | odata4` overriding the default. With
`terugvallen` the fetch tries the other service when the first fails with ServiceUnavailable
(no connection, timeout, HTTP error such as 404 for a table the service lacks, an answer that is
not OData); an error about the table itself (a missing title, a wrong key) stops at once, as it
would on the other service too."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from jeugdmonitor.definitions import config
from jeugdmonitor.errors import FetchError, ServiceUnavailable
from jeugdmonitor.fetch.odata4 import Service4, service4_from_environment
from jeugdmonitor.fetch.service import Service, service_for

log = logging.getLogger(__name__)

AnyService = Service | Service4

T = TypeVar("T")


KINDS = ("odata3", "odata4")


SETTINGS = "cbs_diensten"


def _settings(sources: Mapping[str, Any]) -> tuple[str, bool]:
    """(default service, whether to fall back) from `cbs_diensten` in config/bronnen.yaml."""
    settings = sources.get(SETTINGS) or {}
    default = str(settings.get("standaard", "odata3"))
    fallback = settings.get("terugvallen", True)
    if default not in KINDS or not isinstance(fallback, bool):
        raise config.ConfigError(f"config/bronnen.yaml: {SETTINGS} moet standaard {' of '.join(KINDS)} en terugvallen "
                                 f"true of false zijn, niet {settings!r}")
    return default, fallback


def preferred(sources: Mapping[str, Any], spec: Mapping[str, Any], key: str) -> str:
    """The service a table is read from first: its `dienst`, else `cbs_diensten.standaard`."""
    kind = str(spec.get("dienst") or _settings(sources)[0])
    if kind not in KINDS:
        raise config.ConfigError(f"config/bronnen.yaml: {key} (tabel {spec.get('tabel')}) heeft dienst {kind!r}; "
                                 f"kies {' of '.join(KINDS)}")
    return kind


def _service(kind: str, spec: Mapping[str, Any]) -> AnyService:
    return service4_from_environment() if kind == "odata4" else service_for(spec)


def by_title(spec: Mapping[str, Any]) -> bool:
    """Whether a source names its topics by CBS title (`ophalen.op_titel`), as OData 4 needs: its
    MeasureCodes have other keys than OData 3's topics (M000352 for BevolkingOp1Januari_1)."""
    return bool((spec.get("ophalen") or {}).get("op_titel"))


def candidates(sources: Mapping[str, Any], spec: Mapping[str, Any], key: str,
               given: AnyService | None = None) -> list[AnyService]:
    """The services to try for a table, in order: the preferred one, then (with `terugvallen`) the
    other. A service passed in (`given`, e.g. by a test) is the only one tried. A source that names
    its topics by key is read from OData 3 only: choosing OData 4 for it is a configuration error."""
    if given is not None:
        return [given]
    first = preferred(sources, spec, key)
    if first == "odata4" and not by_title(spec):
        raise config.ConfigError(f"config/bronnen.yaml: {key} (tabel {spec.get('tabel')}) noemt zijn onderwerpen bij "
                                 "OData 3-sleutel, die de OData 4-dienst niet kent (MeasureCodes heeft eigen sleutels); "
                                 f"zet dienst: odata3 bij {key}, of noem de onderwerpen bij CBS-titel (ophalen.op_titel)")
    kinds = [first, *([k for k in KINDS if k != first] if _settings(sources)[1] else [])]
    return [_service(kind, spec) for kind in kinds if kind == "odata3" or by_title(spec)]


def describe(service: AnyService) -> str:
    return f"{service.name} ({service.base_url})"


def first_answering(table: str, services: Sequence[AnyService], action: Callable[[AnyService], T],
                    failed: list[str] | None = None) -> tuple[AnyService, T]:
    """`action` on the first service that serves the table. A ServiceUnavailable moves on to the
    next service (and is added to `failed`, for the sidecar and the summary); when none serves it
    the FetchError says which services failed, why, and which the next attempt tries first."""
    failed = [] if failed is None else failed
    for service in services:
        try:
            return service, action(service)
        except ServiceUnavailable as error:
            failed.append(f"{describe(service)}: {error}")
            log.warning("CBS-tabel %s: %s gaf de tabel niet (%s)", table, service.name, error)
    order = ", dan ".join(s.name for s in services)
    raise FetchError(f"CBS-tabel {table}: geen CBS-dienst gaf de tabel. " + " | ".join(failed)
                     + f" | Een volgende poging probeert weer {order} (dienst en cbs_diensten in config/bronnen.yaml; "
                     "een spiegel met JEUGDMONITOR_CBS_URL voor OData 3 of JEUGDMONITOR_CBS4_URL voor OData 4)")


def provenance(service: AnyService, failed: Sequence[str]) -> dict[str, Any]:
    """What a sidecar records about the service: which one, its version path, its base address,
    and the services that failed before it (`teruggevallen_van`)."""
    meta: dict[str, Any] = {"dienst": service.name, "dienst_versiepad": service.version_path,
                            "dienst_adres": service.base_url}
    if failed:
        meta["teruggevallen_van"] = list(failed)
    return meta
