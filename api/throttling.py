"""Rate limits per user and per anonymous IP.

DRF's throttles copy the rates when the class is imported; these read them on each request so a
change to ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (a deploy's env, a test) takes effect.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


def _rate(scope: str | None) -> str | None:
    config: dict[str, Any] = settings.REST_FRAMEWORK
    rates: dict[str, str | None] = config.get("DEFAULT_THROTTLE_RATES") or {}
    return rates.get(scope) if scope else None


class AnonThrottle(AnonRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)


class UserThrottle(UserRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)
