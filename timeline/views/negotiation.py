from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from timeline.activity_svg import activity_legend_items, activity_svg, activity_table_rows
from timeline.selectors import (
    TimelineFilters,
    first_report_day,
    negotiation_context,
    negotiation_standings,
    timeline_page,
)
from timeline.selectors.timeline_page import Boundary

from .cards import CardLinks, event_card
from .common import negotiation_page_context
from .forms import TimelineFilterForm
from .page_cache import keep_page, kept_page, page_key

FIELD_LABELS = {
    "party": "Parties",
    "kind": "Kinds of event",
    "issue": "Issue",
    "round": "Round",
    "modality": "Modality",
    "disputed": "Disputed only",
    "date_from": "From",
    "date_to": "To",
    "as_of": "As known on",
    "q": "Search",
    "sort": "Order",
}


def negotiation_redirect(request: HttpRequest, slug: str) -> HttpResponse:
    target = reverse("timeline:negotiation", kwargs={"slug": slug})
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    return redirect(target, permanent=True)


def _window_link(params: list[tuple[str, str]], extra: tuple[str, str] | None = None) -> str:
    return "?" + urlencode([*params, extra] if extra else params)


def negotiation_timeline_view(request: HttpRequest, slug: str) -> HttpResponse:
    key = page_key(request, "timeline", slug)
    kept = kept_page(key)
    if kept is not None:
        return kept
    return keep_page(key, _timeline_page(request, slug))


def _timeline_page(request: HttpRequest, slug: str) -> HttpResponse:
    ctx = negotiation_context(slug)
    query = TimelineFilters.parse(request.GET, ctx.negotiation)
    errors = [
        (FIELD_LABELS.get(name, name), message)
        for name, messages in query.errors.items()
        for message in messages
    ]
    after = before = None
    for name in ("after", "before"):
        raw = request.GET.get(name, "")
        if raw:
            boundary = Boundary.decode(raw)
            if boundary is None:
                errors.append(("Page", f"{raw!r} is not a place on this timeline."))
            elif name == "after":
                after = boundary
            else:
                before = boundary
    jump = request.GET.get("from", "")
    if jump and after is None and before is None:
        try:
            # (day, 0) sorts before every event of that day: the window starts on it.
            after = Boundary(dt.date.fromisoformat(jump), 0)
        except ValueError:
            errors.append(("Go to date", "Enter a valid date."))
    filters, as_of = query.filters, query.as_of
    page = timeline_page(
        ctx.negotiation,
        as_of=as_of,
        filters=filters,
        after=after,
        before=before,
        ranked=query.ranked,
    )
    # Every link from this window keeps the filters, "as known on" and the order.
    base = filters.as_params() + ([("as_of", as_of.isoformat())] if as_of else [])
    time_order = [*base, ("sort", "date")]
    params = time_order if filters.q and not query.ranked else base
    form = TimelineFilterForm(request.GET, actors=ctx.actors_in_order, issues=ctx.issues)
    context = negotiation_page_context(request, ctx, filters.as_params())
    links = CardLinks.for_negotiation(ctx.negotiation.slug)
    colours = context["colours"]
    context.update(
        {
            "cards": [
                (group, [event_card(row, links, colours) for row in group.entries])
                for group in page.groups
            ],
            "form": form,
            "filter_errors": errors,
            "filters": filters,
            "filters_active": filters.active,
            "as_of": as_of,
            "groups": page.groups,
            "event_count": page.event_count,
            "total_count": page.activity.total + page.activity.undated,
            "earlier_url": _window_link(params, ("before", page.earlier.encode()))
            if page.earlier
            else None,
            "later_url": _window_link(params, ("after", page.later.encode()))
            if page.later
            else None,
            "first_url": _window_link(params) if page.earlier else None,
            "round_jumps": [
                (round_, _window_link(params, ("from", round_.start.isoformat())))
                for round_ in page.rounds
                if round_.start is not None
            ],
            "window_params": params,
            "search": page.search,
            "search_text": filters.q,
            # Applying other filters from a list in time order keeps it in time order.
            "in_time_order": bool(filters.q) and not query.ranked,
            "time_order_url": _window_link(time_order) if page.search else None,
            "relevance_url": _window_link(base) if filters.q and not query.ranked else None,
            "activity": page.activity,
            "kinds_present": page.kinds,
            "activity_svg": activity_svg(page.activity),
            "activity_rows": activity_table_rows(page.activity),
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
    as_of = TimelineFilters.parse({"as_of": request.GET.get("as_of", "")}).as_of
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
