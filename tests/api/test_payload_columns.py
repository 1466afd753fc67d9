"""Pages that show citations do not read the cited reports' full text or MinHash signature:
a citation stores its own quote, and ~100 cited reports of several KB each per page of events
would cross from the database for nothing (timeline.selectors.timeline.UNSHOWN_ARTICLE_FIELDS)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories as f

pytestmark = pytest.mark.django_db

UNREAD = ('"timeline_article"."text"', '"timeline_article"."minhash"')


@pytest.fixture
def cited(db):
    negotiation = f.NegotiationFactory(slug="cited-talks")
    event = f.EventFactory(negotiation=negotiation)
    f.EventParticipantFactory(event=event)
    f.CitationFactory(event=event, speaker=f.PersonFactory())
    return event


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/negotiations/cited-talks/timeline/",
        "/api/v1/negotiations/cited-talks/timeline/?as_of=2099-01-01",
        "/api/v1/events/?negotiation=cited-talks",
        "/api/v1/events/{event}/",
        "/api/v1/citations/",
        "/api/v1/negotiations/cited-talks/export/csv/",
        "/api/v1/negotiations/cited-talks/export/json/",
        "/n/cited-talks/",
        "/n/cited-talks/events/{event}/",
    ],
)
def test_cited_reports_text_is_not_read_to_show_a_citation(cited, url):
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(url.format(event=cited.pk), HTTP_HOST="127.0.0.1")
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    reading = [
        q["sql"][:200] for q in captured.captured_queries if any(c in q["sql"] for c in UNREAD)
    ]
    assert reading == []
