"""Template helpers for the public reader pages: dates in words, kind icons, party colours."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable, Mapping

import nh3
from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from timeline.models import Actor, AttributionType, Citation, DatePrecision, EventKind
from timeline.selectors.event_rows import speaker_name, web_address

register = template.Library()

PALETTE_SIZE = 8

# Icon per event kind: symbols in static/timeline/icons.svg. Kinds share a few pictures,
# the label next to the icon always says which kind it is.
KIND_ICON: dict[str, str] = {
    EventKind.MEETING: "meeting",
    EventKind.DELEGATION_ARRIVAL: "arrive",
    EventKind.DELEGATION_DEPARTURE: "depart",
    EventKind.PROPOSAL: "proposal",
    EventKind.RESPONSE: "response",
    EventKind.AGREEMENT: "agreement",
    EventKind.BREAKDOWN: "breakdown",
    EventKind.STATEMENT: "statement",
    EventKind.DEMAND: "demand",
    EventKind.CONCESSION: "concession",
    EventKind.THREAT: "threat",
    EventKind.ULTIMATUM: "threat",
    EventKind.WALKOUT: "depart",
    EventKind.POSTPONEMENT: "calendar",
    EventKind.MILITARY_ACTION: "military",
    EventKind.SCHEDULED: "calendar",
}
KIND_LABEL: dict[str, str] = dict(EventKind.choices)

SANITISED_TAGS = {"p", "br", "a", "em", "strong", "i", "b", "ul", "ol", "li", "blockquote", "q"}


def _day_month_year(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


EN_DASH = "\u2013"


def _range_in_words(start: dt.date, end: dt.date) -> str:
    if start.year != end.year:
        return f"{_day_month_year(start)} {EN_DASH} {_day_month_year(end)}"
    if start.month != end.month:
        return f"{start.day} {start:%B} {EN_DASH} {_day_month_year(end)}"
    return f"{start.day}{EN_DASH}{_day_month_year(end)}"


def date_in_words(
    day: dt.date | None,
    precision: str = DatePrecision.DAY,
    end: dt.date | None = None,
) -> str:
    """A date as a reader says it, no more precise than the source was.

    "Sunday 19 May 2024" (day), "week of 13 May 2024" (week, from its Monday), "May 2024",
    "2024", "around 19 May 2024" (approximate); a day range reads "19-21 May 2024" (with an en dash).
    """
    if day is None or precision == DatePrecision.UNKNOWN:
        return "Date not known"
    if precision == DatePrecision.WEEK:
        monday = day - dt.timedelta(days=day.weekday())
        return f"week of {_day_month_year(monday)}"
    if precision == DatePrecision.MONTH:
        return f"{day:%B} {day.year}"
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.APPROXIMATE:
        if end and end != day:
            return f"around {_range_in_words(day, end)}"
        return f"around {_day_month_year(day)}"
    if end and end != day:
        return _range_in_words(day, end)
    return f"{day:%A} {_day_month_year(day)}"


@register.simple_tag
def when(day: dt.date | None, precision: str = DatePrecision.DAY, end: dt.date | None = None):
    """A <time> element with the machine date and the words; plain words when undated."""
    words = date_in_words(day, precision, end)
    if day is None or precision == DatePrecision.UNKNOWN:
        return format_html('<span class="when when-unknown">{}</span>', words)
    if precision == DatePrecision.MONTH:
        machine = f"{day:%Y-%m}"
    elif precision == DatePrecision.YEAR:
        machine = f"{day:%Y}"
    elif precision == DatePrecision.WEEK:
        iso = day.isocalendar()
        machine = f"{iso.year}-W{iso.week:02d}"
    else:
        machine = day.isoformat()
    return format_html('<time class="when" datetime="{}">{}</time>', machine, words)


@register.filter
def in_words(day: dt.date | None, precision: str = DatePrecision.DAY) -> str:
    return date_in_words(day, precision)


@register.simple_tag
def kind_icon(kind: str) -> SafeString:
    """The kind's picture, hidden from assistive technology: the label beside it is the text."""
    symbol = KIND_ICON.get(kind, "statement")
    return format_html(
        '<svg class="icon icon-{}" aria-hidden="true" focusable="false" width="20" height="20">'
        '<use href="{}#i-{}"></use></svg>',
        symbol,
        static("timeline/icons.svg"),
        symbol,
    )


@register.simple_tag
def icon(name: str) -> SafeString:
    return format_html(
        '<svg class="icon icon-{}" aria-hidden="true" focusable="false" width="20" height="20">'
        '<use href="{}#i-{}"></use></svg>',
        name,
        static("timeline/icons.svg"),
        name,
    )


@register.filter
def kind_label(kind: str) -> str:
    return KIND_LABEL.get(kind, kind.replace("_", " ").capitalize())


def preferred_colour(actor: Actor) -> int:
    """A colour slot derived from the slug, so a party keeps its colour across negotiations."""
    return zlib.crc32(actor.slug.encode()) % PALETTE_SIZE


def assign_colours(actors: Iterable[Actor]) -> dict[int, int]:
    """Colour slots per actor id: each keeps its preferred slot unless an earlier one took it.

    ``actors`` come in a stable order (parties first), so the result is the same on every page.
    """
    taken: set[int] = set()
    colours: dict[int, int] = {}
    for actor in actors:
        if actor.pk in colours:
            continue
        slot = preferred_colour(actor)
        if len(taken) < PALETTE_SIZE:
            while slot in taken:
                slot = (slot + 1) % PALETTE_SIZE
        taken.add(slot)
        colours[actor.pk] = slot
    return colours


@register.filter
def party_colour(actor: Actor | None, colours: Mapping[int, int] | None) -> str:
    """The CSS class of the actor's side: a person takes the colour of the actor they belong to."""
    if actor is None:
        return "party-none"
    colours = colours or {}
    slot = colours.get(actor.pk)
    if slot is None and actor.affiliation_id is not None:
        slot = colours.get(actor.affiliation_id)
    if slot is None:
        return "party-none"
    return f"party-c{slot}"


@register.filter
def article_href(article) -> str:
    """Where a source link goes: the publisher's page, else our page of its cited passages."""
    return web_address(article.canonical_url, article.url) or reverse(
        "timeline:source", args=[article.pk]
    )


@register.filter
def by_report(citations) -> list[tuple[object, list]]:
    """Citations grouped under their report, reports in order of first citation: the outlet,
    date and headline once, then every quote from it (not repeated under each quote)."""
    groups: dict[int, tuple[object, list]] = {}
    for citation in citations:
        groups.setdefault(citation.article_id, (citation.article, []))[1].append(citation)
    return list(groups.values())


@register.filter
def external_href(article) -> str:
    """The publisher's address when it is a safe http(s) link, else ""."""
    return web_address(article.canonical_url, article.url)


@register.filter
def who_said(citation: Citation) -> str:
    return speaker_name(citation)


@register.filter
def attribution_note(citation: Citation) -> str:
    """How the words are attributed, e.g. "anonymous official, Israel": the kind of attribution
    and, for an unnamed speaker, the side they speak for. An outlet's own words need no note:
    the outlet is named next to it."""
    notes = []
    if citation.attribution != AttributionType.OUTLET:
        notes.append(citation.get_attribution_display().lower())
    if citation.speaker_side is not None and citation.speaker_id is None:
        notes.append(citation.speaker_side.name)
    return ", ".join(notes)


@register.filter
def sanitised(html: str | None) -> SafeString:
    """HTML kept from sources, reduced to harmless text markup; links cannot run script."""
    if not html:
        return mark_safe("")
    cleaned = nh3.clean(
        html,
        tags=SANITISED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    # Safe to mark: nh3 removed every element and attribute that could run script.
    return mark_safe(cleaned)


@register.simple_tag(takes_context=True)
def query_without(context, name: str, value: str = "") -> str:
    """The current query string minus one filter value: the "remove this filter" link."""
    request = context["request"]
    params = request.GET.copy()
    if value:
        kept = [v for v in params.getlist(name) if v != value]
        params.setlist(name, kept)
    else:
        params.pop(name, None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def absolute_static(context, path: str) -> str:
    """A static file's full address, as link previewers need for og:image; "" without a request
    (the 500 page is rendered without one)."""
    request = context.get("request")
    return request.build_absolute_uri(static(path)) if request is not None else ""
