"""The editors' desk (the admin's home): what waits for review and what ingestion did."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from timeline.models import (
    Actor,
    Citation,
    Event,
    Ingestion,
    Issue,
    Position,
    ReviewStatus,
)


@dataclass
class DeskSummary:
    events_waiting: int
    positions_waiting: int
    citations_waiting: int
    issues_waiting: int
    actors_waiting: int
    recent: list[Ingestion]
    failed: list[Ingestion]
    failed_total: int


def desk_summary(limit: int = 8) -> DeskSummary:
    """Counts of every queue and the latest jobs, each latest ingestion with the candidate
    events its report still has waiting (a fixed number of queries)."""
    candidate = ReviewStatus.CANDIDATE
    waiting_events = Count(
        "article__extracted_events", filter=Q(article__extracted_events__status=candidate)
    )
    recent = list(
        Ingestion.objects.select_related("article")
        .annotate(candidates=waiting_events)
        .order_by("-created_at", "-id")[:limit]
    )
    failed_jobs = Ingestion.objects.filter(status=Ingestion.Status.FAILED)
    return DeskSummary(
        events_waiting=Event.objects.filter(status=candidate).count(),
        positions_waiting=Position.objects.filter(status=candidate).count(),
        citations_waiting=Citation.objects.filter(
            Q(event__status=candidate) | Q(position__status=candidate)
        ).count(),
        issues_waiting=Issue.objects.filter(status=candidate).count(),
        actors_waiting=Actor.objects.filter(status=candidate).count(),
        recent=recent,
        failed=list(failed_jobs.order_by("-updated_at", "-id")[:limit]),
        failed_total=failed_jobs.count(),
    )
