"""The timeline's change stamp (``Negotiation.content_version``), moved by every write that
changes what a negotiation's timeline, its exports or its activity chart show.

Every service (publish, retract, merge, cite, actor merge, the extractor's citations of a
published event) and every admin form writes through the models' ``save()`` and
``delete()``; the receivers below move the stamp in that same transaction, so a reader that
sees the new rows sees the new stamp, and no write path (including ones added later) can
forget it. Candidates the public never sees do not move it: their edits must not show as new
Last-Modified times. Bulk ``QuerySet.update()`` bypasses this: the services do not use it on
these models (they save row by row for the edit history anyway), and ``generate_synthetic``
moves the stamp itself. Each move also replaces the generation of the API pages kept by
address (tracker.kept_responses.pages_changed), now and at commit.

Which negotiations a row concerns is one or two indexed lookups; for an actor, place,
article or outlet it is an EXISTS per negotiation (tens of rows), not a scan of its events.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone

from timeline.models import (
    Actor,
    Article,
    Citation,
    Event,
    EventParticipant,
    Issue,
    Negotiation,
    Outlet,
    Participation,
    Place,
    ReviewStatus,
    Round,
)
from tracker.kept_responses import pages_changed


def timeline_changed(negotiation_ids: Iterable[int | None]) -> None:
    """Move the stamp of these negotiations: one UPDATE, which also locks the rows until the
    writer commits (last in every service's lock order: events, actors, positions, link
    rows, then negotiations)."""
    ids = sorted({pk for pk in negotiation_ids if pk is not None})
    if ids:
        Negotiation.objects.filter(pk__in=ids).update(
            content_version=F("content_version") + 1, content_changed_at=timezone.now()
        )
        pages_changed()


def shown(status: str, published_at: Any) -> bool:
    """Whether the public sees or saw an event (a tombstone is in the change feed)."""
    return status in ReviewStatus.PUBLIC or published_at is not None


def _shown_events() -> Q:
    return Q(status__in=ReviewStatus.PUBLIC) | Q(published_at__isnull=False)


def _negotiations_where(events: Q) -> set[int]:
    """Negotiations with a shown event matching ``events`` (an EXISTS per negotiation)."""
    matching = Event.objects.filter(_shown_events(), events, negotiation=OuterRef("pk"))
    return set(Negotiation.objects.filter(Exists(matching)).values_list("pk", flat=True))


def _event_negotiations(event: Event | None) -> set[int]:
    if event is None or event.negotiation_id is None:
        return set()
    return {event.negotiation_id} if shown(event.status, event.published_at) else set()


def _cached_event(row: Citation | EventParticipant) -> Event | None:
    # The services pass the event object (cached on the row); otherwise one indexed lookup.
    if row.event_id is None:
        return None
    cached = row._state.fields_cache.get("event")
    if cached is not None:
        return cached
    return (
        Event.objects.filter(pk=row.event_id)
        .only("negotiation_id", "status", "published_at")
        .first()
    )


def negotiations_showing(obj: models.Model) -> set[int]:
    """The negotiations whose timeline (or its exports) shows ``obj`` now."""
    if isinstance(obj, Negotiation):
        return set()  # its own edits move updated_at, which the stamp includes
    if isinstance(obj, Event):
        return _event_negotiations(obj)
    if isinstance(obj, Citation | EventParticipant):
        return _event_negotiations(_cached_event(obj))
    if isinstance(obj, Round | Issue | Participation):
        return {obj.negotiation_id}
    if isinstance(obj, Actor):
        ids = set(Participation.objects.filter(actor=obj).values_list("negotiation_id", flat=True))
        return ids | _negotiations_where(
            Q(Exists(EventParticipant.objects.filter(event=OuterRef("pk"), actor=obj)))
            | Q(
                Exists(
                    Citation.objects.filter(event=OuterRef("pk")).filter(
                        Q(speaker=obj) | Q(speaker_side=obj)
                    )
                )
            )
        )
    if isinstance(obj, Place):
        venues = set(Round.objects.filter(venue=obj).values_list("negotiation_id", flat=True))
        return venues | _negotiations_where(Q(place=obj))
    if isinstance(obj, Article):
        return _negotiations_where(
            Q(Exists(Citation.objects.filter(event=OuterRef("pk"), article=obj)))
        )
    if isinstance(obj, Outlet):
        return _negotiations_where(
            Q(Exists(Citation.objects.filter(event=OuterRef("pk"), article__outlet=obj)))
        )
    return set()


WATCHED = (
    Event,
    Citation,
    EventParticipant,
    Round,
    Issue,
    Participation,
    Actor,
    Place,
    Article,
    Outlet,
)


def _after_save(
    sender: type, instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return  # loaddata
    if created and isinstance(instance, Actor | Place | Article | Outlet):
        return  # nothing refers to a new row yet (and ingestion inserts one per report)
    ids = negotiations_showing(instance)
    if isinstance(instance, Event):
        # An event moved to another negotiation, or published/retracted: the one it was in,
        # as loaded, changes too.
        before = getattr(instance, "_loaded_state", None)
        if before is not None and shown(before[1], before[2]):
            ids.add(before[0])
        instance._loaded_state = (  # type: ignore[attr-defined]
            instance.negotiation_id,
            instance.status,
            instance.published_at,
        )
    timeline_changed(ids)
    if isinstance(instance, Actor):
        # Its slug or status decides whether a party= filter is refused, which pages kept by
        # address skip checking, even when no timeline shows the actor.
        pages_changed()


def _negotiation_changed(sender: type, instance: Negotiation, **kwargs: Any) -> None:
    # Its own edits move updated_at, part of the stamp; a new slug or a deletion changes
    # which addresses answer at all.
    if not kwargs.get("raw"):
        pages_changed()


def _before_delete(sender: type, instance: models.Model, **kwargs: Any) -> None:
    # Read before the row goes (and before SET NULL clears the events that named it).
    instance._stamp_negotiations = negotiations_showing(instance)  # type: ignore[attr-defined]


def _after_delete(sender: type, instance: models.Model, **kwargs: Any) -> None:
    timeline_changed(getattr(instance, "_stamp_negotiations", set()))
    if isinstance(instance, Actor):
        pages_changed()


def connect() -> None:
    for model in WATCHED:
        uid = f"timeline.stamp.{model.__name__}"
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
    post_save.connect(_negotiation_changed, sender=Negotiation, dispatch_uid="timeline.stamp.N")
    post_delete.connect(_negotiation_changed, sender=Negotiation, dispatch_uid="timeline.stamp.N")
