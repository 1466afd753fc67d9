"""The timeline page's search box: best matches first in windows, bounded and saying so,
time order on request, with the other filters."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests import factories as f
from tests import scenes
from timeline.selectors.search import SEARCH_LIMIT

from .pages import event_ids, html_of

pytestmark = pytest.mark.django_db


def _link(response, rel: str) -> str | None:
    found = re.search(rf'<a href="(\?[^"]*)" rel="{rel}"', response.content.decode())
    return html_lib.unescape(found.group(1)) if found else None


@pytest.fixture
def ranked(db):
    return scenes.ranked_search()


def test_search_box_lists_best_matches_first(client, ranked):
    negotiation, heading, body_only = ranked

    response = client.get(f"/n/{negotiation.slug}/", {"q": "ceasefire"})

    html = response.content.decode()
    assert event_ids(response) == [heading.pk, body_only.pk]
    assert "Best matches for “ceasefire” first." in html
    assert 'name="q"' in html and 'value="ceasefire"' in html


def test_search_in_time_order_on_request_with_a_way_back(client, ranked):
    negotiation, heading, body_only = ranked

    response = client.get(f"/n/{negotiation.slug}/", {"q": "ceasefire", "sort": "date"})

    assert event_ids(response) == [body_only.pk, heading.pk]
    assert "in time order" in response.content.decode()


def test_search_over_the_bound_lists_the_best_in_windows_and_says_it_was_cut(client):
    negotiation = f.NegotiationFactory(slug="big-talks")
    strong = f.bulk_events(negotiation, [f"Ceasefire session {i}." for i in range(SEARCH_LIMIT)])
    weak = f.bulk_events(
        negotiation, [f"Session {i}." for i in range(5)], description="A ceasefire, maybe."
    )
    url = f"/n/{negotiation.slug}/"

    first = client.get(url, {"q": "ceasefire"})
    windows, response = [event_ids(first)], first
    while (later := _link(response, "next")) is not None:
        response = client.get(url + later)
        windows.append(event_ids(response))
    back = client.get(url + _link(response, "prev"))

    found = [pk for window in windows for pk in window]
    assert (
        f"only the {SEARCH_LIMIT} best of the {SEARCH_LIMIT + 5} matching events"
        in first.content.decode()
    )
    assert len(found) == len(set(found)) == SEARCH_LIMIT
    assert set(found) == set(strong) and set(found).isdisjoint(weak)
    assert event_ids(back) == windows[-2]


def test_search_keeps_the_other_filters(client, talks):
    url = "/n/israel-hamas/"

    everything = event_ids(client.get(url, {"q": "Cairo"}))
    with_israel = event_ids(client.get(url, {"q": "Cairo", "party": "israel"}))
    departures = event_ids(client.get(url, {"q": "Cairo", "kind": "delegation_departure"}))
    as_known_before = event_ids(client.get(url, {"q": "Cairo", "as_of": "2000-01-01"}))

    cairo = [talks.meeting, talks.breakdown, talks.departure, talks.return_trip]
    assert sorted(everything) == sorted(event.pk for event in cairo)
    assert with_israel == [talks.breakdown.pk]
    assert departures == [talks.departure.pk]
    assert as_known_before == []


def test_search_too_long_is_reported_not_fatal(client, talks):
    html = html_of(client, "/n/israel-hamas/?q=" + "x" * 201)

    assert "Search: At most 200 characters." in html


@pytest.mark.parametrize("place", ["rnan.5", "rinf.5", "rx.5", "r0.5.x"])
def test_search_window_at_a_forged_rank_is_reported_not_fatal(client, ranked, place):
    negotiation, _heading, _body_only = ranked

    html = html_of(client, f"/n/{negotiation.slug}/?q=ceasefire&after={place}")

    assert "is not a place on this timeline" in html


def _form_fields(html: str) -> list[tuple[str, str]]:
    """The (name, value) of every hidden input in the filter form, as a browser submits it."""
    form = html.split("data-filter-form", 1)[1].split("</form>", 1)[0]
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)


def test_applying_filters_from_a_list_in_time_order_keeps_time_order(client, ranked):
    negotiation, heading, body_only = ranked
    url = f"/n/{negotiation.slug}/"

    in_time = client.get(url, {"q": "ceasefire", "sort": "date"}).content.decode()
    ranked_page = client.get(url, {"q": "ceasefire"}).content.decode()
    # The form resubmitted as a browser would, with its hidden fields and the search.
    resubmitted = client.get(url, [("q", "ceasefire"), *_form_fields(in_time)])

    assert ("sort", "date") in _form_fields(in_time)
    assert ("sort", "date") not in _form_fields(ranked_page)
    assert event_ids(resubmitted) == [body_only.pk, heading.pk]
