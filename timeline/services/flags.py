"""``Event.has_dispute``: whether any citation disputes the event, kept as a column.

Every citation write (``citation_create``, ``event_merge`` moving citations, the extractor,
the admin's forms) goes through ``save()``/``delete()``; the receivers below re-derive the
flag of the events concerned in that same transaction, with one UPDATE over the partial index
of disputing citations. Readers then filter and show "disputed" without touching citations.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save

from timeline.models import Citation, CitationStance, Event


def events_flag_disputes(event_ids: Iterable[int | None]) -> None:
    ids = {pk for pk in event_ids if pk is not None}
    if ids:
        Event.objects.filter(pk__in=ids).update(
            has_dispute=Exists(Citation.objects.disputing().filter(event=OuterRef("pk")))
        )


def _after_save(sender: type, instance: Citation, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    before_event, before_stance = getattr(instance, "_loaded_event", (None, None))
    disputes = CitationStance.DISPUTES
    if instance.stance == disputes or before_stance == disputes:
        events_flag_disputes([instance.event_id, before_event])
    instance._loaded_event = (instance.event_id, instance.stance)  # type: ignore[attr-defined]


def _after_delete(sender: type, instance: Citation, **kwargs: Any) -> None:
    if instance.stance == CitationStance.DISPUTES:
        events_flag_disputes([instance.event_id])


def connect() -> None:
    post_save.connect(_after_save, sender=Citation, dispatch_uid="timeline.flags.save")
    post_delete.connect(_after_delete, sender=Citation, dispatch_uid="timeline.flags.delete")
