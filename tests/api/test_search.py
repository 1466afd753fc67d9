"""q= on the event list and on a negotiation's timeline: best match first, bounded, paged by
keyset on (rank, id), combined with the other filters."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from tests import factories as f
from tests import scenes
from timeline import models as m
from timeline.selectors.search import RANKING_BOUND, SEARCH_LIMIT

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


def _timeline(negotiation: m.Negotiation) -> str:
    return f"/api/v1/negotiations/{negotiation.slug}/timeline/"


def _body(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def _walk(client, url: str, params: dict) -> tuple[list[list[int]], dict]:
    """Every page's ids, following ``next`` to the end, and the last page's body."""
    pages, body = [], _body(client.get(url, params))
    pages.append([e["id"] for e in body["results"]])
    while body["next"]:
        body = _body(client.get(body["next"]))
        pages.append([e["id"] for e in body["results"]])
    return pages, body


@pytest.fixture
def ranked(db):
    return scenes.ranked_search()


@pytest.mark.parametrize("where", ["events", "timeline"])
def test_search_puts_a_summary_match_above_a_description_only_match(anon_client, ranked, where):
    negotiation, heading, body_only = ranked
    url = EVENTS if where == "events" else _timeline(negotiation)

    body = _body(anon_client.get(url, {"q": "ceasefire"}))

    assert [e["id"] for e in body["results"]] == [heading.pk, body_only.pk]
    assert body["search"] == {
        "order": "relevance",
        "limit": SEARCH_LIMIT,
        "truncated": False,
        "bounded": False,
        "bound": RANKING_BOUND,
    }


def test_timeline_search_in_time_order_on_request(anon_client, ranked):
    negotiation, heading, body_only = ranked

    body = _body(anon_client.get(_timeline(negotiation), {"q": "ceasefire", "sort": "date"}))

    assert [e["id"] for e in body["results"]] == [body_only.pk, heading.pk]
    assert "search" not in body


def test_lists_without_q_keep_their_order_and_say_nothing_of_search(anon_client, ranked):
    negotiation, heading, body_only = ranked

    timeline = _body(anon_client.get(_timeline(negotiation)))
    events = _body(anon_client.get(EVENTS))

    in_time = [e["id"] for e in timeline["results"]]
    assert in_time.index(body_only.pk) < in_time.index(heading.pk)
    assert [e["id"] for e in events["results"]] == sorted(e["id"] for e in events["results"])
    assert "search" not in timeline and "search" not in events


@pytest.mark.parametrize("where", ["events", "timeline"])
def test_search_returns_at_most_the_bound_the_best_ones_and_says_it_was_cut(anon_client, where):
    negotiation = f.NegotiationFactory(slug="big-talks")
    strong = f.bulk_events(negotiation, [f"Ceasefire session {i}." for i in range(SEARCH_LIMIT)])
    weak = f.bulk_events(
        negotiation,
        [f"Session {i}." for i in range(5)],
        description="The ceasefire was on the table.",
    )
    url = EVENTS if where == "events" else _timeline(negotiation)

    pages, last = _walk(anon_client, url, {"q": "ceasefire", "page_size": 200})

    found = [pk for page in pages for pk in page]
    assert len(found) == SEARCH_LIMIT
    assert set(found) == set(strong)  # the weak matches are the ones left out
    assert set(found).isdisjoint(weak)
    assert last["search"]["truncated"] is True
    assert last["search"]["bounded"] is False  # 1,005 matches: every one was ranked


@pytest.fixture
def many_ranks(db):
    """30 matches in a handful of rank tiers, many ties: the order within a tier is by id."""
    negotiation = f.NegotiationFactory(slug="tiers-talks")
    summaries = [
        ("truce " * (i % 4 + 1) + f"in session {i}.") if i % 3 else f"Session {i}."
        for i in range(30)
    ]
    ids = f.bulk_events(negotiation, summaries, description="The truce was discussed.")
    return negotiation, ids


@pytest.mark.parametrize("where", ["events", "timeline"])
def test_search_pages_forward_and_back_without_duplicates_or_gaps(anon_client, many_ranks, where):
    negotiation, ids = many_ranks
    url = EVENTS if where == "events" else _timeline(negotiation)
    whole = [e["id"] for e in _body(anon_client.get(url, {"q": "truce"}))["results"]]

    pages, last = _walk(anon_client, url, {"q": "truce", "page_size": 7})
    back = []
    body = last
    while body["previous"]:
        body = _body(anon_client.get(body["previous"]))
        back.insert(0, [e["id"] for e in body["results"]])

    assert sorted(whole) == sorted(ids)
    assert [pk for page in pages for pk in page] == whole
    assert [len(page) for page in pages] == [7, 7, 7, 7, 2]
    assert back == pages[:-1]


def test_search_order_is_best_first_then_newest_among_equals(anon_client, many_ranks):
    _negotiation, ids = many_ranks

    found = [e["id"] for e in _body(anon_client.get(EVENTS, {"q": "truce"}))["results"]]

    summaries = dict(m.Event.objects.filter(pk__in=ids).values_list("pk", "summary"))
    in_summary = [summaries[pk].count("truce") for pk in found]
    assert in_summary == sorted(in_summary, reverse=True)
    for tier in set(in_summary):
        members = [pk for pk, n in zip(found, in_summary, strict=True) if n == tier]
        assert members == sorted(members, reverse=True)


def test_search_combines_with_party_kind_and_disputed_filters(anon_client, talks):
    negotiation = talks.negotiation
    talks_again = f.EventFactory(
        negotiation=negotiation,
        kind=m.EventKind.MEETING,
        summary="Hamas delegation returned to the talks.",
        date=dt.date(2024, 5, 25),
    )
    f.EventParticipantFactory(event=talks_again, actor=talks.hamas)
    url = _timeline(negotiation)

    def ids(params: dict) -> list[int]:
        return [e["id"] for e in _body(anon_client.get(url, params))["results"]]

    everything = ids({"q": "delegation"})
    for params in (
        {"q": "delegation", "party": "hamas"},
        {"q": "delegation", "kind": "meeting"},
        {"q": "delegation", "disputed": "false"},
    ):
        narrowed = ids(params)
        assert narrowed and set(narrowed) <= set(everything), params
    assert ids({"q": "delegation", "disputed": "true"}) == []
    assert talks_again.pk in ids({"q": "delegation", "party": "hamas"})
    on_list = [
        e["id"]
        for e in _body(anon_client.get(EVENTS, {"q": "delegation", "party": "hamas"}))["results"]
    ]
    assert sorted(on_list) == sorted(ids({"q": "delegation", "party": "hamas"}))


def test_search_as_known_on_a_day_leaves_out_later_reports(anon_client, talks):
    url = _timeline(talks.negotiation)
    now = [e["id"] for e in _body(anon_client.get(url, {"q": "delegation"}))["results"]]
    before_anything = _body(anon_client.get(url, {"q": "delegation", "as_of": "2000-01-01"}))

    assert now
    assert before_anything["results"] == []
    assert before_anything["search"]["truncated"] is False


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 201}, "q"),
        ({"q": "ceasefire", "sort": "size"}, "sort"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_timeline_search_refuses_bad_values(anon_client, ranked, params, field):
    negotiation, _heading, _body_only = ranked

    response = anon_client.get(_timeline(negotiation), params)

    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize("position", ["NaN", "Infinity", '"x"'])
def test_search_cursor_with_a_rank_that_is_no_number_is_refused(anon_client, ranked, position):
    raw = f'{{"p": [{position}, 1]}}'.encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")

    response = anon_client.get(EVENTS, {"q": "ceasefire", "cursor": cursor})

    assert response.status_code == 400
    assert response.json()["errors"]["cursor"] == ["Invalid cursor."]
