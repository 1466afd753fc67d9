from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from timeline.models import Position, ReviewStatus

from .errors import DomainError


@transaction.atomic
def position_publish(position: Position) -> Position:
    """Publish a stance; if it is the newest for its party and issue, it supersedes the current one.

    A stance dated before the current one is history filled in late: it is published into the
    ledger but does not become current.
    """
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.status == ReviewStatus.PUBLISHED:
        return position
    if position.status not in (ReviewStatus.CANDIDATE, ReviewStatus.REJECTED):
        raise DomainError(
            f"A {position.get_status_display().lower()} position cannot be published."
        )
    current = (
        Position.objects.select_for_update()
        .filter(issue_id=position.issue_id, party_id=position.party_id, is_current=True)
        .first()
    )
    newer = current is None or (
        position.valid_from is None
        or current.valid_from is None
        or position.valid_from >= current.valid_from
    )
    position.status = ReviewStatus.PUBLISHED
    if newer:
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current", "updated_at"])
            position.supersedes = current
        position.is_current = True
    position.save()
    # As with events: a party the extractor proposed becomes real once an editor publishes its
    # stance, or the published stance would stay out of the public ledger.
    if position.party.status == ReviewStatus.CANDIDATE:
        position.party.status = ReviewStatus.PUBLISHED
        position.party.save(update_fields=["status", "updated_at"])
    return position


@transaction.atomic
def position_reject(position: Position) -> Position:
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.status != ReviewStatus.CANDIDATE:
        raise DomainError("Only candidate positions can be rejected.")
    position.status = ReviewStatus.REJECTED
    position.updated_at = timezone.now()
    position.save()
    return position
