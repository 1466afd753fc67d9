from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from timeline.selectors import home_summary
from timeline.templatetags.reader import assign_colours


def home(request: HttpRequest) -> HttpResponse:
    summaries = home_summary()
    for summary in summaries:
        # Per negotiation, so two sides of the same talks never share a colour.
        summary.colours = assign_colours(summary.parties + summary.mediators + summary.others)
    return render(
        request,
        "timeline/home.html",
        {
            "summaries": summaries,
            "og_url": request.build_absolute_uri(request.path),
        },
    )
