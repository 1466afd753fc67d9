"""Rendered responses kept in the cache under a key that names their version (the API's ETag,
the reader page's change stamp): the one place for how they are stored and for the rule that
a cache that does not answer is a miss, never an error page."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.http import HttpResponse

logger = logging.getLogger(__name__)


def kept_response(key: str) -> HttpResponse | None:
    """The response kept under ``key``, or None (not kept, or the cache is unreachable)."""
    try:
        kept = cache.get(key)
    except Exception:
        logger.warning("response cache unavailable; building the page", exc_info=True)
        return None
    if kept is None:
        return None
    content, content_type = kept
    return HttpResponse(content, content_type=content_type)


def keep_response(key: str, response: HttpResponse, seconds: int) -> None:
    """Keep a rendered 200 under ``key`` for ``seconds``; anything else is not kept."""
    if response.status_code != 200:
        return
    try:
        cache.set(key, (response.content, response["Content-Type"]), seconds)
    except Exception:
        logger.warning("response cache unavailable; page not kept", exc_info=True)
