"""The event, actor and round pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.query import prefetch_related_objects
from django.http import Http404

from timeline.models import (
    Actor,
    AttributionType,
    Citation,
    Delegation,
    DelegationMember,
    Event,
    EventParticipant,
    Negotiation,
    Participation,
    Position,
    ReviewStatus,
    Round,
    visible_actor_q,
)

from .event_rows import (
    EVENT_COLUMNS,
    EventRow,
    TimelineEntry,
    rows_of_events,
    timeline_entry,
    timeline_events_for_rows,
)
from .keyset import keyset_slice
from .timeline import UNSHOWN_ARTICLE_FIELDS, TimelineFilters


def _citations_for_reader() -> QuerySet[Citation]:
    return (
        Citation.objects.select_related("article__outlet", "speaker", "speaker_side")
        .defer(*UNSHOWN_ARTICLE_FIELDS)
        .order_by("article__published_at", "start", "id")
    )


def event_detail(negotiation: Negotiation, pk: int) -> TimelineEntry:
    """One published event with participants and sources (3 queries), or 404."""
    event = (
        Event.objects.published()
        .for_negotiation(negotiation)
        .with_disputed()
        .with_first_reported()
        .select_related("place", "round__venue", "issue")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=EventParticipant.objects.filter(visible_actor_q("actor"))
                .select_related("actor")
                .order_by("role", "actor__name"),
            ),
            Prefetch("citations", queryset=_citations_for_reader()),
        )
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404("No published event with that number in this negotiation.")
    return timeline_entry(event)


def _once_per_span(citations) -> list[Citation]:
    """One citation per quoted span: the same words cited by an event and by a stance are
    shown once."""
    seen: set[tuple[int, int, int]] = set()
    kept = []
    for citation in citations:
        key = (citation.article_id, citation.start, citation.end)
        if key not in seen:
            seen.add(key)
            kept.append(citation)
    return kept


@dataclass
class ActorPage:
    actor: Actor
    aliases: list[str]
    members: list[Actor]
    participations: list[Participation]
    events: list[Event]
    quotes: list[Citation]
    positions: list[Position]
    # Set when the address asked for is a merged actor's: the page of the one that stayed.
    merged_from: str = ""


ACTOR_PAGE_LIMIT = 100
ROUND_PAGE_LIMIT = 200


def actor_page(slug: str) -> ActorPage:
    """An actor with role, affiliation, aliases, events and quotes (a fixed number of queries:
    three reads of its quotes, one per way of speaking for it), or 404.

    A merged actor's old address shows the actor it was merged into, so shared links keep
    working.
    """
    actor = (
        Actor.objects.filter(slug=slug, status__in=(*ReviewStatus.PUBLIC, ReviewStatus.MERGED))
        .select_related("affiliation", "merged_into")
        .first()
    )
    if actor is None:
        raise Http404("No actor with that address.")
    merged_from = ""
    if actor.status == ReviewStatus.MERGED:
        survivor = actor.merged_into
        while survivor is not None and survivor.status == ReviewStatus.MERGED:
            survivor = survivor.merged_into
        if survivor is None or survivor.status != ReviewStatus.PUBLISHED:
            raise Http404("No actor with that address.")
        merged_from = actor.slug
        actor = Actor.objects.select_related("affiliation").get(pk=survivor.pk)
    aliases = list(actor.aliases.order_by("name").values_list("name", flat=True))
    members = list(actor.members.visible().order_by("name"))
    participations = list(
        actor.participations.select_related("negotiation").order_by("negotiation__title")
    )
    people = [actor.pk] + [m.pk for m in members]
    # EXISTS rather than a join with DISTINCT, which sorted every event of the actor before
    # keeping 100; this walks the (date, id) index newest first and stops at 100.
    takes_part = EventParticipant.objects.filter(event=OuterRef("pk"), actor_id__in=people)
    events = list(
        Event.objects.published()
        .filter(Exists(takes_part))
        .with_disputed()
        .select_related("negotiation", "place")
        .order_by("-date", "-id")[:ACTOR_PAGE_LIMIT]
    )
    # Its own words and its people's: members by affiliation, its delegations' members, and
    # its unnamed officials ("a senior Hamas official"). The report's own narration about
    # someone is the outlet's, never a quote of theirs.
    delegates = DelegationMember.objects.filter(delegation__actor=actor).values("person_id")
    spoken = _citations_for_reader().exclude(attribution=AttributionType.OUTLET).order_by("-id")
    # One bounded read per way of speaking for the actor, each walking its own index newest
    # citation first, then merged and put in the reports' order. (An OR of the three, or a
    # status test in SQL, made the planner read the whole citation or event table; the
    # status is checked on the rows read, of which a few more than a page are taken.)
    read: dict[int, Citation] = {}
    for speaking in (
        Q(speaker_id__in=people),
        Q(speaker_id__in=delegates),
        Q(speaker_side=actor),
    ):
        read.update((c.pk, c) for c in spoken.filter(speaking)[: 2 * ACTOR_PAGE_LIMIT])
    # Loaded by primary key for the rows read (a join let the planner hash the event table).
    prefetch_related_objects(
        list(read.values()), "event__negotiation", "position__issue__negotiation"
    )
    found = [
        c
        for c in read.values()
        if (c.event is not None and c.event.status == ReviewStatus.PUBLISHED)
        or (c.position is not None and c.position.status == ReviewStatus.PUBLISHED)
    ]
    newest = sorted(
        found,
        key=lambda c: (c.article.published_at is not None, c.article.published_at, c.pk),
        reverse=True,
    )
    quotes = _once_per_span(newest[:ACTOR_PAGE_LIMIT])
    positions = list(
        Position.objects.current()
        .filter(party=actor)
        .select_related("issue__negotiation")
        .order_by("issue__negotiation__title", "issue__order", "issue__title")
    )
    return ActorPage(
        actor=actor,
        aliases=aliases,
        members=members,
        participations=participations,
        events=events,
        quotes=quotes,
        positions=positions,
        merged_from=merged_from,
    )


@dataclass
class RoundPage:
    round: Round
    delegations: list[Delegation]
    entries: list[EventRow]
    more: bool = False  # more events than the page shows


def round_page(negotiation: Negotiation, sequence: int) -> RoundPage:
    """A round with venue, dates, delegations and its events (6 queries), or 404."""
    round_ = (
        Round.objects.filter(negotiation=negotiation, sequence=sequence)
        .select_related("venue")
        .first()
    )
    if round_ is None:
        raise Http404("No round with that number in this negotiation.")
    delegations = list(
        round_.delegations.filter(visible_actor_q("actor"))
        .select_related("actor", "head")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=DelegationMember.objects.filter(visible_actor_q("person"))
                .select_related("person")
                .order_by("person__name"),
            )
        )
        .order_by("actor__name")
    )
    for delegation in delegations:
        if delegation.head is not None and not delegation.head.is_visible:
            delegation.head = None  # the readers' copy only; never saved
    # Bounded: a round of a long process can hold thousands of events; the rest are on the
    # timeline filtered by the round (``more``).
    events = timeline_events_for_rows(negotiation, TimelineFilters(round=sequence))
    window = keyset_slice(
        events.values_list(*EVENT_COLUMNS),
        ("date", "id"),
        None,
        limit=ROUND_PAGE_LIMIT + 1,
        nullable_first=True,
    )
    rows = rows_of_events(events, window[:ROUND_PAGE_LIMIT])
    return RoundPage(
        round=round_, delegations=delegations, entries=rows, more=len(window) > ROUND_PAGE_LIMIT
    )
