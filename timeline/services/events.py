from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from timeline.models import (
    Actor,
    Article,
    AttributionType,
    Citation,
    CitationStance,
    Event,
    EventParticipant,
    Negotiation,
    Position,
    ReviewStatus,
)

from .errors import DomainError

# Lock modes: every lock here is FOR NO KEY UPDATE (``no_key=True``). These services never
# change a primary key, and the weaker lock does not block the FOR KEY SHARE that PostgreSQL
# takes on a row whenever another transaction inserts a row referencing it (a new citation
# of an event, a participant naming an actor), which would otherwise queue unrelated writes
# behind a merge and open deadlocks. Locks are taken in one order everywhere (events, then
# actors, then positions, then the link rows: participants before citations), each set by id,
# so two services never wait on each other in a circle.


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update(no_key=True).get(pk=event.pk)


@transaction.atomic
def event_publish(
    event: Event,
    *,
    negotiation: Negotiation | None = None,
    published_at: dt.datetime | None = None,
) -> Event:
    """Put a candidate (or a rejected/retracted event, on second thought) on the public timeline.

    ``published_at`` defaults to now; the demo loader passes the report's own date.
    """
    event = _locked(event)
    if event.status == ReviewStatus.MERGED:
        raise DomainError(
            f"Event {event.pk} was merged into event {event.merged_into_id}; publish that one."
        )
    if negotiation is not None:
        event.negotiation = negotiation
    if event.negotiation_id is None:
        raise DomainError("Choose the negotiation this event belongs to before publishing it.")
    if event.status != ReviewStatus.PUBLISHED:
        event.status = ReviewStatus.PUBLISHED
        event.published_at = published_at or timezone.now()
    event.save()
    # Actors the extractor proposed become real once an editor publishes an event naming them.
    # Locked, and their status read again under the lock: an actor merged meanwhile must stay
    # a tombstone, not be written back as published from a stale copy. Saved one by one so
    # the edit history says who published them.
    proposed = (
        Actor.objects.select_for_update(no_key=True)
        .filter(
            pk__in=EventParticipant.objects.filter(event=event).values("actor_id"),
            status=ReviewStatus.CANDIDATE,
        )
        .order_by("pk")
    )
    for actor in proposed:
        actor.status = ReviewStatus.PUBLISHED
        actor.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def event_reject(event: Event) -> Event:
    event = _locked(event)
    if event.status != ReviewStatus.CANDIDATE:
        raise DomainError(
            f"Only candidates can be rejected; this event is {event.get_status_display().lower()}. "
            "Retract a published event instead."
        )
    event.status = ReviewStatus.REJECTED
    event.save()
    return event


@transaction.atomic
def event_retract(event: Event) -> Event:
    """Withdraw a published event. It stays as a tombstone for API consumers who synced it."""
    event = _locked(event)
    if event.status != ReviewStatus.PUBLISHED:
        raise DomainError("Only published events can be retracted.")
    event.status = ReviewStatus.RETRACTED
    event.save()
    return event


@transaction.atomic
def event_merge(source: Event, target: Event) -> Event:
    """Fold ``source`` into ``target``: its citations and participants move, it becomes a tombstone."""
    if source.pk == target.pk:
        raise DomainError("An event cannot be merged into itself.")
    # Lock both rows in id order so two editors merging crosswise cannot deadlock.
    locked = {
        e.pk: e
        for e in Event.objects.select_for_update(no_key=True)
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if len(locked) < 2:
        raise DomainError("One of these events was deleted meanwhile.")
    source, target = locked[source.pk], locked[target.pk]
    if not target.can_receive_merge:
        raise DomainError(
            f"Cannot merge into an event that is {target.get_status_display().lower()}."
        )
    if source.status == ReviewStatus.MERGED:
        raise DomainError(
            f"Event {source.pk} was already merged into event {source.merged_into_id}."
        )
    if source.status == ReviewStatus.PUBLISHED and target.status != ReviewStatus.PUBLISHED:
        # The published event would vanish from the timeline behind an unpublished one.
        raise DomainError(
            "Cannot merge a published event into an unpublished one: merge the other way, "
            "or publish the target first."
        )
    if (
        source.negotiation_id
        and target.negotiation_id
        and (source.negotiation_id != target.negotiation_id)
    ):
        raise DomainError("These events belong to different negotiations.")
    # Row by row rather than bulk updates, so each move is in the edit history with its editor.
    # The rows are locked and read under the lock: an actor merge committed meanwhile has
    # re-pointed them, and a stale copy would bring the merged actor back onto the target
    # (and write a stale speaker into the citation's history).
    participants = (
        EventParticipant.objects.select_for_update(no_key=True).filter(event=source).order_by("pk")
    )
    for participant in participants:
        EventParticipant.objects.get_or_create(
            event=target, actor_id=participant.actor_id, role=participant.role
        )
        participant.delete()
    citations = Citation.objects.select_for_update(no_key=True).filter(event=source).order_by("pk")
    for citation in citations:
        citation.event = target
        citation.save(update_fields=["event", "updated_at"])
    # Events that were merged into the source follow it, so no tombstone points at a tombstone.
    for earlier in Event.objects.filter(merged_into=source):
        earlier.merged_into = target
        earlier.save(update_fields=["merged_into", "updated_at"])
    for field in ("date", "place_id", "round_id", "issue_id", "negotiation_id"):
        if getattr(target, field) is None and getattr(source, field) is not None:
            setattr(target, field, getattr(source, field))
            if field == "date":
                target.date_precision, target.date_text = source.date_precision, source.date_text
    target.save()
    source.status = ReviewStatus.MERGED
    source.merged_into = target
    source.save()
    return target


@transaction.atomic
def citation_create(
    *,
    article: Article,
    start: int,
    end: int,
    event: Event | None = None,
    position: Position | None = None,
    speaker: Actor | None = None,
    speaker_description: str = "",
    speaker_side: Actor | None = None,
    attribution: str = AttributionType.OUTLET,
    stance: str = CitationStance.SUPPORTS,
) -> Citation:
    """Cite ``article.text[start:end]``; the span must lie inside the text and not be empty."""
    if (event is None) == (position is None):
        raise DomainError("A citation supports exactly one event or one position.")
    if event is not None:
        # Locked so that a merge running now either has moved this event's citations already
        # (and we see the tombstone) or waits until this one is in and moves it too.
        event = _locked(event)
        if event.status == ReviewStatus.MERGED:
            raise DomainError(
                f"Event {event.pk} was merged into event {event.merged_into_id}; cite that one."
            )
    if not 0 <= start < end <= len(article.text):
        raise DomainError(
            f"The quoted span {start}:{end} is outside the article's text (length {len(article.text)})."
        )
    return Citation.objects.create(
        event=event,
        position=position,
        article=article,
        quote=article.text[start:end],
        start=start,
        end=end,
        speaker=speaker,
        speaker_description=speaker_description,
        speaker_side=speaker_side,
        attribution=attribution,
        stance=stance,
    )
