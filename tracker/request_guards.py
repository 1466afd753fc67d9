"""Two guards in front of every view: bad input answers 400, and readers are rate-limited.

``BadInputMiddleware``: a NUL character cannot be stored by PostgreSQL and is never part of a
slug, a filter or a form value we use, yet reaching the database with one raised a 500 on a
dozen paths (API slugs, admin filters and actions). One check here, before any view, answers
400 in the API's error shape under /api/ and with the site's 400 page elsewhere.

``ReaderThrottleMiddleware``: the reader pages and feeds are the costly reads and were not
throttled at all. A fixed one-minute window per client address, counted in the cache; the
client address is the connection's unless ``settings.NUM_PROXIES`` says how many proxies
append to X-Forwarded-For (the same rule as the API's throttles, so a forged header cannot
reset either limit). When the cache is down the limit fails open, with a log line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

logger = logging.getLogger(__name__)


def api_error(
    message: str, code: str, status: int, errors: dict[str, list[str]] | None = None
) -> JsonResponse:
    """The API's error shape (api/exceptions.py) for answers given before any API view."""
    return JsonResponse({"message": message, "code": code, "errors": errors or {}}, status=status)


def _has_nul(request: HttpRequest) -> str | None:
    """Where a NUL character is, or None."""
    if "\x00" in request.path:
        return "path"
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "") or "query"
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for name, values in request.POST.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return name.replace("\x00", "") or "form"
    return None


class BadInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = _has_nul(request)
        if where is None:
            return self.get_response(request)
        message = "NUL characters are not allowed."
        if request.path.startswith("/api/"):
            return api_error(f"{where}: {message}", "invalid", 400, {where: [message]})
        return defaults.bad_request(request, ValueError(message))


def client_ident(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or with NUM_PROXIES > 0 the address that many hops
    from the right of X-Forwarded-For (DRF's rule, so API and pages agree)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "NUM_PROXIES", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return remote


def parse_rate(rate: str) -> tuple[int, int]:
    """'120/min' -> (120, 60)."""
    count, _, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[:1].lower()]
    return int(count), seconds


def count_hit(
    scope: str, ident: str, rate: str, store: BaseCache | None = None
) -> tuple[bool, int]:
    """Count one request of ``ident`` in its current fixed window of ``rate``: (allowed, seconds
    until the window ends).

    One integer per client and window, so a request costs the same at any rate. DRF's
    SimpleRateThrottle keeps a list of every timestamp in the window and reads and rewrites it
    whole on each request: at 600/min that is a 600-element pickle per hit, and a load test
    with the limits lifted spent most of a cached API response there (docs/benchmarks.md).
    The price is the fixed window's edge: up to twice the rate across a window boundary.
    On Redis the increment and its expiry go in one round trip; other caches use add + incr.
    Raises whatever the cache raises: the callers decide how to fail.
    """
    (verdict,), _ = count_hits([(scope, ident, rate)], store=store)
    return verdict


def count_hits(
    hits: list[tuple[str, str, str]], also_get: tuple[str, ...] = (), store: BaseCache | None = None
) -> tuple[list[tuple[bool, int]], list[Any]]:
    """``count_hit`` for several (scope, ident, rate) at once, and the cache's values of
    ``also_get`` (None when missing), all in one round trip on Redis: a kept API page then
    costs one exchange with the cache, its throttles included (docs/benchmarks.md)."""
    store = caches["default"] if store is None else store
    now = time.time()
    windows = []
    for scope, ident, rate in hits:
        limit, window = parse_rate(rate)
        windows.append((f"throttle:{scope}:{ident}:{int(now // window)}", limit, window))
    if isinstance(store, RedisCache):
        backend = store._cache  # type: ignore[attr-defined]
        full_keys = [store.make_and_validate_key(key) for key, _, _ in windows]
        got_keys = [store.make_and_validate_key(key) for key in also_get]
        # The backend's own redis-py client: Django's cache API has no pipeline. One server
        # (the client of the first key) holds them all: this project runs a single Redis.
        client = backend.get_client((full_keys or got_keys or [""])[0], write=True)
        pipe = client.pipeline(transaction=False)
        for full_key, (_, _, window) in zip(full_keys, windows, strict=True):
            pipe.incr(full_key)
            pipe.expire(full_key, window + 1)
        for key in got_keys:
            pipe.get(key)
        replies = pipe.execute()
        counts = replies[0 : 2 * len(windows) : 2]
        values = [
            None if raw is None else backend._serializer.loads(raw)
            for raw in replies[2 * len(windows) :]
        ]
    else:
        counts = []
        for key, _, window in windows:
            store.add(key, 0, timeout=window + 1)
            counts.append(store.incr(key))
        values = [store.get(key) for key in also_get]
    verdicts = [
        (count <= limit, window - int(now) % window)
        for count, (_, limit, window) in zip(counts, windows, strict=True)
    ]
    return verdicts, values


_last_cache_warning = 0.0


def warn_cache_down(what: str, exc: Exception) -> None:
    """One log line a minute while the cache is unreachable, not one per request."""
    global _last_cache_warning
    now = time.monotonic()
    if now - _last_cache_warning >= 60:
        _last_cache_warning = now
        logger.warning("%s: the cache is unreachable (%r); not limiting for now.", what, exc)


class ReaderThrottleMiddleware:
    """Also: the reader pages only read, so other methods get a 405 instead of the page."""

    EXEMPT_PREFIXES = ("/api/", "/admin/", "/static/", "/healthz")
    READ_METHODS = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in self.READ_METHODS and not request.path.startswith(
            ("/api/", "/admin/")
        ):
            response = HttpResponse(
                "This page can only be read.", status=405, content_type="text/plain"
            )
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        rate = getattr(settings, "READER_THROTTLE_RATE", "")
        if (
            rate
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            try:
                allowed, retry = count_hit("reader", client_ident(request), rate)
            except Exception as exc:
                warn_cache_down("Reader throttle", exc)
                allowed = True
            if not allowed:
                response = HttpResponse(
                    "Too many requests from your address; please wait a minute.",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(retry)
                return response
        return self.get_response(request)
