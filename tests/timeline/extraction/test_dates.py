"""Relative dates resolved against the publication date, with tense (property tests)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from timeline.extraction.dates import WEEKDAYS, find_dates

DAYS = st.dates(min_value=dt.date(1980, 1, 1), max_value=dt.date(2040, 12, 31))
WEEKDAY = st.sampled_from([w.capitalize() for w in WEEKDAYS])


def _one(text: str, published: dt.date):
    found = find_dates(text, published)
    assert len(found) == 1, found
    return found[0]


@given(published=DAYS, weekday=WEEKDAY)
def test_past_weekday_is_the_one_on_or_before_publication(published, weekday):
    mention = _one(f"The talks reached an impasse on {weekday}, officials said.", published)

    assert mention.date.strftime("%A") == weekday
    assert 0 <= (published - mention.date).days <= 6
    assert mention.precision == "day"
    assert mention.text == f"on {weekday}"


@given(published=DAYS, weekday=WEEKDAY)
def test_future_weekday_is_the_one_on_or_after_publication(published, weekday):
    mention = _one(f"Hamas' political leadership meets on {weekday} in Doha.", published)

    assert mention.date.strftime("%A") == weekday
    assert 0 <= (mention.date - published).days <= 6
    assert mention.tense == "future"


@given(published=DAYS, weekday=WEEKDAY)
def test_reported_future_with_would_looks_forward(published, weekday):
    text = f"A report said that a Hamas delegation would return to Cairo on {weekday}."

    mention = _one(text, published)

    assert 0 <= (mention.date - published).days <= 6


@given(published=DAYS, weekday=WEEKDAY)
def test_said_on_weekday_followed_by_would_stays_in_the_past(published, weekday):
    text = f"Netanyahu said on {weekday} that he would not agree to a complete withdrawal."

    mention = _one(text, published)

    assert 0 <= (published - mention.date).days <= 6


@given(published=DAYS)
def test_yesterday_today_tomorrow_cross_month_and_year_boundaries(published):
    found = find_dates("Talks failed yesterday, resume today and end tomorrow.", published)

    assert [m.date for m in found] == [
        published - dt.timedelta(days=1),
        published,
        published + dt.timedelta(days=1),
    ]


@given(published=DAYS, day=st.integers(1, 28), month=st.integers(1, 12))
def test_month_and_day_without_year_takes_the_nearest_year(published, day, month):
    name = dt.date(2000, month, day).strftime("%B")

    mention = _one(f"The first round concluded on {name} {day}.", published)

    assert (mention.date.month, mention.date.day) == (month, day)
    assert abs((mention.date - published).days) <= 366


def test_vague_expressions_keep_their_words_and_are_approximate():
    published = dt.date(2024, 5, 23)

    found = find_dates(
        "He pledged again in recent days to invade; they were close during the past week.",
        published,
    )

    assert [(m.text, m.precision) for m in found] == [
        ("in recent days", "approximate"),
        ("during the past week", "approximate"),
    ]
    assert [m.date for m in found] == [None, None]


def test_explicit_dates_in_both_orders_and_abbreviated_months():
    published = dt.date(2016, 3, 15)

    found = find_dates(
        "The truce came into effect on Feb. 27; on 7 October 2023 the war began; "
        "the Islamabad round opened on April 11, 2026.",
        published,
    )

    assert [m.date for m in found] == [
        dt.date(2016, 2, 27),
        dt.date(2023, 10, 7),
        dt.date(2026, 4, 11),
    ]


def test_expected_to_begin_weekday_is_future_and_began_weekday_is_past():
    published = dt.date(2026, 4, 11)  # a Saturday

    future = _one("Negotiations are expected to begin Tuesday in Washington.", published)
    past = _one("A two-week ceasefire that began Tuesday has come under strain.", published)

    assert future.date == dt.date(2026, 4, 14)
    assert past.date == dt.date(2026, 4, 7)


def test_weeks_and_months_get_a_coarser_precision():
    published = dt.date(2020, 9, 8)

    found = find_dates("She meets ministers later this month; talks started last week.", published)

    assert [(m.text, m.precision) for m in found][1] == ("last week", "week")
    assert found[1].date == dt.date(2020, 8, 31)


@given(
    count=st.integers(min_value=1, max_value=10**12),
    unit=st.sampled_from(["day", "week", "month", "year"]),
    published=DAYS,
)
def test_any_count_ago_resolves_or_stays_unresolved_without_raising(count, unit, published):
    # Found by the poison-input fault test: "9999999 days ago" raised OverflowError and failed
    # the whole report. Any count gives either a date before publication or no date.
    found = find_dates(f"The talks collapsed {count} {unit}s ago, officials said.", published)

    assert len(found) == 1
    mention = found[0]
    if mention.date is None:
        assert mention.precision == "approximate"
    else:
        assert mention.date <= published
        assert published.year - mention.date.year <= 1001
