"""Issue 11 SSRF: more than 80 hostile targets through the fetcher.

Loopback targets are tried for real against a canary listener that must receive nothing.
Private, link-local and public targets run with ``socket.connect`` patched (the
``no_outside_connections`` fixture) so that any attempt fails the test instead of leaving the
machine. Redirects come from a real server on 127.0.0.1 (allow-listed) towards a canary on
127.0.0.2 (not allow-listed).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from timeline.ingestion import errors
from timeline.ingestion.errors import Stop
from timeline.ingestion.safe_fetch import fetch

REFUSED = {errors.BLOCKED_ADDRESS, errors.INVALID_URL, errors.DNS_FAILURE}

# {p} is the canary's port on 127.0.0.1.
LOOPBACK_TARGETS = [
    "http://127.0.0.1:{p}/",
    "https://127.0.0.1:{p}/",
    "HTTP://127.0.0.1:{p}/",
    "http://localhost:{p}/",
    "http://LOCALHOST:{p}/",
    "http://localhost.:{p}/",
    "http://canary.localhost:{p}/",
    "http://2130706433:{p}/",  # decimal
    "http://0x7f000001:{p}/",  # hexadecimal
    "http://0x7f.0x0.0x0.0x1:{p}/",
    "http://0x7f.1:{p}/",
    "http://017700000001:{p}/",  # octal
    "http://0177.0.0.1:{p}/",
    "http://0177.0000.0000.0001:{p}/",
    "http://127.1:{p}/",  # short forms
    "http://127.0.1:{p}/",
    "http://127.000.000.001:{p}/",
    "http://127.0.0.1.:{p}/",
    "http://0:{p}/",  # 0.0.0.0 reaches local listeners
    "http://0.0.0.0:{p}/",
    "http://0x0:{p}/",
    "http://[::1]:{p}/",
    "http://[::]:{p}/",
    "http://[0:0:0:0:0:0:0:1]:{p}/",
    "http://[::ffff:127.0.0.1]:{p}/",  # IPv4-mapped, both spellings
    "http://[::ffff:7f00:1]:{p}/",
    "http://[0:0:0:0:0:ffff:127.0.0.1]:{p}/",
    "http://[::127.0.0.1]:{p}/",  # IPv4-compatible
    "http://[64:ff9b::127.0.0.1]:{p}/",  # NAT64
    "http://[64:ff9b::7f00:1]:{p}/",
    "http://[2002:7f00:1::]:{p}/",  # 6to4
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]:{p}/",  # Teredo wrapping 127.0.0.1
    "http://example.org@127.0.0.1:{p}/",  # userinfo tricks
    "http://127.0.0.1:{p}@example.org/",
    "http://user:pass@127.0.0.1:{p}/",
    "http://127.0.0.1:{p}\\@example.org/",  # backslashes
    "http:\\\\127.0.0.1:{p}/",
    "http://127.0.0.1:{p}#@example.org/",
    "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11:{p}/",  # fullwidth digits
    "http://127\u30020\u30020\u30021:{p}/",  # ideographic full stops
    "http://127\uff0e0\uff0e0\uff0e1:{p}/",  # fullwidth full stops
    "http://127.0.0.1:{p}/%2e%2e/",
]

# No connection may even be attempted: socket.connect is patched to fail the test.
OUTSIDE_TARGETS = [
    "http://10.0.0.1/",
    "http://10.255.255.254/",
    "http://167772161/",  # 10.0.0.1 in decimal
    "http://0x0a000001/",
    "http://172.16.0.1/",
    "http://172.31.255.1/",
    "http://192.168.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://0xa9fea9fe/",  # 169.254.169.254 in hexadecimal
    "http://[fd00:ec2::254]/",  # cloud metadata over IPv6
    "http://100.64.0.1/",
    "http://192.0.0.1/",
    "http://192.0.2.1/",  # documentation
    "http://198.18.0.1/",  # benchmarking
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[ff02::1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:a9fe:a9fe::]/",
    "http://[::192.168.0.1]/",
    "http://[100::1]/",  # discard-only
]

OTHER_SCHEMES = [
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "ftp://127.0.0.1/",
    "gopher://127.0.0.1:6379/_INFO",
    "dict://127.0.0.1:6379/info",
    "ldap://127.0.0.1/",
    "javascript:alert(1)",
    "data:text/html,<p>x</p>",
    "ws://127.0.0.1/",
    "jar:http://127.0.0.1/x.jar!/",
]


@pytest.fixture
def canary() -> Iterator[tuple[str, int, list]]:
    yield from _listen("127.0.0.1")


@pytest.fixture
def canary_2() -> Iterator[tuple[str, int, list]]:
    """A canary on 127.0.0.2: loopback, but outside the allow-list the redirect tests use."""
    yield from _listen("127.0.0.2")


def _listen(host: str) -> Iterator[tuple[str, int, list]]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, 0))
    listener.listen(16)
    listener.settimeout(0.05)
    hits: list = []
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
        yield host, listener.getsockname()[1], hits
    finally:
        stop.set()
        thread.join(2)
        listener.close()


@pytest.mark.parametrize("template", LOOPBACK_TARGETS)
def test_loopback_target_is_refused_and_the_canary_hears_nothing(canary, settings, template):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = []
    _host, port, hits = canary

    with pytest.raises(Stop) as caught:
        fetch(template.format(p=port))

    assert caught.value.reason_code in REFUSED
    assert hits == []


@pytest.mark.parametrize("url", OUTSIDE_TARGETS)
def test_private_target_is_refused_without_a_connection(no_outside_connections, settings, url):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = []

    with pytest.raises(Stop) as caught:
        fetch(url)

    assert caught.value.reason_code == errors.BLOCKED_ADDRESS
    assert no_outside_connections == []


@pytest.mark.parametrize("url", OTHER_SCHEMES)
def test_other_scheme_is_refused(no_outside_connections, settings, url):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = []

    with pytest.raises(Stop) as caught:
        fetch(url)

    assert caught.value.reason_code == errors.INVALID_URL
    assert no_outside_connections == []


@pytest.fixture(scope="module")
def redirector() -> Iterator[int]:
    """A server on 127.0.0.1 answering /r?status=N&to=URL with that redirect, /loop to
    itself and /chain/N through N hops."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if parts.path == "/r":
                status, location = int(query["status"][0]), query["to"][0]
            elif parts.path == "/loop":
                status, location = 302, "/loop"
            elif parts.path.startswith("/chain/"):
                left = int(parts.path.rsplit("/", 1)[1])
                status, location = 301, f"/chain/{left + 1}"
            else:
                status, location = 404, ""
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


REDIRECT_TARGETS = [
    "http://127.0.0.2:{p}/",  # absolute
    "//127.0.0.2:{p}/",  # protocol-relative
    "http://2130706434:{p}/",
    "http://[::ffff:127.0.0.2]:{p}/",
    "http:\\\\127.0.0.2:{p}/",
    "http://169.254.169.254/",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("target", REDIRECT_TARGETS)
def test_redirect_to_a_forbidden_target_is_refused(
    redirector, canary_2, no_outside_connections, settings, status, target
):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]
    _host, port, hits = canary_2
    location = target.format(p=port)

    with pytest.raises(Stop) as caught:
        fetch(f"http://127.0.0.1:{redirector}/r?status={status}&to={_quote(location)}")

    assert caught.value.reason_code in REFUSED
    assert hits == []
    assert no_outside_connections == []


def test_relative_redirect_stays_on_the_checked_host(redirector, settings):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]

    with pytest.raises(Stop) as caught:
        fetch(f"http://127.0.0.1:{redirector}/r?status=302&to=/nowhere")

    assert caught.value.reason_code == errors.HTTP_CLIENT_ERROR  # the 404 of /nowhere


def test_redirect_loop_stops_after_five_hops(redirector, settings):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]

    with pytest.raises(Stop) as caught:
        fetch(f"http://127.0.0.1:{redirector}/loop")

    assert caught.value.reason_code == errors.TOO_MANY_REDIRECTS


def test_more_than_five_redirects_stop(redirector, settings):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]

    with pytest.raises(Stop) as caught:
        fetch(f"http://127.0.0.1:{redirector}/chain/0")

    assert caught.value.reason_code == errors.TOO_MANY_REDIRECTS


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


@pytest.fixture
def rebinding_resolver(monkeypatch) -> list[str]:
    """A resolver for rebind.example that answers a public address first and loopback after:
    a client that resolved again before connecting would land on 127.0.0.1."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def answer(host, port, *args, **kwargs):
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        asked.append(host)
        address = "93.184.216.34" if len(asked) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", answer)
    return asked


def test_dns_rebinding_connects_to_the_checked_address(
    rebinding_resolver, canary, no_outside_connections, settings
):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = []
    _host, port, hits = canary

    with pytest.raises(AssertionError, match="tried to connect to"):
        fetch(f"http://rebind.example:{port}/")

    # One resolution, one connection attempt: to the public address that was checked.
    assert rebinding_resolver == ["rebind.example"]
    assert no_outside_connections == [("93.184.216.34", port)]
    assert hits == []


def test_name_resolving_to_a_public_and_a_loopback_address_is_refused(
    monkeypatch, canary, no_outside_connections, settings
):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = []
    _host, port, hits = canary

    def answer(host, port_, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port_)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port_)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", answer)

    with pytest.raises(Stop) as caught:
        fetch(f"http://mixed.example:{port}/")

    assert caught.value.reason_code == errors.BLOCKED_ADDRESS
    assert (hits, no_outside_connections) == ([], [])


def test_the_suite_holds_more_than_eighty_cases():
    cases = (
        len(LOOPBACK_TARGETS)
        + len(OUTSIDE_TARGETS)
        + len(OTHER_SCHEMES)
        + 5 * len(REDIRECT_TARGETS)
        + 5  # relative redirect, loop, >5 hops, rebinding, mixed answers
    )
    assert cases >= 80, cases
