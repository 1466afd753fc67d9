"""Reads behind the public API's lists and details, each with its joins and prefetches applied.

Every function returns something whose evaluation costs a fixed number of queries whatever the
number of rows, so the list endpoints stay flat (the API tests pin the counts).

Public reads show the published record only: candidate events and positions, and the candidate
actors the extractor links from published rows (participants, speakers, delegation members,
parties of a stance), are left out here where a whole row goes, and by the API's serializers
where a single reference is blanked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.query import prefetch_related_objects

from timeline.models import (
    Actor,
    Article,
    Citation,
    Delegation,
    DelegationMember,
    Event,
    EventKind,
    EventParticipant,
    Ingestion,
    Issue,
    Modality,
    Negotiation,
    Participation,
    Position,
    ReviewStatus,
    Round,
)
from timeline.models.events import EventQuerySet
from timeline.models.negotiations import PositionQuerySet

from .search import event_matches, search_matches
from .timeline import (
    UNSHOWN_ARTICLE_FIELDS,
    TimelineFilters,
    events_reported_by,
    timeline_for_negotiation,
    with_details_as_of,
)


# --- negotiations ---------------------------------------------------------------------------
def _participations() -> Prefetch:
    return Prefetch(
        "participations",
        queryset=Participation.objects.filter(actor__status=ReviewStatus.PUBLISHED)
        .select_related("actor")
        .order_by("role", "actor__name"),
    )


def negotiation_list() -> QuerySet[Negotiation]:
    return Negotiation.objects.prefetch_related(_participations())


def _detail_prefetches() -> tuple[Prefetch, Prefetch, Prefetch]:
    return (
        _participations(),
        Prefetch("rounds", queryset=Round.objects.select_related("venue").order_by("sequence")),
        Prefetch("issues", queryset=Issue.objects.published().order_by("order", "title")),
    )


def negotiation_detail() -> QuerySet[Negotiation]:
    """Negotiations with their parties, mediators, rounds and issues: look one up by slug."""
    return Negotiation.objects.prefetch_related(*_detail_prefetches())


def negotiation_load_detail(negotiation: Negotiation) -> Negotiation:
    """``negotiation_detail`` for a negotiation already loaded (after a cheap 304 check)."""
    prefetch_related_objects([negotiation], *_detail_prefetches())
    return negotiation


# --- rounds, actors, issues -----------------------------------------------------------------
def round_list() -> QuerySet[Round]:
    members = (
        DelegationMember.objects.filter(person__status=ReviewStatus.PUBLISHED)
        .select_related("person")
        .order_by("person__name")
    )
    # A candidate party's delegation goes whole: it is about an actor nobody has vetted.
    delegations = (
        Delegation.objects.filter(actor__status=ReviewStatus.PUBLISHED)
        .select_related("actor", "head")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("actor__name")
    )
    return Round.objects.select_related("negotiation", "venue").prefetch_related(
        Prefetch("delegations", queryset=delegations)
    )


def actor_list() -> QuerySet[Actor]:
    return Actor.objects.published().select_related("affiliation").prefetch_related("aliases")


def issue_list() -> QuerySet[Issue]:
    """Issues with their position ledger: every published stance, per party, oldest first."""
    ledger = public_positions().ledger().select_related("party")
    return (
        Issue.objects.published()
        .select_related("negotiation")
        .prefetch_related(Prefetch("positions", queryset=ledger))
    )


# --- articles and citations -----------------------------------------------------------------
def public_positions() -> PositionQuerySet:
    """Published stances of published parties (a stance is about its party)."""
    return Position.objects.published().filter(party__status=ReviewStatus.PUBLISHED)


def _published_citations() -> Q:
    return Q(event__status=ReviewStatus.PUBLISHED) | Q(
        position__status=ReviewStatus.PUBLISHED, position__party__status=ReviewStatus.PUBLISHED
    )


def article_list(*, include_uncited: bool = False) -> QuerySet[Article]:
    """Original reports (syndicated copies nest under them).

    The public sees the reports that back published events or positions; editors see all.
    """
    articles = (
        Article.objects.originals()
        .select_related("outlet")
        .prefetch_related(
            Prefetch(
                "syndicated_copies",
                queryset=Article.objects.select_related("outlet").order_by("published_at", "id"),
            )
        )
        .defer("text", "minhash")
    )
    if not include_uncited:
        cited = Citation.objects.filter(_published_citations())
        articles = articles.filter(
            Exists(cited.filter(article=OuterRef("pk")))
            | Exists(cited.filter(article__syndication_of=OuterRef("pk")))
        )
    return articles


def citation_list() -> QuerySet[Citation]:
    return (
        Citation.objects.filter(_published_citations())
        .select_related("article__outlet", "speaker", "speaker_side")
        .defer(*UNSHOWN_ARTICLE_FIELDS)
    )


# --- events ---------------------------------------------------------------------------------
def _citations_in_reading_order(*, with_text: bool = False) -> Prefetch:
    """An event's or a position's citations as the serializers show them, report by report.
    ``with_text``: the review screens show each quote inside its report's sentence."""
    citations = Citation.objects.select_related(
        "article__outlet", "speaker", "speaker_side"
    ).order_by("article__published_at", "start", "id")
    if not with_text:
        citations = citations.defer(*UNSHOWN_ARTICLE_FIELDS)
    return Prefetch("citations", queryset=citations)


def _event_prefetches(*, with_text: bool = False) -> tuple[Prefetch, Prefetch]:
    participants = EventParticipant.objects.select_related("actor").order_by("role", "actor__name")
    return (
        Prefetch("participants", queryset=participants),
        _citations_in_reading_order(with_text=with_text),
    )


def event_list() -> QuerySet[Event]:
    return (
        Event.objects.published()
        .with_disputed()
        .select_related("negotiation", "place", "round", "issue")
        .prefetch_related(*_event_prefetches())
    )


def event_changes() -> QuerySet[Event]:
    """The change feed: published events and tombstones of events that had been published.

    A candidate that was rejected or merged before anyone saw it is nobody's business.
    """
    # ``history_date <= updated_at`` is always true of a tombstone's published row (the
    # retraction or merge saved the event after it); it is there so PostgreSQL looks the row
    # up per tombstone by the (id, history_date) index instead of hashing every published
    # history row of the database (a Seq Scan of the history at any size).
    was_published = Event.history.filter(
        id=OuterRef("pk"),
        status=ReviewStatus.PUBLISHED,
        history_date__lte=OuterRef("updated_at"),
    )
    return (
        Event.objects.filter(
            Q(status=ReviewStatus.PUBLISHED)
            | Q(status__in=ReviewStatus.TOMBSTONES)
            & (Q(published_at__isnull=False) | Exists(was_published))
        )
        .with_disputed()
        .select_related("negotiation", "place", "round", "issue", "merged_into")
        .prefetch_related(*_event_prefetches())
    )


def _events_for_editor() -> EventQuerySet:
    """Events of any status with what the review screens show, the source report too."""
    return (
        Event.objects.with_disputed()
        .select_related("negotiation", "place", "round", "issue", "source_article__outlet")
        .prefetch_related(*_event_prefetches(with_text=True))
    )


def review_queue() -> QuerySet[Event]:
    """Candidates waiting for an editor, with the report the extractor found them in: the one
    read behind the admin's queue and the API's. Oldest first per report, so a report's
    candidates sit together (the API pages it by id instead)."""
    return _events_for_editor().candidates().order_by("source_article_id", "created_at", "id")


def positions_for_editor() -> PositionQuerySet:
    """Positions of any status with what the review screens show."""
    return Position.objects.select_related(
        "issue__negotiation", "party", "source_article__outlet"
    ).prefetch_related(_citations_in_reading_order(with_text=True))


def position_review_queue() -> QuerySet[Position]:
    """Candidate stances waiting for an editor, with the quoted words that back them: the one
    read behind the admin's queue and the API's. Oldest first per report, as events are."""
    return positions_for_editor().candidates().order_by("source_article_id", "created_at", "id")


def event_for_editor(pk: int) -> Event:
    """Any event, whatever its status, with what the review screens show."""
    return _events_for_editor().get(pk=pk)


def event_search(events: QuerySet[Event], text: str) -> QuerySet[Event]:
    """Events matching ``text``, a match in the summary weighing more than one in the
    description (``timeline.selectors.search``)."""
    return event_matches(events, text)


def article_search(articles: QuerySet[Article], text: str) -> QuerySet[Article]:
    return search_matches(articles, text, "title", "text")


# --- the timeline and what is derived from it -----------------------------------------------
def timeline_events(
    negotiation: Negotiation, filters: TimelineFilters | None = None
) -> QuerySet[Event]:
    """``timeline_for_negotiation`` with the negotiation joined too (each event names it)."""
    return timeline_for_negotiation(negotiation, filters).select_related("negotiation")


def timeline_as_of(
    negotiation: Negotiation, as_of: dt.date, filters: TimelineFilters | None = None
) -> QuerySet:
    """The timeline as known on ``as_of`` (what the reports published by then said, as curated
    now), to page; ``timeline_details_as_of`` then loads one page's participants and citations."""
    return events_reported_by(negotiation, as_of, filters)


def timeline_details_as_of(
    negotiation: Negotiation, events: list[Event], as_of: dt.date
) -> list[Event]:
    events = with_details_as_of(events, as_of)
    for event in events:
        event.negotiation = negotiation
    return events


@dataclass(frozen=True)
class TimelineVersion:
    """What a negotiation's published timeline looks like, cheaply: when it last changed, and a
    fingerprint that changes whenever anything it shows does."""

    last_modified: dt.datetime
    fingerprint: str


def timeline_version(negotiation: Negotiation) -> TimelineVersion:
    """The timeline's version from the negotiation's change stamp, already loaded with the row:
    no query at all. Every service that changes what the timeline shows moves the stamp in its
    own transaction (``timeline.services.stamp``); the negotiation's own edits move
    ``updated_at``. This replaced 19 correlated aggregates over events, citations and their
    history (issue 19: 6.3 s at 1,000 events in a large database)."""
    last_modified = negotiation.timeline_changed_at or negotiation.created_at
    return TimelineVersion(last_modified=last_modified, fingerprint=negotiation.timeline_stamp)


def rounds_for_calendar(negotiation: Negotiation) -> QuerySet[Round]:
    return (
        Round.objects.filter(negotiation=negotiation)
        .filter(Q(planned_start__isnull=False) | Q(actual_start__isnull=False))
        .select_related("venue")
        .order_by("sequence")
    )


def scheduled_events(negotiation: Negotiation) -> QuerySet[Event]:
    """Published events that are appointments: scheduled talks and anything planned, dated."""
    return (
        Event.objects.published()
        .for_negotiation(negotiation)
        .filter(Q(kind=EventKind.SCHEDULED) | Q(modality=Modality.PLANNED), date__isnull=False)
        .select_related("place", "round")
        .in_timeline_order()
    )


def recently_changed_events(negotiation: Negotiation, *, limit: int = 50) -> list[Event]:
    """Published events, most recently published or changed first (the Atom feed)."""
    return list(
        Event.objects.published()
        .for_negotiation(negotiation)
        .with_disputed()
        .select_related("place", "round", "issue")
        .prefetch_related(*_event_prefetches())
        .order_by("-updated_at", "-id")[:limit]
    )


# --- ingestion ------------------------------------------------------------------------------
def ingestion_list() -> QuerySet[Ingestion]:
    return Ingestion.objects.select_related("negotiation", "article", "feed").defer(
        "payload", "article__text", "article__minhash"
    )
