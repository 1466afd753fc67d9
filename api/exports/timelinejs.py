"""TimelineJS 3 JSON: one slide per dated published event, rounds as eras."""

from __future__ import annotations

import datetime as dt

from django.utils.html import escape, format_html, format_html_join

from api.serializers.common import speaker_label, visible_participants
from timeline.models import DatePrecision, Event, ParticipantRole, Round

from .common import ExportContext, article_href, clean_document, display_date, disputers

GROUP_BY = ("party", "round")


def date_parts(day: dt.date, precision: str) -> dict[str, int]:
    """Only the parts the precision supports: TimelineJS shows what it is given."""
    if precision == DatePrecision.DAY:
        return {"year": day.year, "month": day.month, "day": day.day}
    if precision in (DatePrecision.WEEK, DatePrecision.MONTH, DatePrecision.APPROXIMATE):
        return {"year": day.year, "month": day.month}
    return {"year": day.year}


def _group(event: Event, group_by: str) -> str:
    if group_by == "round":
        return str(event.round) if event.round else "Outside the rounds"
    for participant in visible_participants(event):
        if participant.role == ParticipantRole.ACTOR:
            return participant.actor.name
    return "Other"


def _text(event: Event) -> str:
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


def _era(round_: Round) -> dict:
    start = round_.start
    end = round_.end if round_.end and round_.end >= start else start
    return {
        "start_date": date_parts(start, DatePrecision.DAY),
        "end_date": date_parts(end, DatePrecision.DAY),
        "text": {"headline": escape(str(round_)), "text": escape(round_.outcome)},
    }


def build_timelinejs(
    context: ExportContext, events: list[Event], rounds: list[Round], group_by: str = "party"
) -> dict:
    slides = []
    for event in events:
        if event.date is None:  # TimelineJS cannot place a slide without a year
            continue
        slide: dict = {
            "unique_id": f"event-{event.pk}",
            "start_date": {
                **date_parts(event.date, event.date_precision),
                "display_date": display_date(event.date, event.date_precision),
            },
            "display_date": display_date(event.date, event.date_precision),
            "text": {"headline": escape(event.summary), "text": _text(event)},
            "group": escape(_group(event, group_by)),
        }
        if event.end_date:
            slide["end_date"] = date_parts(event.end_date, event.date_precision)
        media = _media(event)
        if media:
            slide["media"] = media
        slides.append(slide)
    negotiation = context.negotiation
    return clean_document(
        {
            "title": {
                "text": {
                    "headline": escape(negotiation.title),
                    "text": escape(negotiation.description),
                }
            },
            "events": slides,
            "eras": [_era(r) for r in rounds if r.start is not None],
        }
    )
