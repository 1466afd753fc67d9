"""TimelineJS 3 JSON: one slide per dated published event, rounds as eras, the undated events
listed on the title slide."""

from __future__ import annotations

import datetime as dt

from django.utils.html import escape, format_html, format_html_join

from api.serializers.common import speaker_label, visible_participants
from timeline.models import (
    Actor,
    ActorKind,
    DatePrecision,
    Event,
    ParticipantRole,
    Round,
    RoundStatus,
)

from .common import (
    ExportContext,
    article_href,
    clean_document,
    display_date,
    disputers,
    sources_text,
)

GROUP_BY = ("party", "round")


def date_parts(day: dt.date, precision: str) -> dict[str, int]:
    """The parts TimelineJS places a slide by.

    A week or an approximate date keeps its day ("around 16 May" goes on 16 May, not on the
    1st): the display date says how precise it is. A month or a year is placed at its start.
    """
    if precision in (DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.APPROXIMATE):
        return {"year": day.year, "month": day.month, "day": day.day}
    if precision == DatePrecision.MONTH:
        return {"year": day.year, "month": day.month}
    return {"year": day.year}


def _party_names(events: list[Event]) -> dict[int, str]:
    """Names of the published organisations the events' people belong to (one query)."""
    ids = {
        p.actor.affiliation_id
        for e in events
        for p in visible_participants(e)
        if p.actor.affiliation_id is not None
    }
    if not ids:
        return {}
    return dict(Actor.objects.published().filter(pk__in=ids).values_list("pk", "name"))


def _group(event: Event, group_by: str, parties: dict[int, str]) -> str:
    """The row of the slide: its round, or the party acting (a person under the party they
    speak for, by affiliation)."""
    if group_by == "round":
        return str(event.round) if event.round else "Outside the rounds"
    for participant in visible_participants(event):
        if participant.role == ParticipantRole.ACTOR:
            actor = participant.actor
            if actor.kind == ActorKind.PERSON and actor.affiliation_id in parties:
                return parties[actor.affiliation_id]
            return actor.name
    return "Other"


def _text(context: ExportContext, event: Event) -> str:
    parts = []
    if event.description:
        parts.append(format_html("<p>{}</p>", event.description))
    if event.date_text:
        parts.append(format_html("<p>Reported as: “{}”</p>", event.date_text))
    for citation in event.citations.all():
        parts.append(
            format_html(
                "<blockquote>{}</blockquote><p>— {}</p>",
                citation.quote,
                speaker_label(citation) or "the report",
            )
        )
    who = disputers(event)
    if who:
        parts.append(format_html("<p><strong>Disputed by</strong> {}</p>", "; ".join(who)))
    parts.append(format_html("<p>{}</p>", sources_text(event)))
    parts.append(
        format_html('<p><a href="{}">This event on the tracker</a></p>', context.event_url(event))
    )
    return "".join(parts)


def _media(event: Event) -> dict | None:
    # TimelineJS renders headline, text, group, caption and credit as HTML: every stored text
    # goes in escaped, and links only where the reader pages would make one.
    citations = [c for c in event.citations.all() if article_href(c.article)]
    if not citations:
        return None
    credit = format_html_join(
        "; ",
        '<a href="{}">{}</a>',
        (
            (
                article_href(c.article),
                c.article.outlet.name if c.article.outlet else c.article.title,
            )
            for c in citations
        ),
    )
    first = citations[0]
    return {
        "url": article_href(first.article),
        "caption": escape(first.article.title),
        "credit": str(credit),
    }


def _era(round_: Round, latest: dt.date | None) -> dict | None:
    """A round as an era. TimelineJS refuses an era without both dates, and drops an end date
    equal to the start as redundant (then refuses the era): a one-day round runs from the
    start of its day to the end of it; a round still in progress runs to the latest event
    (not to today, which would stretch the whole axis long after the talks)."""
    start = round_.start or round_.end
    if start is None:
        return None
    end = round_.end if round_.end and round_.end >= start else None
    if end is None and round_.status == RoundStatus.IN_PROGRESS and latest and latest > start:
        end = latest
    end = end or start
    headline = str(round_)
    if round_.actual_start is None and round_.planned_start is not None:
        headline = f"{headline} (planned)"
    return {
        "start_date": {**date_parts(start, DatePrecision.DAY), "hour": 0},
        "end_date": {**date_parts(end, DatePrecision.DAY), "hour": 23, "minute": 59},
        "text": {"headline": escape(headline), "text": escape(round_.outcome)},
    }


def _undated_note(context: ExportContext, undated: list[Event]) -> str:
    """TimelineJS cannot place a slide without a date: the undated events are listed on the
    title slide instead of being dropped."""
    if not undated:
        return ""
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a></li>',
        ((context.event_url(e), e.summary) for e in undated),
    )
    return str(
        format_html(
            "<p><strong>Not dated in the reports</strong> ({}):</p><ul>{}</ul>",
            len(undated),
            items,
        )
    )


def build_timelinejs(
    context: ExportContext, events: list[Event], rounds: list[Round], group_by: str = "party"
) -> dict:
    parties = _party_names(events) if group_by == "party" else {}
    slides = []
    undated = []
    for event in events:
        if event.date is None:
            undated.append(event)
            continue
        shown = display_date(event.date, event.date_precision)
        slide: dict = {
            "unique_id": f"event-{event.pk}",
            "start_date": {
                **date_parts(event.date, event.date_precision),
                "display_date": shown,
            },
            "display_date": shown,
            "text": {"headline": escape(event.summary), "text": _text(context, event)},
            "group": escape(_group(event, group_by, parties)),
        }
        if event.end_date and event.end_date > event.date:
            slide["end_date"] = date_parts(event.end_date, event.date_precision)
        media = _media(event)
        if media:
            slide["media"] = media
        slides.append(slide)
    negotiation = context.negotiation
    latest = max((e.date for e in events if e.date is not None), default=None)
    eras = [era for era in (_era(r, latest) for r in rounds) if era is not None]
    intro = format_html("<p>{}</p>", negotiation.description) if negotiation.description else ""
    return clean_document(
        {
            "title": {
                "text": {
                    "headline": escape(negotiation.title),
                    "text": f"{intro}{_undated_note(context, undated)}",
                }
            },
            "events": slides,
            "eras": eras,
        }
    )
