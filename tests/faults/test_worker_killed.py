"""Workers killed (SIGKILL of a pool child, of the main process) and stopped (SIGTERM) while
they ingest distinct pages: every page stored once, every job final, nothing analysed twice."""

from __future__ import annotations

import time

import pytest

from .stack import Stack, wait_until

pytestmark = pytest.mark.worker


def _job(stack: Stack, url: str) -> tuple[str, int, int | None] | None:
    rows = stack.postgres.rows(
        "SELECT status, attempts, article_id FROM timeline_ingestion WHERE url = %s", (url,)
    )
    return rows[0] if rows else None


def _analysed(stack: Stack) -> int:
    return stack.postgres.rows(
        "SELECT count(*) FROM timeline_article WHERE analysis_status IN ('done', 'skipped')"
    )[0][0]


def test_pool_child_killed_mid_fetch_is_taken_over_at_once(stack: Stack):
    worker = stack.worker()
    url = stack.pages.url("slow/1.html?seconds=6")
    stack.submit([url])
    wait_until(lambda: (_job(stack, url) or ("",))[0] == "fetching", 30, 0.1, "job fetching")

    victim = wait_until(lambda: worker.kill_child(busy_with_port=stack.pages.port), 10, 0.1, "kill")
    killed_at = time.monotonic()
    assert victim is not None
    status, attempts, article_id = wait_until(
        lambda: (job := _job(stack, url)) and job[0] in ("done", "duplicate", "failed") and job,
        40,
        0.2,
        "job final after the kill",
    )
    healed = time.monotonic() - killed_at

    # The redelivered message (same task id) took the job over: no reconciler ran, and the
    # job's claim limit (hard time limit + 30 s = 45 s here) did not have to pass either.
    assert (status, attempts, article_id is not None) == ("done", 2, True)
    assert healed < 20, f"healed in {healed:.1f} s"


def test_worker_killed_repeatedly_stores_each_page_once(stack: Stack):
    pages = list(range(100, 140))
    urls = [stack.pages.url(f"page/{n}.html") for n in pages]
    copies = [stack.pages.url(f"copy/{n}.html") for n in pages[:3]]  # true duplicates
    worker = stack.worker()
    stack.submit(urls + copies)

    def stored() -> int:
        return stack.postgres.rows("SELECT count(*) FROM timeline_article")[0][0]

    # A pool child twice, then the main process (restarted), then a child again.
    for threshold in (5, 12):
        wait_until(lambda t=threshold: stored() >= t, 60, 0.1, f"{threshold} stored")
        worker.kill_child()
    wait_until(lambda: stored() >= 20, 60, 0.1, "20 stored")
    worker.kill_main()
    time.sleep(1)
    worker = stack.worker()
    wait_until(lambda: stored() >= 28, 60, 0.1, "28 stored")
    worker.kill_child()

    # What the killed main process held comes back after the visibility timeout (20 s here);
    # the reconciler (run here with a short limit) covers what was not yet sent again.
    deadline = time.monotonic() + 150
    while not stack.settled(pages) and time.monotonic() < deadline:
        time.sleep(3)
        if not stack.settled(pages):
            stack.reconcile(queued_limit=30, running_limit=20)
    counts = stack.counts(pages)

    assert counts == {
        "submitted": 43,
        "jobs_done": 40,
        "jobs_duplicate": 3,
        "jobs_failed": 0,
        "stored": 40,
        "analysed": 40,
        "lost": 0,
        "doubled": 0,
        "stuck": 0,
        "candidates_twice": 0,
    }, worker.log_tail()
    # Every job that stored an article points at it; the duplicates at the originals.
    assert stack.postgres.rows(
        "SELECT count(*) FROM timeline_ingestion WHERE article_id IS NULL"
    ) == [(0,)]


def test_sigterm_lets_the_worker_finish_its_job(stack: Stack):
    worker = stack.worker()
    url = stack.pages.url("slow/7.html?seconds=4")
    stack.submit([url])
    wait_until(lambda: (_job(stack, url) or ("",))[0] == "fetching", 30, 0.1, "job fetching")

    exit_code = worker.terminate(timeout=30)

    # Warm shutdown: the running job finished before the worker left, in its first attempt.
    assert exit_code == 0
    assert _job(stack, url)[:2] == ("done", 1)
    assert stack.pages.hits["/slow/7.html"] == 1


def test_sigterm_finishes_the_running_job_and_leaves_the_queued_one_to_the_next_worker(
    stack: Stack,
):
    worker = stack.worker(concurrency=1)
    running, queued = (stack.pages.url(f"slow/{n}.html?seconds=3") for n in (8, 9))
    stack.submit([running, queued])
    wait_until(
        lambda: any((_job(stack, u) or ("",))[0] == "fetching" for u in (running, queued)),
        30,
        0.1,
        "one job fetching",
    )
    if (_job(stack, queued) or ("",))[0] == "fetching":
        running, queued = queued, running  # the queue's order is the broker's

    exit_code = worker.terminate(timeout=30)
    left = _job(stack, queued)
    stack.worker(concurrency=1)
    final = wait_until(
        lambda: (job := _job(stack, queued)) and job[0] == "done" and job, 30, 0.2, "queued done"
    )

    # The stopping worker finished its job and took no other; the next worker ran that one,
    # at once (its message was still in the queue: no reconciler, no redelivery delay).
    assert exit_code == 0
    assert _job(stack, running)[:2] == ("done", 1)
    assert left[:2] == ("pending", 0)
    assert final[:2] == ("done", 1)
