"""Poison input through a real worker: a page that makes extraction raise is retried up to the
limit, then recorded as failed with its reason, and its message is gone from the broker, so
nothing redelivers it. ``test_redelivery.py`` covers the same path in-process; this one proves
the Celery side (retry countdowns, acknowledgement) does not turn it into a loop."""

from __future__ import annotations

import time

import pytest
import redis

from .poison_worker import POISON_MARKER
from .stack import Stack, wait_until

pytestmark = pytest.mark.worker

MAX_ATTEMPTS = 3  # the suite's limit for this test: back-offs of 1, 2 s keep it short


def _analysis(stack: Stack, url: str) -> tuple[str, int, str] | None:
    rows = stack.postgres.rows(
        "SELECT a.analysis_status, a.analysis_attempts, a.analysis_reason"
        " FROM timeline_article a JOIN timeline_ingestion i ON i.article_id = a.id"
        " WHERE i.url = %s",
        (url,),
    )
    return rows[0] if rows else None


def _attempts_run(stack: Stack) -> int:
    path = stack.poison_attempts
    return len(path.read_text().splitlines()) if path.exists() else 0


def _broker_holds(stack: Stack) -> dict[str, int]:
    """Messages still queued or delivered-but-unacknowledged (what Redis would redeliver)."""
    client = redis.Redis(host="127.0.0.1", port=stack.redis.port, db=0)
    try:
        return {
            "default": client.llen("default"),
            "ingestion": client.llen("ingestion"),
            "unacked": client.hlen("unacked"),
        }
    finally:
        client.close()


def test_poison_page_fails_with_its_reason_after_the_retry_limit_and_is_not_redelivered(
    stack: Stack,
):
    stack.env["INGESTION_MAX_ATTEMPTS"] = str(MAX_ATTEMPTS)
    try:
        worker = stack.worker(poisoned=True)
    finally:
        del stack.env["INGESTION_MAX_ATTEMPTS"]
    poison = stack.pages.url("poison/41.html")
    healthy = stack.pages.url("page/42.html")  # the same worker analyses other pages as usual
    stack.submit([poison, healthy])

    final = wait_until(
        lambda: (a := _analysis(stack, poison)) and a[0] in ("done", "failed") and a,
        45,
        0.2,
        "poisoned analysis final",
    )
    wait_until(lambda: (_analysis(stack, healthy) or ("",))[0] == "done", 30, 0.2, "control")
    drained = wait_until(
        lambda: (
            (held := _broker_holds(stack)) == {"default": 0, "ingestion": 0, "unacked": 0} and held
        ),
        15,
        0.2,
        "broker drained",
    )
    status, attempts, reason = final
    attempts_run = _attempts_run(stack)

    # A while longer: a redelivery, a retry sent twice or the reconciler would show up here.
    time.sleep(4)
    requeued = stack.reconcile()
    later = _analysis(stack, poison)

    jobs = stack.postgres.rows("SELECT status FROM timeline_ingestion ORDER BY url")
    assert jobs == [("done",), ("done",)]  # ingestion is fine: only the analysis chokes
    assert (status, attempts, attempts_run) == ("failed", MAX_ATTEMPTS, MAX_ATTEMPTS), (
        worker.log_tail()
    )
    assert reason == (
        f"Gave up after {MAX_ATTEMPTS} attempts: "
        f"PoisonedReport: the extractor choked on {POISON_MARKER}"
    )
    assert drained == {"default": 0, "ingestion": 0, "unacked": 0}
    assert (requeued, later, _attempts_run(stack)) == (0, final, MAX_ATTEMPTS)
