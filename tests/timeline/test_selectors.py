import datetime as dt

import pytest

from tests import factories as f
from timeline.models import CitationStance, Event, Modality, ReviewStatus
from timeline.selectors import TimelineFilters, negotiation_timeline, timeline_for_negotiation

pytestmark = pytest.mark.django_db


def _render(events) -> list[tuple]:
    """Touch everything a timeline row shows, as the API and reader pages do."""
    rows = []
    for event in events:
        rows.append(
            (
                event.summary,
                event.is_disputed,
                event.place and event.place.name,
                event.round and event.round.name,
                event.issue and event.issue.title,
                [(p.actor.name, p.role) for p in event.participants.all()],
                [
                    (c.quote, c.article.outlet.name, c.speaker_label, c.speaker_side)
                    for c in event.citations.all()
                ],
            )
        )
    return rows


def _full_event(negotiation, **kwargs) -> Event:
    event = f.EventFactory(
        negotiation=negotiation,
        place=f.PlaceFactory(),
        round=f.RoundFactory(negotiation=negotiation),
        issue=f.IssueFactory(negotiation=negotiation),
        **kwargs,
    )
    f.EventParticipantFactory(event=event)
    f.EventParticipantFactory(event=event, role="mediator")
    speaker = f.PersonFactory()
    f.CitationFactory(event=event, speaker=speaker, speaker_side=f.ActorFactory())
    f.CitationFactory(event=event, stance=CitationStance.DISPUTES)
    return event


def test_timeline_for_negotiation_orders_by_date_then_id_undated_last():
    negotiation = f.NegotiationFactory()
    undated = f.EventFactory(negotiation=negotiation, date=None)
    late = f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 21))
    early_b = f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 19))
    early_a = f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 13))

    events = list(timeline_for_negotiation(negotiation))

    assert events == [early_a, early_b, late, undated]


def test_timeline_for_negotiation_shows_only_published_events_of_that_negotiation():
    negotiation = f.NegotiationFactory()
    published = f.EventFactory(negotiation=negotiation)
    for status in (ReviewStatus.CANDIDATE, ReviewStatus.REJECTED, ReviewStatus.RETRACTED):
        f.EventFactory(negotiation=negotiation, status=status)
    f.EventFactory()  # another negotiation

    assert list(timeline_for_negotiation(negotiation)) == [published]


def test_timeline_for_negotiation_disputed_flag_says_who_disputes():
    negotiation = f.NegotiationFactory()
    disputed = f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 19))
    f.CitationFactory(event=disputed)
    f.CitationFactory(
        event=disputed,
        stance=CitationStance.DISPUTES,
        speaker_description="a senior Hamas official",
        attribution="anonymous_official",
    )
    plain = f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 20))
    f.CitationFactory(event=plain)

    first, second = timeline_for_negotiation(negotiation)

    assert (first.is_disputed, second.is_disputed) == (True, False)
    disputers = [c.speaker_label for c in first.citations.all() if c.stance == "disputes"]
    assert disputers == ["a senior Hamas official"]


def test_timeline_for_negotiation_filters():
    negotiation = f.NegotiationFactory()
    israel = f.ActorFactory(slug="israel")
    issue = f.IssueFactory(negotiation=negotiation, slug="rafah")
    round_ = f.RoundFactory(negotiation=negotiation, sequence=4)
    threat = f.EventFactory(
        negotiation=negotiation, kind="threat", issue=issue, date=dt.date(2024, 5, 16)
    )
    f.EventParticipantFactory(event=threat, actor=israel)
    planned = f.EventFactory(
        negotiation=negotiation,
        kind="scheduled",
        modality=Modality.PLANNED,
        round=round_,
        date=dt.date(2024, 5, 21),
    )
    f.CitationFactory(event=planned, stance=CitationStance.DISPUTES)
    spanning = f.EventFactory(
        negotiation=negotiation, date=dt.date(2024, 5, 10), end_date=dt.date(2024, 5, 18)
    )

    def ids(**kwargs):
        return [e.pk for e in timeline_for_negotiation(negotiation, TimelineFilters(**kwargs))]

    assert ids(parties=["israel"]) == [threat.pk]
    assert ids(kinds=["scheduled", "threat"]) == [threat.pk, planned.pk]
    assert ids(issue="rafah") == [threat.pk]
    assert ids(round=4) == [planned.pk]
    assert ids(modality="planned") == [planned.pk]
    assert ids(date_from=dt.date(2024, 5, 17)) == [spanning.pk, planned.pk]
    assert ids(date_to=dt.date(2024, 5, 16)) == [spanning.pk, threat.pk]
    assert ids(disputed=True) == [planned.pk]
    assert ids(disputed=False) == [spanning.pk, threat.pk]


@pytest.mark.parametrize("n_events", [1, 3])
def test_timeline_for_negotiation_query_count_is_fixed(django_assert_num_queries, n_events):
    negotiation = f.NegotiationFactory()
    for _ in range(n_events):
        _full_event(negotiation)

    # events (with place, round, issue), participants (with actor), citations (with
    # article, outlet, speaker, side)
    with django_assert_num_queries(3):
        rows = _render(timeline_for_negotiation(negotiation))

    assert len(rows) == n_events
    assert all(row[1] for row in rows)


def _backdate(event: Event, when: dt.datetime) -> None:
    event.history.all().update(history_date=when)


def _utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_negotiation_timeline_as_of_shows_state_before_a_later_edit():
    negotiation = f.NegotiationFactory()
    article = f.ArticleFactory(published_at=_utc(2024, 5, 19, 8))
    event = f.EventFactory(negotiation=negotiation, summary="Talks stall in Cairo.")
    f.CitationFactory(event=event, article=article)
    _backdate(event, _utc(2024, 5, 19, 9))

    event.summary = "Talks collapse in Cairo."
    event.save()

    then = negotiation_timeline(negotiation, as_of=dt.date(2024, 5, 20))
    now = negotiation_timeline(negotiation)
    assert [e.summary for e in then] == ["Talks stall in Cairo."]
    assert [e.summary for e in now] == ["Talks collapse in Cairo."]


def test_negotiation_timeline_as_of_leaves_out_event_first_reported_later():
    negotiation = f.NegotiationFactory()
    known = f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 19))
    f.CitationFactory(event=known, article=f.ArticleFactory(published_at=_utc(2024, 5, 19, 8)))
    later = f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 10))
    f.CitationFactory(event=later, article=f.ArticleFactory(published_at=_utc(2024, 5, 25, 8)))
    _backdate(known, _utc(2024, 5, 19, 9))
    _backdate(later, _utc(2024, 5, 19, 9))

    events = negotiation_timeline(negotiation, as_of=dt.date(2024, 5, 20))

    assert [e.pk for e in events] == [known.pk]
    assert len(negotiation_timeline(negotiation, as_of=dt.date(2024, 5, 26))) == 2


def test_negotiation_timeline_as_of_leaves_out_event_published_later():
    negotiation = f.NegotiationFactory()
    article = f.ArticleFactory(published_at=_utc(2024, 5, 19, 8))
    event = f.EventFactory(negotiation=negotiation, status=ReviewStatus.CANDIDATE)
    f.CitationFactory(event=event, article=article)
    _backdate(event, _utc(2024, 5, 19, 9))

    event.status = ReviewStatus.PUBLISHED
    event.save()

    assert negotiation_timeline(negotiation, as_of=dt.date(2024, 5, 20)) == []
    assert [e.pk for e in negotiation_timeline(negotiation)] == [event.pk]


def test_negotiation_timeline_as_of_disputed_only_by_reports_known_then():
    negotiation = f.NegotiationFactory()
    event = f.EventFactory(negotiation=negotiation)
    f.CitationFactory(event=event, article=f.ArticleFactory(published_at=_utc(2024, 5, 19, 8)))
    f.CitationFactory(
        event=event,
        stance=CitationStance.DISPUTES,
        article=f.ArticleFactory(published_at=_utc(2024, 5, 22, 8)),
    )
    _backdate(event, _utc(2024, 5, 19, 9))

    (then,) = negotiation_timeline(negotiation, as_of=dt.date(2024, 5, 20))
    (later,) = negotiation_timeline(negotiation, as_of=dt.date(2024, 5, 23))

    assert (then.is_disputed, len(then.citations.all())) == (False, 1)
    assert (later.is_disputed, len(later.citations.all())) == (True, 2)


def test_negotiation_timeline_as_of_applies_filters():
    negotiation = f.NegotiationFactory()
    article = f.ArticleFactory(published_at=_utc(2024, 5, 19, 8))
    meeting = f.EventFactory(negotiation=negotiation, kind="meeting")
    threat = f.EventFactory(negotiation=negotiation, kind="threat")
    for event in (meeting, threat):
        f.CitationFactory(event=event, article=article)
        _backdate(event, _utc(2024, 5, 19, 9))

    events = negotiation_timeline(
        negotiation, as_of=dt.date(2024, 5, 20), filters=TimelineFilters(kinds=["threat"])
    )

    assert [e.pk for e in events] == [threat.pk]


@pytest.mark.parametrize("n_events", [1, 3])
def test_negotiation_timeline_as_of_query_count_is_fixed(django_assert_num_queries, n_events):
    negotiation = f.NegotiationFactory()
    for _ in range(n_events):
        event = _full_event(negotiation)
        _backdate(event, _utc(2024, 5, 23, 10))

    # snapshots (newest history row per event, disputed flag inline), participants, citations
    with django_assert_num_queries(3):
        rows = _render(negotiation_timeline(negotiation, as_of=dt.date(2024, 5, 24)))

    assert len(rows) == n_events


def test_negotiation_timeline_as_of_follows_event_moved_to_another_negotiation():
    first, second = f.NegotiationFactory(), f.NegotiationFactory()
    event = f.EventFactory(negotiation=first)
    f.CitationFactory(event=event, article=f.ArticleFactory(published_at=_utc(2024, 5, 19, 8)))
    _backdate(event, _utc(2024, 5, 19, 9))
    event.negotiation = second
    event.save()
    event.history.filter(negotiation_id=second.pk).update(history_date=_utc(2024, 5, 21, 9))

    assert [e.pk for e in negotiation_timeline(first, as_of=dt.date(2024, 5, 20))] == [event.pk]
    assert negotiation_timeline(first, as_of=dt.date(2024, 5, 22)) == []
    assert [e.pk for e in negotiation_timeline(second, as_of=dt.date(2024, 5, 22))] == [event.pk]


def test_negotiation_timeline_as_of_leaves_out_event_deleted_by_then():
    negotiation = f.NegotiationFactory()
    article = f.ArticleFactory(published_at=_utc(2024, 5, 19, 8))
    kept = f.EventFactory(negotiation=negotiation)
    f.CitationFactory(event=kept, article=article)
    deleted = f.EventFactory(negotiation=negotiation)
    f.CitationFactory(event=deleted, article=article)
    _backdate(kept, _utc(2024, 5, 19, 9))
    _backdate(deleted, _utc(2024, 5, 19, 9))
    history = Event.history.model
    deleted_id = deleted.pk
    deleted.delete()
    history.objects.filter(id=deleted_id, history_type="-").update(
        history_date=_utc(2024, 5, 20, 9)
    )

    assert [e.pk for e in negotiation_timeline(negotiation, as_of=dt.date(2024, 5, 21))] == [
        kept.pk
    ]
