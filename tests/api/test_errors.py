"""Bad requests get a JSON 400 (or 404/405/415/429) with a message, never a 500."""

from __future__ import annotations

import base64

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_malformed_json_body_is_400_with_a_message(talks, editor_client):
    response = editor_client.post(
        "/api/v1/ingestions/",
        data='{"url": "https://news.example/a"',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["message"].startswith("JSON parse error")


def test_body_of_the_wrong_shape_is_400(talks, editor_client):
    response = editor_client.post("/api/v1/ingestions/", data=[1, 2], format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


def test_body_over_the_upload_limit_is_413(talks, editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = editor_client.post("/api/v1/ingestions/", {"text": "a" * 20_000}, format="json")

    assert response.status_code == 413
    assert response.json()["message"] == "The request body is larger than 10,000 bytes."


def test_unsupported_media_type_is_415(talks, editor_client):
    response = editor_client.post(
        "/api/v1/ingestions/", data="url=x", content_type="application/x-unknown"
    )

    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["message"]


@pytest.mark.parametrize(
    ("url", "query", "field"),
    [
        ("/api/v1/events/", {"kind": "picnic"}, "kind"),
        ("/api/v1/events/", {"issue": "one"}, "issue"),
        ("/api/v1/events/", {"disputed": "sometimes"}, "disputed"),
        ("/api/v1/events/", {"date_to": "2024-02-30"}, "date_to"),
        ("/api/v1/events/", {"q": "x" * 201}, "q"),
        ("/api/v1/events/", {"cursor": "eyJwIjogWyJ4Il19"}, "cursor"),
        ("/api/v1/events/changes/", {"updated_since": "0000-00-00"}, "updated_since"),
        ("/api/v1/negotiations/", {"status": "asleep"}, "status"),
        ("/api/v1/actors/", {"kind": "alien"}, "kind"),
        ("/api/v1/articles/", {"published_after": "soon"}, "published_after"),
        ("/api/v1/citations/", {"stance": "neutral"}, "stance"),
        ("/api/v1/rounds/", {"page_size": "-5"}, "page_size"),
        ("/api/v1/issues/", {"negotiation": "a\x00b"}, "negotiation"),
    ],
)
def test_invalid_filter_value_is_400_naming_the_parameter(talks, anon_client, url, query, field):
    response = anon_client.get(url, query)

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"message", "code", "errors"}
    assert field in body["errors"]


@pytest.mark.parametrize("param", ["issue", "round"])
@pytest.mark.parametrize("value", ["9" * 30, "0", "-3"])
def test_id_filter_outside_the_id_range_is_400(talks, anon_client, param, value):
    response = anon_client.get("/api/v1/events/", {param: value})

    assert response.status_code == 400
    assert param in response.json()["errors"]


@pytest.mark.parametrize("url", ["/api/v1/events/", "/api/v1/negotiations/israel-hamas/timeline/"])
def test_cursor_holding_a_huge_id_is_400(talks, anon_client, url):
    position = '{"p": [99999999999999999999999]}'
    if "timeline" in url:
        position = '{"p": ["2024-05-20", 99999999999999999999999]}'
    cursor = base64.urlsafe_b64encode(position.encode()).decode()

    response = anon_client.get(url, {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["Invalid cursor."]}


def test_unknown_filter_name_is_ignored(talks, anon_client):
    response = anon_client.get("/api/v1/events/", {"colour": "blue"})

    assert response.status_code == 200


def test_search_with_query_syntax_characters_is_not_an_error(talks, anon_client):
    response = anon_client.get("/api/v1/events/", {"q": "!(& | :* ' \" -"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/events/not-a-number/",
        "/api/v1/events/99999999999999999999999/",
        "/api/v1/rounds/%C2%84/",
        "/api/v1/review/events/abc/publish/",
    ],
)
def test_malformed_id_is_json_404(talks, editor_client, path):
    response = editor_client.get(path) if "publish" not in path else editor_client.post(path)

    assert response.status_code == 404
    assert response.json()["message"] == "Not found."


@pytest.mark.parametrize("path", ["/api/v2/events/", "/api/v1/treaties/", "/api/v1/events/1/x/"])
def test_unknown_api_address_is_json_404(talks, anon_client, path):
    response = anon_client.get(path)

    assert response.status_code == 404
    assert response.json()["message"] == "There is no API endpoint at this address."


def test_throttle_answers_429_past_the_anonymous_rate(talks, anon_client, settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "100/min"},
    }

    statuses = [anon_client.get("/api/v1/negotiations/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = anon_client.get("/api/v1/negotiations/")
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    cache.clear()


def test_throttle_counts_signed_in_users_separately(talks, viewer_client, anon_client, settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "5/min"},
    }

    anonymous = [anon_client.get("/api/v1/actors/").status_code for _ in range(3)]
    signed_in = [viewer_client.get("/api/v1/actors/").status_code for _ in range(3)]

    assert anonymous == [200, 200, 429]
    assert signed_in == [200, 200, 200]
    cache.clear()
