"""Reader pages run a fixed number of queries whatever the data; the timeline benchmark."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from timeline import models as m

from .conftest import aware
from .pages import event_ids

pytestmark = pytest.mark.django_db


# --- Query counts: fixed whatever the number of events ------------------------------------


def build_timeline(count: int) -> m.Negotiation:
    negotiation = f.NegotiationFactory(slug="counted")
    sides = [f.ActorFactory() for _ in range(3)]
    for actor in sides:
        f.ParticipationFactory(negotiation=negotiation, actor=actor)
    issue = f.IssueFactory(negotiation=negotiation)
    round_ = f.RoundFactory(negotiation=negotiation)
    for i in range(count):
        event = f.EventFactory(
            negotiation=negotiation,
            date=dt.date(2024, 5, 1) + dt.timedelta(days=i),
            round=round_ if i % 2 else None,
            place=round_.venue,
            issue=issue,
        )
        for actor in sides[: 1 + i % 3]:
            f.EventParticipantFactory(event=event, actor=actor)
        f.CitationFactory(event=event, speaker=sides[0])
        f.CitationFactory(
            event=event, stance=m.CitationStance.DISPUTES, speaker_description="a rival"
        )
    for actor in sides:
        f.PositionFactory(
            issue=issue, party=actor, status=m.ReviewStatus.PUBLISHED, is_current=True
        )
    return negotiation


@pytest.mark.parametrize("count", [1, 3])
def test_timeline_page_query_count_is_fixed(client, django_assert_num_queries, count):
    build_timeline(count)

    # the change stamp (the key of a kept page; a miss here), negotiation, participations,
    # issues, events (dated, then undated: the window is not
    # full), participants, citations, rounds, activity (two reads of the summary table: the
    # span of days, which sets the bar width, then the counts per bar)
    with django_assert_num_queries(11):
        response = client.get("/n/counted/?party=&kind=")

    assert len(event_ids(response)) == count


@pytest.mark.parametrize("count", [1, 3])
def test_timeline_page_with_filters_query_count_is_fixed(client, django_assert_num_queries, count):
    negotiation = build_timeline(count)
    # The first side created takes part in every event (Participation orders by name).
    party = negotiation.participations.order_by("pk").first().actor.slug

    # as above, + the party's slug checked, + its people's ids (once, for the window and
    # the chart), + the unfiltered activity for the kinds on offer (the filtered chart's two
    # reads go to the events: no summary table knows the start date)
    with django_assert_num_queries(15):
        response = client.get(f"/n/counted/?party={party}&date_from=2024-01-01")

    assert len(event_ids(response)) == count


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_is_fixed(client, django_assert_num_queries, count):
    for _ in range(count):
        build_timeline_for_home()

    with django_assert_num_queries(3):
        response = client.get("/")

    assert response.content.decode().count('class="negotiation-card"') == count


def build_timeline_for_home() -> None:
    negotiation = f.NegotiationFactory()
    f.ParticipationFactory(negotiation=negotiation)
    f.EventFactory(negotiation=negotiation)


@pytest.mark.parametrize("count", [1, 3])
def test_standings_query_count_is_fixed(client, django_assert_num_queries, count):
    build_timeline(count)

    # negotiation, participations, issues, positions, position citations
    with django_assert_num_queries(5):
        client.get("/n/counted/where-things-stand/")


@pytest.mark.parametrize("count", [1, 3])
def test_round_page_query_count_is_fixed(client, django_assert_num_queries, count):
    negotiation = build_timeline(count * 2)
    round_ = negotiation.rounds.get()
    f.DelegationFactory(round=round_)

    # negotiation, participations, issues, round, delegations, members, events (dated, then
    # undated: the page is not full), participants, citations
    with django_assert_num_queries(10):
        response = client.get(f"/n/counted/rounds/{round_.sequence}/")

    assert len(event_ids(response)) == count


@pytest.mark.parametrize("count", [1, 3])
def test_actor_page_query_count_is_fixed(client, django_assert_num_queries, count):
    negotiation = build_timeline(count)
    actor = negotiation.participations.first().actor

    # actor, aliases, members, participations, events, quotes (three reads: its people, its
    # delegates, its unnamed officials; then their events in bulk), positions
    with django_assert_num_queries(9):
        client.get(f"/actors/{actor.slug}/")


def test_event_page_query_count_is_fixed(client, django_assert_num_queries, talks):
    with django_assert_num_queries(6):
        client.get(f"/n/israel-hamas/events/{talks.breakdown.pk}/")


def test_as_known_on_query_count_is_fixed(client, talks):
    with CaptureQueriesContext(connection) as few:
        client.get("/n/israel-hamas/?as_of=2024-06-30")
    for i in range(3):
        event = f.EventFactory(negotiation=talks.negotiation, date=dt.date(2024, 6, 20 + i))
        f.EventParticipantFactory(event=event, actor=talks.hamas)
        f.CitationFactory(event=event, article=f.ArticleFactory(published_at=aware(2024, 6, 25)))

    with CaptureQueriesContext(connection) as more:
        client.get("/n/israel-hamas/?as_of=2024-06-30")

    assert len(more.captured_queries) == len(few.captured_queries)


def test_bench_timeline_reports_times_and_leaves_nothing_behind(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("bench_timeline", "--events", "20", "--runs", "2", stdout=out)

    lines = out.getvalue().splitlines()
    assert re.fullmatch(r"empty timeline: [\d.]+ ms median, 6 queries", lines[0])
    assert re.fullmatch(
        r"20 events: [\d.]+ ms median \(min [\d.]+, max [\d.]+\), 8 queries, \d+ KiB of HTML",
        lines[1],
    )
    assert m.Negotiation.objects.filter(slug__startswith="bench-").count() == 0
