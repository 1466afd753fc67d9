"""Hostile servers and inputs for the security suite (issue 16 and issue 11's hostile input).

The corpus server and the allow-list fixture come from the ingestion suite, so both suites
fetch from the same real server on 127.0.0.1.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from tests.timeline.ingestion.conftest import (  # noqa: F401  (fixtures)
    _local_network_allowed,
    corpus_server,
    local_server,
)


@dataclass
class RawServer:
    """A TCP server on 127.0.0.1 that answers every connection with ``script`` (a list of
    (bytes, pause-in-seconds) steps), so headers and bodies can trickle or lie."""

    port: int = 0
    connections: int = 0
    script: list[tuple[bytes, float]] = field(default_factory=list)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def raw_server() -> Iterator[RawServer]:
    server = RawServer()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    server.port = listener.getsockname()[1]
    stop = threading.Event()

    def play(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                for data, pause in server.script:
                    conn.sendall(data)
                    if pause:
                        time.sleep(pause)
                    if stop.is_set():
                        return
            except OSError:
                return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            server.connections += 1
            threading.Thread(target=play, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(2)
        listener.close()


@dataclass
class Canary:
    """A listener that must never be reached: every accepted connection is recorded."""

    port: int
    hits: list[tuple[str, int]]


@pytest.fixture
def canary() -> Iterator[Canary]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    hits: list[tuple[str, int]] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, peer = listener.accept()
            except OSError:
                continue
            hits.append(peer)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield Canary(listener.getsockname()[1], hits)
    finally:
        stop.set()
        thread.join(2)
        listener.close()


@pytest.fixture
def no_outside_connections(monkeypatch) -> list[tuple]:
    """``socket.connect`` refuses (and records) any address that is not 127.0.0.1 or ::1, so
    a guard failure fails the test instead of leaving the machine."""
    attempts: list[tuple] = []
    real_connect: Callable = socket.socket.connect

    def guarded(sock: socket.socket, address) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1"):
            attempts.append(address)
            raise AssertionError(f"the fetcher tried to connect to {address!r}")
        real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return attempts


from tests.api.conftest import (  # noqa: E402, F401  (the API suite's callers and data)
    _api_test_settings,
    anon_client,
    clients,
    editor,
    editor_client,
    talks,
    viewer,
    viewer_client,
)
