"""Events as plain rows for the reader pages: participants, sources, who disputes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from timeline.models import (
    Citation,
    CitationStance,
    Event,
    EventParticipant,
    Negotiation,
    visible_actor_q,
)
from timeline.models.actors import VISIBLE_ACTOR_STATUSES

from .timeline import TimelineFilters, timeline_for_negotiation


def web_address(canonical_url: str | None, url: str | None) -> str:
    """A report's address if it is safe to link to: http(s) only, never ``javascript:``."""
    for candidate in (canonical_url, url):
        if candidate and candidate.strip().lower().startswith(("https://", "http://")):
            return candidate.strip()
    return ""


def hide_unseen_actors(citations: Iterable[Citation]) -> list[Citation]:
    """The readers' copy of loaded citations: a speaker or side readers may not see is
    dropped from the instance (in memory only), so no page can name or link them."""
    shown = list(citations)
    for citation in shown:
        speaker, side = citation.speaker, citation.speaker_side
        if speaker is not None and not speaker.is_visible:
            citation.speaker = None
        if side is not None and not side.is_visible:
            citation.speaker_side = None
    return shown


def speaker_name(citation: Citation) -> str:
    """Who said it, readable out of context: a linked speaker's name unless the printed
    description already names them ("He" or "Mr. Abu Marzouk" becomes "Musa Abu Marzouk")."""
    speaker = (
        citation.speaker.name
        if citation.speaker is not None and citation.speaker.is_visible
        else None
    )
    return _who(citation.speaker_description, speaker)


@dataclass
class TimelineEntry:
    event: Event
    sources: list[Citation]
    disputed_by: list[str]


def timeline_entry(event: Event) -> TimelineEntry:
    """An event with its sources and who disputes it (participants and citations prefetched)."""
    row = row_from_event(event)
    return TimelineEntry(
        event=event,
        sources=hide_unseen_actors(event.citations.all()),
        disputed_by=row.disputed_by,
    )


@dataclass(slots=True)
class ActorRef:
    """An actor as a timeline row needs it: enough for a name, a link and a colour."""

    pk: int
    name: str
    slug: str
    affiliation_id: int | None


@dataclass(slots=True)
class ParticipantRow:
    actor: ActorRef
    role: str


@dataclass(slots=True)
class SourceRow:
    """One citation of an event, flattened: the quote, who said it, and the report."""

    quote: str
    disputes: bool
    who: str
    speaker_id: int | None
    speaker_slug: str
    outlet: str
    outlet_description: str
    title: str
    url: str  # the publisher's address, "" when unknown
    article_id: int
    published_at: dt.datetime | None


@dataclass(slots=True)
class EventRow:
    """One event on the timeline page: plain values, no lazy relations, so rendering a
    long timeline can never issue a query and costs no model instances."""

    pk: int
    kind: str
    modality: str
    summary: str
    date: dt.date | None
    date_precision: str
    date_text: str
    end_date: dt.date | None
    place: str
    round_id: int | None
    participants: list[ParticipantRow] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)
    disputed_by: list[str] = field(default_factory=list)
    source_count: int = 0  # independent outlets (Event.source_count)


def _who(description: str, speaker: str | None) -> str:
    description = description.strip()
    if speaker:
        if description and speaker.casefold() in description.casefold():
            return description
        return speaker
    return description


def _disputers(sources: list[SourceRow]) -> list[str]:
    labels: list[str] = []
    speakers: set[int] = set()
    for source in sources:
        if not source.disputes:
            continue
        # One person disputing in two quotes is one disputer.
        if source.speaker_id is not None:
            if source.speaker_id in speakers:
                continue
            speakers.add(source.speaker_id)
        if source.who:
            label = source.who
        elif source.outlet:
            label = (
                f"{source.outlet}, {source.outlet_description}"
                if source.outlet_description
                else source.outlet
            )
        else:
            label = "another report"
        if label not in labels:
            labels.append(label)
    return labels


def row_from_event(event: Event) -> EventRow:
    """The same row from a model instance (the "as known on" path, whose citations are limited
    to the reports of then, loads instances)."""
    row = EventRow(
        pk=event.pk,
        kind=event.kind,
        modality=event.modality,
        summary=event.summary,
        date=event.date,
        date_precision=event.date_precision,
        date_text=event.date_text,
        end_date=event.end_date,
        place=event.place.name if event.place_id and event.place else "",
        round_id=event.round_id,
        source_count=event.source_count,
        participants=[
            ParticipantRow(
                actor=ActorRef(p.actor.pk, p.actor.name, p.actor.slug, p.actor.affiliation_id),
                role=p.role,
            )
            for p in event.participants.all()
            if p.actor.is_visible
        ],
        sources=[
            SourceRow(
                quote=c.quote,
                disputes=c.stance == CitationStance.DISPUTES,
                who=speaker_name(c),
                speaker_id=c.speaker_id if c.speaker is not None and c.speaker.is_visible else None,
                speaker_slug=(
                    c.speaker.slug if c.speaker is not None and c.speaker.is_visible else ""
                ),
                outlet=c.article.outlet.name if c.article.outlet is not None else "",
                outlet_description=(
                    c.article.outlet.description if c.article.outlet is not None else ""
                ),
                title=c.article.title,
                url=web_address(c.article.canonical_url, c.article.url),
                article_id=c.article_id,
                published_at=c.article.published_at,
            )
            for c in event.citations.all()
        ],
    )
    row.disputed_by = _disputers(row.sources)
    return row


EVENT_COLUMNS = (
    "id",
    "kind",
    "modality",
    "summary",
    "date",
    "date_precision",
    "date_text",
    "end_date",
    "round_id",
    "place__name",
    "source_count",
)
PARTICIPANT_COLUMNS = (
    "event_id",
    "role",
    "actor_id",
    "actor__name",
    "actor__slug",
    "actor__affiliation_id",
)
CITATION_COLUMNS = (
    "event_id",
    "quote",
    "stance",
    "speaker_description",
    "speaker_id",
    "speaker__name",
    "speaker__slug",
    "speaker__status",
    "article_id",
    "article__title",
    "article__url",
    "article__canonical_url",
    "article__published_at",
    "article__outlet__name",
    "article__outlet__description",
)


def rows_of_events(events: QuerySet[Event], window: list | None = None) -> list[EventRow]:
    """Events as plain rows: 3 queries (events, participants, citations) and no model
    instances, which is what keeps a long page fast. ``window``: the events' value tuples
    already read (``EVENT_COLUMNS``, e.g. one keyset window); else ``events`` is read whole."""
    rows: dict[int, EventRow] = {}
    values = window if window is not None else events.values_list(*EVENT_COLUMNS)
    for pk, kind, modality, summary, day, precision, words, end, round_id, place, count in values:
        rows[pk] = EventRow(
            pk,
            kind,
            modality,
            summary,
            day,
            precision,
            words,
            end,
            place or "",
            round_id,
            source_count=count,
        )
    if not rows:
        return []
    ids = list(rows)
    actors: dict[int, ActorRef] = {}
    for event_id, role, actor_id, name, slug, affiliation_id in (
        EventParticipant.objects.filter(visible_actor_q("actor"), event_id__in=ids)
        .order_by("role", "actor__name")
        .values_list(*PARTICIPANT_COLUMNS)
    ):
        actor = actors.get(actor_id)
        if actor is None:
            actor = actors[actor_id] = ActorRef(actor_id, name, slug, affiliation_id)
        rows[event_id].participants.append(ParticipantRow(actor, role))
    for (
        event_id,
        quote,
        stance,
        description,
        speaker_id,
        speaker,
        speaker_slug,
        speaker_status,
        article_id,
        title,
        url,
        canonical_url,
        published_at,
        outlet,
        outlet_description,
    ) in (
        Citation.objects.filter(event_id__in=ids)
        .order_by("article__published_at", "start", "id")
        .values_list(*CITATION_COLUMNS)
    ):
        if speaker_id is not None and speaker_status not in VISIBLE_ACTOR_STATUSES:
            speaker_id, speaker, speaker_slug = None, None, ""
        rows[event_id].sources.append(
            SourceRow(
                quote=quote,
                disputes=stance == CitationStance.DISPUTES,
                who=_who(description, speaker),
                speaker_id=speaker_id,
                speaker_slug=speaker_slug or "",
                outlet=outlet or "",
                outlet_description=outlet_description or "",
                title=title,
                url=web_address(canonical_url, url),
                article_id=article_id,
                published_at=published_at,
            )
        )
    for row in rows.values():
        row.disputed_by = _disputers(row.sources)
    return list(rows.values())


def timeline_events_for_rows(
    negotiation: Negotiation, filters: TimelineFilters | None = None
) -> QuerySet[Event]:
    """The shared ``timeline_for_negotiation`` selector (same filters and order as the API),
    without its prefetches: ``rows_of_events`` reads what it needs as plain values."""
    return timeline_for_negotiation(negotiation, filters).prefetch_related(None)


def timeline_rows(
    negotiation: Negotiation, filters: TimelineFilters | None = None
) -> list[EventRow]:
    """Every event of the filtered timeline as rows (a round's page: bounded by the round)."""
    return rows_of_events(timeline_events_for_rows(negotiation, filters))
