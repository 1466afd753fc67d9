"""A timeline page rendered once is kept under its ETag: the same request again costs the
negotiation's row and no event read, and any change the timeline shows builds a fresh page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests import scenes
from timeline import models as m
from timeline.services import event_publish
from tracker.kept_responses import pages_changed

pytestmark = pytest.mark.django_db

URL = "/api/v1/negotiations/kept-talks/timeline/"


@pytest.fixture
def negotiation(db) -> m.Negotiation:
    return scenes.kept_talks()


def _get(client, url=URL):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def _headlines(response) -> list[str]:
    return [event["summary"] for event in response.json()["results"]]


def test_the_same_page_again_is_served_from_the_kept_body(negotiation, anon_client):
    first, first_queries = _get(anon_client)
    # Another negotiation's change: the page kept by address (test_response_cache_by_address)
    # is dropped, the one kept under this negotiation's ETag still serves.
    pages_changed()
    again, again_queries = _get(anon_client)

    assert again.content == first.content
    assert (again["ETag"], again["Content-Type"]) == (first["ETag"], first["Content-Type"])
    assert again["Cache-Control"] == first["Cache-Control"]
    # The first request reads events, participants and citations; the second only the
    # negotiation row that carries the version.
    assert any("timeline_event" in sql for sql in first_queries)
    assert not any("timeline_event" in sql for sql in again_queries)
    assert len(again_queries) == 1


def test_a_publish_moves_the_stamp_and_the_next_request_shows_it(negotiation, anon_client):
    first, _ = _get(anon_client)
    candidate = f.EventFactory(
        negotiation=negotiation,
        date=dt.date(2024, 5, 9),
        status=m.ReviewStatus.CANDIDATE,
        summary="Mediators table a new draft",
    )
    event_publish(candidate)

    after, queries = _get(anon_client)

    assert "Mediators table a new draft" in _headlines(after)
    assert "Mediators table a new draft" not in _headlines(first)
    assert after["ETag"] != first["ETag"]
    assert any("timeline_event" in sql for sql in queries)


def test_each_query_and_audience_keeps_its_own_page(negotiation, anon_client, editor_client):
    everything, _ = _get(anon_client)
    one_kind, _ = _get(anon_client, URL + "?kind=statement")
    for_editor, editor_queries = _get(editor_client)

    assert everything["ETag"] != one_kind["ETag"] != for_editor["ETag"]
    assert any("timeline_event" in sql for sql in editor_queries)
    assert _headlines(everything) == _headlines(for_editor)


def test_zero_seconds_turns_the_cache_off(negotiation, anon_client, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0
    _get(anon_client)

    again, queries = _get(anon_client)

    assert any("timeline_event" in sql for sql in queries)
    assert len(_headlines(again)) == 3


def test_a_cache_that_does_not_answer_builds_the_page(negotiation, anon_client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}

    first, _ = _get(anon_client)
    again, queries = _get(anon_client)

    assert len(_headlines(first)) == 3
    assert again.content == first.content
    assert any("timeline_event" in sql for sql in queries)
