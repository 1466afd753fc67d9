"""Editors' endpoints: ingestion jobs (202 + status) and the review queue's actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories as f
from timeline import models as m

pytestmark = pytest.mark.django_db


def test_ingestion_post_url_answers_202_with_a_queued_job(
    talks, editor_client, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = editor_client.post(
            "/api/v1/ingestions/",
            {"url": "https://news.example/israel-hamas", "negotiation": "israel-hamas"},
            format="json",
        )

    assert response.status_code == 202
    body = response.json()
    job = m.Ingestion.objects.get(pk=body["id"])
    assert (body["status"], body["source"], body["negotiation"]) == (
        "pending",
        "url",
        "israel-hamas",
    )
    assert (job.url, job.submitted_by, job.negotiation) == (
        "https://news.example/israel-hamas",
        editor,
        talks.negotiation,
    )
    assert len(queued) == 1


def test_ingestion_post_text_keeps_the_text_and_its_metadata(
    talks, editor_client, django_capture_on_commit_callbacks
):
    text = "CAIRO - Delegations met on Sunday. An official said the talks were in crisis."

    with django_capture_on_commit_callbacks(execute=False):
        response = editor_client.post(
            "/api/v1/ingestions/",
            {"text": text, "title": "Talks in crisis", "published_at": "2024-05-23T09:00:00Z"},
            format="json",
        )

    assert response.status_code == 202
    job = m.Ingestion.objects.get(pk=response.json()["id"])
    assert (job.source, job.payload) == ("text", text)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "non_field_errors"),
        ({"url": "not a url"}, "url"),
        ({"url": 12}, "url"),
        ({"url": "https://news.example/a", "title": "Only for text"}, "title"),
        ({"text": "x", "negotiation": "no-such-talks"}, "negotiation"),
        ({"text": ["a", "list"]}, "text"),
        ({"text": "has a \x00 NUL"}, "text"),
    ],
)
def test_ingestion_post_invalid_body_is_400_and_creates_nothing(editor_client, talks, body, field):
    response = editor_client.post("/api/v1/ingestions/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert m.Ingestion.objects.count() == 0


def test_ingestion_post_url_the_service_refuses_is_400(editor_client, talks):
    response = editor_client.post(
        "/api/v1/ingestions/", {"url": "ftp://news.example/file"}, format="json"
    )

    assert response.status_code == 400
    assert m.Ingestion.objects.count() == 0


def test_ingestion_status_is_readable_with_view_permission(viewer_client, talks):
    job = f.IngestionFactory(status=m.Ingestion.Status.FAILED, reason_code="http_404")

    body = viewer_client.get(f"/api/v1/ingestions/{job.pk}/").json()

    assert (body["status"], body["reason_code"], body["is_final"]) == ("failed", "http_404", True)


def test_ingestion_list_filters_by_status(viewer_client, talks):
    done = f.IngestionFactory(status=m.Ingestion.Status.DONE)
    f.IngestionFactory(status=m.Ingestion.Status.PENDING)

    body = viewer_client.get("/api/v1/ingestions/", {"status": "done"}).json()

    assert [job["id"] for job in body["results"]] == [done.pk]


def test_review_queue_lists_candidates_with_their_source(talks, editor_client):
    body = editor_client.get("/api/v1/review/events/").json()

    assert [e["id"] for e in body["results"]] == [talks.candidate.pk]
    assert body["results"][0]["source_article"]["id"] == talks.article.pk
    assert body["results"][0]["status"] == "candidate"


def test_review_publish_puts_the_candidate_on_the_timeline(talks, editor_client, anon_client):
    response = editor_client.post(f"/api/v1/review/events/{talks.candidate.pk}/publish/")

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    timeline = anon_client.get("/api/v1/negotiations/israel-hamas/timeline/").json()
    assert talks.candidate.pk in [e["id"] for e in timeline["results"]]


def test_review_publish_without_a_negotiation_is_400_with_the_reason(talks, editor_client):
    orphan = f.EventFactory(negotiation=None, status=m.ReviewStatus.CANDIDATE)

    response = editor_client.post(f"/api/v1/review/events/{orphan.pk}/publish/")

    assert response.status_code == 400
    assert response.json()["message"] == (
        "Choose the negotiation this event belongs to before publishing it."
    )
    orphan.refresh_from_db()
    assert orphan.status == m.ReviewStatus.CANDIDATE


def test_review_publish_can_set_the_negotiation(talks, editor_client):
    # Dated unlike any published event of the negotiation, so it is no look-alike.
    orphan = f.EventFactory(
        negotiation=None, status=m.ReviewStatus.CANDIDATE, date=dt.date(2024, 6, 2)
    )

    response = editor_client.post(
        f"/api/v1/review/events/{orphan.pk}/publish/",
        {"negotiation": "israel-hamas"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["negotiation"] == "israel-hamas"


def test_review_reject_marks_the_candidate_rejected(talks, editor_client):
    response = editor_client.post(f"/api/v1/review/events/{talks.candidate.pk}/reject/")

    assert response.status_code == 200
    talks.candidate.refresh_from_db()
    assert talks.candidate.status == m.ReviewStatus.REJECTED


def test_review_merge_moves_citations_to_the_target(talks, editor_client):
    citation = f.CitationFactory(event=talks.candidate, article=talks.article)

    response = editor_client.post(
        f"/api/v1/review/events/{talks.candidate.pk}/merge/",
        {"into": talks.meeting.pk},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["id"] == talks.meeting.pk
    assert citation.pk in [c["id"] for c in response.json()["citations"]]
    talks.candidate.refresh_from_db()
    assert (talks.candidate.status, talks.candidate.merged_into_id) == ("merged", talks.meeting.pk)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"into": "the meeting"}, "into: Incorrect type. Expected pk value, received str."),
        ({"into": 10**12}, 'into: Invalid pk "1000000000000" - object does not exist.'),
        ({"into": 10**30}, f'into: Invalid pk "{10**30}" - object does not exist.'),
        ({}, "into: This field is required."),
    ],
)
def test_review_merge_bad_target_is_400(talks, editor_client, body, message):
    response = editor_client.post(
        f"/api/v1/review/events/{talks.candidate.pk}/merge/", body, format="json"
    )

    assert response.status_code == 400
    assert response.json()["message"] == message


def test_review_merge_into_itself_is_400_from_the_service(talks, editor_client):
    response = editor_client.post(
        f"/api/v1/review/events/{talks.candidate.pk}/merge/",
        {"into": talks.candidate.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["message"] == "An event cannot be merged into itself."


def test_review_action_on_a_published_event_is_404(talks, editor_client):
    response = editor_client.post(f"/api/v1/review/events/{talks.meeting.pk}/reject/")

    assert response.status_code == 404


@pytest.mark.worker
def test_ingestion_posted_text_is_processed_by_a_real_worker(
    celery_worker_process, transactional_db, talks, editor_client
):
    from tests.conftest import wait_for

    text = (
        "CAIRO (Cairo News) - A Hamas delegation arrived in Cairo on Sunday for talks with "
        "Egyptian mediators, an official said. The talks were described as difficult."
    )
    response = editor_client.post(
        "/api/v1/ingestions/",
        {"text": text, "title": "Hamas delegation in Cairo", "negotiation": "israel-hamas"},
        format="json",
    )
    assert response.status_code == 202
    status_url = f"/api/v1/ingestions/{response.json()['id']}/"

    final = wait_for(
        lambda: (body := editor_client.get(status_url).json())["is_final"] and body, timeout=45
    )

    assert final["status"] == "done", final
    assert final["article"] is not None


def test_review_publish_refuses_a_look_alike_as_the_admin_queue_warns(talks, editor_client):
    # Issue 18.6: the same look-alike check as the admin, so no duplicate goes public by API.
    twin = talks.meeting
    duplicate = m.Event.objects.create(
        negotiation=twin.negotiation,
        kind=twin.kind,
        date=twin.date,
        summary="The delegations met again (a second report).",
        status=m.ReviewStatus.CANDIDATE,
    )
    url = f"/api/v1/review/events/{duplicate.pk}/publish/"

    refused = editor_client.post(url)
    forced = editor_client.post(url, {"not_a_duplicate": True}, format="json")

    assert refused.status_code == 400
    assert any(f"Event {twin.pk}" in item for item in refused.json()["errors"]["look_alikes"])
    assert forced.status_code == 200
    duplicate.refresh_from_db()
    assert duplicate.status == m.ReviewStatus.PUBLISHED


# One submission service behind both doors (issue 15).
def test_admin_and_api_make_the_same_job_from_the_same_text(admin_client, editor_client, talks):
    body = {"text": "Talks resumed in Cairo.", "url": "https://news.example/t", "title": "T"}
    admin_client.post(reverse("admin:timeline_ingestion_submit"), body)
    editor_client.post("/api/v1/ingestions/", body, format="json")

    made = list(
        m.Ingestion.objects.order_by("pk").values_list(
            "source", "normalized_url", "payload", "submitted_metadata"
        )
    )
    assert len(made) == 2
    assert made[0] == made[1]
