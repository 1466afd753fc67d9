"""``/healthz``: is every configured part of the stack answering?

Returns 200 when the database, the cache and (if one is configured) the Celery broker answer,
503 otherwise, with a JSON body saying which part failed and why. Load balancers and
``docker compose`` health checks poll it, so each probe is bounded by a short timeout.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=5)
    if cache.get(key) != "ok":
        raise RuntimeError("value written to the cache could not be read back")
    cache.delete(key)
    return str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]


def _check_broker() -> str:
    from tracker.celery import app

    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return conn.transport.driver_name


def _probe(check: Callable[[], str]) -> dict[str, object]:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True, "backend": detail, "ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, object]] = {
        "database": _probe(_check_database),
        "cache": _probe(_check_cache),
    }
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _probe(_check_broker)
    else:
        checks["broker"] = {"ok": True, "backend": "in-process (no broker configured)"}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
