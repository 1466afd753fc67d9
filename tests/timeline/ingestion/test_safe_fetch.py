"""The SSRF guard and the fetcher's limits, against a real server on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import shutil
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.conftest import skip_or_fail
from timeline.ingestion import errors
from timeline.ingestion.errors import Stop
from timeline.ingestion.safe_fetch import address_refusal, check_url, fetch
from timeline.ingestion.urls import url_normalize

HOSTILE_URLS = [
    "http://127.0.0.1/",
    "http://localhost/",
    "http://2130706433/",  # 127.0.0.1 as one decimal number
    "http://0x7f.1/",  # hexadecimal, short form
    "http://017700000001/",  # octal
    "http://127.1/",
    "http://0/",  # 0.0.0.0
    "http://0.0.0.0:8000/",
    "http://[::1]/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]/",
    "http://[::127.0.0.1]/",  # IPv4-compatible IPv6
    "http://[2002:7f00:1::]/",  # 6to4 wrapping 127.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 wrapping 169.254.169.254
    "http://10.0.0.5/",
    "http://172.16.3.4/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://224.0.0.1/",  # multicast
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
    "http://[fe80::1]/",  # link-local
    "http://[fc00::1]/",  # unique local
    "http://[ff02::1]/",  # multicast
]
MALFORMED_URLS = [
    "file:///etc/passwd",
    "ftp://example.org/file",
    "gopher://127.0.0.1:6379/_INFO",
    "javascript:alert(1)",
    "http://user:pass@example.org/",
    "http:///no-host",
    "not a url",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_check_url_refuses_non_public_addresses(url, settings):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = []

    with pytest.raises(Stop) as caught:
        check_url(url)

    assert caught.value.reason_code == errors.BLOCKED_ADDRESS
    assert caught.value.transient is False


@pytest.mark.parametrize("url", MALFORMED_URLS)
def test_check_url_refuses_other_schemes_and_credentials(url, settings):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = []

    with pytest.raises(Stop) as caught:
        check_url(url)

    assert caught.value.reason_code == errors.INVALID_URL


def test_address_refusal_accepts_public_addresses(settings):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = []

    refusals = [
        address_refusal(ipaddress.ip_address(a)) for a in ("93.184.216.34", "2606:2800:220:1::1")
    ]

    assert refusals == [None, None]


def test_allow_list_admits_only_its_own_network(settings):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]

    inside = address_refusal(ipaddress.ip_address("127.0.0.1"))
    beside = address_refusal(ipaddress.ip_address("127.0.0.2"))
    mapped = address_refusal(ipaddress.ip_address("::ffff:127.0.0.1"))

    assert inside is None
    assert beside == "127.0.0.2 is a loopback address"
    assert mapped is None  # the same host, spelled as IPv6


def test_allow_list_rejects_junk_settings(settings):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = ["everything"]

    with pytest.raises(ImproperlyConfigured, match="INGESTION_ALLOWED_PRIVATE_NETWORKS"):
        address_refusal(ipaddress.ip_address("127.0.0.1"))


def test_fetch_refuses_the_corpus_server_without_the_allow_list(corpus_server, settings):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = []

    with pytest.raises(Stop) as caught:
        fetch(corpus_server.url("html/010-bbc.com.html"))

    assert caught.value.reason_code == errors.BLOCKED_ADDRESS


def test_fetch_reads_a_corpus_page_with_a_real_user_agent(corpus_server, settings):
    result = fetch(corpus_server.url("html/010-bbc.com.html"))

    assert result.status_code == 200
    assert result.content_type == "text/html"
    assert b"New York ramps up mass burials" in result.content
    agent = corpus_server.request_headers["/html/010-bbc.com.html"]["user-agent"]
    assert agent == settings.INGESTION_USER_AGENT


def test_fetch_connects_to_the_checked_address_but_keeps_the_host_name(corpus_server):
    # "localhost" resolves to 127.0.0.1 (allowed); the request goes to that IP with the name
    # in the Host header, so what was checked is what is connected to.
    result = fetch(f"http://localhost:{corpus_server.port}/echo-host")

    assert f"localhost:{corpus_server.port}".encode() in result.content


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/html/010-bbc.com.html",  # loopback, outside the allow-list
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/html/010-bbc.com.html",
        "http://10.0.0.1/",
        "file:///etc/passwd",
    ],
)
def test_fetch_refuses_a_redirect_to_a_private_address(corpus_server, settings, target):
    # The allow-list admits the corpus server (127.0.0.1) and nothing the redirect points at.
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]
    target = target.format(port=corpus_server.port)

    with pytest.raises(Stop) as caught:
        fetch(corpus_server.url(f"redirect?to={target}"))

    assert caught.value.reason_code in {errors.BLOCKED_ADDRESS, errors.INVALID_URL}
    assert caught.value.transient is False


def test_fetch_follows_five_redirects(corpus_server):
    result = fetch(corpus_server.url("chain/5"))

    assert result.status_code == 200
    assert len(result.redirects) == 5
    assert result.final_url == corpus_server.url("chain/0")


def test_fetch_stops_after_five_redirects(corpus_server):
    with pytest.raises(Stop) as caught:
        fetch(corpus_server.url("chain/6"))

    assert caught.value.reason_code == errors.TOO_MANY_REDIRECTS


def test_fetch_stops_reading_beyond_the_byte_cap(corpus_server, settings):
    settings.INGESTION_MAX_BYTES = 200_000
    started = time.monotonic()

    with pytest.raises(Stop) as caught:
        fetch(corpus_server.url("huge?chunks=5000"))  # 50 MB if read to the end

    assert caught.value.reason_code == errors.TOO_LARGE
    assert caught.value.transient is False
    assert time.monotonic() - started < 5


def test_fetch_refuses_a_declared_length_beyond_the_cap(corpus_server, settings):
    settings.INGESTION_MAX_BYTES = 200_000

    with pytest.raises(Stop) as caught:
        fetch(corpus_server.url("huge-declared"))

    assert caught.value.reason_code == errors.TOO_LARGE


def test_fetch_decodes_a_gzipped_page(corpus_server):
    result = fetch(corpus_server.url("gzip"))

    assert b"New York ramps up mass burials" in result.content


def test_fetch_stops_inflating_a_gzip_bomb_at_the_byte_cap(corpus_server, settings):
    settings.INGESTION_MAX_BYTES = 1_000_000

    with pytest.raises(Stop) as caught:
        fetch(corpus_server.url("gzip-bomb"))

    assert caught.value.reason_code == errors.TOO_LARGE


@pytest.mark.parametrize("path", ["binary", "json"])
def test_fetch_refuses_content_that_is_not_html_xml_or_text(corpus_server, path):
    with pytest.raises(Stop) as caught:
        fetch(corpus_server.url(path))

    assert caught.value.reason_code == errors.BAD_CONTENT_TYPE


@pytest.mark.parametrize(
    ("path", "reason", "transient"),
    [
        ("status/404", errors.HTTP_CLIENT_ERROR, False),
        ("status/410", errors.HTTP_CLIENT_ERROR, False),
        ("status/429", errors.HTTP_CLIENT_ERROR, True),
        ("status/500", errors.HTTP_SERVER_ERROR, True),
        ("status/503", errors.HTTP_SERVER_ERROR, True),
    ],
)
def test_fetch_classifies_http_errors(corpus_server, path, reason, transient):
    with pytest.raises(Stop) as caught:
        fetch(corpus_server.url(path))

    assert (caught.value.reason_code, caught.value.transient) == (reason, transient)


def test_fetch_times_out_on_a_slow_server(corpus_server, settings):
    settings.INGESTION_READ_TIMEOUT = 1

    with pytest.raises(Stop) as caught:
        fetch(corpus_server.url("slow?seconds=3"))

    assert caught.value.reason_code == errors.TIMEOUT
    assert caught.value.transient is True


def test_fetch_reports_a_refused_connection_as_transient(settings):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]

    with pytest.raises(Stop) as caught:
        fetch("http://127.0.0.1:9/")  # discard port: nothing listens

    assert caught.value.reason_code == errors.CONNECTION
    assert caught.value.transient is True


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://WWW.Example.ORG:443/news/a?utm_source=x&b=2&a=1&fbclid=zz#comments",
            "https://www.example.org/news/a?a=1&b=2",
        ),
        ("http://example.org", "http://example.org/"),
        ("http://example.org:8080/x?gclid=1&utm_medium=email", "http://example.org:8080/x"),
    ],
)
def test_url_normalize_drops_tracking_and_fragments(url, expected):
    assert url_normalize(url) == expected


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 with a self-signed certificate for "localhost"."""
    openssl = shutil.which("openssl")
    if openssl is None:
        skip_or_fail("openssl is not installed, so no certificate can be made for the HTTPS test")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body><p>secret</p></body></html>")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_fetch_verifies_tls_certificates_against_the_host_name(https_server):
    # The socket goes to the pinned IP, but the certificate is still checked: a self-signed
    # one is refused for good, not retried.
    with pytest.raises(Stop) as caught:
        fetch(f"https://localhost:{https_server}/")

    assert (caught.value.reason_code, caught.value.transient) == (errors.TLS_ERROR, False)
