"""Issue 16 item 7 (a rotating X-Forwarded-For must not bypass the limits; reader pages and
exports are throttled) and issue 17 item 7 (with the cache down the API degrades: no 500,
submissions saved, reads working)."""

from __future__ import annotations

import logging
import socket

import pytest
from django.core.cache import cache, caches
from rest_framework.test import APIClient

from timeline.models import Ingestion


@pytest.fixture
def tight_limits(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "5/min", "user": "5/min", "export": "3/min"},
    }
    settings.READER_THROTTLE_RATE = "5/min"
    cache.clear()
    yield
    cache.clear()


def _statuses(client, url: str, count: int, *, rotate: bool) -> list[int]:
    return [
        client.get(url, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}" if rotate else None).status_code
        if rotate
        else client.get(url).status_code
        for i in range(count)
    ]


def test_rotating_x_forwarded_for_does_not_bypass_the_api_limit(talks, tight_limits):
    statuses = _statuses(APIClient(), "/api/v1/events/", 8, rotate=True)

    assert statuses == [200] * 5 + [429] * 3


def test_with_one_trusted_proxy_the_forwarded_client_is_limited_by_its_own_address(
    talks, tight_limits, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.NUM_PROXIES = 1
    client = APIClient()

    first = [
        client.get("/api/v1/events/", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code
        for _ in range(6)
    ]
    other = client.get("/api/v1/events/", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code

    assert (first, other) == ([200] * 5 + [429], 200)


def test_reader_pages_are_throttled_per_address_despite_rotating_headers(
    talks, tight_limits, client
):
    statuses = _statuses(client, "/", 7, rotate=True)

    assert statuses == [200] * 5 + [429] * 2


def test_reader_throttle_answers_with_retry_after(talks, tight_limits, client):
    for _ in range(5):
        client.get("/negotiations/")

    response = client.get("/negotiations/")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60


def test_exports_have_their_own_tighter_limit(talks, tight_limits):
    client = APIClient()
    url = "/api/v1/negotiations/israel-hamas/export/csv/"

    statuses = [client.get(url).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def _throttle_state() -> dict[bytes, bytes]:
    """Every throttle entry the shared cache (Redis) holds, raw: key -> stored value."""
    redis_cache = caches["default"]
    client = redis_cache._cache.get_client(None, write=False)
    return {key: client.get(key) for key in client.scan_iter(match="*throttle:*")}


def test_a_throttled_client_costs_one_counter_whatever_the_rate(talks, settings):
    # DRF's own throttles keep every request's timestamp in the window and rewrite the whole
    # list per request: with a generous rate that list, not the page, was the request's cost.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    cache.clear()
    client = APIClient()

    for _ in range(30):
        assert client.get("/api/v1/actors/").status_code == 200

    state = _throttle_state()
    assert len(state) == 1, state  # one key: the anonymous counter, no per-user twin
    [(key, value)] = state.items()
    assert b"throttle:anon:127.0.0.1:" in key
    assert int(value) == 30


def test_signed_in_users_are_counted_by_account_not_by_address(talks, tight_limits, settings):
    from django.contrib.auth import get_user_model

    users = [get_user_model().objects.create_user(f"reader-{i}", password="x") for i in range(2)]
    clients = []
    for user in users:
        client = APIClient()
        client.force_authenticate(user)
        clients.append(client)

    first = [clients[0].get("/api/v1/actors/").status_code for _ in range(6)]
    second = clients[1].get("/api/v1/actors/").status_code  # same address, other account

    assert (first, second) == ([200] * 5 + [429], 200)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on leaving: nothing listens there


@pytest.fixture
def cache_down(settings):
    """The cache pointed at a port where nothing listens: every cache call fails."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    from django.core.cache import cache as current

    with pytest.raises(Exception):  # noqa: B017  the premise: the cache is unreachable
        current.get("anything")


def test_api_reads_keep_working_with_the_cache_down(talks, cache_down, caplog):
    caplog.set_level(logging.WARNING, logger="tracker.request_guards")
    from tracker import request_guards

    request_guards._last_cache_warning = 0.0

    responses = [
        APIClient().get(url)
        for url in (
            "/api/v1/events/",
            "/api/v1/negotiations/israel-hamas/timeline/",
            "/api/v1/negotiations/israel-hamas/export/csv/",
        )
    ]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert "the cache is unreachable" in caplog.text


def test_job_submission_is_saved_with_the_cache_down(talks, cache_down, editor_client):
    response = editor_client.post(
        "/api/v1/ingestions/", {"url": "https://news.example/while-redis-is-down"}, format="json"
    )

    assert response.status_code in (201, 202)
    assert Ingestion.objects.filter(url="https://news.example/while-redis-is-down").exists()


def test_reader_pages_keep_working_with_the_cache_down(talks, cache_down, client):
    assert client.get("/").status_code == 200


def test_throttle_still_limits_in_memory_while_the_cache_is_down(talks, cache_down, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "3/min", "export": "3/min"},
    }
    from api.throttling import _fallback_cache

    _fallback_cache.clear()
    client = APIClient()

    statuses = [client.get("/api/v1/events/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
