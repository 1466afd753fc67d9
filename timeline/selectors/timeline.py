"""The published timeline of a negotiation, now or as it was known on a given day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from timeline.models import (
    Article,
    Citation,
    CitationStance,
    Event,
    EventParticipant,
    Negotiation,
)
from timeline.models.events import EventQuerySet


@dataclass(frozen=True)
class TimelineFilters:
    parties: list[str] = field(default_factory=list)  # actor slugs
    kinds: list[str] = field(default_factory=list)
    issue: str | None = None  # issue slug
    round: int | None = None  # round sequence
    modality: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    disputed: bool | None = None


def _end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)


def _citation_prefetch(cutoff: dt.datetime | None) -> Prefetch:
    citations = Citation.objects.select_related(
        "article__outlet", "speaker", "speaker_side"
    ).order_by("article__published_at", "start", "id")
    if cutoff is not None:
        citations = citations.filter(
            Q(article__published_at__lte=cutoff)
            | Q(article__published_at__isnull=True, article__first_seen_at__lte=cutoff)
        )
    return Prefetch("citations", queryset=citations)


def _participant_prefetch() -> Prefetch:
    return Prefetch(
        "participants",
        queryset=EventParticipant.objects.select_related("actor").order_by("role", "actor__name"),
    )


def _apply_filters(events: EventQuerySet, filters: TimelineFilters) -> EventQuerySet:
    if filters.parties:
        events = events.filter(
            Exists(
                EventParticipant.objects.filter(
                    event=OuterRef("pk"), actor__slug__in=filters.parties
                )
            )
        )
    if filters.kinds:
        events = events.filter(kind__in=filters.kinds)
    if filters.issue:
        events = events.filter(issue__slug=filters.issue)
    if filters.round is not None:
        events = events.filter(round__sequence=filters.round)
    if filters.modality:
        events = events.filter(modality=filters.modality)
    if filters.date_from:
        events = events.filter(Q(date__gte=filters.date_from) | Q(end_date__gte=filters.date_from))
    if filters.date_to:
        events = events.filter(date__lte=filters.date_to)
    if filters.disputed is not None:
        # The queryset carries ``is_disputed`` from with_disputed(): filter on it rather than
        # evaluating a second, identical EXISTS subquery.
        events = events.filter(Q(is_disputed=filters.disputed))
    return events


def timeline_for_negotiation(
    negotiation: Negotiation, filters: TimelineFilters | None = None
) -> QuerySet[Event]:
    """Published events of ``negotiation`` in time order, with everything a timeline shows.

    A queryset, so the API can cursor-paginate it; evaluating it costs a fixed number of
    queries whatever the number of events (events, participants, citations).
    """
    events = (
        Event.objects.published()
        .for_negotiation(negotiation)
        .with_disputed()
        .select_related("place", "round", "issue")
        .prefetch_related(_participant_prefetch(), _citation_prefetch(None))
    )
    return _apply_filters(events, filters or TimelineFilters()).in_timeline_order()


def negotiation_timeline(
    negotiation: Negotiation,
    *,
    as_of: dt.date | None = None,
    filters: TimelineFilters | None = None,
) -> list[Event]:
    """The timeline as a list; with ``as_of``, as it was known at the end of that day (UTC).

    "As known on D" means what the reports published up to the end of D said, as curated now:
    today's published events that some report published by then mentioned, with only those
    reports' citations (so "disputed" counts only the denials printed by then). When an
    editor got round to publishing an event does not matter: an event from a 23 May report
    is in the timeline as known on 30 June even if it was published in July. Events first
    reported later are left out even if they happened earlier.
    """
    if as_of is None:
        return list(timeline_for_negotiation(negotiation, filters))
    cutoff = _end_of_day(as_of)
    reported_articles = Article.objects.filter(pk=OuterRef("article_id")).reported_by(cutoff)
    reported = Citation.objects.filter(event_id=OuterRef("id")).filter(Exists(reported_articles))
    disputed = Citation.objects.filter(
        event_id=OuterRef("id"), stance=CitationStance.DISPUTES
    ).filter(Exists(reported_articles))
    events = list(
        Event.objects.published()
        .for_negotiation(negotiation)
        .filter(Exists(reported))
        .annotate(is_disputed=Exists(disputed))
        .select_related("place", "round", "issue")
        .prefetch_related(_participant_prefetch(), _citation_prefetch(cutoff))
    )
    events = _filter_in_memory(events, filters or TimelineFilters())
    events.sort(key=lambda e: (e.date is None, e.date or dt.date.min, e.pk))
    return events


def _filter_in_memory(events: list[Event], filters: TimelineFilters) -> list[Event]:
    """Filters for historical snapshots, which are not a queryset of Event."""

    def keep(event: Event) -> bool:
        if filters.parties and not any(
            p.actor.slug in filters.parties for p in event.participants.all()
        ):
            return False
        if filters.kinds and event.kind not in filters.kinds:
            return False
        if filters.issue and (event.issue is None or event.issue.slug != filters.issue):
            return False
        if filters.round is not None and (
            event.round is None or event.round.sequence != filters.round
        ):
            return False
        if filters.modality and event.modality != filters.modality:
            return False
        if filters.date_from and (
            event.date is None or (event.end_date or event.date) < filters.date_from
        ):
            return False
        if filters.date_to and (event.date is None or event.date > filters.date_to):
            return False
        return filters.disputed is None or getattr(event, "is_disputed", False) == filters.disputed

    return [event for event in events if keep(event)]
