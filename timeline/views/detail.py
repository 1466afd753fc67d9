from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from timeline.selectors import (
    actor_page,
    event_detail,
    negotiation_context,
    round_page,
    source_page,
)
from timeline.templatetags.reader import assign_colours

from .cards import CardLinks, event_card
from .common import negotiation_page_context


def event_detail_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    ctx = negotiation_context(slug)
    context = negotiation_page_context(request, ctx)
    context.update({"entry": event_detail(ctx.negotiation, pk), "tab": "timeline"})
    return render(request, "timeline/event.html", context)


def round_detail(request: HttpRequest, slug: str, sequence: int) -> HttpResponse:
    ctx = negotiation_context(slug)
    context = negotiation_page_context(request, ctx)
    page = round_page(ctx.negotiation, sequence)
    links = CardLinks.for_negotiation(ctx.negotiation.slug)
    cards = [event_card(row, links, context["colours"]) for row in page.entries]
    context.update({"page": page, "cards": cards, "tab": "timeline"})
    return render(request, "timeline/round.html", context)


def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = actor_page(slug)
    if page.merged_from:
        # A merged actor's old address moves for good to the actor that stayed.
        return redirect("timeline:actor", slug=page.actor.slug, permanent=True)
    colour_source = page.actor.affiliation or page.actor
    return render(
        request,
        "timeline/actor.html",
        {
            "page": page,
            "actor": page.actor,
            "colours": assign_colours([colour_source]),
            "og_url": request.build_absolute_uri(request.path),
        },
    )


def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = source_page(pk)
    return render(
        request,
        "timeline/source.html",
        {"page": page, "article": page.article, "og_url": request.build_absolute_uri(request.path)},
    )
