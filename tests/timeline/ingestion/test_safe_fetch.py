"""The SSRF guard and the fetcher's limits, against a real server on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
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
def test_fetch_refuses_a_redirect_to_a_private_address(local_server, settings, target):
    # The allow-list admits the corpus server (127.0.0.1) and nothing the redirect points at.
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]
    target = target.format(port=local_server.port)

    with pytest.raises(Stop) as caught:
        fetch(local_server.url(f"redirect?to={target}"))

    assert caught.value.reason_code in {errors.BLOCKED_ADDRESS, errors.INVALID_URL}
    assert caught.value.transient is False


def test_fetch_follows_five_redirects(local_server):
    result = fetch(local_server.url("chain/5"))

    assert result.status_code == 200
    assert len(result.redirects) == 5
    assert result.final_url == local_server.url("chain/0")


def test_fetch_stops_after_five_redirects(local_server):
    with pytest.raises(Stop) as caught:
        fetch(local_server.url("chain/6"))

    assert caught.value.reason_code == errors.TOO_MANY_REDIRECTS


def test_fetch_stops_reading_beyond_the_byte_cap(local_server, settings):
    settings.INGESTION_MAX_BYTES = 200_000
    started = time.monotonic()

    with pytest.raises(Stop) as caught:
        fetch(local_server.url("huge?chunks=5000"))  # 50 MB if read to the end

    assert caught.value.reason_code == errors.TOO_LARGE
    assert caught.value.transient is False
    assert time.monotonic() - started < 5


def test_fetch_refuses_a_declared_length_beyond_the_cap(local_server, settings):
    settings.INGESTION_MAX_BYTES = 200_000

    with pytest.raises(Stop) as caught:
        fetch(local_server.url("huge-declared"))

    assert caught.value.reason_code == errors.TOO_LARGE


def test_fetch_decodes_a_gzipped_page(local_server):
    result = fetch(local_server.url("gzip"))

    assert result.content == local_server.article_page("010-bbc.com.html")


def test_fetch_stops_inflating_a_gzip_bomb_at_the_byte_cap(local_server, settings):
    settings.INGESTION_MAX_BYTES = 1_000_000

    with pytest.raises(Stop) as caught:
        fetch(local_server.url("gzip-bomb"))

    assert caught.value.reason_code == errors.TOO_LARGE


@pytest.mark.parametrize("path", ["binary", "json"])
def test_fetch_refuses_content_that_is_not_html_xml_or_text(local_server, path):
    with pytest.raises(Stop) as caught:
        fetch(local_server.url(path))

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
def test_fetch_classifies_http_errors(local_server, path, reason, transient):
    with pytest.raises(Stop) as caught:
        fetch(local_server.url(path))

    assert (caught.value.reason_code, caught.value.transient) == (reason, transient)


def test_fetch_times_out_on_a_slow_server(local_server, settings):
    settings.INGESTION_READ_TIMEOUT = 1

    with pytest.raises(Stop) as caught:
        fetch(local_server.url("slow?seconds=3"))

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


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def _issue(folder, name: str, *, signer: tuple | None = None, ca: bool = False) -> tuple:
    """A key and a certificate for ``name``: signed by ``signer`` (key, cert), else
    self-signed. Our own minimal config, so the machine's openssl.cnf does not matter;
    elliptic-curve keys, made in milliseconds."""
    slug = name.replace(" ", "-")
    key, cert, config = (folder / f"{slug}{suffix}" for suffix in (".key", ".pem", ".cnf"))
    _openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", str(key))
    if ca:
        extensions = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
    else:
        extensions = (
            f"subjectAltName=DNS:{name}\nbasicConstraints=CA:FALSE\n"
            "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        )
    extensions += "subjectKeyIdentifier=hash\n"
    if signer is not None:
        extensions += "authorityKeyIdentifier=keyid\n"
    config.write_text(
        "[req]\ndistinguished_name=dn\nprompt=no\nx509_extensions=ext\n"
        f"[dn]\nCN={name}\n[ext]\n{extensions}"
    )
    if signer is None:
        _openssl("req", "-x509", "-new", "-key", str(key), "-days", "1", "-config", str(config),
                 "-out", str(cert))  # fmt: skip
        return key, cert
    request = folder / f"{slug}.csr"
    _openssl("req", "-new", "-key", str(key), "-config", str(config), "-out", str(request))
    _openssl(
        "x509", "-req", "-in", str(request), "-CA", str(signer[1]), "-CAkey", str(signer[0]),
        "-CAcreateserial", "-days", "1", "-extfile", str(config), "-extensions", "ext",
        "-out", str(cert),
    )  # fmt: skip
    return key, cert


@dataclass
class TLSServer:
    port: int
    address: str  # the address the server listens on: what "localhost" resolves to first
    ca_bundle: str  # the test CA that signed the certificates
    self_signed_port: int  # another server, with a self-signed certificate for "localhost"
    wrong_name_port: int  # another server, whose certificate (from the test CA) names another host
    seen: list[dict] = field(default_factory=list)  # SNI, Host and local address per request


def _serve_tls(address: str, key, cert, seen: list[dict]) -> ThreadingHTTPServer:
    names: dict[int, str | None] = {}
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    # The server name the client asked for in its TLS hello, keyed by the connection.
    context.sni_callback = lambda sock, name, _context: names.__setitem__(id(sock), name)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            seen.append(
                {
                    "sni": names.get(id(self.connection)),
                    "host": self.headers.get("Host"),
                    "local": self.connection.getsockname()[0],
                }
            )
            body = b"<html><body><p>secret</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    server_class = type("Server", (ThreadingHTTPServer,), {"address_family": family})
    httpd = server_class((address, 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    """HTTPS servers on the address "localhost" resolves to, with certificates made here."""
    if shutil.which("openssl") is None:
        skip_or_fail("openssl is not installed, so no certificate can be made for the HTTPS test")
    folder = tmp_path_factory.mktemp("tls")
    ca = _issue(folder, "Ingestion Test CA", ca=True)
    localhost = _issue(folder, "localhost", signer=ca)
    other = _issue(folder, "other.example", signer=ca)
    self_signed = _issue(folder, "localhost self-signed")
    address = socket.getaddrinfo("localhost", 0, type=socket.SOCK_STREAM)[0][4][0]
    seen: list[dict] = []
    servers = [
        _serve_tls(address, *localhost, seen),
        _serve_tls(address, *self_signed, []),
        _serve_tls(address, *other, []),
    ]
    try:
        yield TLSServer(
            port=servers[0].server_address[1],
            address=address,
            ca_bundle=str(ca[1]),
            self_signed_port=servers[1].server_address[1],
            wrong_name_port=servers[2].server_address[1],
            seen=seen,
        )
    finally:
        for httpd in servers:
            httpd.shutdown()
            httpd.server_close()


@pytest.fixture
def trusted_tls(https_server, settings) -> TLSServer:
    """The test CA trusted, and exactly the address of "localhost" reachable."""
    settings.INGESTION_CA_BUNDLE = https_server.ca_bundle
    prefix = 128 if ":" in https_server.address else 32
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = [f"{https_server.address}/{prefix}"]
    return https_server


def test_fetch_reads_https_pinned_to_the_checked_address_with_the_name_in_sni_and_host(
    trusted_tls, monkeypatch
):
    # A spy on name resolution (it calls the real resolver): "localhost" must be resolved once,
    # by the guard; the client then connects to the IP literal, never to the name again.
    looked_up: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def spy(host, *args, **kwargs):
        looked_up.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", spy)
    trusted_tls.seen.clear()

    result = fetch(f"https://localhost:{trusted_tls.port}/article")

    assert (result.status_code, result.content) == (
        200,
        b"<html><body><p>secret</p></body></html>",
    )
    assert trusted_tls.seen == [
        {"sni": "localhost", "host": f"localhost:{trusted_tls.port}", "local": trusted_tls.address}
    ]
    assert looked_up == ["localhost", trusted_tls.address]


def test_fetch_refuses_a_certificate_from_a_ca_it_does_not_trust(https_server, settings):
    # The same server and certificate as the successful fetch, without INGESTION_CA_BUNDLE:
    # certifi's CAs do not include the test CA.
    settings.INGESTION_CA_BUNDLE = ""
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = [https_server.address]

    with pytest.raises(Stop) as caught:
        fetch(f"https://localhost:{https_server.port}/article")

    assert (caught.value.reason_code, caught.value.transient) == (errors.TLS_ERROR, False)


def test_fetch_refuses_a_trusted_certificate_for_another_name(trusted_tls):
    # Signed by the trusted CA, but for other.example: the name, not the pinned IP, is checked.
    with pytest.raises(Stop) as caught:
        fetch(f"https://localhost:{trusted_tls.wrong_name_port}/article")

    assert (caught.value.reason_code, caught.value.transient) == (errors.TLS_ERROR, False)


def test_fetch_rejects_a_ca_bundle_that_cannot_be_read(settings, tmp_path):
    junk = tmp_path / "not-a-bundle.pem"
    junk.write_text("not a certificate")
    settings.INGESTION_CA_BUNDLE = str(junk)

    with pytest.raises(ImproperlyConfigured, match="INGESTION_CA_BUNDLE"):
        fetch("https://localhost:1/")


def test_fetch_verifies_tls_certificates_against_the_host_name(trusted_tls):
    # The socket goes to the pinned IP, but the certificate is still checked: a self-signed
    # one is refused for good, not retried.
    with pytest.raises(Stop) as caught:
        fetch(f"https://localhost:{trusted_tls.self_signed_port}/")

    assert (caught.value.reason_code, caught.value.transient) == (errors.TLS_ERROR, False)
