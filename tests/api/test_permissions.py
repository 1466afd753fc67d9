"""Who sees and does what: anonymous readers, viewers (read-only staff) and editors."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from timeline import models as m

pytestmark = pytest.mark.django_db

READS = [
    "/api/v1/negotiations/",
    "/api/v1/negotiations/israel-hamas/",
    "/api/v1/negotiations/israel-hamas/timeline/",
    "/api/v1/negotiations/israel-hamas/export/csv/",
    "/api/v1/events/",
    "/api/v1/events/{meeting}/",
    "/api/v1/events/changes/",
    "/api/v1/rounds/",
    "/api/v1/rounds/{round}/",
    "/api/v1/actors/",
    "/api/v1/actors/israel/",
    "/api/v1/issues/",
    "/api/v1/issues/{issue}/",
    "/api/v1/articles/",
    "/api/v1/articles/{article}/",
    "/api/v1/citations/",
]


def _url(template: str, talks) -> str:
    return template.format(
        meeting=talks.meeting.pk,
        round=talks.round.pk,
        issue=talks.issue.pk,
        article=talks.article.pk,
        candidate=talks.candidate.pk,
        ingestion=getattr(talks, "ingestion_id", 0),
    )


@pytest.mark.parametrize("who", ["anonymous", "viewer", "editor"])
def test_published_data_is_readable_by_everyone(talks, clients, who):
    statuses = {template: clients[who].get(_url(template, talks)).status_code for template in READS}

    assert statuses == dict.fromkeys(READS, 200)


GUARDED = [
    ("get", "/api/v1/review/events/", {"anonymous": 403, "viewer": 403, "editor": 200}),
    ("get", "/api/v1/review/events/{candidate}/", {"anonymous": 403, "viewer": 403, "editor": 200}),
    ("get", "/api/v1/ingestions/", {"anonymous": 403, "viewer": 200, "editor": 200}),
    ("get", "/api/v1/ingestions/{ingestion}/", {"anonymous": 403, "viewer": 200, "editor": 200}),
    ("post", "/api/v1/ingestions/", {"anonymous": 403, "viewer": 403, "editor": 400}),
    ("post", "/api/v1/events/", {"anonymous": 403, "viewer": 403, "editor": 403}),
    ("delete", "/api/v1/events/{meeting}/", {"anonymous": 403, "viewer": 403, "editor": 403}),
    ("put", "/api/v1/negotiations/israel-hamas/", {"anonymous": 403, "viewer": 403, "editor": 403}),
    # Last: it changes the candidate.
    (
        "post",
        "/api/v1/review/events/{candidate}/reject/",
        {"anonymous": 403, "viewer": 403, "editor": 200},
    ),
]


@pytest.mark.parametrize("who", ["anonymous", "viewer", "editor"])
def test_unpublished_data_and_writes_need_permission(talks, clients, who):
    talks.ingestion_id = m.Ingestion.objects.create(
        source=m.Ingestion.Source.URL, url="https://news.example/a"
    ).pk
    client = clients[who]

    statuses = {
        (method, template): getattr(client, method)(_url(template, talks), {}, format="json")
        for method, template, _ in GUARDED
    }

    assert {key: r.status_code for key, r in statuses.items()} == {
        (method, template): expected[who] for method, template, expected in GUARDED
    }
    assert all(r.json()["message"] for r in statuses.values() if r.status_code == 403)


def test_candidate_is_not_on_public_lists(talks, clients):
    for client in clients.values():
        ids = [e["id"] for e in client.get("/api/v1/events/").json()["results"]]
        assert talks.candidate.pk not in ids


def test_editor_can_sign_in_with_a_session(talks, editor):
    client = APIClient(enforce_csrf_checks=True)
    # django-axes counts logins per request, so the test client's login hands it one.
    assert client.login(
        request=RequestFactory().post("/"), username="editor", password="editor-pass-123"
    )

    assert client.get("/api/v1/review/events/").status_code == 200


def test_session_write_without_csrf_token_is_refused(talks, editor):
    client = APIClient(enforce_csrf_checks=True)
    client.login(request=RequestFactory().post("/"), username="editor", password="editor-pass-123")

    response = client.post(f"/api/v1/review/events/{talks.candidate.pk}/reject/")

    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]


def test_bad_token_is_refused_even_for_reads(talks):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get("/api/v1/events/")

    assert response.status_code in (401, 403)
    assert response.json()["message"] == "Invalid token."
