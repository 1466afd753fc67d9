"""Events per week by kind, as data and as an SVG with text alternatives."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests import factories as f
from timeline import models as m
from timeline.activity_svg import activity_description, activity_svg
from timeline.selectors import negotiation_activity
from timeline.services import event_publish

from .conftest import aware

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


def test_activity_as_of_leaves_out_events_reported_later(talks):
    # Happened on 14 May, but no report mentioned it before 5 June.
    late = f.EventFactory(
        negotiation=talks.negotiation, date=dt.date(2024, 5, 14), kind=m.EventKind.MEETING
    )
    f.CitationFactory(event=late, article=f.ArticleFactory(published_at=aware(2024, 6, 5)))
    m.Event.history.filter(id=late.pk).update(history_date=aware(2024, 6, 5, 12))

    then = negotiation_activity(talks.negotiation, as_of=dt.date(2024, 5, 20))
    now = negotiation_activity(talks.negotiation)

    assert [(w.start, w.total) for w in then.weeks] == [
        (dt.date(2024, 5, 13), 3),
        (dt.date(2024, 5, 20), 1),  # the crisis statement
    ]
    assert then.weeks[0].counts["friction"] == 1  # the breakdown
    assert then.weeks[0].counts["talks"] == 2  # the meeting and departure, not the late one
    assert now.weeks[0].counts["talks"] == 3
    assert now.total == 8


def test_activity_as_of_counts_reported_events_at_their_curated_date(talks):
    # Reported as 19 May at the time; an editor moved it to 27 May afterwards. "As known on"
    # is what the reports up to then said, as curated now: it counts on 27 May in both views.
    talks.departure.date = dt.date(2024, 5, 27)
    talks.departure.save()

    then = negotiation_activity(talks.negotiation, as_of=dt.date(2024, 5, 20))
    now = negotiation_activity(talks.negotiation)

    assert [(w.start, w.total) for w in then.weeks][:3] == [
        (dt.date(2024, 5, 13), 2),
        (dt.date(2024, 5, 20), 1),
        (dt.date(2024, 5, 27), 1),
    ]
    # Now the return trip of 28 May (first reported on the 23rd) counts that week too.
    assert [(w.start, w.total) for w in now.weeks][:3] == [
        (dt.date(2024, 5, 13), 2),
        (dt.date(2024, 5, 20), 1),
        (dt.date(2024, 5, 27), 2),
    ]


def test_timeline_page_as_of_chart_counts_what_the_timeline_shows(client, talks):
    late = f.EventFactory(negotiation=talks.negotiation, date=dt.date(2024, 5, 14))
    f.CitationFactory(event=late, article=f.ArticleFactory(published_at=aware(2024, 6, 5)))
    m.Event.history.filter(id=late.pk).update(history_date=aware(2024, 6, 5, 12))

    html = client.get("/n/israel-hamas/?as_of=2024-05-20").content.decode()

    assert len(re.findall(r'<article class="event', html)) == 4
    assert (
        "4 dated events over 2 weeks, from the week of 13 May 2024 to the week of 20 May 2024."
    ) in html


def test_timeline_page_chart_counts_what_the_filters_leave(client, talks):
    as_of = client.get("/n/israel-hamas/?as_of=2024-06-30&party=egypt").content.decode()
    live = client.get("/n/israel-hamas/?party=hamas").content.decode()

    # Egypt mediated the meeting and was at the breakdown, both on 19 May.
    assert len(re.findall(r'<article class="event', as_of)) == 2
    assert "2 dated events over 1 week" in as_of
    assert "4 dated events over 3 weeks" in live  # Hamas: three on 19 May, the return trip


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


def test_activity_is_cached_until_the_timeline_changes(talks, django_assert_num_queries):
    negotiation = m.Negotiation.objects.get(pk=talks.negotiation.pk)
    first = negotiation_activity(negotiation)
    with django_assert_num_queries(0):
        cached = negotiation_activity(negotiation)
    event_publish(f.EventFactory(negotiation=talks.negotiation, status=m.ReviewStatus.CANDIDATE))

    after = negotiation_activity(m.Negotiation.objects.get(pk=talks.negotiation.pk))

    assert cached.total == first.total
    assert after.total == first.total + 1
