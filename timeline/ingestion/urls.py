"""URL normalisation: one report, one key, whatever tracking junk a link carries."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .errors import INVALID_URL, Stop

# Parameters that identify a click, a campaign or a session, never the document.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ocid",
        "cmpid",
        "smid",
        "smtyp",
        "ito",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "icid",
        "spm",
        "share",
        "ref_src",
        "ref_url",
        "mkt_tok",
        "sessionid",
        "sid",
        "cid",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_", "vero_", "oly_")
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def url_normalize(url: str) -> str:
    """The canonical form used as a dedupe key: lower-case scheme and host, no default port,
    no fragment, no tracking parameters, remaining parameters sorted.

    Raises ``Stop(invalid_url)`` for anything that is not an absolute http(s) URL.
    """
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Stop(INVALID_URL, f"{url[:200]!r} is not a valid URL: {exc}.") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise Stop(INVALID_URL, f"Only http and https URLs can be ingested, not {url[:200]!r}.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise Stop(INVALID_URL, f"{url[:200]!r} has no host name.")
    try:
        # IDNA keeps the key stable between the Unicode and punycode spellings of one host.
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        host = host.lower()
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username or parts.password:
        # Credentials in a link are either a mistake or a trick to hide the real host.
        raise Stop(INVALID_URL, "URLs with user names or passwords are not ingested.")
    query = urlencode(
        sorted(
            (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
        )
    )
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def url_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def outlet_domain(url: str) -> str:
    host = url_host(url)
    return host[4:] if host.startswith("www.") else host
