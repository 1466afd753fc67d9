from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
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
    Place,
    Position,
    ReviewStatus,
)

from .errors import DomainError
from .issues import issue_publish_for

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
    # So are the issue and the venue it names.
    issue_publish_for(event.issue_id)
    place_publish_for(event.place_id)
    return event


def place_publish_for(place_id: int | None) -> None:
    """Publish the candidate place a published event or round needs (nothing otherwise)."""
    if place_id is None:
        return
    place = (
        Place.objects.select_for_update(no_key=True)
        .filter(pk=place_id, status=ReviewStatus.CANDIDATE)
        .first()
    )
    if place is not None:
        place.status = ReviewStatus.PUBLISHED
        place.save(update_fields=["status", "updated_at"])


# Written as the change reason of an edit made on a review card, so the history says where.
CARD_EDIT = "edited on the review card"
CARD_FIELDS = ("summary", "kind", "date", "date_precision")


@transaction.atomic
def event_revise(
    event: Event, *, drop_participants: Iterable[int] = (), **changes: object
) -> Event:
    """Correct a candidate before it is published (headline, kind, date, precision) and drop
    the participants the extractor named wrongly (EventParticipant ids)."""
    event = _locked(event)
    if event.status != ReviewStatus.CANDIDATE:
        raise DomainError("Only a candidate can be corrected on its card; edit the event instead.")
    unknown = set(changes) - set(CARD_FIELDS)
    if unknown:
        raise DomainError(f"These cannot be changed on a card: {', '.join(sorted(unknown))}.")
    changed = [name for name, value in changes.items() if getattr(event, name) != value]
    if "summary" in changes and not str(changes["summary"]).strip():
        raise DomainError("The headline cannot be empty.")
    for name in changed:
        setattr(event, name, changes[name])
    if "date" in changed and event.date is None:
        event.date_precision = "unknown"
    if changed:
        event._change_reason = CARD_EDIT  # type: ignore[attr-defined]
        try:
            event.full_clean(exclude=["negotiation", "place", "round", "issue", "merged_into"])
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages)) from exc
        event.save()
    dropped = list(
        EventParticipant.objects.filter(event=event, pk__in=list(drop_participants)).order_by("pk")
    )
    for participant in dropped:
        participant.delete()
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


# The fields a merge fills on the kept event when it has none of its own.
MERGE_FILLS = ("date", "place_id", "round_id", "issue_id", "negotiation_id")


@dataclass
class MergeGains:
    """What the kept event would gain from a merge: the editor sees it and may untick any."""

    participants: list[EventParticipant]
    citations: list[Citation]
    fields: list[tuple[str, str, object]]  # (field, label, the source's value)


def event_merge_gains(source: Event, target: Event) -> MergeGains:
    """The participants, citations and empty fields ``event_merge`` would bring to ``target``."""
    present = set(EventParticipant.objects.filter(event=target).values_list("actor_id", "role"))
    participants = [
        p
        for p in EventParticipant.objects.filter(event=source)
        .select_related("actor")
        .order_by("role", "actor__name")
        if (p.actor_id, p.role) not in present
    ]
    citations = list(
        Citation.objects.filter(event=source)
        .select_related("article__outlet", "speaker")
        .order_by("article_id", "start")
    )
    fields: list[tuple[str, str, object]] = []
    for field in MERGE_FILLS:
        value = getattr(source, field)
        if getattr(target, field) is None and value is not None:
            name = field.removesuffix("_id")
            shown = getattr(source, name) if field.endswith("_id") else value
            label = str(getattr(Event._meta.get_field(name), "verbose_name", name))
            fields.append((field, label, shown))
    return MergeGains(participants=participants, citations=citations, fields=fields)


@transaction.atomic
def event_merge(
    source: Event,
    target: Event,
    *,
    participants: Iterable[int] | None = None,
    citations: Iterable[int] | None = None,
    fields: Iterable[str] | None = None,
) -> Event:
    """Fold ``source`` into ``target``: its citations and participants move, it becomes a tombstone.

    ``participants`` (EventParticipant ids), ``citations`` (Citation ids) and ``fields`` (of
    ``MERGE_FILLS``) limit what moves to what the editor kept ticked; None moves everything.
    What stays behind remains on the tombstone, for the record.
    """
    keep_participants = None if participants is None else set(participants)
    keep_citations = None if citations is None else set(citations)
    keep_fields = set(MERGE_FILLS) if fields is None else set(fields)
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
    moving_participants = (
        EventParticipant.objects.select_for_update(no_key=True).filter(event=source).order_by("pk")
    )
    for participant in moving_participants:
        if keep_participants is not None and participant.pk not in keep_participants:
            continue
        EventParticipant.objects.get_or_create(
            event=target, actor_id=participant.actor_id, role=participant.role
        )
        participant.delete()
    moving_citations = (
        Citation.objects.select_for_update(no_key=True).filter(event=source).order_by("pk")
    )
    for citation in moving_citations:
        if keep_citations is not None and citation.pk not in keep_citations:
            continue
        citation.event = target
        citation.save(update_fields=["event", "updated_at"])
    # Events that were merged into the source follow it, so no tombstone points at a tombstone.
    for earlier in Event.objects.filter(merged_into=source):
        earlier.merged_into = target
        earlier.save(update_fields=["merged_into", "updated_at"])
    for field in MERGE_FILLS:
        if field not in keep_fields and field != "negotiation_id":
            continue
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
