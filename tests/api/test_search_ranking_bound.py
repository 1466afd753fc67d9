"""q= past the ranking bound (issue 19): only the ``RANKING_BOUND`` matches added last are ranked,
and the API and the reader page say so; under the bound every match is ranked exactly, and
time order still pages every match.

The bound is lowered to 8 here (and the list to 3), so a dozen events pass it; the queries
are the production ones, on PostgreSQL with the GIN index (on SQLite every rank is equal)."""

from __future__ import annotations

import pytest
from django.db import connection

from tests import factories as f
from tests.timeline.reader.pages import event_ids
from timeline import models as m
from timeline.selectors import search

pytestmark = pytest.mark.django_db

BOUND = 8
LIMIT = 3
RANKED = connection.vendor == "postgresql"  # SQLite's fallback ranks every match the same


@pytest.fixture
def bounds(monkeypatch):
    monkeypatch.setattr(search, "RANKING_BOUND", BOUND)
    monkeypatch.setattr(search, "SEARCH_LIMIT", LIMIT)


@pytest.fixture
def common(db) -> tuple[m.Negotiation, list[int], list[int]]:
    """Twelve "ceasefire" events, one a day: the four oldest name it in their summary (the best
    matches), the eight newest only in their description; ids follow the days. Ranking all
    twelve would list the oldest; ranking the latest added lists the strong ones among them
    first."""
    negotiation = f.NegotiationFactory(slug="common-words")
    ids = f.bulk_events(
        negotiation,
        [f"Ceasefire session {i}." for i in range(4)] + [f"Session {i}." for i in range(4, 12)],
        description="The ceasefire was on the table.",
    )
    f.bulk_events(negotiation, ["Unrelated talk."] * 3)
    # The planner's statistics, as autovacuum keeps them: ``ranked_search`` only looks for
    # the latest matches when the estimate says there may be more than the bound.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE timeline_event")
    return negotiation, ids[:4], ids[4:]


def _best(strong: list[int], weak: list[int]) -> list[int]:
    """The first ``LIMIT`` of every match ranked: the summary matches, newest first; on SQLite,
    where every match ranks the same, the newest matches."""
    return sorted(strong if RANKED else strong + weak, reverse=True)[:LIMIT]


def _api(client, url: str, params: dict) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("where", ["events", "timeline"])
def test_past_the_bound_only_the_latest_matches_are_ranked_and_the_api_says_so(
    anon_client, bounds, common, where
):
    negotiation, _strong, weak = common
    url = (
        "/api/v1/events/"
        if where == "events"
        else f"/api/v1/negotiations/{negotiation.slug}/timeline/"
    )

    body = _api(anon_client, url, {"q": "ceasefire", "page_size": 10})

    found = [e["id"] for e in body["results"]]
    # The eight added last are the eight weak ones: every strong one fell out, so the
    # best three are weak ones (equal ranks, newest id first), not the summary matches.
    assert body["search"] == {
        "order": "relevance",
        "limit": LIMIT,
        "truncated": True,
        "bounded": True,
        "bound": BOUND,
    }
    assert len(found) == LIMIT
    assert found == sorted(weak, reverse=True)[:LIMIT]
    assert body["next"] is None


@pytest.mark.parametrize("where", ["events", "timeline"])
def test_at_the_bound_every_match_is_ranked_exactly(anon_client, monkeypatch, common, where):
    negotiation, strong, weak = common
    monkeypatch.setattr(search, "RANKING_BOUND", len(strong) + len(weak))
    monkeypatch.setattr(search, "SEARCH_LIMIT", LIMIT)
    url = (
        "/api/v1/events/"
        if where == "events"
        else f"/api/v1/negotiations/{negotiation.slug}/timeline/"
    )

    body = _api(anon_client, url, {"q": "ceasefire", "page_size": 10})

    found = [e["id"] for e in body["results"]]
    assert body["search"]["bounded"] is False and body["search"]["truncated"] is True
    assert found == _best(strong, weak)


def test_a_search_that_passes_the_bound_ranks_the_strong_matches_among_the_latest(
    anon_client, bounds, common
):
    """The bound cuts by when events were added, not by rank: with ten candidates the two
    newest strong matches are in and outrank every weak one."""
    negotiation, strong, weak = common
    events = m.Event.objects.published().filter(negotiation=negotiation)
    found = search.ranked_search(search.event_matches(events, "ceasefire"), "ceasefire", bound=10)

    ranked = list(found.rows.values_list("id", flat=True))
    assert found.bounded and found.truncated
    assert set(ranked) <= {strong[3], strong[2], *weak}
    if RANKED:
        assert ranked[:2] == [strong[3], strong[2]]


def test_time_order_still_pages_every_match_past_the_bound(anon_client, bounds, common):
    negotiation, strong, weak = common
    url = f"/api/v1/negotiations/{negotiation.slug}/timeline/"

    pages = []
    body = _api(anon_client, url, {"q": "ceasefire", "sort": "date", "page_size": 5})
    pages += [e["id"] for e in body["results"]]
    while body["next"]:
        body = _api(anon_client, body["next"], {})
        pages += [e["id"] for e in body["results"]]

    assert pages == strong + weak  # every match, oldest first
    assert "search" not in body


def test_the_reader_page_says_the_ranking_was_bounded(client, bounds, common):
    negotiation, _strong, weak = common

    response = client.get(f"/n/{negotiation.slug}/", {"q": "ceasefire"})

    html = response.content.decode()
    assert (
        f"ranked among the {BOUND} most recently added of the 12 matching events, and only the {LIMIT} best"
        in html
    )
    assert "Narrow the search or sort by date" in html
    assert set(event_ids(response)) <= set(weak) and len(event_ids(response)) == LIMIT


def test_the_reader_page_under_the_bound_says_nothing_of_it(client, monkeypatch, common):
    negotiation, strong, weak = common
    monkeypatch.setattr(search, "SEARCH_LIMIT", LIMIT)

    response = client.get(f"/n/{negotiation.slug}/", {"q": "ceasefire"})

    html = response.content.decode()
    assert "ranked among the" not in html
    assert f"only the {LIMIT} best of the 12 matching events" in html
    assert event_ids(response) == _best(strong, weak)
