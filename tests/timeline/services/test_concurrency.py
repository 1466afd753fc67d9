"""Two writers at once on PostgreSQL: services under lock contention."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction

from tests import factories as f
from timeline.models import (
    Citation,
    EventParticipant,
    Position,
    ReviewStatus,
)
from timeline.services import (
    DomainError,
    actor_merge,
    citation_create,
    event_merge,
    event_publish,
    position_publish,
)

pytestmark = pytest.mark.django_db


# --- concurrency: two writers at once on PostgreSQL ------------------------------------------
# The test's own transaction holds the locks of a first service call while a second call runs
# in a thread on its own connection; once the thread is seen waiting on a lock, the first
# transaction commits and the second must finish correctly on what it then finds.


@pytest.fixture
def concurrent_db(postgres_required, transactional_db):
    return None


def _in_thread(call) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = call()
        except Exception as exc:  # handed to the test, which asserts on it
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _wait_until_another_session_waits_on_a_lock(timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Statistics views are a snapshot held for the whole transaction unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    pytest.fail("the second writer never waited on the first one's lock")


def _finish(thread: threading.Thread, outcome: dict):
    thread.join(timeout=20)
    assert not thread.is_alive()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def test_position_publish_concurrent_stances_of_one_party_supersede_in_turn(concurrent_db):
    first = f.PositionFactory(valid_from=dt.date(2024, 5, 1))
    second = f.PositionFactory(
        issue=first.issue, party=first.party, valid_from=dt.date(2024, 5, 19)
    )

    with transaction.atomic():
        position_publish(first)
        thread, outcome = _in_thread(lambda: position_publish(second))
        _wait_until_another_session_waits_on_a_lock()
    _finish(thread, outcome)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_current, second.is_current, second.supersedes_id) == (False, True, first.pk)


def test_event_publish_during_actor_merge_leaves_the_merged_actor_a_tombstone(concurrent_db):
    proposed = f.ActorFactory(status=ReviewStatus.CANDIDATE)
    survivor = f.ActorFactory()
    event = f.EventFactory(status=ReviewStatus.CANDIDATE)
    f.EventParticipantFactory(event=event, actor=proposed)

    with transaction.atomic():
        actor_merge(proposed, survivor)
        thread, outcome = _in_thread(lambda: event_publish(event))
        _wait_until_another_session_waits_on_a_lock()
    _finish(thread, outcome)

    proposed.refresh_from_db()
    event.refresh_from_db()
    assert (proposed.status, proposed.merged_into) == (ReviewStatus.MERGED, survivor)
    assert event.status == ReviewStatus.PUBLISHED
    assert list(event.participants.values_list("actor", flat=True)) == [survivor.pk]


def test_event_merge_during_actor_merge_moves_the_surviving_actor(concurrent_db):
    merged_away, survivor = f.ActorFactory(), f.ActorFactory()
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)
    f.EventParticipantFactory(event=source, actor=merged_away)

    with transaction.atomic():
        actor_merge(merged_away, survivor)
        thread, outcome = _in_thread(lambda: event_merge(source, target))
        _wait_until_another_session_waits_on_a_lock()
    _finish(thread, outcome)

    assert list(target.participants.values_list("actor", flat=True)) == [survivor.pk]
    assert not EventParticipant.objects.filter(actor=merged_away).exists()


def test_citation_create_during_event_merge_refuses_the_tombstone(concurrent_db):
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)
    article = f.ArticleFactory(text="The talks collapsed.")

    with transaction.atomic():
        event_merge(source, target)
        thread, outcome = _in_thread(
            lambda: citation_create(article=article, start=0, end=9, event=source)
        )
        _wait_until_another_session_waits_on_a_lock()

    with pytest.raises(DomainError, match="cite that one"):
        _finish(thread, outcome)
    assert not Citation.objects.filter(event=source).exists()


def test_position_publish_during_actor_merge_publishes_under_the_surviving_party(concurrent_db):
    merged_away, survivor = f.ActorFactory(), f.ActorFactory()
    held = position_publish(
        f.PositionFactory(party=survivor, valid_from=dt.date(2024, 5, 1), stance="truce")
    )
    newer = f.PositionFactory(
        party=merged_away, issue=held.issue, valid_from=dt.date(2024, 5, 19), stance="peace"
    )

    with transaction.atomic():
        actor_merge(merged_away, survivor)
        thread, outcome = _in_thread(lambda: position_publish(newer))
        _wait_until_another_session_waits_on_a_lock()
    _finish(thread, outcome)

    current = Position.objects.current().get(issue=held.issue)
    assert (current.pk, current.party, current.supersedes_id) == (newer.pk, survivor, held.pk)
