"""Rate limits per user, per anonymous IP, and for the costly whole-timeline exports.

DRF's throttles copy the rates when the class is imported; these read them on each request so a
change to ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (a deploy's env, a test) takes effect.

The client's address follows ``REST_FRAMEWORK["NUM_PROXIES"]`` (0 unless a deployment says how
many proxies append to X-Forwarded-For), so a rotating forged header does not reset the limit.

The counts live in the cache (Redis). If it is unreachable, the throttle falls back to this
process's memory, with a log line: an outage of the cache must not turn every request,
job submissions included, into a 500.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.throttling import BaseThrottle

from tracker.request_guards import count_hit, count_hits, warn_cache_down

# Per process, so limits while the shared cache is down are per worker: looser, never absent.
_fallback_cache = LocMemCache("throttle-fallback", {"MAX_ENTRIES": 10_000})


def _rate(scope: str | None) -> str | None:
    config: dict[str, Any] = settings.REST_FRAMEWORK
    rates: dict[str, str | None] = config.get("DEFAULT_THROTTLE_RATES") or {}
    return rates.get(scope) if scope else None


class _WindowThrottle(BaseThrottle):
    """A fixed-window count per client (``count_hit``): one integer in the cache per client and
    window, where DRF's SimpleRateThrottle rewrites a list of every request's timestamp."""

    scope = ""
    _wait: float | None = None

    def client(self, request) -> str | None:
        """Who is counted, or None when this throttle does not apply to the request."""
        raise NotImplementedError

    def hit(self, request) -> tuple[str, str, str] | None:
        """What to count for this request (scope, client, rate), or None if nothing."""
        rate = _rate(self.scope)
        ident = self.client(request) if rate else None
        return None if rate is None or ident is None else (self.scope, ident, rate)

    def allow_request(self, request, view) -> bool:
        hit = self.hit(request)
        if hit is None:
            return True
        try:
            allowed, self._wait = count_hit(*hit)
        except Exception as exc:
            warn_cache_down(f"API throttle {self.scope!r}", exc)
            allowed, self._wait = count_hit(*hit, store=_fallback_cache)
        return allowed

    def wait(self) -> float | None:
        return self._wait


def check_and_get(
    throttles: list[BaseThrottle], request, view, keys: tuple[str, ...]
) -> tuple[list[float | None], list[Any]]:
    """Apply ``throttles`` and read ``keys`` from the cache in one round trip: the waits of the
    throttles that refuse (empty if all allow) and the keys' values. Throttles of other
    classes are asked as DRF would. Raises if the cache does not answer; the caller then
    checks the throttles one by one (with their own fallback) and reads nothing."""
    window_throttles = [t for t in throttles if isinstance(t, _WindowThrottle)]
    waits = [
        t.wait()
        for t in throttles
        if t not in window_throttles and not t.allow_request(request, view)
    ]
    counted = [(t, hit) for t in window_throttles if (hit := t.hit(request)) is not None]
    verdicts, values = count_hits([hit for _, hit in counted], also_get=keys)
    for (throttle, _), (allowed, wait) in zip(counted, verdicts, strict=True):
        throttle._wait = wait
        if not allowed:
            waits.append(wait)
    return waits, values


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class AnonThrottle(_WindowThrottle):
    """Anonymous clients, by address (NUM_PROXIES decides which hop of X-Forwarded-For)."""

    scope = "anon"

    def client(self, request) -> str | None:
        return None if _signed_in(request) else self.get_ident(request)


class UserThrottle(_WindowThrottle):
    """Signed-in users, by account. Anonymous clients are AnonThrottle's alone (DRF's
    UserRateThrottle counts them by address a second time, a second round trip for nothing)."""

    scope = "user"

    def client(self, request) -> str | None:
        return f"user-{request.user.pk}" if _signed_in(request) else None


class ExportThrottle(_WindowThrottle):
    """Exports build a whole timeline: a tighter limit per user or address than other reads."""

    scope = "export"

    def client(self, request) -> str | None:
        return f"user-{request.user.pk}" if _signed_in(request) else self.get_ident(request)
