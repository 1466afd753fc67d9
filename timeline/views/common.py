"""Bits every reader page shares: export links, party colours, page metadata."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from timeline.selectors.negotiation import NegotiationContext
from timeline.templatetags.reader import assign_colours

EXPORT_FORMATS = [
    ("atom", "Atom feed", "application/atom+xml"),
    ("ics", "iCalendar", "text/calendar"),
    ("csv", "CSV", "text/csv"),
    ("json", "JSON", "application/json"),
    ("timelinejs", "TimelineJS JSON", "application/json"),
]


def export_url(slug: str, fmt: str) -> str:
    """The API's export address; the literal path if the API's route is not installed."""
    try:
        return reverse(
            "api:negotiation-export", kwargs={"version": "v1", "slug": slug, "export_format": fmt}
        )
    except NoReverseMatch:
        return f"/api/v1/negotiations/{slug}/export/{fmt}/"


def export_links(slug: str, params: list[tuple[str, str]] | None = None) -> list[dict[str, str]]:
    """Export links; with the page's filters, the exports take them too."""
    query = "?" + urlencode(params) if params else ""
    return [
        {"format": fmt, "label": label, "type": mime, "url": export_url(slug, fmt) + query}
        for fmt, label, mime in EXPORT_FORMATS
    ]


def negotiation_page_context(
    request: HttpRequest, ctx: NegotiationContext, params: list[tuple[str, str]] | None = None
) -> dict:
    negotiation = ctx.negotiation
    exports = export_links(negotiation.slug, params)
    return {
        "negotiation": negotiation,
        "participations": ctx.participations,
        "sides": ctx.sides,
        "colours": assign_colours(ctx.actors_in_order),
        "exports": exports,
        "feed_url": exports[0]["url"],
        "og_url": request.build_absolute_uri(request.path),
    }
