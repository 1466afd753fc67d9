"""Event services: publish, reject, retract, merge."""

import datetime as dt

import pytest

from tests import factories as f
from timeline.models import (
    Event,
    EventParticipant,
    ReviewStatus,
)
from timeline.services import (
    DomainError,
    event_merge,
    event_publish,
    event_reject,
    event_retract,
)

pytestmark = pytest.mark.django_db


# --- events -------------------------------------------------------------------------------


def test_event_publish_candidate_becomes_published_with_timestamp():
    event = f.EventFactory(status=ReviewStatus.CANDIDATE)

    published = event_publish(event)

    assert published.status == ReviewStatus.PUBLISHED
    assert published.published_at is not None
    assert Event.objects.published().get() == event


def test_event_publish_without_negotiation_is_refused():
    event = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=None)

    with pytest.raises(DomainError, match="negotiation"):
        event_publish(event)

    event.refresh_from_db()
    assert event.status == ReviewStatus.CANDIDATE


def test_event_publish_with_chosen_negotiation_sets_it():
    event = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=None)
    negotiation = f.NegotiationFactory()

    published = event_publish(event, negotiation=negotiation)

    assert published.negotiation == negotiation
    assert published.status == ReviewStatus.PUBLISHED


def test_event_publish_promotes_candidate_actors_it_names():
    event = f.EventFactory(status=ReviewStatus.CANDIDATE)
    proposed = f.ActorFactory(status=ReviewStatus.CANDIDATE)
    f.EventParticipantFactory(event=event, actor=proposed)

    event_publish(event)

    proposed.refresh_from_db()
    assert proposed.status == ReviewStatus.PUBLISHED


def test_event_publish_merged_event_is_refused():
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)
    event_merge(source, target)

    with pytest.raises(DomainError, match="merged"):
        event_publish(source)


def test_event_reject_candidate_becomes_rejected():
    event = f.EventFactory(status=ReviewStatus.CANDIDATE)

    event_reject(event)

    event.refresh_from_db()
    assert event.status == ReviewStatus.REJECTED


def test_event_reject_published_event_is_refused():
    event = f.EventFactory(status=ReviewStatus.PUBLISHED)

    with pytest.raises(DomainError, match="Retract"):
        event_reject(event)


def test_event_retract_published_event_leaves_a_tombstone():
    event = f.EventFactory(status=ReviewStatus.PUBLISHED)

    event_retract(event)

    event.refresh_from_db()
    assert event.status == ReviewStatus.RETRACTED
    assert list(Event.objects.tombstones()) == [event]
    assert Event.objects.published().count() == 0


def test_event_retract_candidate_is_refused():
    event = f.EventFactory(status=ReviewStatus.CANDIDATE)

    with pytest.raises(DomainError):
        event_retract(event)


def test_event_merge_moves_citations_and_participants_and_leaves_tombstone():
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)
    shared_actor = f.ActorFactory()
    f.EventParticipantFactory(event=target, actor=shared_actor)
    f.EventParticipantFactory(event=source, actor=shared_actor)
    other_actor = f.ActorFactory()
    f.EventParticipantFactory(event=source, actor=other_actor)
    citation = f.CitationFactory(event=source)

    result = event_merge(source, target)

    source.refresh_from_db()
    assert result == target
    assert source.status == ReviewStatus.MERGED
    assert source.merged_into == target
    citation.refresh_from_db()
    assert citation.event == target
    assert sorted(target.participants.values_list("actor__name", flat=True)) == sorted(
        [shared_actor.name, other_actor.name]
    )
    assert EventParticipant.objects.filter(event=source).count() == 0
    assert list(Event.objects.tombstones()) == [source]


def test_event_merge_fills_missing_date_and_place_from_source():
    target = f.EventFactory(date=None, date_text="", place=None)
    place = f.PlaceFactory()
    source = f.EventFactory(
        status=ReviewStatus.CANDIDATE,
        negotiation=target.negotiation,
        date=dt.date(2024, 5, 19),
        date_text="on Sunday",
        place=place,
    )

    event_merge(source, target)

    target.refresh_from_db()
    assert (target.date, target.date_text, target.place) == (
        dt.date(2024, 5, 19),
        "on Sunday",
        place,
    )


def test_event_merge_repoints_earlier_tombstones_to_the_new_target():
    final = f.EventFactory()
    middle = f.EventFactory(negotiation=final.negotiation)
    first = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=final.negotiation)
    event_merge(first, middle)

    event_merge(middle, final)

    first.refresh_from_db()
    assert first.merged_into == final


def test_event_merge_into_itself_is_refused():
    event = f.EventFactory()

    with pytest.raises(DomainError, match="itself"):
        event_merge(event, event)


def test_event_merge_into_rejected_event_is_refused():
    target = f.EventFactory(status=ReviewStatus.REJECTED)
    source = f.EventFactory(status=ReviewStatus.CANDIDATE)

    with pytest.raises(DomainError, match="rejected"):
        event_merge(source, target)


def test_event_merge_already_merged_source_is_refused():
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)
    event_merge(source, target)
    other = f.EventFactory(negotiation=target.negotiation)

    with pytest.raises(DomainError, match="already merged"):
        event_merge(source, other)


def test_event_merge_history_records_the_tombstone():
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)

    event_merge(source, target)

    assert source.history.first().status == ReviewStatus.MERGED
    assert source.history.first().merged_into_id == target.pk
