"""The exported events as plain values, a chunk at a time: no model instances.

At 1,000,000 events the CSV export took 1,413 s and the JSON one 1,212 s, CPU-bound with the
database at ~5%: most of it was Django building a model instance per event, participant,
citation, article and outlet (and parsing columns no format shows). Here each chunk is three
``values_list`` queries (events, participants, citations) with only the columns the formats
read, into small objects with the attribute names of the instances they replace, so the
builders (``csv_export``, ``ical``, the JSON document's ``EventSerializer``) read either
the same way and the files come out the same, byte for byte (``tests/api/test_export_values.py``
compares them with the instances' output).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from timeline.models import PLOVER_CATEGORY, Citation, Event, EventParticipant, Negotiation
from timeline.models.actors import VISIBLE_ACTOR_STATUSES
from timeline.selectors.keyset import keyset_slice


class Loaded(list):
    """A prefetched relation's rows: ``.all()`` is the rows themselves, as on an instance."""

    def all(self) -> Loaded:
        return self


@dataclass(slots=True)
class ActorValues:
    pk: int
    name: str
    slug: str
    kind: str
    status: str

    @property
    def is_visible(self) -> bool:
        return self.status in VISIBLE_ACTOR_STATUSES


@dataclass(slots=True)
class OutletValues:
    slug: str
    name: str
    domain: str
    description: str
    country_code: str


@dataclass(slots=True)
class ArticleValues:
    id: int
    title: str
    url: str
    canonical_url: str
    outlet: OutletValues | None
    published_at: dt.datetime | None

    @property
    def pk(self) -> int:
        return self.id


@dataclass(slots=True)
class CitationValues:
    id: int
    article_id: int
    article: ArticleValues
    quote: str
    speaker_id: int | None
    speaker: ActorValues | None
    speaker_description: str
    speaker_side: ActorValues | None
    attribution: str
    stance: str

    @property
    def pk(self) -> int:
        return self.id


@dataclass(slots=True)
class ParticipantValues:
    actor: ActorValues
    role: str


@dataclass(slots=True)
class PlaceValues:
    id: int
    slug: str
    name: str
    country_code: str
    latitude: Decimal | None
    longitude: Decimal | None


@dataclass(slots=True)
class RoundValues:
    id: int
    sequence: int
    name: str

    def __str__(self) -> str:  # Round.__str__
        return self.name or f"Round {self.sequence}"


@dataclass(slots=True)
class IssueValues:
    id: int
    slug: str
    title: str


@dataclass(slots=True)
class EventValues:
    id: int
    negotiation: Negotiation
    status: str
    kind: str
    modality: str
    summary: str
    description: str
    date: dt.date | None
    date_precision: str
    date_text: str
    end_date: dt.date | None
    place: PlaceValues | None
    round: RoundValues | None
    issue: IssueValues | None
    is_disputed: bool
    source_count: int
    first_report_at: dt.datetime | None
    latest_report_at: dt.datetime | None
    published_at: dt.datetime | None
    updated_at: dt.datetime
    participants: Loaded = field(default_factory=Loaded)
    citations: Loaded = field(default_factory=Loaded)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def plover_category(self) -> str | None:  # Event.plover_category
        return PLOVER_CATEGORY.get(self.kind)


EVENT_COLUMNS = (
    "id",
    "status",
    "kind",
    "modality",
    "summary",
    "description",
    "date",
    "date_precision",
    "date_text",
    "end_date",
    "has_dispute",
    "source_count",
    "first_report_at",
    "latest_report_at",
    "published_at",
    "updated_at",
    "place_id",
    "place__slug",
    "place__name",
    "place__country_code",
    "place__latitude",
    "place__longitude",
    "round_id",
    "round__sequence",
    "round__name",
    "issue_id",
    "issue__slug",
    "issue__title",
)
DATE, ID = EVENT_COLUMNS.index("date"), EVENT_COLUMNS.index("id")
ACTOR = ("id", "name", "slug", "kind", "status")
PARTICIPANT_COLUMNS = ("event_id", "role", *(f"actor__{name}" for name in ACTOR))
CITATION_COLUMNS = (
    "event_id",
    "id",
    "quote",
    "speaker_description",
    "attribution",
    "stance",
    "article_id",
    "article__title",
    "article__url",
    "article__canonical_url",
    "article__published_at",
    "article__outlet_id",
    "article__outlet__slug",
    "article__outlet__name",
    "article__outlet__domain",
    "article__outlet__description",
    "article__outlet__country_code",
    *(f"speaker__{name}" for name in ACTOR),
    *(f"speaker_side__{name}" for name in ACTOR),
)


def _actor(values: tuple[Any, ...], cache: dict[int, ActorValues]) -> ActorValues | None:
    if values[0] is None:
        return None
    actor = cache.get(values[0])
    if actor is None:
        actor = cache[values[0]] = ActorValues(*values)
    return actor


def _event(negotiation: Negotiation, row: tuple[Any, ...]) -> EventValues:
    (pk, status, kind, modality, summary, description, day, precision, words, end) = row[:10]
    (disputed, count, first, latest, published, updated) = row[10:16]
    place_id, place_slug, place_name, country, latitude, longitude = row[16:22]
    round_id, sequence, round_name, issue_id, issue_slug, issue_title = row[22:28]
    return EventValues(
        pk,
        negotiation,
        status,
        kind,
        modality,
        summary,
        description,
        day,
        precision,
        words,
        end,
        (
            PlaceValues(place_id, place_slug, place_name, country, latitude, longitude)
            if place_id is not None
            else None
        ),
        RoundValues(round_id, sequence, round_name) if round_id is not None else None,
        IssueValues(issue_id, issue_slug, issue_title) if issue_id is not None else None,
        disputed,
        count,
        first,
        latest,
        published,
        updated,
    )


def load_details(events: list[EventValues]) -> list[EventValues]:
    """Each event's participants and citations, in the orders of the timeline's prefetches
    (participants by role and name, citations by their report's date)."""
    by_id = {event.id: event for event in events}
    if not by_id:
        return events
    actors: dict[int, ActorValues] = {}
    for row in (
        EventParticipant.objects.filter(event_id__in=by_id)
        .order_by("role", "actor__name")
        .values_list(*PARTICIPANT_COLUMNS)
    ):
        actor = _actor(row[2:7], actors)
        assert actor is not None  # a participant's actor is required
        by_id[row[0]].participants.append(ParticipantValues(actor, row[1]))
    outlets: dict[int, OutletValues] = {}
    for row in (
        Citation.objects.filter(event_id__in=by_id)
        .order_by("article__published_at", "start", "id")
        .values_list(*CITATION_COLUMNS)
    ):
        (event_id, pk, quote, description, attribution, stance) = row[:6]
        (article_id, title, url, canonical_url, published_at, outlet_id) = row[6:12]
        outlet = None
        if outlet_id is not None:
            outlet = outlets.get(outlet_id)
            if outlet is None:
                outlet = outlets[outlet_id] = OutletValues(*row[12:17])
        speaker = _actor(row[17:22], actors)
        by_id[event_id].citations.append(
            CitationValues(
                id=pk,
                article_id=article_id,
                article=ArticleValues(article_id, title, url, canonical_url, outlet, published_at),
                quote=quote,
                speaker_id=speaker.pk if speaker is not None else None,
                speaker=speaker,
                speaker_description=description,
                speaker_side=_actor(row[22:27], actors),
                attribution=attribution,
                stance=stance,
            )
        )
    return events


def event_value_chunks(
    negotiation: Negotiation, events: QuerySet[Event], size: int, *, details: bool = True
) -> Iterator[list[EventValues]]:
    """``events`` in timeline order (date, undated last, then id), ``size`` at a time, each
    with its participants and citations unless ``details`` is False (the calendar shows
    neither): a keyset page per chunk (no cursor held open, no OFFSET), so memory holds one
    chunk whatever the size of the timeline."""
    rows = events.prefetch_related(None).values_list(*EVENT_COLUMNS)
    position = None
    while True:
        chunk = keyset_slice(rows, ("date", "id"), position, limit=size, nullable_first=True)
        if not chunk:
            return
        found = [_event(negotiation, row) for row in chunk]
        yield load_details(found) if details else found
        if len(chunk) < size:
            return
        position = [chunk[-1][DATE], chunk[-1][ID]]
