"""Thin Celery tasks: take ids, load the row, return quietly if it is gone, call the domain.

Names match the routes and the beat schedule in ``tracker/settings.py``; the domain enqueues
them by name (``tracker.celery.enqueue_on_commit``) and never imports this module.

A database that goes away is no failure of the job: every task waits for it (holding its
worker slot, so the worker stops taking messages meanwhile) and then retries, instead of
failing each queued message in milliseconds.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

from timeline.ingestion.feeds import feed_poll as poll_feed
from timeline.ingestion.feeds import feeds_claim_due
from timeline.ingestion.pipeline import ingestion_process
from timeline.models import Feed
from timeline.services.analysis import analyses_reconcile, article_analyse
from timeline.services.ingestion import ingestions_reconcile as reconcile_ingestions

logger = logging.getLogger(__name__)
DATABASE_ERRORS = (OperationalError, InterfaceError)
# Below the soft time limit (60 s by default): the task is still alive when it gives up.
DATABASE_WAIT_SECONDS = 30.0
T = TypeVar("T")


def database_answers() -> bool:
    connection.close()  # a connection that saw an error is not to be trusted again
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DATABASE_ERRORS:
        return False


def wait_for_database(seconds: float = DATABASE_WAIT_SECONDS) -> bool:
    """Poll the database with back-off until it answers or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    delay = 0.25
    while not database_answers():
        if time.monotonic() + delay > deadline:
            return False
        time.sleep(delay)
        delay = min(delay * 2, 5.0)
    return True


def retries_database_errors(task_function: Callable[..., T]) -> Callable[..., T]:
    """Wrap a bound task: on a database error, wait for the database, then retry the message.

    The retry keeps the task id, so a job or analysis the failed attempt had claimed is taken
    over by the retry (see the claims) instead of waiting for the reconciler.
    """

    @functools.wraps(task_function)
    def wrapper(self, *args: Any, **kwargs: Any) -> T:
        try:
            return task_function(self, *args, **kwargs)
        except DATABASE_ERRORS as exc:
            if self.request.is_eager:
                raise  # no broker to hand it back to: the row stays, the reconciler has it
            back = wait_for_database()
            countdown = (1.0 if back else 5.0) + random.uniform(0, 1)  # noqa: S311 - jitter
            logger.warning("%s: database error (%s); retrying in %.1f s", self.name, exc, countdown)
            raise self.retry(exc=exc, countdown=countdown, max_retries=None) from exc

    return wrapper


@shared_task(bind=True, name="timeline.tasks.ingestion_run", max_retries=None, acks_late=True)
@retries_database_errors
def ingestion_run(self, ingestion_id: int) -> str | None:
    """Run one ingestion job; transient failures come back here after a back-off delay.

    The attempt budget lives on the row (``attempts``), not in Celery's retry counter, so a
    job re-queued by the reconciler or by an editor's "retry" keeps an honest count.
    """
    # In-process (no broker) there is no countdown and no reconciler: retrying inline would
    # hammer a failing site, and a pending job would wait for good. The job ends with its reason.
    eager = bool(self.request.is_eager)
    outcome = ingestion_process(ingestion_id, task_id=self.request.id or "", retries=not eager)
    if outcome is None:
        return None  # gone, or already claimed by another worker
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(bind=True, name="timeline.tasks.feed_poll", acks_late=True, max_retries=None)
@retries_database_errors
def feed_poll(self, feed_id: int) -> int | None:
    """Fetch one feed and queue an ingestion per new entry. Returns how many were queued."""
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        return None
    return poll_feed(feed).queued


@shared_task(bind=True, name="timeline.tasks.feeds_poll_due", max_retries=None)
@retries_database_errors
def feeds_poll_due(self) -> int:
    """Beat, every minute: queue the feeds whose time has come (each has its own interval)."""
    feed_ids = feeds_claim_due()
    for feed_id in feed_ids:
        feed_poll.delay(feed_id)
    return len(feed_ids)


# A key the reconciler keeps in the broker's Redis. Gone means Redis lost its data (restarted
# without persistence, flushed, failed over to an empty replica) and every queued message with
# it: then every pending job and analysis is sent again at once, instead of after its limit.
BROKER_MARK = "tracker:reconciler:broker-mark"


def broker_was_emptied() -> bool:
    """Whether the broker lost its messages since the last tick (also true on the first tick)."""
    url = settings.CELERY_BROKER_URL or ""
    if not url.startswith(("redis://", "rediss://")):
        return False
    import redis

    client = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3)
    try:
        # SET NX answers whether the mark was missing, in one round trip.
        return bool(client.set(BROKER_MARK, "1", nx=True))
    finally:
        client.close()


@shared_task(bind=True, name="timeline.tasks.ingestions_reconcile", max_retries=None)
@retries_database_errors
def ingestions_reconcile(self) -> int:
    """Beat: queue again the jobs and analyses whose message was lost or whose worker died."""
    limits: dict[str, float] = {}
    if broker_was_emptied():
        logger.warning("Reconciler: the broker lost its messages; sending every pending one again")
        limits["queued_limit"] = 0
    return reconcile_ingestions(**limits) + analyses_reconcile(**limits)


@shared_task(bind=True, name="timeline.tasks.article_extract", acks_late=True, max_retries=None)
@retries_database_errors
def article_extract(self, article_id: int, negotiation_id: int | None = None) -> dict | None:
    """Analyse one article (see ``timeline.services.analysis``); failures are retried with
    back-off up to the attempt limit and then recorded on the article."""
    outcome = article_analyse(
        article_id, task_id=self.request.id or "", negotiation_id=negotiation_id
    )
    if outcome is None:
        return None
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.summary
