""" "As known on D" counts an event's sources as they stood on D: the reports published by the
end of that day, a syndicated copy counting as its original's outlet, not today's stored count
(timeline.selectors.timeline._count_sources_known)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    CitationFactory,
    EventFactory,
    NegotiationFactory,
    OutletFactory,
)
from timeline.selectors.timeline import negotiation_timeline

pytestmark = pytest.mark.django_db


def _when(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2024, 5, day, 9))


@pytest.fixture
def reported():
    negotiation = NegotiationFactory(slug="counted-then")
    event = EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 18))
    wire = ArticleFactory(outlet=OutletFactory(name="Wire"), published_at=_when(19))
    copy = ArticleFactory(
        outlet=OutletFactory(name="Portal"), syndication_of=wire, published_at=_when(21)
    )
    daily = ArticleFactory(outlet=OutletFactory(name="Daily"), published_at=_when(23))
    for article in (wire, copy, daily):
        CitationFactory(event=event, article=article)
    event.refresh_from_db()
    assert event.source_count == 2  # today: the wire (with its copy) and the daily
    return negotiation, event


@pytest.mark.parametrize(
    ("as_of", "count", "first", "latest"),
    [
        (dt.date(2024, 5, 20), 1, 19, 19),
        (dt.date(2024, 5, 21), 1, 19, 21),  # the copy is the wire's report again
        (dt.date(2024, 5, 23), 2, 19, 23),
    ],
)
def test_as_known_on_counts_the_reports_published_by_then(reported, as_of, count, first, latest):
    negotiation, event = reported
    (then,) = negotiation_timeline(negotiation, as_of=as_of)

    assert (then.pk, then.source_count) == (event.pk, count)
    assert (then.first_report_at, then.latest_report_at) == (_when(first), _when(latest))


def test_api_and_reader_page_show_the_count_as_known_then(reported):
    negotiation, _event = reported
    client = Client()

    api = client.get(f"/api/v1/negotiations/{negotiation.slug}/timeline/?as_of=2024-05-21")
    now = client.get(f"/api/v1/negotiations/{negotiation.slug}/timeline/")
    page = client.get(f"/n/{negotiation.slug}/?as_of=2024-05-21").content.decode()

    (row,) = api.json()["results"]
    assert (row["source_count"], row["single_source"]) == (1, True)
    assert now.json()["results"][0]["source_count"] == 2
    assert "Single source" in page
