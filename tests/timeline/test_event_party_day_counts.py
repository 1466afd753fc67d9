"""The per-party activity table (EventPartyDayCount) follows every write that changes which
events count under a party: events published, retracted, merged, moved, deleted; participants
added, removed, changed; and who speaks for a party (affiliation, status, delegations and
their members). Each test compares the table with the party filter's own GROUP BY over
events (``TimelineFilters(parties=[slug]).apply``), for every actor, on PostgreSQL with the
migration's triggers; the SQLite triggers are checked in test_sqlite_triggers.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from tests import factories as f
from timeline import models as m
from timeline.selectors import negotiation_activity
from timeline.selectors.timeline import TimelineFilters
from timeline.services import actor_merge, event_merge, event_publish, event_retract

pytestmark = pytest.mark.django_db

MAY_19 = dt.date(2024, 5, 19)
MAY_20 = dt.date(2024, 5, 20)


def _table() -> dict[tuple, int]:
    return {
        (row.negotiation_id, row.party_id, row.day, row.kind): row.count
        for row in m.EventPartyDayCount.objects.filter(count__gt=0)
    }


def _truth() -> dict[tuple, int]:
    """What the party filter finds, for every actor as the party."""
    truth = {}
    for actor in m.Actor.objects.filter(status__in=m.ReviewStatus.PUBLIC):
        events = TimelineFilters(parties=[actor.slug]).apply(
            m.Event.objects.filter(status__in=m.ReviewStatus.PUBLIC, negotiation__isnull=False)
        )
        grouped = (
            events.order_by().values_list("negotiation_id", "date", "kind").annotate(n=Count("id"))
        )
        truth.update({(n_id, actor.pk, day, kind): n for n_id, day, kind, n in grouped})
    return truth


@pytest.fixture
def scene():
    """Israel with a minister (affiliated) and an envoy (in a delegation only), Hamas."""
    negotiation = f.NegotiationFactory()
    israel, hamas = f.ActorFactory(slug="israel"), f.ActorFactory(slug="hamas")
    minister = f.PersonFactory(affiliation=israel)
    envoy = f.PersonFactory()
    delegation = f.DelegationFactory(round__negotiation=negotiation, actor=israel)
    m.DelegationMember.objects.create(delegation=delegation, person=envoy)
    return negotiation, israel, hamas, minister, envoy, delegation


def test_an_event_with_two_of_a_partys_people_counts_once_under_it(scene):
    negotiation, israel, hamas, minister, envoy, _delegation = scene
    event = f.EventFactory(negotiation=negotiation)
    for actor in (israel, minister, envoy, hamas):
        f.EventParticipantFactory(event=event, actor=actor)

    table = _table()
    assert table[(negotiation.pk, israel.pk, MAY_19, "meeting")] == 1
    assert table[(negotiation.pk, hamas.pk, MAY_19, "meeting")] == 1
    assert table[(negotiation.pk, minister.pk, MAY_19, "meeting")] == 1
    assert table == _truth()


def test_party_counts_follow_publish_retract_and_merge(scene):
    negotiation, _israel, hamas, minister, _envoy, _delegation = scene
    candidate = f.EventFactory(negotiation=negotiation, status=m.ReviewStatus.CANDIDATE)
    f.EventParticipantFactory(event=candidate, actor=minister)
    assert _table() == {}

    event_publish(candidate)
    assert _table() == _truth() != {}

    source = f.EventFactory(negotiation=negotiation, date=MAY_20, kind=m.EventKind.THREAT)
    f.EventParticipantFactory(event=source, actor=hamas)
    event_merge(source, candidate)  # its participant moves to the target, on May 19
    assert _table()[(negotiation.pk, hamas.pk, MAY_19, "meeting")] == 1
    assert _table() == _truth()

    event_retract(candidate)
    assert _table() == _truth() == {}


def test_party_counts_follow_participants_added_changed_and_removed(scene):
    negotiation, israel, hamas, minister, envoy, _delegation = scene
    event = f.EventFactory(negotiation=negotiation)
    first = f.EventParticipantFactory(event=event, actor=minister)
    second = f.EventParticipantFactory(event=event, actor=envoy)
    assert _table() == _truth()

    first.delete()  # the envoy still gives the event to Israel
    assert _table()[(negotiation.pk, israel.pk, MAY_19, "meeting")] == 1
    assert _table() == _truth()

    second.actor = hamas
    second.save()
    assert (negotiation.pk, israel.pk, MAY_19, "meeting") not in _table()
    assert _table() == _truth()

    m.EventParticipant.objects.filter(pk=second.pk).update(event=f.EventFactory(date=MAY_20))
    m.EventParticipant.objects.bulk_create(
        [m.EventParticipant(event=event, actor=actor) for actor in (israel, minister, envoy)]
    )
    assert _table() == _truth()
    m.EventParticipant.objects.filter(actor__in=[minister, envoy]).delete()
    assert _table() == _truth()


def test_party_counts_follow_date_kind_and_negotiation_edits_and_deletes(scene):
    negotiation, israel, _hamas, minister, _envoy, _delegation = scene
    other = f.NegotiationFactory()
    event = f.EventFactory(negotiation=negotiation)
    f.EventParticipantFactory(event=event, actor=minister)
    f.EventFactory.create_batch(2, negotiation=negotiation)  # no participants: no party

    event.date, event.kind = None, m.EventKind.PROPOSAL
    event.save()
    assert _table()[(negotiation.pk, israel.pk, None, "proposal")] == 1
    assert _table() == _truth()

    m.Event.objects.filter(pk=event.pk).update(negotiation=other, date=MAY_20)
    assert _table() == _truth()
    assert _table()[(other.pk, israel.pk, MAY_20, "proposal")] == 1

    event.refresh_from_db()
    event.delete()  # its participants first, then the event
    assert _table() == _truth() == {}


def test_party_counts_follow_who_speaks_for_the_party(scene):
    negotiation, israel, hamas, minister, envoy, delegation = scene
    event = f.EventFactory(negotiation=negotiation)
    f.EventParticipantFactory(event=event, actor=minister)
    later = f.EventFactory(negotiation=negotiation, date=MAY_20)
    f.EventParticipantFactory(event=later, actor=envoy)
    assert _table() == _truth()

    minister.affiliation = hamas  # a defection
    minister.save()
    assert _table() == _truth()
    assert (negotiation.pk, israel.pk, MAY_19, "meeting") not in _table()

    m.DelegationMember.objects.filter(person=envoy).delete()
    assert _table() == _truth()
    delegation.head = envoy
    delegation.save()
    assert _table()[(negotiation.pk, israel.pk, MAY_20, "meeting")] == 1
    assert _table() == _truth()

    envoy.status = m.ReviewStatus.CANDIDATE
    envoy.save()
    assert _table() == _truth()
    hamas.status = m.ReviewStatus.REJECTED
    hamas.save()
    assert _table() == _truth()

    delegation.delete()
    assert _table() == _truth()


def test_party_counts_follow_an_actor_merge_and_deletes_of_actors_and_negotiations(scene):
    negotiation, _israel, hamas, minister, _envoy, _delegation = scene
    twin = f.PersonFactory(affiliation=hamas)
    event = f.EventFactory(negotiation=negotiation)
    f.EventParticipantFactory(event=event, actor=twin)
    f.EventParticipantFactory(event=f.EventFactory(negotiation=negotiation), actor=minister)

    actor_merge(twin, minister)
    assert _table() == _truth()

    loner = f.PersonFactory()
    f.EventParticipantFactory(event=f.EventFactory(negotiation=negotiation), actor=loner)
    loner.delete()
    assert not m.EventPartyDayCount.objects.filter(party_id=loner.pk).exists()
    assert _table() == _truth()

    negotiation.delete()  # its rounds, delegations, events and participants, table by table
    assert not m.EventPartyDayCount.objects.exists()


def test_the_chart_of_one_party_reads_the_table_and_matches_the_filtered_events(scene):
    negotiation, israel, hamas, minister, envoy, _delegation = scene
    for day, kind, people in [
        (MAY_19, "meeting", [minister, envoy]),
        (MAY_20, "threat", [hamas]),
        (None, "proposal", [israel]),
        (dt.date(2024, 8, 1), "meeting", [envoy, hamas]),
    ]:
        event = f.EventFactory(negotiation=negotiation, date=day, kind=kind)
        for person in people:
            f.EventParticipantFactory(event=event, actor=person)

    for filters in [
        TimelineFilters(parties=["israel"]),
        TimelineFilters(parties=["israel"], kinds=["meeting"], date_to=MAY_20),
        TimelineFilters(parties=["israel", "hamas"]),  # two: the events, counted once
    ]:
        events = filters.apply(m.Event.objects.published().for_negotiation(negotiation))
        expected = negotiation_activity(negotiation, filters=filters)
        assert expected.total + expected.undated == events.count()
    israel_only = negotiation_activity(negotiation, filters=TimelineFilters(parties=["israel"]))
    assert (israel_only.total, israel_only.undated) == (2, 1)
