"""Dates in words with their precision, kind labels, party colours and sanitising."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from tests import factories as f
from timeline.models import AttributionType, DatePrecision
from timeline.templatetags.reader import (
    PALETTE_SIZE,
    assign_colours,
    attribution_note,
    date_in_words,
    kind_label,
    party_colour,
    sanitised,
)

SUNDAY = dt.date(2024, 5, 19)


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        (DatePrecision.DAY, "Sunday 19 May 2024"),
        (DatePrecision.WEEK, "week of 13 May 2024"),
        (DatePrecision.MONTH, "May 2024"),
        (DatePrecision.YEAR, "2024"),
        (DatePrecision.APPROXIMATE, "around 19 May 2024"),
        (DatePrecision.UNKNOWN, "Date not known"),
    ],
)
def test_date_in_words_each_precision_says_no_more_than_known(precision, expected):
    assert date_in_words(SUNDAY, precision) == expected


def test_date_in_words_week_starts_on_monday_even_for_a_monday():
    assert date_in_words(dt.date(2024, 5, 13), DatePrecision.WEEK) == "week of 13 May 2024"


def test_date_in_words_undated_event_is_not_known():
    assert date_in_words(None, DatePrecision.DAY) == "Date not known"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (dt.date(2024, 5, 19), dt.date(2024, 5, 21), "19\u201321 May 2024"),
        (dt.date(2024, 5, 30), dt.date(2024, 6, 2), "30 May \u2013 2 June 2024"),
        (dt.date(2024, 12, 30), dt.date(2025, 1, 2), "30 December 2024 \u2013 2 January 2025"),
        (dt.date(2024, 5, 19), dt.date(2024, 5, 19), "Sunday 19 May 2024"),
    ],
)
def test_date_in_words_day_range_names_both_ends(start, end, expected):
    assert date_in_words(start, DatePrecision.DAY, end) == expected


def test_date_in_words_approximate_range_says_around():
    words = date_in_words(dt.date(2024, 5, 19), DatePrecision.APPROXIMATE, dt.date(2024, 5, 21))

    assert words == "around 19\u201321 May 2024"


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        ("day", '<time class="when" datetime="2024-05-19">Sunday 19 May 2024</time>'),
        ("week", '<time class="when" datetime="2024-W20">week of 13 May 2024</time>'),
        ("month", '<time class="when" datetime="2024-05">May 2024</time>'),
        ("approximate", '<time class="when" datetime="2024-05-19">around 19 May 2024</time>'),
        ("unknown", '<span class="when when-unknown">Date not known</span>'),
    ],
)
def test_when_tag_gives_machine_date_at_the_same_precision(precision, expected):
    template = Template("{% load reader %}{% when day precision %}")

    html = template.render(Context({"day": SUNDAY, "precision": precision}))

    assert html == expected


def test_in_words_filter_renders_in_a_template():
    html = Template("{% load reader %}{{ day|in_words:'month' }}").render(Context({"day": SUNDAY}))

    assert html == "May 2024"


def test_kind_label_names_known_kinds_and_humanises_unknown_ones():
    assert kind_label("delegation_departure") == "Delegation leaves"
    assert kind_label("secret_channel") == "Secret channel"


def test_kind_icon_is_hidden_from_screen_readers():
    html = Template("{% load reader %}{% kind_icon 'meeting' %}").render(Context())

    assert 'aria-hidden="true"' in html
    assert "icons.svg#i-meeting" in html


@pytest.mark.django_db
def test_assign_colours_gives_each_side_of_one_negotiation_its_own_colour():
    actors = [f.ActorFactory() for _ in range(PALETTE_SIZE)]

    colours = assign_colours(actors)

    assert sorted(colours.values()) == list(range(PALETTE_SIZE))


@pytest.mark.django_db
def test_assign_colours_is_stable_for_an_actor_across_pages():
    israel = f.ActorFactory(slug="israel")
    hamas = f.ActorFactory(slug="hamas")

    first = assign_colours([israel, hamas])
    again = assign_colours([israel, hamas, f.ActorFactory()])

    assert first[israel.pk] == again[israel.pk]
    assert first[hamas.pk] == again[hamas.pk]


@pytest.mark.django_db
def test_party_colour_gives_a_person_the_colour_of_their_side():
    israel = f.ActorFactory(slug="israel")
    netanyahu = f.PersonFactory(affiliation=israel)
    colours = assign_colours([israel])

    assert party_colour(netanyahu, colours) == party_colour(israel, colours)
    assert party_colour(f.ActorFactory(), colours) == "party-none"


def test_sanitised_removes_script_and_event_handlers_but_keeps_text_markup():
    html = sanitised(
        '<p onclick="steal()">Talks <em>resumed</em><script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a><a href="https://news.example/a">report</a></p>'
    )

    assert html == (
        '<p>Talks <em>resumed</em><a rel="noopener noreferrer nofollow">x</a>'
        '<a href="https://news.example/a" rel="noopener noreferrer nofollow">report</a></p>'
    )


def test_sanitised_escapes_plain_text_ampersands():
    assert sanitised("Egypt & Qatar <mediate>") == "Egypt &amp; Qatar "


@pytest.mark.parametrize(
    ("attribution", "named", "with_side", "expected"),
    [
        (AttributionType.ANONYMOUS_OFFICIAL, False, True, "anonymous official, Israel"),
        (AttributionType.NAMED_OFFICIAL, True, True, "named official"),
        (AttributionType.OUTLET, False, False, ""),
        (AttributionType.SPOKESPERSON, False, False, "spokesperson"),
    ],
)
def test_attribution_note_names_the_kind_and_an_unnamed_speakers_side(
    db, attribution, named, with_side, expected
):
    side = f.ActorFactory(name="Israel")
    citation = f.CitationFactory.build(
        attribution=attribution,
        speaker=f.PersonFactory(affiliation=side) if named else None,
        speaker_side=side if with_side else None,
    )

    assert attribution_note(citation) == expected
