"""/embed/n/<slug>/: a compact timeline newsrooms put in an iframe on their own pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt

from timeline.selectors import negotiation_context, timeline_for_negotiation
from tracker.middleware import POLICY

EMBED_LIMIT = 200


@xframe_options_exempt
def embed_view(request: HttpRequest, slug: str) -> HttpResponse:
    ctx = negotiation_context(slug)
    events = list(timeline_for_negotiation(ctx.negotiation)[:EMBED_LIMIT])
    response = render(
        request,
        "timeline/embed.html",
        {"negotiation": ctx.negotiation, "events": events},
    )
    # Only this page may be framed, and only by the sites the setting names ('*' for anyone).
    response["Content-Security-Policy"] = POLICY.replace(
        "frame-ancestors 'none'", f"frame-ancestors {settings.EMBED_FRAME_ANCESTORS}"
    )
    return response
