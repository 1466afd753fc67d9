"""iCalendar: the rounds of talks and the scheduled events, for a calendar subscription."""

from __future__ import annotations

import datetime as dt

import icalendar

from timeline.models import Event, Round, RoundStatus

from .common import ExportContext, sources_text, xml_safe


def _text(value: str) -> str:
    """Plain text for a property: no control characters, and every line break one LF, which
    icalendar escapes as ``\\n`` (a bare CR would end the content line and start a new
    property, e.g. an injected ATTENDEE or URL)."""
    return xml_safe(value).replace("\r\n", "\n").replace("\r", "\n")


ROUND_STATUS: dict[str, str] = {
    RoundStatus.ANNOUNCED: "TENTATIVE",
    RoundStatus.SCHEDULED: "TENTATIVE",
    RoundStatus.IN_PROGRESS: "CONFIRMED",
    RoundStatus.CONCLUDED: "CONFIRMED",
    RoundStatus.COLLAPSED: "CONFIRMED",
    RoundStatus.POSTPONED: "CANCELLED",
    RoundStatus.CANCELLED: "CANCELLED",
}


def _all_day(entry: icalendar.Event, start: dt.date, end: dt.date | None) -> None:
    entry.add("dtstart", start)
    # DTEND of an all-day event is exclusive: the day after the last day.
    entry.add("dtend", (end if end and end >= start else start) + dt.timedelta(days=1))


def build_ical(context: ExportContext, rounds: list[Round], events: list[Event]) -> bytes:
    negotiation = context.negotiation
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Negotiation tracker//Timeline export//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _text(negotiation.title))
    for round_ in rounds:
        entry = icalendar.Event()
        entry.add("uid", f"round-{round_.pk}@{context.host}")
        entry.add("dtstamp", round_.updated_at)
        entry.add("last-modified", round_.updated_at)
        entry.add("summary", _text(f"{negotiation.title}: {round_}"))
        _all_day(entry, round_.start, round_.end)
        entry.add("status", ROUND_STATUS.get(round_.status, "TENTATIVE"))
        if round_.venue:
            entry.add("location", _text(round_.venue.name))
        if round_.outcome:
            entry.add("description", _text(round_.outcome))
        entry.add("categories", ["round"])
        calendar.add_component(entry)
    for event in events:
        if event.date is None:  # an appointment without a day cannot go in a calendar
            continue
        entry = icalendar.Event()
        entry.add("uid", f"event-{event.pk}@{context.host}")
        entry.add("dtstamp", event.updated_at)
        entry.add("last-modified", event.updated_at)
        entry.add("summary", _text(event.summary))
        _all_day(entry, event.date, event.end_date)
        entry.add("status", "TENTATIVE")
        if event.place:
            entry.add("location", _text(event.place.name))
        description = event.description or ""
        if event.date_text:
            description = f"{description}\n\nReported as: {event.date_text}".strip()
        description = f"{description}\n\n{sources_text(event)}".strip()
        if description:
            entry.add("description", _text(description))
        entry.add("url", context.event_url(event))
        entry.add("categories", [event.kind])
        calendar.add_component(entry)
    return calendar.to_ical()
