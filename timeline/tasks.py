"""Thin Celery tasks: take ids, load the row, return quietly if it is gone, call the domain.

Names match the routes and the beat schedule in ``tracker/settings.py``.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from timeline.ingestion import errors
from timeline.models import Article, Feed, Ingestion, Negotiation

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="timeline.tasks.ingestion_run", max_retries=None, acks_late=True)
def ingestion_run(self, ingestion_id: int) -> str | None:
    """Run one ingestion job; transient failures come back here after a back-off delay.

    The attempt budget lives on the row (``attempts``), not in Celery's retry counter, so a
    job re-queued by the reconciler or by an editor's "retry" keeps an honest count.
    """
    from timeline.ingestion.pipeline import ingestion_process

    outcome = ingestion_process(ingestion_id)
    if outcome is None:
        return None  # gone, or already claimed by another worker
    if outcome.retry_in is not None:
        if self.request.is_eager:
            # No broker, no countdown: retrying inline would hammer a failing site in a loop.
            # The row is pending with its reason; the reconciler picks it up later.
            return outcome.status
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="timeline.tasks.feed_poll", acks_late=True)
def feed_poll(feed_id: int) -> int | None:
    """Fetch one feed and queue an ingestion per new entry. Returns how many were queued."""
    from timeline.ingestion.feeds import feed_poll as poll

    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        return None
    return poll(feed).queued


@shared_task(name="timeline.tasks.feeds_poll_due")
def feeds_poll_due() -> int:
    """Beat, every minute: queue the feeds whose time has come (each has its own interval)."""
    from timeline.ingestion.feeds import feeds_claim_due

    feed_ids = feeds_claim_due()
    for feed_id in feed_ids:
        feed_poll.delay(feed_id)
    return len(feed_ids)


@shared_task(name="timeline.tasks.ingestions_reconcile")
def ingestions_reconcile() -> int:
    """Beat: re-queue jobs stuck in a non-final state (a worker died, a message was lost).

    Jobs that already used their attempts fail with reason ``stuck`` instead of looping.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.INGESTION_STUCK_AFTER_SECONDS)
    stuck = Ingestion.objects.unfinished().filter(updated_at__lt=cutoff)
    now = timezone.now()
    exhausted = stuck.filter(attempts__gte=settings.INGESTION_MAX_ATTEMPTS).update(
        status=Ingestion.Status.FAILED,
        reason_code=errors.STUCK,
        message=f"No progress for {settings.INGESTION_STUCK_AFTER_SECONDS} s after the last attempt.",
        finished_at=now,
        updated_at=now,
    )
    requeued = 0
    for ingestion_id, status in list(stuck.values_list("pk", "status")):
        # Conditional on the status we saw: a worker that wakes up meanwhile keeps its job.
        reset = Ingestion.objects.filter(
            pk=ingestion_id,
            status=status,
            updated_at__lt=cutoff,
            attempts__lt=settings.INGESTION_MAX_ATTEMPTS,
        ).update(status=Ingestion.Status.PENDING, updated_at=now)
        if reset:
            requeued += 1
            ingestion_run.delay(ingestion_id)
    if exhausted or requeued:
        logger.warning("Reconciler: %s stuck jobs re-queued, %s failed", requeued, exhausted)
    return requeued


@shared_task(name="timeline.tasks.article_extract", acks_late=True)
def article_extract(article_id: int, negotiation_id: int | None = None) -> dict | None:
    """Propose candidate events, quotes and positions from one article for editors to review.

    Returns the proposal summary (counts). Safe to run twice: proposing is idempotent.
    """
    article = Article.objects.filter(pk=article_id).select_related("outlet").first()
    if article is None:
        return None
    if article.syndication_of_id is not None:
        return None  # a copy of a report already analysed
    negotiation = Negotiation.objects.filter(pk=negotiation_id).first() if negotiation_id else None
    # Imported here: extraction is a separate, heavier part of the domain (gazetteers,
    # pattern tables), and ingestion-only workers need not load it.
    from timeline.services.candidates import candidates_propose

    summary = candidates_propose(article, negotiation)
    Article.objects.filter(pk=article_id).update(analysed_at=timezone.now())
    return dict(summary)
