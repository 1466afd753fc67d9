from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from timeline.activity_svg import activity_legend_items, activity_svg
from timeline.selectors import (
    first_report_day,
    negotiation_context,
    negotiation_standings,
    timeline_page,
)

from .cards import CardLinks, event_card
from .common import negotiation_page_context
from .forms import TimelineFilterForm


def negotiation_redirect(request: HttpRequest, slug: str) -> HttpResponse:
    target = reverse("timeline:negotiation", kwargs={"slug": slug})
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    return redirect(target, permanent=True)


def negotiation_timeline_view(request: HttpRequest, slug: str) -> HttpResponse:
    ctx = negotiation_context(slug)
    form = TimelineFilterForm(request.GET, actors=ctx.actors_in_order, issues=ctx.issues)
    filters = form.filters()
    as_of = form.valid_data().get("as_of")
    page = timeline_page(ctx.negotiation, as_of=as_of, filters=filters)
    groups, activity = page.groups, page.activity
    context = negotiation_page_context(request, ctx)
    links = CardLinks.for_negotiation(ctx.negotiation.slug)
    colours = context["colours"]
    context.update(
        {
            "cards": [
                (group, [event_card(row, links, colours) for row in group.entries])
                for group in groups
            ],
            "form": form,
            "filters_active": form.active,
            "as_of": as_of,
            "groups": groups,
            "event_count": sum(len(g.entries) for g in groups),
            "activity": activity,
            "activity_svg": activity_svg(activity),
            "activity_legend": activity_legend_items(),
            "tab": "timeline",
        }
    )
    if as_of is not None and not context["event_count"]:
        context["first_report_day"] = first_report_day(ctx.negotiation)
    return render(request, "timeline/negotiation.html", context)


def standings_view(request: HttpRequest, slug: str) -> HttpResponse:
    ctx = negotiation_context(slug)
    form = TimelineFilterForm(request.GET, actors=ctx.actors_in_order, issues=ctx.issues)
    as_of = form.valid_data().get("as_of")
    context = negotiation_page_context(request, ctx)
    context.update(
        {
            "standings": negotiation_standings(ctx, as_of=as_of),
            "as_of": as_of,
            "form": form,
            "tab": "standings",
        }
    )
    return render(request, "timeline/standings.html", context)
