"""Redis and PostgreSQL restarted under a running web server and worker: nothing lost, nothing
failed for the outage's sake, and both recover without being restarted."""

from __future__ import annotations

import time

import pytest

from .stack import Stack, wait_until

pytestmark = pytest.mark.worker


def _stored(stack: Stack) -> int:
    return stack.postgres.rows("SELECT count(*) FROM timeline_article")[0][0]


def _settle(stack: Stack, pages: list[int], seconds: float, *, beat: bool = False) -> float:
    """Wait until every job and analysis is final, running the reconciler's beat task between
    looks if ``beat``. Returns how long it took."""
    started = time.monotonic()
    while not stack.settled(pages):
        if time.monotonic() - started > seconds:
            break
        time.sleep(2)
        if beat and not stack.settled(pages):
            stack.reconcile()
    return time.monotonic() - started


def test_redis_restarted_mid_ingestion_loses_nothing(stack: Stack):
    pages = list(range(200, 230))
    urls = [stack.pages.url(f"page/{n}.html") for n in pages]
    worker = stack.worker()
    web = stack.start_web()
    stack.submit(urls[:25])
    wait_until(lambda: _stored(stack) >= 5, 60, 0.1, "5 stored")

    stack.redis.stop()  # no persistence: every queued ingestion and analysis message is gone
    health_down = web.get("/healthz")
    stack.submit(urls[25:])  # recorded while the broker is away, sent by the reconciler
    recorded = stack.postgres.rows(
        "SELECT count(*) FROM timeline_ingestion WHERE url = ANY(%s)", (urls[25:],)
    )[0][0]
    stack.redis.start()
    health_up = wait_until(lambda: (h := web.get("/healthz"))[0] == 200 and h, 30, 0.5, "200")
    # The beat task with the default limits: it sees the broker lost its data and sends every
    # pending job and analysis again at once, not 15 minutes later.
    healed = _settle(stack, pages, 120, beat=True)
    counts = stack.counts(pages)

    assert health_down[0] == 503
    assert health_down[1]["checks"]["broker"]["ok"] is False
    assert health_up[1]["status"] == "ok"
    assert recorded == 5
    assert counts == {
        "submitted": 30,
        "jobs_done": 30,
        "jobs_duplicate": 0,
        "jobs_failed": 0,
        "stored": 30,
        "analysed": 30,
        "lost": 0,
        "doubled": 0,
        "stuck": 0,
        "candidates_twice": 0,
    }, (healed, worker.log_tail())
    assert worker.proc is not None and worker.proc.poll() is None  # reconnected by itself


def test_postgres_restarted_api_answers_503_and_nothing_is_lost(stack: Stack):
    pages = list(range(300, 330))
    urls = [stack.pages.url(f"page/{n}.html") for n in pages]
    worker = stack.worker()
    web = stack.start_web()
    assert web.get("/api/v1/articles/")[0] == 200
    stack.submit(urls)
    wait_until(lambda: _stored(stack) >= 3, 60, 0.1, "3 stored")

    stack.postgres.stop("fast")
    try:
        api_down = web.get("/api/v1/articles/")
        page_down = web.get("/")
        health_down = web.get("/healthz")
        time.sleep(3)  # queued tasks meet the outage: they must wait, not fail
    finally:
        stack.postgres.start()
    api_back = wait_until(
        lambda: (r := web.get("/api/v1/articles/"))[0] == 200 and r, 30, 0.5, "API back"
    )
    # No reconciler: the tasks waited for the database and went on by themselves.
    healed = _settle(stack, pages, 90)
    counts = stack.counts(pages)

    assert api_down[0] == 503
    assert api_down[1]["code"] == "unavailable"
    assert page_down[0] == 503
    assert health_down[0] == 503
    assert api_back[0] == 200
    assert counts == {
        "submitted": 30,
        "jobs_done": 30,
        "jobs_duplicate": 0,
        "jobs_failed": 0,
        "stored": 30,
        "analysed": 30,
        "lost": 0,
        "doubled": 0,
        "stuck": 0,
        "candidates_twice": 0,
    }, (healed, worker.log_tail())
