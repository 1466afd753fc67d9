"""Events per week by kind, as data and as an SVG with text alternatives."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories as f
from timeline import models as m
from timeline.activity_svg import activity_description, activity_svg
from timeline.selectors import negotiation_activity

pytestmark = pytest.mark.django_db


def test_activity_counts_weeks_from_monday_and_fills_quiet_weeks(db):
    negotiation = f.NegotiationFactory()
    f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 19), kind=m.EventKind.MEETING)
    f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 13), kind=m.EventKind.THREAT)
    f.EventFactory(negotiation=negotiation, date=dt.date(2024, 6, 3), kind=m.EventKind.PROPOSAL)
    f.EventFactory(negotiation=negotiation, date=None, kind=m.EventKind.STATEMENT)
    f.EventFactory(negotiation=negotiation, status=m.ReviewStatus.CANDIDATE)

    activity = negotiation_activity(negotiation)

    assert [w.start for w in activity.weeks] == [
        dt.date(2024, 5, 13),
        dt.date(2024, 5, 20),
        dt.date(2024, 5, 27),
        dt.date(2024, 6, 3),
    ]
    assert [w.total for w in activity.weeks] == [2, 0, 0, 1]
    assert activity.weeks[0].counts == {
        "talks": 1,
        "offers": 0,
        "statements": 0,
        "friction": 1,
        "military": 0,
    }
    assert activity.undated == 1
    assert activity.total == 3


def test_activity_as_of_leaves_out_later_events(db):
    negotiation = f.NegotiationFactory()
    f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 19))
    f.EventFactory(negotiation=negotiation, date=dt.date(2024, 6, 19))

    activity = negotiation_activity(negotiation, as_of=dt.date(2024, 5, 31))

    assert activity.total == 1


def test_activity_svg_describes_itself_in_words(db):
    negotiation = f.NegotiationFactory()
    f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 19), kind=m.EventKind.BREAKDOWN)
    f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 20), kind=m.EventKind.MEETING)
    f.EventFactory(negotiation=negotiation, date=None)

    activity = negotiation_activity(negotiation)

    assert activity_description(activity) == (
        "2 dated events over 2 weeks, from the week of 13 May 2024 to the week of 20 May 2024. "
        "The busiest was the week of 13 May 2024, with 1. By kind: talks and delegations: 1, "
        "threats, walkouts and breakdowns: 1. 1 more has no date."
    )
    svg = str(activity_svg(activity))
    assert svg.count("<rect ") == 2
    assert '<rect class="act-friction"' in svg


def test_activity_svg_of_an_empty_negotiation_says_so(db):
    activity = negotiation_activity(f.NegotiationFactory())

    svg = str(activity_svg(activity))

    assert '<desc id="activity-desc">No dated events yet.</desc>' in svg
    assert "<rect" not in svg
