"""Issue 16 item 8 and issue 18 item 8: bad input answers 400/404 in the API's error shape,
never a 500 or an HTML page. Each request here answered 500 (or HTML) before."""

from __future__ import annotations

import base64

import pytest

from tests import factories as f

SHAPE = {"message", "code", "errors"}


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/actors/%00/",
        "/api/v1/negotiations/%00/",
        "/api/v1/negotiations/%00/timeline/",
        "/api/v1/negotiations/a%00b/export/csv/",
        "/api/v1/issues/%00/",
    ],
)
def test_nul_in_an_api_path_is_400_json(talks, anon_client, path):
    response = anon_client.get(path)

    assert response.status_code == 400
    assert set(response.json()) == SHAPE


@pytest.mark.parametrize("path", ["/actors/%00/", "/negotiations/%00/", "/events/%00/"])
def test_nul_in_a_reader_path_is_400(talks, client, path):
    response = client.get(path)

    assert response.status_code == 400


LIST_ENDPOINTS = [
    "/api/v1/events/",
    "/api/v1/negotiations/",
    "/api/v1/actors/",
    "/api/v1/issues/",
    "/api/v1/rounds/",
    "/api/v1/articles/",
    "/api/v1/citations/",
    "/api/v1/negotiations/israel-hamas/timeline/",
]


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
@pytest.mark.parametrize(
    "position", ['{"p":[1e400]}', '{"p":[-1e400, 1e400]}', '{"p":["2024-05-20", 1e400]}', "[1]"]
)
def test_forged_cursor_is_400(talks, anon_client, url, position):
    response = anon_client.get(url, {"cursor": _cursor(position)})

    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["Invalid cursor."]}


@pytest.mark.parametrize("name", ["status", "message", "code", "source", "q"])
def test_nul_in_any_query_parameter_is_400_naming_it(talks, editor_client, name):
    # Found by schemathesis: a parameter named like an argument of the error helper.
    response = editor_client.get("/api/v1/ingestions/", {name: "\x00"})

    assert response.status_code == 400
    assert response.json()["errors"] == {name: ["NUL characters are not allowed."]}


def test_nul_in_an_editors_json_on_ingestion_post_is_400(talks, editor_client):
    response = editor_client.post(
        "/api/v1/ingestions/",
        data='{"url": "https://news.example/a", "negotiation": "\\u0000"}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert set(response.json()) == SHAPE


def test_nul_in_an_editors_json_on_publish_is_400(talks, editor_client):
    response = editor_client.post(
        f"/api/v1/review/events/{talks.candidate.pk}/publish/",
        data='{"negotiation": "\\u0000"}',
        content_type="application/json",
    )

    talks.candidate.refresh_from_db()
    assert response.status_code == 400
    assert set(response.json()) == SHAPE
    assert talks.candidate.status == "candidate"


def test_deeply_nested_json_body_is_400(talks, editor_client):
    body = "[" * 100_000 + "]" * 100_000

    response = editor_client.post("/api/v1/ingestions/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()) == SHAPE


@pytest.fixture
def staff_editor(client):
    from django.contrib.auth.models import Group

    user = f.UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "query",
    ["status=%00", "negotiation__id__exact=%00", "q=%00", "o=%00", "reason_code=%00", "%00=1"],
)
@pytest.mark.parametrize("model", ["event", "ingestion", "actor"])
def test_admin_list_filter_with_nul_is_400(db, client, staff_editor, model, query):
    response = client.get(f"/admin/timeline/{model}/?{query}")

    assert response.status_code == 400


def test_admin_action_with_nul_selection_is_400(db, client, staff_editor):
    event = f.EventFactory(status="candidate")

    response = client.post(
        "/admin/timeline/event/",
        {"action": "reject_events", "_selected_action": [str(event.pk), "\x00"]},
    )

    event.refresh_from_db()
    assert response.status_code == 400
    assert event.status == "candidate"


# Issue 18 item 8: HTML where a JSON answer was expected.
@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
@pytest.mark.parametrize("path", ["/api/nothing-here/", "/api/v1/nothing/", "/api/v2/events/"])
def test_unknown_api_path_is_404_json_for_every_method(db, client, method, path):
    response = getattr(client, method)(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/ingestions", "/api/v1/events", "/api/nothing"])
def test_post_without_the_trailing_slash_is_a_clear_404_json(talks, editor_client, path):
    response = editor_client.post(path, {"url": "https://news.example/a"}, format="json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == SHAPE


def test_post_without_the_trailing_slash_names_the_right_address(talks, editor_client):
    response = editor_client.post("/api/v1/ingestions", {"url": "x"}, format="json")

    assert response.json()["message"].endswith("/api/v1/ingestions/")


def test_get_without_the_trailing_slash_still_redirects(talks, anon_client):
    response = anon_client.get("/api/v1/events?kind=meeting")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/events/?kind=meeting"
