"""Rendered responses kept in the cache under a key that names their version (the API's ETag,
the reader page's change stamp) or under their address with a generation token (the API's
timeline, below): the one place for how they are stored and for the rule that a cache that
does not answer is a miss, never an error page."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
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


# --- Pages kept by address -------------------------------------------------------------------
# A page kept under its ETag needs the change stamp first (a database read) to name its key.
# A page kept under its address instead carries the generation it was built in: one random
# token for all kept pages, replaced whenever anything they show may have changed
# (``pages_changed``, called by timeline.services.stamp in every write that moves a stamp). A
# reader fetches the token and the page in one round trip and serves the page only if their
# tokens match, with no database read at all.
#
# Why this never serves a page older than a committed change: the reader reads the token
# *before* it reads the database, and keeps what it built under the token it read. A writer
# replaces the token after its commit (and once before, for the reads of its own transaction).
# A page built from rows older than a commit was therefore either built under a token read
# before that commit's replacement, which no longer matches, or was not built from old rows.
# A token is random rather than a counter, so one lost to eviction can never match again.
GENERATION_KEY = "kept-pages-generation"


def pages_changed() -> None:
    """Pages kept by address go stale: now, and again when the current transaction commits."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    try:
        cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:
        # Then kept-by-address pages may be stale: say so loudly. Readers fall back to the
        # database while the cache is down, and entries expire within their timeout.
        logger.error("response cache unavailable; kept pages not invalidated", exc_info=True)


def start_generation() -> None:
    """A first token when none is stored (a fresh or flushed cache); pages wait for the next
    request, as one read before this token was set may have built from older rows."""
    try:
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:
        logger.warning("response cache unavailable", exc_info=True)


@dataclass(frozen=True)
class KeptPage:
    """A rendered 200 and its validators, as kept under its address."""

    generation: str
    etag: str
    last_modified: int | None
    content: bytes
    content_type: str


def keep_page(key: str, page: KeptPage, seconds: int) -> None:
    try:
        cache.set(key, page, seconds)
    except Exception:
        logger.warning("response cache unavailable; page not kept", exc_info=True)
