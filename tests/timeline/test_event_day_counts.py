"""The activity summary table (EventDayCount) follows every write to an event, whichever path
makes it: services, the admin's saves, QuerySet.update, merges, deletes. Each test compares the
table with the GROUP BY over events it replaces, on PostgreSQL with the migration's triggers."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db.models import Count

from tests import factories as f
from timeline import models as m
from timeline.services import event_merge, event_publish, event_reject, event_retract

pytestmark = pytest.mark.django_db

MAY_19 = dt.date(2024, 5, 19)
MAY_20 = dt.date(2024, 5, 20)


def _table() -> dict[tuple, int]:
    return {
        (row.negotiation_id, row.day, row.kind): row.count
        for row in m.EventDayCount.objects.filter(count__gt=0)
    }


def _truth() -> dict[tuple, int]:
    grouped = (
        m.Event.objects.filter(status__in=m.ReviewStatus.PUBLIC, negotiation__isnull=False)
        .order_by()
        .values_list("negotiation_id", "date", "kind")
        .annotate(n=Count("id"))
    )
    return {(n_id, day, kind): n for n_id, day, kind, n in grouped}


def test_event_day_counts_trigger_counts_the_public_group_of_the_choices():
    migration = importlib.import_module("timeline.migrations.0009_event_day_count")

    assert migration.PUBLIC == m.ReviewStatus.PUBLIC


def test_event_day_counts_count_published_events_by_day_and_kind():
    negotiation = f.NegotiationFactory()
    f.EventFactory.create_batch(2, negotiation=negotiation, date=MAY_19)
    f.EventFactory(negotiation=negotiation, date=MAY_19, kind=m.EventKind.THREAT)
    f.EventFactory(negotiation=negotiation, date=None)
    f.EventFactory(negotiation=negotiation, date=MAY_20, status=m.ReviewStatus.CANDIDATE)

    assert _table() == {
        (negotiation.pk, MAY_19, "meeting"): 2,
        (negotiation.pk, MAY_19, "threat"): 1,
        (negotiation.pk, None, "meeting"): 1,
    }
    assert _table() == _truth()


def test_event_day_counts_follow_publish_reject_and_retract():
    negotiation = f.NegotiationFactory()
    candidate = f.EventFactory(negotiation=negotiation, status=m.ReviewStatus.CANDIDATE)
    other = f.EventFactory(negotiation=negotiation, status=m.ReviewStatus.CANDIDATE)
    assert _table() == {}

    event_publish(candidate)
    event_reject(other)
    assert _table() == {(negotiation.pk, MAY_19, "meeting"): 1}

    event_retract(candidate)
    assert _table() == {}
    assert _table() == _truth()


def test_event_day_counts_follow_a_merge():
    negotiation = f.NegotiationFactory()
    source = f.EventFactory(negotiation=negotiation, date=MAY_20)
    target = f.EventFactory(negotiation=negotiation, date=MAY_19)

    event_merge(source, target)

    assert _table() == {(negotiation.pk, MAY_19, "meeting"): 1}
    assert _table() == _truth()


def test_event_day_counts_follow_a_change_of_date_kind_and_negotiation():
    first, second = f.NegotiationFactory(), f.NegotiationFactory()
    event = f.EventFactory(negotiation=first, date=MAY_19)

    event.date = MAY_20
    event.save()
    assert _table() == {(first.pk, MAY_20, "meeting"): 1}

    event.date = None
    event.kind = m.EventKind.PROPOSAL
    event.save()
    assert _table() == {(first.pk, None, "proposal"): 1}

    event.negotiation = second
    event.save()
    assert _table() == {(second.pk, None, "proposal"): 1}
    assert _table() == _truth()


def test_event_day_counts_follow_deletes_of_events_and_of_their_negotiation():
    kept, dropped = f.NegotiationFactory(), f.NegotiationFactory()
    gone, _stays = f.EventFactory.create_batch(2, negotiation=kept)
    f.EventFactory.create_batch(3, negotiation=dropped, date=None)

    gone.delete()
    dropped.delete()  # cascades to its events and its count rows

    assert _table() == {(kept.pk, MAY_19, "meeting"): 1}
    assert _table() == _truth()


def test_event_day_counts_follow_bulk_updates_and_bulk_creates():
    negotiation = f.NegotiationFactory()
    m.Event.objects.bulk_create(
        [
            m.Event(negotiation=negotiation, kind=kind, summary="s", date=day, status=status)
            for kind in ("meeting", "threat")
            for day in (MAY_19, MAY_20, None)
            for status in ("published", "candidate")
        ]
    )
    assert _table() == _truth()
    assert sum(_table().values()) == 6

    m.Event.objects.filter(kind="threat").update(date=MAY_20)
    assert _table() == _truth()
    m.Event.objects.filter(status="candidate").update(status="published")
    assert _table() == _truth()
    m.Event.objects.filter(date=MAY_20).update(status="rejected")
    assert _table() == _truth()
    m.Event.objects.filter(kind="meeting").delete()

    assert _table() == _truth() == {}


@pytest.mark.django_db(transaction=True)
def test_event_day_counts_migration_counts_the_events_already_there():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("timeline", "0008_corroboration")], [("timeline", "0009_event_day_count")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    negotiation = old.get_model("timeline", "Negotiation").objects.create(
        title="Old talks", slug="old-talks", kind="peace"
    )
    Event = old.get_model("timeline", "Event")
    for day, status in [(MAY_19, "published"), (MAY_19, "published"), (None, "published")]:
        Event.objects.create(
            negotiation=negotiation, kind="meeting", summary="s", date=day, status=status
        )
    Event.objects.create(negotiation=negotiation, kind="meeting", summary="s", status="candidate")

    executor = MigrationExecutor(connection)
    executor.migrate(after)

    assert _table() == {
        (negotiation.pk, MAY_19, "meeting"): 2,
        (negotiation.pk, None, "meeting"): 1,
    }
    m.Event.objects.filter(negotiation_id=negotiation.pk, date=None).update(date=MAY_20)
    assert _table() == _truth()  # and the triggers work from then on
