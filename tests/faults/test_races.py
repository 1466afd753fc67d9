"""Two workers or two editors on the same thing at the same moment: one consistent result.

Each race is made deterministic: both sides are paused (a barrier) right after the lookup
the race is about. With the fix the second side cannot even reach its lookup until the first
has committed (it waits on a lock), so the first side's barrier times out and goes on alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count

from tests.factories import ArticleFactory, EventFactory, FeedFactory, NegotiationFactory
from timeline.ingestion import dedupe, feeds
from timeline.ingestion.pipeline import ingestion_process
from timeline.models import Actor, Article, Event, Ingestion, ReviewStatus
from timeline.models.actors import ActorQuerySet
from timeline.services import (
    DomainError,
    event_merge,
    event_publish,
    event_reject,
    ingestion_submit_text,
)
from timeline.services import ingestion as ingestion_services
from timeline.services.candidates import candidates_propose

from .stack import PageServer, paragraph_pool

PAUSE = 1.5  # seconds a side waits at the barrier for the other


def _in_threads(*calls: Callable[[], object]) -> list[object]:
    """Run each call in its own thread (its own database connection); results or exceptions."""
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            results[index] = call()
        except Exception as exc:  # the outcome under test: kept, compared below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _paused_after(barrier: threading.Barrier, function: Callable, *, once: bool = False):
    seen = threading.local()

    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        if not (once and getattr(seen, "done", False)):
            seen.done = True
            # Broken: the other side is waiting on a lock, so go on alone.
            with suppress(threading.BrokenBarrierError):
                barrier.wait(PAUSE)
        return result

    return wrapper


@pytest.fixture(scope="module")
def pool(corpus_dir: Path) -> list[str]:
    return paragraph_pool(corpus_dir)


@pytest.mark.django_db(transaction=True)
def test_near_copies_ingested_at_the_same_moment_store_one_original(monkeypatch, pool):
    barrier = threading.Barrier(2)
    monkeypatch.setattr(dedupe, "find_duplicate", _paused_after(barrier, dedupe.find_duplicate))
    pairs = []
    for n in range(3):
        paragraphs = pool[n * 20 : n * 20 + 14]
        edited = [*paragraphs[:-1], "In a statement on Friday, officials said talks continue."]
        pairs.append(
            (
                ingestion_submit_text("\n\n".join(paragraphs), title=f"Pair {n}", enqueue=False),
                ingestion_submit_text("\n\n".join(edited), title=f"Pair {n} again", enqueue=False),
            )
        )

    for first, second in pairs:
        barrier.reset()
        outcomes = _in_threads(
            lambda i=first: ingestion_process(i.pk), lambda i=second: ingestion_process(i.pk)
        )
        assert sorted(o.status for o in outcomes) == ["done", "duplicate"], outcomes

    originals = Article.objects.originals().count()
    copies = Article.objects.filter(syndication_of__isnull=False).count()
    assert (originals, copies) == (3, 3)


@pytest.mark.django_db(transaction=True)
def test_two_analyses_creating_the_same_new_actors_at_once_both_succeed(monkeypatch, pool):
    text = "\n\n".join(pool[100:130])
    first = ArticleFactory(text=text + "\n\nFirst copy.", content_hash="a" * 64)
    second = ArticleFactory(text=text + "\n\nSecond copy.", content_hash="b" * 64)
    barrier = threading.Barrier(2)
    monkeypatch.setattr(
        ActorQuerySet,
        "matching_name",
        _paused_after(barrier, ActorQuerySet.matching_name, once=True),
    )

    outcomes = _in_threads(
        lambda: candidates_propose(Article.objects.get(pk=first.pk)),
        lambda: candidates_propose(Article.objects.get(pk=second.pk)),
    )

    assert [type(o).__name__ for o in outcomes] == ["dict", "dict"], outcomes
    assert outcomes[0]["actors_created"] + outcomes[1]["actors_created"] > 0
    twice = Actor.objects.values("normalized_name").annotate(n=Count("id")).filter(n__gt=1)
    assert list(twice) == []


@pytest.mark.django_db(transaction=True)
def test_one_feed_polled_by_two_workers_at_once_queues_each_entry_once(monkeypatch, pool):
    server = PageServer(pool).start()
    sent: list[tuple] = []
    monkeypatch.setattr(ingestion_services, "enqueue_on_commit", lambda *a: sent.append(a))
    barrier = threading.Barrier(2)
    monkeypatch.setattr(feeds, "_known", _paused_after(barrier, feeds._known))
    feed = FeedFactory(url=server.url("feed/7.rss"))
    try:
        results = _in_threads(
            lambda: feeds.feed_poll(feed.__class__.objects.get(pk=feed.pk)),
            lambda: feeds.feed_poll(feed.__class__.objects.get(pk=feed.pk)),
        )
    finally:
        server.stop()

    assert sorted(r.queued for r in results) == [0, 10], results
    assert Ingestion.objects.filter(feed=feed).count() == 10
    assert len(sent) == 10


def _candidate_with_target() -> tuple[Event, Event]:
    negotiation = NegotiationFactory()
    source = EventFactory(negotiation=negotiation, status=ReviewStatus.CANDIDATE)
    target = EventFactory(negotiation=negotiation, status=ReviewStatus.CANDIDATE)
    return source, target


@pytest.mark.django_db(transaction=True)
def test_two_editors_publishing_and_merging_one_candidate_get_one_result():
    for _round in range(3):
        source, target = _candidate_with_target()
        barrier = threading.Barrier(2)

        def publish(event=source, b=barrier):
            b.wait(5)
            return event_publish(Event.objects.get(pk=event.pk))

        def merge(event=source, into=target, b=barrier):
            b.wait(5)
            return event_merge(Event.objects.get(pk=event.pk), Event.objects.get(pk=into.pk))

        outcomes = _in_threads(publish, merge)

        failed = [o for o in outcomes if isinstance(o, Exception)]
        assert len(failed) == 1 and isinstance(failed[0], DomainError), outcomes
        source.refresh_from_db()
        if isinstance(outcomes[0], Exception):  # the merge won
            assert (source.status, source.merged_into_id) == (ReviewStatus.MERGED, target.pk)
        else:
            assert (source.status, source.merged_into_id) == (ReviewStatus.PUBLISHED, None)


@pytest.mark.django_db(transaction=True)
def test_two_editors_merging_one_candidate_into_two_targets_get_one_result():
    source, first_target = _candidate_with_target()
    second_target = EventFactory(negotiation=source.negotiation, status=ReviewStatus.CANDIDATE)
    barrier = threading.Barrier(2)

    def merge_into(target: Event):
        barrier.wait(5)
        return event_merge(Event.objects.get(pk=source.pk), Event.objects.get(pk=target.pk))

    outcomes = _in_threads(lambda: merge_into(first_target), lambda: merge_into(second_target))

    winners = [o for o in outcomes if isinstance(o, Event)]
    assert len(winners) == 1 and any(isinstance(o, DomainError) for o in outcomes), outcomes
    source.refresh_from_db()
    assert source.merged_into_id == winners[0].pk


def _paused_before_first_save(barrier: threading.Barrier):
    """``Event.save`` that waits for the other side before a thread's first write: without
    the row locks both sides would have read the candidate by then, and both would write."""
    real_save = Event.save
    seen = threading.local()

    def save(self, *args, **kwargs):
        if not getattr(seen, "done", False):
            seen.done = True
            with suppress(threading.BrokenBarrierError):
                barrier.wait(PAUSE)
        return real_save(self, *args, **kwargs)

    return save


EDITS: dict[str, Callable[[Event, Event], object]] = {
    "publish": lambda source, target: event_publish(Event.objects.get(pk=source.pk)),
    "reject": lambda source, target: event_reject(Event.objects.get(pk=source.pk)),
    "merge": lambda source, target: event_merge(
        Event.objects.get(pk=source.pk), Event.objects.get(pk=target.pk)
    ),
}


def _result(outcomes: list[object], source: Event, target: Event) -> tuple:
    """What an editor can see: which edit was refused, and what the candidate became."""
    for outcome in outcomes:
        assert (
            outcome is None
            or not isinstance(outcome, Exception)
            or isinstance(outcome, DomainError)
        ), outcome  # a refusal is a DomainError, never a database error
    source.refresh_from_db()
    refused = tuple(isinstance(o, DomainError) for o in outcomes)
    return refused, source.status, source.merged_into_id == target.pk


def _serially(first: str, second: str, *, reverse: bool) -> tuple:
    source, target = _candidate_with_target()
    order = [(0, first), (1, second)][:: -1 if reverse else 1]
    outcomes: list[object] = [None, None]
    for index, name in order:
        try:
            outcomes[index] = EDITS[name](source, target)
        except DomainError as exc:
            outcomes[index] = exc
    return _result(outcomes, source, target)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("publish", "reject"),
        ("reject", "merge"),
        ("publish", "merge"),
        ("reject", "reject"),
    ],
)
@pytest.mark.django_db(transaction=True)
def test_two_editors_on_one_candidate_at_once_get_the_result_of_one_order(
    monkeypatch, first, second
):
    # Each edit alone, one after the other, in both orders: the results the race may give.
    serial = {_serially(first, second, reverse=False), _serially(first, second, reverse=True)}
    source, target = _candidate_with_target()
    barrier = threading.Barrier(2)
    monkeypatch.setattr(Event, "save", _paused_before_first_save(barrier))

    outcomes = _in_threads(
        lambda: EDITS[first](source, target), lambda: EDITS[second](source, target)
    )

    monkeypatch.undo()
    assert _result(outcomes, source, target) in serial, (outcomes, serial)
