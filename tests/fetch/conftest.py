"""Fixtures of the fetch tests: cbsodata and requests against a local server that serves
tests/fixtures/odata (StatLine tables 84134NED with its successor 85099NED, 85100NED, 03759ned, and
the Iv3 table 45063NED of dataderden.cbs.nl) and the OData 4 answers of tests/fixtures/odata4.

Never contacts the real network: the server listens on 127.0.0.1, the fetch is pointed at it
with JEUGDMONITOR_CBS_URL, and in these tests resolving any other host name fails."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest

from jeugdmonitor import fetch

from .helpers import (
    ODATA4,
    FixtureServer,
    _handler,
)


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
