"""Event cards for the timeline and round pages, rendered in Python.

A timeline can hold hundreds of events; the Django template engine costs ~0.3 ms per card,
plain string building a few microseconds. Every value from the database goes through
``html.escape`` here, which is what Django's ``escape`` (and so ``{{ }}``) calls underneath,
without its lazy-string wrapper that dominated the profile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from timeline.models import Modality, ParticipantRole
from timeline.selectors.event_rows import EventRow
from timeline.templatetags.reader import KIND_ICON, kind_label, party_colour, when

MODALITY_LABEL = dict(Modality.choices)
ROLE_LABEL = {k: v.lower() for k, v in ParticipantRole.choices}


def _prefix(name: str, *args: object) -> str:
    """The URL of ``name`` up to its last argument, which must be given as ``0``."""
    url = reverse(name, args=[*args, 0])
    return url[: -len("0/")]


@dataclass
class CardLinks:
    """URL prefixes reversed once per page instead of once per link."""

    event: str
    actor: str
    source: str
    icons: str
    # Per page: the same actor, report and icon recur on hundreds of cards.
    _chips: dict = field(default_factory=dict)
    _reports: dict = field(default_factory=dict)
    _icons: dict = field(default_factory=dict)

    @classmethod
    def for_negotiation(cls, slug: str) -> CardLinks:
        return cls(
            event=_prefix("timeline:event", slug),
            actor=reverse("timeline:actor", args=["x"])[: -len("x/")],
            source=_prefix("timeline:source"),
            icons=static("timeline/icons.svg"),
        )


def _icon(links: CardLinks, symbol: str) -> str:
    html = links._icons.get(symbol)
    if html is None:
        html = links._icons[symbol] = (
            f'<svg class="icon icon-{symbol}" aria-hidden="true" focusable="false" width="20" '
            f'height="20"><use href="{escape(links.icons)}#i-{symbol}"></use></svg>'
        )
    return html


@lru_cache(maxsize=4096)
def _when(day: dt.date | None, precision: str, end: dt.date | None) -> str:
    return str(when(day, precision, end))


def _report(links: CardLinks, source) -> str:
    """The part of an attribution that depends only on the report: outlet, date, headline."""
    key = (source.article_id, source.outlet, source.title, source.url, source.published_at)
    html = links._reports.get(key)
    if html is not None:
        return html
    parts = []
    if source.outlet:
        parts.append(f'<span class="outlet">{escape(source.outlet)}</span>')
    else:
        parts.append("a report")
    if source.published_at:
        day = timezone.localtime(source.published_at)
        parts.append(f", {day.day} {day:%B} {day.year}")
    parts.append(":\n")
    context_url = f"{links.source}{source.article_id}/"
    if source.url:
        title = escape(source.title or "the report")
        parts.append(
            f'<a class="headline" href="{escape(source.url)}" rel="noopener noreferrer nofollow">'
            f'{title}</a> <a class="in-context" href="{context_url}">in context'
            f'<span class="visually-hidden">: {title}</span></a>'
        )
    else:
        parts.append(
            f'<a class="headline" href="{context_url}">{escape(source.title or "untitled report")}</a>'
        )
    html = links._reports[key] = "".join(parts)
    return html


def _chip(links: CardLinks, participant, colours: Mapping[int, int]) -> str:
    actor = participant.actor
    key = (actor.pk, participant.role)
    html = links._chips.get(key)
    if html is None:
        role = (
            ""
            if participant.role == ParticipantRole.ACTOR
            else f' <span class="role">({escape(ROLE_LABEL.get(participant.role, participant.role))})</span>'
        )
        html = links._chips[key] = (
            f'<li><a class="chip {party_colour(actor, colours)}" '
            f'href="{links.actor}{escape(actor.slug)}/">{escape(actor.name)}{role}</a></li>'
        )
    return html


def _quote(links: CardLinks, source) -> str:
    """One citation under its report: the quote and who said it (the report is above)."""
    if not source.quote and not source.who and not source.disputes:
        return ""
    parts = ['<li class="source source-disputes">' if source.disputes else '<li class="source">']
    if source.quote:
        parts.append(f"<blockquote><p>\u201c{escape(source.quote)}\u201d</p></blockquote>")
    if source.disputes or source.who:
        parts.append('<p class="attribution">')
        if source.disputes:
            parts.append('<span class="badge badge-disputes">Disputes this</span> ')
        if source.who and source.speaker_slug:
            parts.append(
                f'<a href="{links.actor}{escape(source.speaker_slug)}/">{escape(source.who)}</a>'
            )
        elif source.who:
            parts.append(escape(source.who))
        parts.append("</p>")
    parts.append("</li>")
    return "".join(parts)


def _sources(links: CardLinks, sources: list) -> str:
    """The citations grouped by report, in order of each report's first citation: outlet,
    date and headline once, then its quotes (issue 14: not repeated under every quote)."""
    by_report: dict[int, list] = {}
    for source in sources:
        by_report.setdefault(source.article_id, []).append(source)
    parts = ['<ul class="sources" aria-label="Sources">']
    for article_id, cites in by_report.items():
        parts.append(
            f'<li class="source-report" data-article="{article_id}">'
            f'<p class="attribution report-head">{_report(links, cites[0])}</p>'
        )
        quotes = "".join(_quote(links, source) for source in cites)
        if quotes:
            parts.append(f'<ul class="report-quotes">{quotes}</ul>')
        parts.append("</li>")
    parts.append("</ul>")
    return "".join(parts)


def event_card(row: EventRow, links: CardLinks, colours: Mapping[int, int]) -> SafeString:
    """One event: kind, date in words, place, title, disputed badge, participants, sources."""
    pk = row.pk
    icon = KIND_ICON.get(row.kind, "statement")
    parts = [
        f'<article class="event kind-{escape(row.kind)}'
        f'{" is-disputed" if row.disputed_by else ""}" id="event-{pk}" '
        f'aria-labelledby="event-{pk}-title">',
        '<div class="event-meta"><span class="kind">',
        _icon(links, icon),
        f'<span class="kind-label">{escape(kind_label(row.kind))}</span></span>',
        _when(row.date, row.date_precision, row.end_date),
    ]
    if row.date_text:
        parts.append(
            f'<span class="date-text">reported as \u201c{escape(row.date_text)}\u201d</span>'
        )
    if row.place:
        parts.append(f'<span class="place">{_icon(links, "place")}{escape(row.place)}</span>')
    if row.modality != Modality.OCCURRED:
        label = MODALITY_LABEL.get(row.modality, row.modality)
        parts.append(f'<span class="badge badge-modality">{escape(label)}</span>')
    parts.append(
        f'</div><h4 class="event-title" id="event-{pk}-title">'
        f'<a href="{links.event}{pk}/">{escape(row.summary)}</a></h4>'
    )
    if row.disputed_by:
        parts.append(
            f'<p class="badge badge-disputed">{_icon(links, "disputed")}<strong>Disputed</strong>'
            f" by {escape('; '.join(row.disputed_by))}</p>"
        )
    if row.source_count == 1:
        # Only one outlet reports it (syndicated copies count as their original): say so.
        parts.append(
            '<p class="badge badge-single-source" title="Only one outlet reports this event">'
            "Single source</p>"
        )
    elif row.source_count > 1:
        parts.append(f'<p class="source-count">{row.source_count} independent outlets</p>')
    if row.participants:
        parts.append('<ul class="chips participants" aria-label="Who took part">')
        parts.extend(_chip(links, p, colours) for p in row.participants)
        parts.append("</ul>")
    if row.sources:
        parts.append(_sources(links, row.sources))
    parts.append("</article>")
    # Safe: every database value above went through escape().
    return mark_safe("".join(parts))
