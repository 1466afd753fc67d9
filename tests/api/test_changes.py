"""GET /api/v1/events/changes/: the change feed with tombstones for consumers who sync."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests import factories as f
from tests.api.conftest import aware
from timeline import models as m
from timeline.services import event_merge, event_publish, event_retract

URL = "/api/v1/events/changes/"
pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_changes_lists_tombstones_for_retracted_and_merged_events(talks, anon_client):
    event_retract(talks.return_trip)
    duplicate = f.EventFactory(negotiation=talks.negotiation, summary="The same meeting again.")
    event_merge(duplicate, talks.meeting)

    rows = {row["id"]: row for row in _rows(anon_client.get(URL))}

    assert rows[talks.return_trip.pk] == {
        "id": talks.return_trip.pk,
        "status": "retracted",
        "deleted": True,
        "merged_into": None,
        "updated_at": rows[talks.return_trip.pk]["updated_at"],
        "event": None,
    }
    assert rows[duplicate.pk]["status"] == "merged"
    assert rows[duplicate.pk]["deleted"] is True
    assert rows[duplicate.pk]["merged_into"] == talks.meeting.pk
    assert rows[talks.meeting.pk]["event"]["summary"] == talks.meeting.summary


def test_changes_hides_candidates_merged_before_anyone_saw_them(talks, anon_client):
    event_merge(talks.candidate, talks.meeting)

    ids = [row["id"] for row in _rows(anon_client.get(URL))]

    assert talks.candidate.pk not in ids


def test_changes_updated_since_returns_only_later_changes_oldest_first(talks, anon_client):
    m.Event.objects.filter(negotiation=talks.negotiation).update(updated_at=aware(2024, 5, 20))
    m.Event.objects.filter(pk=talks.crisis.pk).update(updated_at=aware(2024, 6, 2))
    m.Event.objects.filter(pk=talks.return_trip.pk).update(updated_at=aware(2024, 6, 1))

    rows = _rows(anon_client.get(URL, {"updated_since": "2024-06-01T00:00:00Z"}))

    assert [row["id"] for row in rows] == [talks.return_trip.pk, talks.crisis.pk]


def test_changes_cursor_picks_up_a_change_made_while_syncing(talks, anon_client):
    first = anon_client.get(URL, {"page_size": 2}).json()
    event_publish(talks.candidate)

    rest: list[int] = []
    link = first["next"]
    while link:
        page = anon_client.get(
            URL, {k: v[0] for k, v in parse_qs(urlparse(link).query).items()}
        ).json()
        rest += [row["id"] for row in page["results"]]
        link = page["next"]

    seen = [row["id"] for row in first["results"]] + rest
    assert seen == [
        getattr(talks, name).pk
        for name in (
            "meeting",
            "crisis",
            "breakdown",
            "departure",
            "return_trip",
            "strike",
            "statement",
            "candidate",
        )
    ]


def test_changes_rejects_a_malformed_timestamp(talks, anon_client):
    response = anon_client.get(URL, {"updated_since": "yesterday"})

    assert response.status_code == 400
    assert "updated_since" in response.json()["errors"]


def test_changes_rejects_an_offset_postgresql_cannot_store(talks, anon_client):
    response = anon_client.get(URL, {"updated_since": "9999-12-31T23:59:59-23:59"})

    assert response.status_code == 400
