"""Fetching untrusted URLs without becoming a proxy into our own network (SSRF).

Why our own guard instead of safehttpx: safehttpx only offers an async one-shot ``get`` that
reads the whole body into memory, with no byte cap, no content-type check and no allow-list
for a test network; requests-hardened would mean a second HTTP stack. The checks here are few
and explicit:

* only http/https, no credentials in the URL;
* the host is resolved once with ``getaddrinfo`` (so numeric tricks such as ``2130706433``,
  ``0x7f.1`` or ``017700000001`` resolve exactly as the socket layer would read them) and every
  address must be public; IPv4-mapped/compatible, 6to4 and Teredo IPv6 addresses are judged by
  the IPv4 address inside them;
* the connection goes to the address that was checked (the URL's host is replaced by the IP;
  ``Host`` and TLS SNI keep the name, so certificates are still verified against it, with the
  CAs of ``settings.INGESTION_CA_BUNDLE``, certifi's by default). Letting the client resolve
  again would reopen the door to DNS rebinding;
* redirects are followed by hand, at most ``MAX_REDIRECTS``, and each hop is checked again;
* connect/read timeouts and one total deadline (``settings.INGESTION_TOTAL_TIMEOUT``) for
  connect + headers + body over all hops, enforced by shutting the socket down; the body is streamed and abandoned beyond
  ``settings.INGESTION_MAX_BYTES``; only HTML, XML and text content types are accepted;
* ``trust_env=False``: a proxy from the environment would resolve names itself and bypass the
  address check.

``settings.INGESTION_ALLOWED_PRIVATE_NETWORKS`` lists the only non-public networks that may be
reached (tests serve the corpus on 127.0.0.1/32). It is an allow-list, not an off switch.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import errors
from .errors import Stop
from .urls import DEFAULT_PORTS

MAX_REDIRECTS = 5
ACCEPTED_CONTENT_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/xml",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "text/plain",
    }
)
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class FetchResult:
    url: str  # the URL asked for
    final_url: str  # after redirects
    status_code: int
    content: bytes
    content_type: str
    charset: str | None
    headers: dict[str, str] = field(default_factory=dict)
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status_code == 304


@lru_cache(maxsize=8)
def _parse_networks(
    raw: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for item in raw:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"INGESTION_ALLOWED_PRIVATE_NETWORKS: {item!r} is not an IP network in CIDR "
                f"form (e.g. 127.0.0.1/32): {exc}"
            ) from exc
    return tuple(networks)


def allowed_private_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return _parse_networks(tuple(settings.INGESTION_ALLOWED_PRIVATE_NETWORKS or ()))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    # IPv4-compatible (::a.b.c.d, deprecated but still routed by some stacks).
    if int(ip) >> 32 == 0 and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    # NAT64 well-known prefix 64:ff9b::/96 carries an IPv4 address in its low bits.
    if ip in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _is_public(ip: IPAddress) -> bool:
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def _allow_listed(ip: IPAddress) -> bool:
    return any(ip.version == n.version and ip in n for n in allowed_private_networks())


def address_refusal(ip: IPAddress) -> str | None:
    """Why ``ip`` may not be fetched from, or None when it may."""
    if _allow_listed(ip):
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            refusal = address_refusal(inner)
            if refusal:
                return f"{ip} embeds {inner}: {refusal}"
            if _allow_listed(inner) and ip.ipv4_mapped is None:
                # NAT64, 6to4, Teredo and IPv4-compatible forms are routed as IPv6, to some
                # relay or translator, not to the allow-listed IPv4 host that was checked.
                return (
                    f"{ip} wraps the allowed address {inner}; only its own form is fetched, "
                    "not an IPv6 wrapping"
                )
            return None
    if _is_public(ip):
        return None
    for label, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if flag:
            article = "an" if label[0] in "aeiou" else "a"
            return f"{ip} is {article} {label} address"
    return f"{ip} is not a public address"


def resolve_and_check(host: str, port: int) -> IPAddress:
    """Resolve ``host`` and return the address to connect to, or raise ``Stop``.

    Every address the name resolves to must be acceptable, not just the first: a name that
    mixes a public and a private address is hostile or broken, and either way not fetched.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        # A name that does not resolve now may resolve in a minute (DNS hiccup); retry it.
        raise Stop(
            errors.DNS_FAILURE, f"The host {host!r} could not be resolved: {exc}.", transient=True
        ) from exc
    addresses: list[IPAddress] = []
    for info in infos:
        # Strip an IPv6 zone id ("fe80::1%eth0") before parsing.
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise Stop(errors.DNS_FAILURE, f"The host {host!r} has no address.", transient=True)
    for ip in addresses:
        refusal = address_refusal(ip)
        if refusal:
            raise Stop(errors.BLOCKED_ADDRESS, f"Refused to fetch from {host!r}: {refusal}.")
    return connect_address(addresses[0])


def connect_address(ip: IPAddress) -> IPAddress:
    """The address to open the socket to: an IPv4-mapped IPv6 address was judged (and may
    have been admitted by the allow-list) as its IPv4 address, so that is where we connect."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def check_url(url: str) -> tuple[httpx.URL, IPAddress]:
    """Validate a URL's form and its host's addresses; return the parsed URL and the IP."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Stop(errors.INVALID_URL, f"{url[:200]!r} is not a valid URL: {exc}.") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise Stop(errors.INVALID_URL, f"Only http and https URLs are fetched, not {url[:200]!r}.")
    if parts.username or parts.password:
        raise Stop(errors.INVALID_URL, "URLs with user names or passwords are not fetched.")
    host = parts.hostname
    if not host:
        raise Stop(errors.INVALID_URL, f"{url[:200]!r} has no host name.")
    ip = resolve_and_check(host, port or DEFAULT_PORTS[scheme])
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise Stop(errors.INVALID_URL, f"{url[:200]!r} is not a valid URL: {exc}.") from exc
    return parsed, ip


_client_lock = threading.Lock()
_client: httpx.Client | None = None
_client_ca_bundle: str | None = None


def _tls_context(ca_bundle: str) -> ssl.SSLContext:
    """Verification against ``settings.INGESTION_CA_BUNDLE``, or certifi's bundle by default
    (the Mozilla roots httpx ships with: the same on every machine, slim images included)."""
    import certifi

    cafile = ca_bundle or certifi.where()
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        raise ImproperlyConfigured(
            f"INGESTION_CA_BUNDLE: cannot load CA certificates from {cafile!r}: {exc}"
        ) from exc


def _shared_client() -> httpx.Client:
    # One client per process: building an SSL context costs more than fetching a small page,
    # and the connection pool is keyed by the pinned IP, so reuse stays safe. A changed CA
    # bundle (tests override the setting) gets a new client.
    global _client, _client_ca_bundle
    ca_bundle = str(settings.INGESTION_CA_BUNDLE or "")
    with _client_lock:
        if _client is None or _client_ca_bundle != ca_bundle:
            # Built before the old one is closed: a bundle that fails to load leaves the
            # previous client working.
            client = httpx.Client(
                verify=_tls_context(ca_bundle),
                trust_env=False,
                follow_redirects=False,
                http2=False,
                limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
            )
            if _client is not None:
                _client.close()
            _client, _client_ca_bundle = client, ca_bundle
        return _client


def _timeout(remaining: float) -> httpx.Timeout:
    return httpx.Timeout(
        connect=min(settings.INGESTION_CONNECT_TIMEOUT, remaining),
        read=min(settings.INGESTION_READ_TIMEOUT, remaining),
        write=min(settings.INGESTION_READ_TIMEOUT, remaining),
        pool=min(settings.INGESTION_CONNECT_TIMEOUT, remaining),
    )


def _pinned_request(
    client: httpx.Client,
    url: httpx.URL,
    ip: IPAddress,
    headers: dict[str, str],
    deadline: _Deadline,
) -> httpx.Request:
    host_literal = f"[{ip}]" if ip.version == 6 else str(ip)
    pinned = url.copy_with(host=host_literal)
    # The ASCII (punycode) form: an internationalised name must not reach the wire in Unicode.
    name = url.raw_host.decode("ascii")
    try:
        ipaddress.ip_address(name)
        is_literal = True
    except ValueError:
        is_literal = False
    shown = f"[{name}]" if ":" in name else name
    default_port = DEFAULT_PORTS[url.scheme]
    host_header = shown if url.port in (None, default_port) else f"{shown}:{url.port}"
    # TLS: SNI and certificate verification use the name, while the socket goes to the IP.
    extensions: dict = {"trace": deadline.trace}
    if url.scheme == "https" and not is_literal:
        extensions["sni_hostname"] = name
    # "Connection: close" (set by fetch) matters twice here: the pool keys connections by the
    # URL's host, here the IP, so a kept-alive TLS session verified for one name could carry a
    # request for another name on the same CDN IP; and a reused socket escapes the deadline.
    headers = {**headers, "Host": host_header}
    return client.build_request(
        "GET",
        pinned,
        headers=headers,
        timeout=_timeout(deadline.remaining()),
        extensions=extensions,
    )


def _media_type(content_type: str) -> tuple[str, str | None]:
    media, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip().strip("\"'") or None
    return media.strip().lower(), charset


class _Inflater:
    """gzip/deflate decoding that never produces more than it is asked for."""

    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._inflate = zlib.decompressobj(wbits)
        self._started = False
        self.overflowed = False

    def feed(self, data: bytes, max_out: int) -> bytes:
        if not self._started and self._wbits == zlib.MAX_WBITS:
            self._started = True
            try:
                return self._take(data, max_out)
            except zlib.error:
                # "deflate" is sent as a raw stream by some servers, despite the standard.
                self._wbits = -zlib.MAX_WBITS
                self._inflate = zlib.decompressobj(self._wbits)
        return self._take(data, max_out)

    def _take(self, data: bytes, max_out: int) -> bytes:
        out = self._inflate.decompress(data, max(max_out, 1))
        if self._inflate.unconsumed_tail:
            self.overflowed = True
        return out


def _decoder(content_encoding: str, url: str) -> _Inflater | None:
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return _Inflater(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return _Inflater(zlib.MAX_WBITS)
    raise Stop(
        errors.BAD_CONTENT_TYPE,
        f"{url} is sent with content encoding {encoding!r}, which was not asked for.",
    )


def _looks_like_markup(prefix: bytes) -> bool:
    return prefix.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


class _Deadline:
    """One deadline for connect + headers + body, over every redirect hop.

    httpx's timeouts apply to each read, so a server that trickles a header byte a second never
    trips them. When the time is up, a timer thread shuts the connection's socket down, which
    ends the blocked read at once; the fetch then reports a timeout.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return max(self.at - time.monotonic(), 0.001)

    def passed(self) -> bool:
        return self.expired or time.monotonic() >= self.at

    def trace(self, event: str, info: dict) -> None:
        """httpcore's trace hook: learn each new connection's socket (plain, then TLS)."""
        if not event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            self._shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shutdown(sock)

    @staticmethod
    def _shutdown(sock: socket.socket) -> None:
        # The plain socket method even on an SSLSocket: its own shutdown() drops the TLS
        # object under the reading thread's feet (a ValueError instead of an EOF).
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def fetch(
    url: str,
    *,
    extra_headers: dict[str, str] | None = None,
    max_bytes: int | None = None,
    accept: str = "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8",
) -> FetchResult:
    """GET ``url`` safely (see the module docstring). Raises ``Stop`` for every refusal."""
    limit = max_bytes or settings.INGESTION_MAX_BYTES
    headers = {
        "User-Agent": str(settings.INGESTION_USER_AGENT),
        "Accept": accept,
        "Accept-Encoding": "gzip, deflate",
        # Every fetch on a fresh connection: the deadline watches the sockets it sees opened.
        "Connection": "close",
        **(extra_headers or {}),
    }
    client = _shared_client()
    with _Deadline(settings.INGESTION_TOTAL_TIMEOUT) as deadline:
        return _fetch_hops(client, url, headers, limit, deadline)


def _fetch_hops(
    client: httpx.Client, url: str, headers: dict[str, str], limit: int, deadline: _Deadline
) -> FetchResult:
    current = url
    visited: list[str] = []
    for _hop in range(MAX_REDIRECTS + 1):
        parsed, ip = check_url(current)
        if deadline.passed():
            raise _timed_out(url, deadline)
        try:
            # Inside the try: a redirect's Location that httpx cannot parse (``http:\\host/``)
            # is refused like any other bad address instead of escaping as InvalidURL.
            request = _pinned_request(client, parsed, ip, headers, deadline)
            response = client.send(request, stream=True)
        except httpx.InvalidURL as exc:
            raise Stop(errors.INVALID_URL, f"{current[:200]!r} is not a valid URL: {exc}.") from exc
        except httpx.TimeoutException as exc:
            raise Stop(
                errors.TIMEOUT, f"Timed out connecting to {parsed.host}: {exc!r}.", transient=True
            ) from exc
        except httpx.ConnectError as exc:
            if isinstance(exc.__context__, ssl.SSLCertVerificationError) or "CERTIFICATE" in str(
                exc
            ):
                raise Stop(
                    errors.TLS_ERROR, f"TLS certificate of {parsed.host} rejected: {exc}."
                ) from exc
            raise Stop(
                errors.CONNECTION, f"Could not connect to {parsed.host}: {exc}.", transient=True
            ) from exc
        except (httpx.TransportError, httpx.DecodingError) as exc:
            if deadline.passed():
                raise _timed_out(url, deadline) from exc
            if "location header" in str(exc).lower():
                raise Stop(
                    errors.INVALID_URL, f"{current} redirected to an invalid address: {exc}."
                ) from exc
            raise Stop(
                errors.CONNECTION, f"Connection to {parsed.host} failed: {exc!r}.", transient=True
            ) from exc
        try:
            if response.status_code in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    raise Stop(
                        errors.HTTP_CLIENT_ERROR, f"{current} redirected without a Location."
                    )
                visited.append(current)
                try:
                    current = urljoin(current, location)
                    # A redirect's fragment means nothing to a server; drop it before re-checking.
                    current = urlunsplit(urlsplit(current)._replace(fragment=""))
                except ValueError as exc:
                    raise Stop(
                        errors.INVALID_URL, f"{visited[-1]} redirected to an invalid address."
                    ) from exc
                continue
            return _read_response(url, current, response, limit, deadline, tuple(visited))
        finally:
            response.close()
    raise Stop(
        errors.TOO_MANY_REDIRECTS,
        f"{url} redirected more than {MAX_REDIRECTS} times (last: {current}).",
    )


def _timed_out(url: str, deadline: _Deadline) -> Stop:
    return Stop(
        errors.TIMEOUT,
        f"{url} was not fetched within {deadline.seconds:g} s (connect, headers and body).",
        transient=True,
    )


def _read_response(
    url: str,
    final_url: str,
    response: httpx.Response,
    limit: int,
    deadline: _Deadline,
    redirects: tuple[str, ...],
) -> FetchResult:
    status = response.status_code
    headers = {k.lower(): v for k, v in response.headers.items()}
    if status == 304:
        return FetchResult(url, final_url, status, b"", "", None, headers, redirects)
    if status in (408, 425, 429) or status >= 500:
        raise Stop(
            errors.HTTP_SERVER_ERROR if status >= 500 else errors.HTTP_CLIENT_ERROR,
            f"{final_url} answered HTTP {status}; will retry.",
            transient=True,
        )
    if not 200 <= status < 300:
        raise Stop(errors.HTTP_CLIENT_ERROR, f"{final_url} answered HTTP {status}.")
    media_type, charset = _media_type(headers.get("content-type", ""))
    if media_type and media_type not in ACCEPTED_CONTENT_TYPES:
        raise Stop(
            errors.BAD_CONTENT_TYPE,
            f"{final_url} is {media_type!r}, not HTML, XML or text.",
        )
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Stop(
            errors.TOO_LARGE,
            f"{final_url} declares {int(declared):,} bytes; the limit is {limit:,}.",
        )
    decoder = _decoder(headers.get("content-encoding", ""), final_url)
    chunks: list[bytes] = []
    size = 0
    try:
        # Raw bytes, decompressed here with a ceiling: httpx would inflate a whole chunk at
        # once, and 64 KB of gzip can hold gigabytes of zeros.
        for raw in response.iter_raw():
            chunk = decoder.feed(raw, limit - size + 1) if decoder else raw
            size += len(chunk)
            if size > limit or (decoder and decoder.overflowed):
                raise Stop(
                    errors.TOO_LARGE,
                    f"{final_url} sent more than {limit:,} bytes; stopped reading.",
                )
            if deadline.passed():
                raise _timed_out(url, deadline)
            chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise Stop(
            errors.TIMEOUT, f"Timed out reading {final_url}: {exc!r}.", transient=True
        ) from exc
    except httpx.TransportError as exc:
        if deadline.passed():
            raise _timed_out(url, deadline) from exc
        raise Stop(
            errors.CONNECTION, f"Reading {final_url} failed: {exc!r}.", transient=True
        ) from exc
    except zlib.error as exc:
        raise Stop(
            errors.CONNECTION, f"{final_url} sent a corrupt compressed body: {exc}."
        ) from exc
    content = b"".join(chunks)
    if not media_type and not _looks_like_markup(content[:512]):
        raise Stop(errors.BAD_CONTENT_TYPE, f"{final_url} sent no content type and no markup.")
    return FetchResult(url, final_url, status, content, media_type, charset, headers, redirects)
