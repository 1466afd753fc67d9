from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from timeline.models import Actor, Position, ReviewStatus

from .errors import DomainError
from .issues import issue_publish_for


@transaction.atomic
def position_publish(position: Position) -> Position:
    """Publish a stance; if it is the newest for its party and issue, it supersedes the current one.

    A stance dated before the current one is history filled in late: it is published into the
    ledger but does not become current.
    """
    party, position = _lock_party_and_position(position)
    if position.status == ReviewStatus.PUBLISHED:
        return position
    if position.status not in (*ReviewStatus.OPEN_FOR_REVIEW, ReviewStatus.REJECTED):
        raise DomainError(
            f"A {position.get_status_display().lower()} position cannot be published."
        )
    # Under the party's lock no other publish for this party runs, so this is the current
    # stance and stays so until we commit.
    current = (
        Position.objects.select_for_update(no_key=True)
        .filter(issue_id=position.issue_id, party_id=position.party_id, is_current=True)
        .first()
    )
    newer = position.would_supersede(current)
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
    if party.status == ReviewStatus.CANDIDATE:
        party.status = ReviewStatus.PUBLISHED
        party.save(update_fields=["status", "updated_at"])
    issue_publish_for(position.issue_id)
    position.party = party
    return position


def _lock_party_and_position(position: Position) -> tuple[Actor, Position]:
    """Lock the party, then the position (the order ``actor_merge`` uses).

    The party's row is the lock that serialises every publish for that party: locking only
    the current stance is not enough, since two publishes would both wait on it, and the
    second, finding it no longer current once the first commits, would make a second current
    stance (an IntegrityError). A merge may move the position to another party between
    reading its party and locking it; then the new party is locked instead.
    """
    for _attempt in range(3):
        party_id = Position.objects.filter(pk=position.pk).values_list("party_id", flat=True)
        party = Actor.objects.select_for_update(no_key=True).filter(pk__in=party_id).first()
        locked = Position.objects.select_for_update(no_key=True).filter(pk=position.pk).first()
        if locked is None or party is None:
            raise DomainError("This position was deleted meanwhile.")
        if locked.party_id == party.pk:
            return party, locked
    raise DomainError("This position's party keeps changing (actors being merged); try again.")


@transaction.atomic
def position_reject(position: Position) -> Position:
    position = Position.objects.select_for_update(no_key=True).get(pk=position.pk)
    if position.status != ReviewStatus.CANDIDATE:
        raise DomainError("Only candidate positions can be rejected.")
    position.status = ReviewStatus.REJECTED
    position.updated_at = timezone.now()
    position.save()
    return position
