"""A real HTTP server on 127.0.0.1 serving the news corpus, plus the hostile and broken
behaviours the fetcher must survive (redirects to private addresses, huge bodies, 5xx, slow
answers, wrong content types), and helpers shared by the ingestion tests."""

from __future__ import annotations

import functools
import gzip
import json
import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import shared_dir


@functools.cache
def _bomb() -> bytes:
    return gzip.compress(b"<html><body>" + b"\0" * 40_000_000, compresslevel=9)


CONTENT_TYPES = {
    ".html": "text/html",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
}


# A page of our own, so the fetcher's hostile-server tests run where the corpus is absent.
_OWN_ARTICLE = (
    "<!doctype html><html lang='en'><head><title>Talks resume in Doha</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Talks resume in Doha</h1>"
    + "".join(
        f"<p>Negotiators from both delegations met for a {n} session on Tuesday, mediators said, "
        "and exchanged written proposals on the duration of the ceasefire and the release of "
        "detainees, according to two officials familiar with the talks.</p>"
        for n in ("first", "second", "third", "fourth", "fifth")
    )
    + "</article><footer>Copyright</footer></body></html>"
).encode()


@dataclass
class CorpusServer:
    corpus: Path | None
    host: str = "127.0.0.1"
    port: int = 0
    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    hits: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    request_headers: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def article_page(self, name: str) -> bytes:
        """A real corpus page when the corpus is here, else a page of our own."""
        if self.corpus is not None and (self.corpus / "html" / name).is_file():
            return (self.corpus / "html" / name).read_bytes()
        return _OWN_ARTICLE

    def add_page(self, path: str, body: str | bytes, content_type: str = "text/html") -> str:
        """Serve ``body`` at ``path`` (tests make their own pages for dedupe cases)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages["/" + path.lstrip("/")] = (data, content_type)
        return self.url(path)


def _handler_for(server: CorpusServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep pytest output readable
            pass

        def _send(
            self, status: int, body: bytes = b"", content_type: str = "text/html", **headers
        ) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self) -> None:  # one branch per behaviour, read top to bottom
            parts = urlsplit(self.path)
            path, query = parts.path, parse_qs(parts.query)
            server.hits[path] += 1
            server.request_headers[path] = {k.lower(): v for k, v in self.headers.items()}
            if path in server.pages:
                body, content_type = server.pages[path]
                return self._send(200, body, content_type)
            if path.startswith(("/html/", "/feeds/", "/conditional/")) and server.corpus is None:
                return self._send(404, b"no corpus here")
            if path.startswith(("/html/", "/feeds/")):
                file = server.corpus / path.lstrip("/")
                if ".." in path or not file.is_file():
                    return self._send(404, b"not found")
                return self._send(
                    200, file.read_bytes(), CONTENT_TYPES.get(file.suffix, "text/plain")
                )
            if path.startswith("/conditional/"):
                # A feed that honours If-None-Match and If-Modified-Since.
                file = server.corpus / "feeds" / path.removeprefix("/conditional/")
                etag = '"v1-' + file.name + '"'
                modified = "Wed, 25 Nov 2026 10:00:00 GMT"
                if (
                    self.headers.get("If-None-Match") == etag
                    or self.headers.get("If-Modified-Since") == modified
                ):
                    return self._send(304, b"", "", ETag=etag)
                return self._send(
                    200, file.read_bytes(), "application/rss+xml", ETag=etag, Last_Modified=modified
                )
            if path == "/redirect":
                return self._send(302, b"", "", Location=query["to"][0])
            if path.startswith("/chain/"):
                remaining = int(path.rsplit("/", 1)[1])
                if remaining == 0:
                    return self._send(200, server.article_page("010-bbc.com.html"))
                return self._send(301, b"", "", Location=f"/chain/{remaining - 1}")
            if path.startswith("/status/"):
                return self._send(int(path.rsplit("/", 1)[1]), b"<html><body>error</body></html>")
            if path.startswith("/flaky/"):
                # Fails with 503 for the first ``fail`` requests, then serves a real page.
                if server.hits[path] <= int(query.get("fail", ["2"])[0]):
                    return self._send(503, b"busy")
                return self._send(200, server.article_page("045-inquirer.com.html"))
            if path == "/huge":
                # No Content-Length: the fetcher only knows the size by reading, and must stop.
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b"<p>" + b"word " * 2000 + b"</p>\n"
                try:
                    for _ in range(int(query.get("chunks", ["1000"])[0])):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True
                return None
            if path == "/huge-declared":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                return None
            if path == "/slow":
                time.sleep(float(query.get("seconds", ["3"])[0]))
                return self._send(200, b"<html><body><p>late</p></body></html>")
            if path == "/gzip":
                body = gzip.compress(server.article_page("010-bbc.com.html"))
                return self._send(200, body, "text/html", Content_Encoding="gzip")
            if path == "/gzip-bomb":
                # 40 KB on the wire, 40 MB once inflated.
                return self._send(200, _bomb(), "text/html", Content_Encoding="gzip")
            if path == "/binary":
                return self._send(200, b"%PDF-1.7 binary", "application/pdf")
            if path == "/json":
                return self._send(200, json.dumps({"a": 1}).encode(), "application/json")
            if path == "/echo-host":
                host = self.headers.get("Host", "")
                return self._send(200, f"<html><body><p>{host}</p></body></html>".encode())
            return self._send(404, b"not found")

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # The fetcher hangs up on purpose (byte cap, timeouts); that is not a server error.
        pass


@pytest.fixture(scope="session")
def local_server() -> Iterator[CorpusServer]:
    """The hostile and broken behaviours, with the corpus pages too when they are here."""
    corpus = Path(os.environ.get("TRACKER_CORPUS_DIR", shared_dir() / "corpus"))
    server = CorpusServer(corpus if (corpus / "html").is_dir() else None)
    httpd = _QuietServer(("127.0.0.1", 0), _handler_for(server))
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def corpus_server(corpus_dir: Path, local_server: CorpusServer) -> CorpusServer:
    """The local server, for tests that read the corpus (they skip or fail without it)."""
    local_server.corpus = corpus_dir
    return local_server


@pytest.fixture(autouse=True)
def _local_network_allowed(settings) -> None:
    # The corpus server lives on 127.0.0.1; allow exactly that address, nothing wider.
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Run ``.delay()`` inline for this test, whether or not a broker is configured."""
    from tracker.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def html_expectations(corpus_dir: Path) -> list[dict]:
    return json.loads((corpus_dir / "html" / "expected.json").read_text())


@pytest.fixture(scope="session")
def feed_expectations(corpus_dir: Path) -> list[dict]:
    return json.loads((corpus_dir / "feeds" / "expected.json").read_text())
