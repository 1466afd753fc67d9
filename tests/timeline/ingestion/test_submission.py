"""One decision for a submission (URL, text or page) and one for adding a feed (issue 15).

The admin's submit page and the API's POST both call ``ingestion_submit``; the feed admin adds
through ``feed_register``. These tests pin the decision and that both doors reach it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from timeline.models import Feed, Ingestion
from timeline.services import DomainError, feed_register, ingestion_submit

pytestmark = pytest.mark.django_db
PAGE = b"<html><body><p>Talks resumed in Cairo.</p></body></html>"


def test_submit_a_page_with_where_it_came_from():
    job = ingestion_submit(html=PAGE, url="https://news.example/talks")

    assert (job.source, job.normalized_url) == (Ingestion.Source.HTML, "https://news.example/talks")


def test_submit_whitespace_text_with_a_url_fetches_the_url():
    job = ingestion_submit(url="https://news.example/talks", text="  \n ")

    assert (job.source, job.payload) == (Ingestion.Source.URL, "")


def test_submit_text_keeps_its_details():
    job = ingestion_submit(text="Talks resumed.", title="Talks", byline="A. Reporter")

    assert job.source == Ingestion.Source.TEXT
    assert job.submitted_metadata == {"title": "Talks", "byline": "A. Reporter"}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({}, "Give a URL, paste the text, or upload a saved page."),
        ({"url": "  "}, "Give a URL, paste the text, or upload a saved page."),
        ({"text": "Talks.", "html": PAGE}, "Paste text or upload a page, not both."),
        ({"url": "https://news.example/a", "title": "Talks"}, "title: only used with pasted"),
        ({"url": "https://news.example/a", "byline": "Ann"}, "byline: only used with pasted"),
    ],
)
def test_submit_refuses_what_is_not_one_submission_and_creates_nothing(given, message):
    with pytest.raises(DomainError, match=message):
        ingestion_submit(**given)

    assert Ingestion.objects.count() == 0


def test_admin_submit_page_refuses_a_title_for_a_fetched_page(admin_client):
    # The old page queued the URL and silently dropped the title the editor typed.
    response = admin_client.post(
        reverse("admin:timeline_ingestion_submit"),
        {"url": "https://news.example/talks", "title": "Talks stall"},
    )

    assert response.status_code == 200
    assert b"title: only used with pasted text" in response.content
    assert Ingestion.objects.count() == 0


def test_feed_admin_add_goes_through_feed_register(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            reverse("admin:timeline_feed_add"),
            {
                "title": "  Wire  ",
                "url": "https://news.example/rss.xml",
                "active": "on",
                "poll_interval_minutes": "15",
            },
        )

    assert response.status_code == 302
    feed = Feed.objects.get()
    # feed_register strips the title and queues the first poll.
    assert (feed.title, feed.poll_interval_minutes) == ("Wire", 15)
    assert len(callbacks) == 1


def test_feed_admin_add_shows_feed_register_rule(admin_client):
    # A URL with credentials passes Django's URLField; the old admin saved it.
    response = admin_client.post(
        reverse("admin:timeline_feed_add"),
        {
            "url": "https://user:secret@news.example/rss.xml",
            "active": "on",
            "poll_interval_minutes": "15",
        },
    )

    assert response.status_code == 200
    assert b"URLs with user names or passwords are not ingested." in response.content
    assert Feed.objects.count() == 0


def test_an_inactive_feed_is_registered_without_a_poll(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        feed = feed_register("https://news.example/rss.xml", active=False)

    assert feed.active is False
    assert callbacks == []
