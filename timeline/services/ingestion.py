"""Writes for ingestion: submit a URL, pasted text or uploaded HTML; retry; register feeds.

Each submission creates one visible ``Ingestion`` row and queues it after the transaction
commits, so a worker never looks for a row that is not there yet. A submission is a single
INSERT, atomic by itself, so the submit functions open no transaction of their own: inside a
caller's transaction the job is queued when that commits, otherwise at once. (Feeds queue
hundreds of entries a poll; a savepoint per entry was a third of the cost.)
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from timeline.ingestion import errors
from timeline.ingestion.errors import Stop
from timeline.ingestion.urls import url_normalize
from timeline.models import Feed, Ingestion, Negotiation
from tracker.celery import enqueue_on_commit

from .analysis import running_limit_seconds
from .errors import DomainError

logger = logging.getLogger(__name__)
MAX_PAYLOAD_CHARS = 5_000_000
INGESTION_TASK = "timeline.tasks.ingestion_run"


def _enqueue(ingestion: Ingestion) -> None:
    # The row records when its message was sent (``enqueued_at``, set by the caller's write):
    # the reconciler sends another only when that one is surely lost.
    enqueue_on_commit(INGESTION_TASK, ingestion.pk)


def _checked_url(url: str) -> str:
    try:
        return url_normalize(url)
    except Stop as exc:
        raise DomainError(exc.message) from exc


def ingestion_submit_url(
    url: str,
    *,
    user: Any = None,
    negotiation: Negotiation | None = None,
    feed: Feed | None = None,
    source: str = Ingestion.Source.URL,
    enqueue: bool = True,
) -> Ingestion:
    """Queue ``url`` for fetching. Raises ``DomainError`` for what is not an http(s) URL.

    ``enqueue=False`` leaves the job pending for a caller that runs it itself (the backfill
    command); the reconciler would still pick it up if that caller died.
    """
    normalized = _checked_url(url)
    ingestion = Ingestion.objects.create(
        source=source,
        url=url.strip()[:2000],
        normalized_url=normalized[:2000],
        feed=feed,
        negotiation=negotiation,
        submitted_by=user if getattr(user, "is_authenticated", False) else None,
        enqueued_at=timezone.now() if enqueue else None,
    )
    if enqueue:
        _enqueue(ingestion)
    return ingestion


def _metadata(title: str, byline: str, published_at: dt.datetime | dt.date | None) -> dict:
    meta: dict[str, str] = {}
    if title.strip():
        meta["title"] = title.strip()[:500]
    if byline.strip():
        meta["byline"] = byline.strip()[:500]
    if isinstance(published_at, dt.datetime) and timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at, dt.UTC)
    if published_at is not None:
        meta["published_at"] = published_at.isoformat()
    return meta


def _submit_payload(
    payload: str,
    *,
    source: str,
    url: str,
    user: Any,
    negotiation: Negotiation | None,
    metadata: dict,
    enqueue: bool = True,
) -> Ingestion:
    if not payload or not payload.strip():
        raise DomainError("There is nothing to ingest: the text is empty.")
    if len(payload) > MAX_PAYLOAD_CHARS:
        raise DomainError(
            f"The text is {len(payload):,} characters long; the limit is {MAX_PAYLOAD_CHARS:,}."
        )
    if "\x00" in payload:
        raise DomainError("The text contains NUL bytes: upload an HTML or text file, not a binary.")
    normalized = _checked_url(url) if url and url.strip() else ""
    ingestion = Ingestion.objects.create(
        source=source,
        url=url.strip()[:2000] if normalized else "",
        normalized_url=normalized[:2000],
        payload=payload,
        submitted_metadata=metadata,
        negotiation=negotiation,
        submitted_by=user if getattr(user, "is_authenticated", False) else None,
        enqueued_at=timezone.now() if enqueue else None,
    )
    if enqueue:
        _enqueue(ingestion)
    return ingestion


def ingestion_submit_text(
    text: str,
    *,
    title: str = "",
    url: str = "",
    published_at: dt.datetime | dt.date | None = None,
    byline: str = "",
    user: Any = None,
    negotiation: Negotiation | None = None,
    enqueue: bool = True,
) -> Ingestion:
    """Queue pasted plain text (site chrome and all; the pipeline cleans it)."""
    return _submit_payload(
        text,
        source=Ingestion.Source.TEXT,
        url=url,
        user=user,
        negotiation=negotiation,
        metadata=_metadata(title, byline, published_at),
        enqueue=enqueue,
    )


def ingestion_submit_html(
    html: str | bytes,
    *,
    url: str = "",
    user: Any = None,
    negotiation: Negotiation | None = None,
    source: str = Ingestion.Source.HTML,
    enqueue: bool = True,
) -> Ingestion:
    """Queue an uploaded or saved HTML page; ``url`` is where it came from, if known."""
    if isinstance(html, bytes):
        from timeline.ingestion.extract_text import decode_html

        html = decode_html(html)
    return _submit_payload(
        html,
        source=source,
        url=url,
        user=user,
        negotiation=negotiation,
        metadata={},
        enqueue=enqueue,
    )


TEXT_ONLY_FIELDS = ("title", "byline", "published_at")


def ingestion_submit(
    *,
    url: str = "",
    text: str = "",
    html: str | bytes | None = None,
    title: str = "",
    byline: str = "",
    published_at: dt.datetime | dt.date | None = None,
    user: Any = None,
    negotiation: Negotiation | None = None,
) -> Ingestion:
    """Queue one submission, whichever form it took: the admin's page and the API both call this.

    The one place that decides what a submission is: a saved page (``html``), pasted ``text``
    (``url`` is then where it came from) or a ``url`` to fetch. Whitespace-only text counts as
    none. Raises ``DomainError`` for both a page and text, for nothing at all, and for text-only
    details (title, byline, date) sent with a URL alone: a fetched page has its own, and
    dropping them silently would lose what the editor typed.
    """
    has_text = bool(text and text.strip())
    has_html = bool(html)
    if has_text and has_html:
        raise DomainError("Paste text or upload a page, not both.")
    if not (has_text or has_html or (url and url.strip())):
        raise DomainError("Give a URL, paste the text, or upload a saved page.")
    common: dict[str, Any] = {"user": user, "negotiation": negotiation}
    if html:
        return ingestion_submit_html(html, url=url, **common)
    if has_text:
        return ingestion_submit_text(
            text, title=title, url=url, byline=byline, published_at=published_at, **common
        )
    given = [
        name
        for name, value in zip(
            TEXT_ONLY_FIELDS, (title.strip(), byline.strip(), published_at), strict=True
        )
        if value
    ]
    if given:
        raise DomainError(
            f"{', '.join(given)}: only used with pasted text; a fetched page has its own."
        )
    return ingestion_submit_url(url, **common)


@transaction.atomic
def ingestion_retry(ingestion: Ingestion) -> Ingestion:
    """Give a failed job a fresh set of attempts."""
    updated = Ingestion.objects.filter(pk=ingestion.pk, status=Ingestion.Status.FAILED).update(
        status=Ingestion.Status.PENDING,
        attempts=0,
        reason_code="",
        message="",
        finished_at=None,
        task_id="",
        enqueued_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not updated:
        current = Ingestion.objects.filter(pk=ingestion.pk).values_list("status", flat=True).first()
        raise DomainError(
            f"Only failed jobs can be retried; job {ingestion.pk} is {current or 'gone'}."
        )
    ingestion.refresh_from_db()
    _enqueue(ingestion)
    return ingestion


def feed_check(url: str, poll_interval_minutes: int) -> None:
    """What a feed must be: the rule ``feed_register`` applies, and the admin's form shows.

    Raises ``DomainError``: not an http(s) address (or one with credentials), or an interval
    under a minute.
    """
    _checked_url(url)
    if poll_interval_minutes < 1:
        raise DomainError("A feed's poll interval must be at least one minute.")


@transaction.atomic
def feed_register(
    url: str,
    *,
    title: str = "",
    negotiation: Negotiation | None = None,
    poll_interval_minutes: int = 30,
    active: bool = True,
) -> Feed:
    """Add a feed (or return the one already registered at that address).

    An active new feed is polled at once: whoever adds a feed wants to see its entries now.
    """
    feed_check(url, poll_interval_minutes)
    feed, created = Feed.objects.get_or_create(
        url=url.strip(),
        defaults={
            "title": title.strip()[:300],
            "negotiation": negotiation,
            "poll_interval_minutes": poll_interval_minutes,
            "active": active,
        },
    )
    if created and active:
        feed_poll_now(feed)
    return feed


def feed_poll_now(feed: Feed) -> None:
    """Queue a poll now, whatever the schedule says."""
    enqueue_on_commit("timeline.tasks.feed_poll", feed.pk)


def ingestions_reconcile(
    *, queued_limit: float | None = None, running_limit: float | None = None
) -> int:
    """Queue again the jobs whose message was lost or whose worker died. Returns how many.

    Pending jobs: only when their last message is older than ``INGESTION_STUCK_AFTER_SECONDS``;
    one merely waiting behind a long queue keeps its single message. Claimed jobs (fetching,
    extracting, analysing): when unchanged for longer than the task's hard time limit, past
    which no worker can still be running them. Jobs that already used their attempts fail with
    reason ``stuck`` instead of looping. The limits (seconds) default to those settings.
    """
    now = timezone.now()
    if queued_limit is None:
        queued_limit = settings.INGESTION_STUCK_AFTER_SECONDS
    queued_before = now - dt.timedelta(seconds=queued_limit)
    running_before = now - dt.timedelta(seconds=running_limit or running_limit_seconds())
    pending = Q(status=Ingestion.Status.PENDING) & (
        Q(enqueued_at__lt=queued_before) | Q(enqueued_at__isnull=True, updated_at__lt=queued_before)
    )
    running = Q(status__in=Ingestion.RUNNING_STATUSES, updated_at__lt=running_before)
    stuck = Ingestion.objects.filter(pending | running)
    exhausted = stuck.filter(attempts__gte=settings.INGESTION_MAX_ATTEMPTS).update(
        status=Ingestion.Status.FAILED,
        reason_code=errors.STUCK,
        message="No progress after the last attempt: its worker stopped, or its message was lost.",
        finished_at=now,
        updated_at=now,
    )
    requeued = 0
    for ingestion_id, status, seen in list(stuck.values_list("pk", "status", "updated_at")):
        # Conditional on the row we saw: a worker that moves it meanwhile keeps its job.
        reset = Ingestion.objects.filter(
            pk=ingestion_id,
            status=status,
            updated_at=seen,
            attempts__lt=settings.INGESTION_MAX_ATTEMPTS,
        ).update(status=Ingestion.Status.PENDING, task_id="", enqueued_at=now, updated_at=now)
        if reset:
            requeued += 1
            enqueue_on_commit(INGESTION_TASK, ingestion_id)
    if exhausted or requeued:
        logger.warning("Reconciler: %s stuck jobs re-queued, %s failed", requeued, exhausted)
    return requeued
