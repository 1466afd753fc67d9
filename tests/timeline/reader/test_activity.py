"""Events per week by kind, as data and as an SVG with text alternatives."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from timeline import models as m
from timeline.activity_svg import activity_description, activity_svg, y_ticks
from timeline.selectors import TimelineFilters, negotiation_activity
from timeline.selectors.activity import activity_of, bar_unit
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

    assert [w.start for w in activity.bars] == [
        dt.date(2024, 5, 13),
        dt.date(2024, 5, 20),
        dt.date(2024, 5, 27),
        dt.date(2024, 6, 3),
    ]
    assert [w.total for w in activity.bars] == [2, 0, 0, 1]
    assert activity.bars[0].counts == {
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

    assert [(w.start, w.total) for w in then.bars] == [
        (dt.date(2024, 5, 13), 3),
        (dt.date(2024, 5, 20), 1),  # the crisis statement
    ]
    assert then.bars[0].counts["friction"] == 1  # the breakdown
    assert then.bars[0].counts["talks"] == 2  # the meeting and departure, not the late one
    assert now.bars[0].counts["talks"] == 3
    assert now.total == 8


def test_activity_as_of_counts_reported_events_at_their_curated_date(talks):
    # Reported as 19 May at the time; an editor moved it to 27 May afterwards. "As known on"
    # is what the reports up to then said, as curated now: it counts on 27 May in both views.
    talks.departure.date = dt.date(2024, 5, 27)
    talks.departure.save()

    then = negotiation_activity(talks.negotiation, as_of=dt.date(2024, 5, 20))
    now = negotiation_activity(talks.negotiation)

    assert [(w.start, w.total) for w in then.bars][:3] == [
        (dt.date(2024, 5, 13), 2),
        (dt.date(2024, 5, 20), 1),
        (dt.date(2024, 5, 27), 1),
    ]
    # Now the return trip of 28 May (first reported on the 23rd) counts that week too.
    assert [(w.start, w.total) for w in now.bars][:3] == [
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


def test_activity_reads_the_summary_table_not_the_events(db):
    negotiation = f.NegotiationFactory()
    f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 19), kind=m.EventKind.THREAT)
    f.EventFactory(negotiation=negotiation, date=dt.date(2024, 6, 3))
    kinds_and_end = TimelineFilters(kinds=["threat"], date_to=dt.date(2024, 6, 1))

    with CaptureQueriesContext(connection) as unfiltered:
        everything = negotiation_activity(negotiation)
    with CaptureQueriesContext(connection) as filtered:
        threats = negotiation_activity(negotiation, filters=kinds_and_end)

    sql = [q["sql"] for q in [*unfiltered.captured_queries, *filtered.captured_queries]]
    assert len(sql) == 4
    assert all('"timeline_eventdaycount"' in q and '"timeline_event"' not in q for q in sql)
    assert (everything.total, threats.total) == (2, 1)


def test_activity_of_one_party_reads_the_party_table(talks):
    with CaptureQueriesContext(connection) as captured:
        activity = negotiation_activity(
            talks.negotiation, filters=TimelineFilters(parties=["egypt"])
        )

    assert not any('"timeline_event"' in q["sql"] for q in captured.captured_queries)
    assert any('"timeline_eventpartydaycount"' in q["sql"] for q in captured.captured_queries)
    assert activity.total == 2  # Egypt mediates the meeting and is named in the breakdown


def test_activity_with_a_filter_the_tables_cannot_answer_counts_the_events(talks):
    # Two parties: an event of both counts once, which a sum of their rows would not.
    with CaptureQueriesContext(connection) as captured:
        activity = negotiation_activity(
            talks.negotiation, filters=TimelineFilters(parties=["egypt", "hamas"])
        )

    assert all('"timeline_event"' in q["sql"] for q in captured.captured_queries[-2:])
    events = TimelineFilters(parties=["egypt", "hamas"]).apply(
        m.Event.objects.published().for_negotiation(talks.negotiation)
    )
    assert activity.total + activity.undated == events.count() > 2


def test_activity_of_a_long_negotiation_has_at_most_60_bars(db):
    negotiation = f.NegotiationFactory()
    for day in (dt.date(2020, 1, 6), dt.date(2020, 2, 1), dt.date(2021, 12, 31)):
        f.EventFactory(negotiation=negotiation, date=day)

    activity = negotiation_activity(negotiation)

    assert activity.unit == "month"
    assert len(activity.bars) == 24
    assert [(b.start, b.total) for b in activity.bars if b.total] == [
        (dt.date(2020, 1, 1), 1),
        (dt.date(2020, 2, 1), 1),
        (dt.date(2021, 12, 1), 1),
    ]


@pytest.mark.parametrize(
    ("first", "last", "unit", "bars"),
    [
        (dt.date(2024, 1, 1), dt.date(2024, 1, 1), "week", 1),
        (dt.date(2024, 1, 1), dt.date(2025, 2, 17), "week", 60),
        (dt.date(2024, 1, 1), dt.date(2025, 2, 24), "month", 14),
        (dt.date(2020, 1, 1), dt.date(2024, 12, 31), "month", 60),
        (dt.date(2020, 1, 1), dt.date(2025, 1, 1), "quarter", 21),
        (dt.date(1990, 1, 1), dt.date(2025, 1, 1), "year", 36),
    ],
)
def test_activity_bar_width_is_the_narrowest_that_fits_60_bars(first, last, unit, bars):
    activity = activity_of([(first, "meeting", 1), (last, "meeting", 1)], bar_unit(first, last))

    assert (activity.unit, len(activity.bars)) == (unit, bars)


@pytest.mark.parametrize(
    ("peak", "ticks"),
    [
        (1, [0, 1, 2]),
        (3, [0, 1, 2, 3]),
        (4, [0, 1, 2, 3, 4]),
        (7, [0, 2, 4, 6, 8]),
        (9, [0, 5, 10]),
        (37, [0, 10, 20, 30, 40]),
        (180, [0, 50, 100, 150, 200]),
        (1234, [0, 500, 1000, 1500]),
    ],
)
def test_activity_y_axis_has_3_to_5_round_ticks_up_to_the_peak(peak, ticks):
    assert y_ticks(peak) == ticks


def test_activity_svg_labels_are_centred_under_their_bars_with_y_ticks(db):
    negotiation = f.NegotiationFactory()
    f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 13))
    f.EventFactory.create_batch(3, negotiation=negotiation, date=dt.date(2024, 5, 20))

    svg = str(activity_svg(negotiation_activity(negotiation)))

    bars = re.findall(r'<rect class="act-talks" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    labels = re.findall(r'class="axis-label bar-label" data-start="[-\d]+" x="([\d.]+)"', svg)
    assert [float(x) + float(w) / 2 for x, w in bars] == [float(x) for x in labels]
    assert 'text-anchor="middle">13 May</text>' in svg
    assert re.findall(r'class="axis-label y-tick"[^>]*>(\d+)<', svg) == ["0", "1", "2", "3"]
