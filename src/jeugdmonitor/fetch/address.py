"""What counts as the base address of a CBS service: one check for the OData 3 and OData 4 sides,
whose addresses come from the environment (JEUGDMONITOR_CBS_URL, JEUGDMONITOR_CBS4_URL)."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

from jeugdmonitor.errors import FetchError


def base_address(value: str, origin: str, example: str) -> SplitResult:
    """`value` split as the base address of a service (http or https, a host, no query or
    fragment); a FetchError naming `origin` and an `example` otherwise."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise FetchError(f"{origin}={value!r} is geen basisadres {example}")
    return parts
