"""Rendered reader pages kept in the cache under the negotiation's change stamp.

A timeline page is a pure function of the negotiation's published data (which moves the
stamp, ``timeline.services.stamp``), the query string and the host (the page's og:url); it
shows nothing per visitor. So a repeat view is one indexed read of the stamp and one cache
read, at 1,000,000 events as at 12. A write moves the stamp, so a kept page is never served
stale; READER_PAGE_CACHE_SECONDS only bounds how long unused pages (and, after a deploy,
pages in the old markup) occupy the cache. 0 turns it off.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from timeline.selectors import negotiation_stamp
from tracker.kept_responses import keep_response, kept_response

PREFIX = "reader-page:"


def page_key(request: HttpRequest, view: str, slug: str) -> str | None:
    """The key of this request's page, or None when it must not be kept or served kept."""
    if not settings.READER_PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return None
    stamp = negotiation_stamp(slug)
    if stamp is None:
        return None  # the view answers 404 itself
    raw = f"{view}|{stamp}|{request.get_host()}|{request.META.get('QUERY_STRING', '')}"
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def kept_page(key: str | None) -> HttpResponse | None:
    return None if key is None else kept_response(key)


def keep_page(key: str | None, response: HttpResponse) -> HttpResponse:
    if key is not None:
        keep_response(key, response, settings.READER_PAGE_CACHE_SECONDS)
    return response
