"""Analysis of one article (extraction into candidates), with its outcome on the article.

Analysis is durable like an ingestion job. ``analysis_request`` marks articles pending and
sends a message after the commit; ``article_analyse`` claims one with a conditional update,
runs the extractor, and records done, skipped (a syndicated copy), or failed with its reason
once the attempts are used up. A lost message or a dead worker leaves the status behind, and
``analyses_reconcile`` sends those again.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import F, Q
from django.utils import timezone

from timeline.models import AnalysisStatus, Article, Ingestion, Negotiation
from tracker.celery import enqueue_on_commit

logger = logging.getLogger(__name__)
ANALYSE_TASK = "timeline.tasks.article_extract"
# The database going away is no property of the article: the task retries those itself.
DATABASE_ERRORS = (OperationalError, InterfaceError)


@dataclass(frozen=True)
class AnalysisOutcome:
    status: str
    reason: str = ""
    summary: dict | None = None
    retry_in: float | None = None  # seconds, when a failed attempt should be tried again


def analysis_request(article_ids: Iterable[int], *, again: bool = False) -> int:
    """Mark articles pending and queue their analysis after the commit. Returns how many.

    ``again`` (an editor's "re-analyse") also takes articles already analysed or failed and
    gives them a fresh set of attempts; without it only articles not yet asked for are taken,
    so a re-run of an ingestion does not queue a second analysis.
    """
    ids = list(article_ids)
    rows = Article.objects.filter(pk__in=ids)
    if not again:
        rows = rows.filter(analysis_status=AnalysisStatus.NOT_REQUESTED)
    else:
        rows = rows.exclude(analysis_status=AnalysisStatus.RUNNING)
    now = timezone.now()
    chosen = list(rows.values_list("pk", flat=True))
    Article.objects.filter(pk__in=chosen).update(
        analysis_status=AnalysisStatus.PENDING,
        analysis_attempts=0,
        analysis_reason="",
        analysis_queued_at=now,
        analysis_updated_at=now,
        analysis_task_id="",
    )
    for article_id in chosen:
        analysis_enqueue(article_id)
    return len(chosen)


def analysis_enqueue(article_id: int) -> None:
    """Send the analysis message after the commit; the caller has marked the article pending."""
    enqueue_on_commit(ANALYSE_TASK, article_id)


def _claim(article_id: int, task_id: str) -> Article | None:
    """Take a pending analysis; or take over a running one whose worker died.

    A redelivered message carries the task id of the attempt that died, so that attempt may be
    taken over at once (``analysis_task_id`` matches) instead of after the reconciler's limit.
    """
    takeover = Q(analysis_status=AnalysisStatus.RUNNING, analysis_task_id=task_id) & ~Q(
        analysis_task_id=""
    )
    now = timezone.now()
    claimed = (
        Article.objects.filter(pk=article_id)
        .filter(Q(analysis_status=AnalysisStatus.PENDING) | takeover)
        .update(
            analysis_status=AnalysisStatus.RUNNING,
            analysis_attempts=F("analysis_attempts") + 1,
            analysis_task_id=task_id[:64],
            analysis_updated_at=now,
        )
    )
    if not claimed:
        return None
    return Article.objects.select_related("outlet").get(pk=article_id)


def _record(article_id: int, status: str, reason: str = "", **extra) -> None:
    now = timezone.now()
    fields = {"analysis_status": status, "analysis_reason": reason, "analysis_updated_at": now}
    if status == AnalysisStatus.DONE:
        fields["analysed_at"] = now
    Article.objects.filter(pk=article_id, analysis_status=AnalysisStatus.RUNNING).update(
        **fields, **extra
    )


def _negotiation_of(article: Article) -> Negotiation | None:
    """The negotiation the article was submitted for, through the job that stored it."""
    negotiation_id = (
        Ingestion.objects.filter(article=article, negotiation__isnull=False)
        .order_by("pk")
        .values_list("negotiation_id", flat=True)
        .first()
    )
    return Negotiation.objects.filter(pk=negotiation_id).first() if negotiation_id else None


def retry_delay(attempt: int) -> float:
    base = float(settings.INGESTION_RETRY_BASE_SECONDS)
    ceiling = min(base * 2 ** max(attempt - 1, 0), settings.INGESTION_STUCK_AFTER_SECONDS * 0.8)
    return round(ceiling / 2 + random.uniform(0, ceiling / 2), 3)  # noqa: S311 - jitter


def article_analyse(
    article_id: int, *, task_id: str = "", negotiation_id: int | None = None
) -> AnalysisOutcome | None:
    """Propose candidates from one article and record the outcome on it.

    None when there is nothing to do (the article is gone, or not pending: another worker
    has it, or it is already analysed). Database errors propagate for the caller to retry;
    any other error is recorded, retried up to ``INGESTION_MAX_ATTEMPTS`` and then recorded
    as a failure with its reason, so a page that breaks the extractor cannot loop.
    """
    article = _claim(article_id, task_id)
    if article is None:
        return None
    limit = settings.INGESTION_MAX_ATTEMPTS
    if article.analysis_attempts > limit:
        # Only a takeover gets here: the worker died on this article every time (a page that
        # exhausts memory, say). Stop redelivering it.
        reason = f"The worker died during each of {limit} attempts."
        _record(article_id, AnalysisStatus.FAILED, reason)
        return AnalysisOutcome(AnalysisStatus.FAILED, reason)
    if article.syndication_of_id is not None:
        # A copy of a report analysed as its original: proposing again would double it.
        _record(article_id, AnalysisStatus.SKIPPED)
        return AnalysisOutcome(AnalysisStatus.SKIPPED)
    negotiation = (
        Negotiation.objects.filter(pk=negotiation_id).first()
        if negotiation_id
        else _negotiation_of(article)
    )
    # Imported here: extraction loads gazetteers and pattern tables; ingestion-only callers
    # of this module need not.
    from timeline.services.candidates import candidates_propose

    try:
        summary = candidates_propose(article, negotiation)
    except DATABASE_ERRORS:
        raise
    except Exception as exc:
        return _failed(article, exc, limit)
    _record(article_id, AnalysisStatus.DONE, analysis_task_id="")
    return AnalysisOutcome(AnalysisStatus.DONE, summary=dict(summary))


def _failed(article: Article, exc: Exception, limit: int) -> AnalysisOutcome:
    reason = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning("Analysis of article %s failed: %s", article.pk, reason, exc_info=exc)
    if article.analysis_attempts < limit:
        delay = retry_delay(article.analysis_attempts)
        _record(
            article.pk,
            AnalysisStatus.PENDING,
            f"Attempt {article.analysis_attempts} of {limit}: {reason}",
            analysis_queued_at=timezone.now(),
        )
        return AnalysisOutcome(AnalysisStatus.PENDING, reason, retry_in=delay)
    _record(article.pk, AnalysisStatus.FAILED, f"Gave up after {limit} attempts: {reason}")
    return AnalysisOutcome(AnalysisStatus.FAILED, reason)


def analyses_reconcile(
    *, queued_limit: float | None = None, running_limit: float | None = None
) -> int:
    """Queue again the analyses whose message was lost or whose worker died. Returns how many.

    Pending: only when the last message is older than ``INGESTION_STUCK_AFTER_SECONDS`` (one
    waiting behind a long queue keeps its single message). Running: when it has not moved for
    longer than the task's hard time limit, past which no worker can still be on it. The
    limits (seconds) default to those settings.
    """
    now = timezone.now()
    if queued_limit is None:
        queued_limit = settings.INGESTION_STUCK_AFTER_SECONDS
    queued_before = now - timedelta(seconds=queued_limit)
    running_before = now - timedelta(seconds=running_limit or running_limit_seconds())
    stale = Article.objects.filter(
        Q(analysis_status=AnalysisStatus.PENDING)
        & (Q(analysis_queued_at__lt=queued_before) | Q(analysis_queued_at__isnull=True))
        | Q(analysis_status=AnalysisStatus.RUNNING, analysis_updated_at__lt=running_before)
    )
    requeued = 0
    for article_id, status, seen in stale.values_list(
        "pk", "analysis_status", "analysis_updated_at"
    ):
        # Conditional on what we saw: a worker that moves it meanwhile keeps it.
        if Article.objects.filter(
            pk=article_id, analysis_status=status, analysis_updated_at=seen
        ).update(
            analysis_status=AnalysisStatus.PENDING,
            analysis_queued_at=now,
            analysis_updated_at=now,
            analysis_task_id="",
        ):
            requeued += 1
            enqueue_on_commit(ANALYSE_TASK, article_id)
    if requeued:
        logger.warning("Reconciler: %s stale analyses re-queued", requeued)
    return requeued


def running_limit_seconds() -> int:
    """How long a claimed job or analysis may sit unchanged before its worker is surely gone.

    A task cannot outlive the hard time limit (the pool kills it), so past that plus a margin
    nobody is working on it, whatever the status says.
    """
    return int(settings.CELERY_TASK_TIME_LIMIT) + 30
