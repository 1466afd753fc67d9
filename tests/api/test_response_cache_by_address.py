"""A timeline page is also kept under its address with the generation token
(tracker.kept_responses): a repeat costs one round trip to Redis, throttles included, and no
query; every write that moves a stamp replaces the token, so no page older than a committed
change is served, and throttling, 304s, CORS and a silent cache behave as before."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import redis
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests import scenes
from timeline import models as m
from timeline.selectors import catalog
from timeline.services import event_publish
from tracker.kept_responses import GENERATION_KEY

pytestmark = pytest.mark.django_db

URL = "/api/v1/negotiations/kept-talks/timeline/"


@pytest.fixture
def negotiation(db) -> m.Negotiation:
    return scenes.kept_talks()


@pytest.fixture
def redis_round_trips(monkeypatch) -> list[int]:
    """How many commands (or pipelines) went to Redis: one per send."""
    sent: list[int] = []
    original = redis.connection.Connection.send_packed_command

    def counting(self, *args, **kwargs):
        sent.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counting)
    return sent


def _headlines(response) -> list[str]:
    return [event["summary"] for event in response.json()["results"]]


def _candidate(negotiation: m.Negotiation, summary: str) -> m.Event:
    return f.EventFactory(
        negotiation=negotiation,
        date=dt.date(2024, 5, 9),
        status=m.ReviewStatus.CANDIDATE,
        summary=summary,
    )


def test_a_repeat_is_one_round_trip_to_redis_and_no_query(
    negotiation, anon_client, redis_round_trips
):
    first = anon_client.get(URL)
    redis_round_trips.clear()

    with CaptureQueriesContext(connection) as queries:
        again = anon_client.get(URL)

    assert again.status_code == 200
    assert again.content == first.content
    for header in ("ETag", "Last-Modified", "Content-Type", "Cache-Control", "Vary"):
        assert again[header] == first[header]
    assert len(queries.captured_queries) == 0
    assert len(redis_round_trips) == 1  # the throttle's count and the page, one pipeline


def test_a_repeat_with_the_etag_is_a_304_without_a_query(negotiation, anon_client):
    first = anon_client.get(URL)

    with CaptureQueriesContext(connection) as queries:
        again = anon_client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
        since = anon_client.get(URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert (again.status_code, since.status_code) == (304, 304)
    assert again.content == b""
    assert (again["ETag"], again["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    assert len(queries.captured_queries) == 0


def test_a_fresh_cache_keeps_pages_only_from_the_request_after_the_token(anon_client, negotiation):
    cache.clear()  # no token: the first reader sets one but keeps nothing under it

    first = anon_client.get(URL)
    with CaptureQueriesContext(connection) as second_queries:
        second = anon_client.get(URL)
    with CaptureQueriesContext(connection) as third_queries:
        third = anon_client.get(URL)

    assert first.content == second.content == third.content
    assert cache.get(GENERATION_KEY)
    assert len(second_queries.captured_queries) == 1  # the stamp; then kept by address
    assert len(third_queries.captured_queries) == 0


@pytest.mark.django_db(transaction=True)
def test_a_committed_publish_is_seen_by_the_very_next_request(anon_client):
    negotiation = f.NegotiationFactory(slug="kept-talks")
    f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 1))
    candidate = _candidate(negotiation, "Mediators table a new draft")
    anon_client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        before = anon_client.get(URL)
    assert len(queries.captured_queries) == 0  # served by address

    event_publish(candidate)  # autocommit: committed when it returns
    after = anon_client.get(URL)

    assert "Mediators table a new draft" not in _headlines(before)
    assert "Mediators table a new draft" in _headlines(after)
    assert after["ETag"] != before["ETag"]


@pytest.mark.django_db(transaction=True)
def test_a_page_built_while_a_publish_commits_is_not_served_after_it(anon_client, monkeypatch):
    """The race the token's order rules out: a reader reads the token, then the stamp; a
    publish commits in between its reads and keeping its page. That page carries the token
    read before the commit, so the next request builds afresh."""
    negotiation = f.NegotiationFactory(slug="kept-talks")
    f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 1))
    candidate = _candidate(negotiation, "Mediators table a new draft")
    assert cache.get(GENERATION_KEY)  # the rows' commits set a token; no page is kept yet
    read_version = catalog.timeline_version
    published: list[bool] = []

    def version_then_publish(row):
        version = read_version(row)  # the stamp before the publish
        if not published:
            published.append(True)
            event_publish(candidate)  # commits while the request is under way
        return version

    monkeypatch.setattr(catalog, "timeline_version", version_then_publish)
    with_race = anon_client.get(URL)
    monkeypatch.setattr(catalog, "timeline_version", read_version)

    after = anon_client.get(URL)

    assert published
    assert after["ETag"] != with_race["ETag"]  # a fresh build, under the new stamp


def test_a_publish_in_this_transaction_is_seen_by_its_next_read(negotiation, anon_client):
    anon_client.get(URL)
    before = anon_client.get(URL)

    event_publish(_candidate(negotiation, "Mediators table a new draft"))
    after = anon_client.get(URL)

    assert "Mediators table a new draft" not in _headlines(before)
    assert "Mediators table a new draft" in _headlines(after)


def test_a_renamed_negotiation_no_longer_answers_at_its_old_address(negotiation, anon_client):
    anon_client.get(URL)
    assert anon_client.get(URL).status_code == 200

    negotiation.slug = "renamed-talks"
    negotiation.save()

    assert anon_client.get(URL).status_code == 404


def test_a_withdrawn_party_is_refused_again_though_its_page_was_kept(negotiation, anon_client):
    actor = f.EventParticipantFactory(event=negotiation.events.first()).actor
    url = f"{URL}?party={actor.slug}"
    anon_client.get(url)
    assert anon_client.get(url).status_code == 200

    actor.status = m.ReviewStatus.CANDIDATE
    actor.save()

    assert anon_client.get(url).status_code == 400


def test_the_anonymous_rate_holds_for_kept_pages(negotiation, anon_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "100/min"},
    }

    statuses = [anon_client.get(URL).status_code for _ in range(5)]
    refused = anon_client.get(URL)

    assert statuses == [200, 200, 200, 429, 429]
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0


def test_the_user_rate_holds_for_kept_pages(negotiation, viewer_client, anon_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/min", "user": "2/min"},
    }

    signed_in = [viewer_client.get(URL).status_code for _ in range(4)]
    anonymous = anon_client.get(URL).status_code

    assert signed_in == [200, 200, 429, 429]
    assert anonymous == 200


def test_cors_headers_on_a_kept_page(negotiation, anon_client, settings):
    settings.API_CORS_ALLOWED_ORIGINS = ["https://news.example"]
    anon_client.get(URL, HTTP_ORIGIN="https://news.example")

    again = anon_client.get(URL, HTTP_ORIGIN="https://news.example")

    assert again.status_code == 200
    assert again["Access-Control-Allow-Origin"] == "https://news.example"
    assert "ETag" in again["Access-Control-Expose-Headers"]


def test_a_cache_that_does_not_answer_still_throttles_and_builds(negotiation, settings):
    from rest_framework.test import APIClient

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        # An address of its own: the fallback counts live in this process's memory.
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "100/min"},
    }
    client = APIClient(REMOTE_ADDR="198.51.100.77")

    statuses = [client.get(URL).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@pytest.mark.django_db(transaction=True)
def test_a_page_built_before_a_publish_commits_is_not_served_after_it(anon_client):
    """The writer replaces the token inside its transaction too; a reader that takes that
    token but still sees the old rows (not yet committed) keeps an old page under it. The
    replacement at commit is what drops that page."""
    negotiation = f.NegotiationFactory(slug="kept-talks")
    f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 1))
    candidate = _candidate(negotiation, "Mediators table a new draft")
    published, commit = threading.Event(), threading.Event()

    def writer() -> None:
        try:
            with transaction.atomic():
                event_publish(candidate)
                published.set()
                commit.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    assert published.wait(timeout=30)
    during = anon_client.get(URL)  # the new token, the old rows
    commit.set()
    thread.join(timeout=30)

    after = anon_client.get(URL)

    assert "Mediators table a new draft" not in _headlines(during)
    assert "Mediators table a new draft" in _headlines(after)
