"""Curating issues: publish, hide (reject) and merge the points of contention.

The extractor names an issue after a candidate stance ("ceasefire", "format of talks"); it
starts as a candidate and goes public with the first stance or event an editor publishes on it
(``issue_publish_for``), or when an editor publishes it directly.
"""

from __future__ import annotations

from django.db import transaction

from timeline.models import Event, Issue, Position, ReviewStatus

from .errors import DomainError


def issue_publish_for(issue_id: int | None) -> None:
    """Publish the candidate issue a published stance or event needs (nothing otherwise)."""
    if issue_id is None:
        return
    issue = (
        Issue.objects.select_for_update(no_key=True)
        .filter(pk=issue_id, status=ReviewStatus.CANDIDATE)
        .first()
    )
    if issue is not None:
        issue.status = ReviewStatus.PUBLISHED
        issue.save(update_fields=["status", "updated_at"])


@transaction.atomic
def issue_publish(issue: Issue) -> Issue:
    issue = Issue.objects.select_for_update(no_key=True).get(pk=issue.pk)
    if issue.status == ReviewStatus.MERGED:
        raise DomainError(f"This issue was merged into “{issue.merged_into}”; publish that one.")
    issue.status = ReviewStatus.PUBLISHED
    issue.save()
    return issue


@transaction.atomic
def issue_reject(issue: Issue) -> Issue:
    """Hide an issue from readers; refused while published stances or events still use it."""
    issue = Issue.objects.select_for_update(no_key=True).get(pk=issue.pk)
    if issue.status == ReviewStatus.MERGED:
        raise DomainError(f"This issue was already merged into “{issue.merged_into}”.")
    in_use = (
        Position.objects.filter(issue=issue, status=ReviewStatus.PUBLISHED).count()
        + Event.objects.filter(issue=issue, status=ReviewStatus.PUBLISHED).count()
    )
    if in_use:
        raise DomainError(
            f"{in_use} published stance(s) or event(s) are about this issue: merge it into "
            "another issue instead, or retract them first."
        )
    issue.status = ReviewStatus.REJECTED
    issue.save()
    return issue


@transaction.atomic
def issue_merge(source: Issue, target: Issue) -> Issue:
    """Fold ``source`` into ``target``: its stances and events move, it becomes a tombstone.

    Where both issues hold a current stance of one party, the newer stays current (the
    target's on a tie or when either is undated), as when two actors are merged.
    """
    if source.pk == target.pk:
        raise DomainError("An issue cannot be merged into itself.")
    locked = {
        i.pk: i
        for i in Issue.objects.select_for_update(no_key=True)
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if len(locked) < 2:
        raise DomainError("One of these issues was deleted meanwhile.")
    source, target = locked[source.pk], locked[target.pk]
    if source.negotiation_id != target.negotiation_id:
        raise DomainError("These issues belong to different negotiations.")
    if not target.can_receive_merge:
        raise DomainError(f"Cannot merge into an issue that is {target.get_status_display()}.")
    if source.status == ReviewStatus.MERGED:
        raise DomainError(f"“{source}” was already merged into “{source.merged_into}”.")
    current = {
        p.party_id: p
        for p in Position.objects.select_for_update(no_key=True)
        .filter(issue=target, is_current=True)
        .order_by("pk")
    }
    moved_published = False
    for position in (
        Position.objects.select_for_update(no_key=True).filter(issue=source).order_by("pk")
    ):
        other = current.get(position.party_id)
        position.settle_current_with(other)
        moved_published |= position.status == ReviewStatus.PUBLISHED
        position.issue = target
        position.save(update_fields=["issue", "updated_at"])
    for event in Event.objects.select_for_update(no_key=True).filter(issue=source).order_by("pk"):
        moved_published |= event.status == ReviewStatus.PUBLISHED
        event.issue = target
        event.save(update_fields=["issue", "updated_at"])
    for earlier in Issue.objects.filter(merged_into=source):
        earlier.merged_into = target
        earlier.save(update_fields=["merged_into", "updated_at"])
    if moved_published and target.status == ReviewStatus.CANDIDATE:
        target.status = ReviewStatus.PUBLISHED
    if not target.description and source.description:
        target.description = source.description
    target.save()
    source.status = ReviewStatus.MERGED
    source.merged_into = target
    source.save()
    return target
