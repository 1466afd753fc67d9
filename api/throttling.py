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
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from tracker.request_guards import warn_cache_down

# Per process, so limits while the shared cache is down are per worker: looser, never absent.
_fallback_cache = LocMemCache("throttle-fallback", {"MAX_ENTRIES": 10_000})


def _rate(scope: str | None) -> str | None:
    config: dict[str, Any] = settings.REST_FRAMEWORK
    rates: dict[str, str | None] = config.get("DEFAULT_THROTTLE_RATES") or {}
    return rates.get(scope) if scope else None


class _FailSoft(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as exc:
            warn_cache_down(f"API throttle {self.scope!r}", exc)
            self.cache = _fallback_cache
            return super().allow_request(request, view)


class AnonThrottle(_FailSoft, AnonRateThrottle):
    pass


class UserThrottle(_FailSoft, UserRateThrottle):
    pass


class ExportThrottle(_FailSoft):
    """Exports build a whole timeline: a tighter limit per user or address than other reads."""

    scope = "export"

    def get_cache_key(self, request, view) -> str:
        user = getattr(request, "user", None)
        ident = user.pk if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
