"""The ingestion admin: list and filter jobs, retry failures, submit reports, poll feeds."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import ArticleFactory, FeedFactory, IngestionFactory
from timeline.models import Ingestion

Status = Ingestion.Status
pytestmark = pytest.mark.django_db


def test_ingestion_changelist_filters_by_status_and_reason(admin_client):
    IngestionFactory(status=Status.FAILED, reason_code="blocked_address", message="Refused")
    IngestionFactory(status=Status.DONE, article=ArticleFactory(title="Talks resume"))

    response = admin_client.get(
        reverse("admin:timeline_ingestion_changelist"),
        {"status": "failed", "reason": "blocked_address"},
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("reason_code", flat=True)) == [
        "blocked_address"
    ]
    assert b"Submit a report" in response.content


def test_ingestion_change_view_links_the_article(admin_client):
    ingestion = IngestionFactory(
        status=Status.DONE, article=ArticleFactory(title="Talks resume"), timings={"fetch": 0.2}
    )

    response = admin_client.get(reverse("admin:timeline_ingestion_change", args=[ingestion.pk]))

    assert response.status_code == 200
    assert (
        reverse("admin:timeline_article_change", args=[ingestion.article_id]).encode()
        in response.content
    )


def test_ingestion_admin_retry_action_requeues_only_failed_jobs(
    admin_client, django_capture_on_commit_callbacks
):
    failed = IngestionFactory(status=Status.FAILED, reason_code="timeout", attempts=4)
    done = IngestionFactory(status=Status.DONE)

    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            reverse("admin:timeline_ingestion_changelist"),
            {"action": "retry_failed", "_selected_action": [failed.pk, done.pk]},
            follow=True,
        )

    failed.refresh_from_db()
    done.refresh_from_db()
    assert response.status_code == 200
    assert (failed.status, failed.attempts, done.status) == (Status.PENDING, 0, Status.DONE)
    assert len(callbacks) == 1


def test_submit_page_queues_a_url(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:timeline_ingestion_submit"),
        {"url": "https://news.example/talks?utm_campaign=x"},
    )

    assert response.status_code == 302
    ingestion = Ingestion.objects.get()
    assert (ingestion.source, ingestion.normalized_url, ingestion.submitted_by) == (
        Ingestion.Source.URL,
        "https://news.example/talks",
        admin_user,
    )


def test_submit_page_queues_pasted_text_with_its_metadata(admin_client):
    response = admin_client.post(
        reverse("admin:timeline_ingestion_submit"),
        {
            "text": "May 23, 2024\n\nTalks stalled in Cairo on Sunday.",
            "title": "Talks stall",
            "byline": "A. Reporter",
        },
    )

    assert response.status_code == 302
    ingestion = Ingestion.objects.get()
    assert ingestion.source == Ingestion.Source.TEXT
    assert ingestion.submitted_metadata == {"title": "Talks stall", "byline": "A. Reporter"}


def test_submit_page_queues_an_uploaded_page(admin_client):
    upload = SimpleUploadedFile(
        "page.html", "<html><body><p>Caf\u00e9 talks</p></body></html>".encode(), "text/html"
    )

    admin_client.post(reverse("admin:timeline_ingestion_submit"), {"html_file": upload})

    ingestion = Ingestion.objects.get()
    assert (ingestion.source, ingestion.payload) == (
        Ingestion.Source.HTML,
        "<html><body><p>Caf\u00e9 talks</p></body></html>",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, b"Give a URL, paste the text, or upload a saved page."),
        ({"url": "gopher://news.example/"}, b"Only http and https URLs can be ingested"),
    ],
)
def test_submit_page_explains_what_is_wrong(admin_client, data, message):
    response = admin_client.post(reverse("admin:timeline_ingestion_submit"), data)

    assert response.status_code == 200
    assert message in response.content
    assert Ingestion.objects.count() == 0


def test_feed_admin_poll_now_queues_a_poll(admin_client, django_capture_on_commit_callbacks):
    feed = FeedFactory(last_error="http_5xx: down", consecutive_failures=3)

    with django_capture_on_commit_callbacks() as callbacks:
        admin_client.post(
            reverse("admin:timeline_feed_changelist"),
            {"action": "poll_now", "_selected_action": [feed.pk]},
        )
    listing = admin_client.get(reverse("admin:timeline_feed_changelist"))

    assert len(callbacks) == 1
    assert b"http_5xx: down" in listing.content


# --- the submit page says what happened (issue 18.5) ------------------------------------------
SEED_TEXT = (
    "May 23, 2024\n\nCAIRO - Israeli and Hamas negotiators met in Cairo on Sunday for a new "
    "round of talks on a ceasefire, officials said. Egypt and Qatar mediated the meeting, which "
    "ended without agreement. A senior Hamas official said the group would study the proposal."
)


def _submit_text(client, text: str) -> list[tuple[str, str]]:
    response = client.post(
        reverse("admin:timeline_ingestion_submit"), {"text": text, "title": "Talks"}, follow=True
    )
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


@pytest.mark.django_db(transaction=True)
def test_submit_page_in_process_says_done_then_duplicate_with_a_link(admin_client, eager_celery):
    first = _submit_text(admin_client, SEED_TEXT)
    second = _submit_text(admin_client, SEED_TEXT)

    article = Ingestion.objects.filter(status=Status.DONE).get().article
    assert first[0][0] == "success" and first[0][1].startswith("Done (")
    assert "review queue" in first[0][1]
    assert second[0][0] == "warning" and "a duplicate of" in second[0][1]
    assert reverse("admin:timeline_article_change", args=[article.pk]) in second[0][1]
    assert not any("Queued" in text for _, text in first + second)


@pytest.mark.django_db(transaction=True)
def test_submit_page_in_process_failure_says_why(admin_client, eager_celery):
    said = _submit_text(admin_client, "Too short.")

    job = Ingestion.objects.get()
    assert job.status == Status.FAILED
    assert said[0][0] == "error" and said[0][1].startswith("Failed (")
    assert job.message in said[0][1]


def test_submit_page_with_a_worker_says_queued(admin_client):
    # Inside the test's transaction nothing is handed to a worker yet: the job waits.
    response = admin_client.post(
        reverse("admin:timeline_ingestion_submit"), {"url": "https://news.example/a"}, follow=True
    )

    said = [str(m) for m in response.context["messages"]]
    assert said and said[0].startswith("Queued as")


@pytest.mark.django_db(transaction=True)
def test_submit_page_in_process_fetch_failure_ends_the_job_with_its_reason(
    admin_client, eager_celery, local_server
):
    # Issue 18.5: without a broker a 502 said "Retrying in 19 s" and the job stayed pending.
    response = admin_client.post(
        reverse("admin:timeline_ingestion_submit"),
        {"url": local_server.url("status/502")},
        follow=True,
    )
    said = [(m.level_tag, str(m)) for m in response.context["messages"]]

    job = Ingestion.objects.get()
    assert (job.status, job.reason_code) == (Status.FAILED, "http_5xx")
    assert said[0][0] == "error" and said[0][1].startswith("Failed (")
    assert "Not retried" in said[0][1]
    assert not any("tried again" in text or "Retrying" in text for _, text in said)
