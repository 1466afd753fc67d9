"""Editors review the stances the extractor proposed: list them with their quotes, publish or
reject them (the same services as the admin), and only editors may."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories as f
from timeline import models as m

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/review/positions/"


@pytest.fixture
def proposed(talks):
    """A stance the extractor proposed for a party it also proposed, with its quote."""
    party = f.ActorFactory(
        name="Islamic Jihad", slug="islamic-jihad", status=m.ReviewStatus.CANDIDATE
    )
    article = f.ArticleFactory(title="Factions weigh the proposal")
    position = f.PositionFactory(
        issue=talks.issue,
        party=party,
        kind=m.PositionKind.RED_LINE,
        stance="No deal without a full withdrawal",
        valid_from=dt.date(2024, 5, 21),
        status=m.ReviewStatus.CANDIDATE,
        source_article=article,
    )
    f.CitationFactory(
        event=None,
        position=position,
        article=article,
        speaker_description="a senior official",
        attribution=m.AttributionType.ANONYMOUS_OFFICIAL,
    )
    talks.proposed = position
    talks.existing_candidate = talks.issue.positions.get(stance="A candidate stance")
    return talks


def test_queue_lists_candidate_positions_with_their_citations(proposed, editor_client):
    response = editor_client.get(QUEUE)

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert set(rows) == {proposed.proposed.pk, proposed.existing_candidate.pk}
    row = rows[proposed.proposed.pk]
    assert (row["negotiation"], row["issue"]["slug"], row["kind"], row["stance"]) == (
        "israel-hamas",
        "duration",
        "red_line",
        "No deal without a full withdrawal",
    )
    assert (row["party"]["slug"], row["party_status"], row["status"]) == (
        "islamic-jihad",
        "candidate",
        "candidate",
    )
    assert row["source_article"]["title"] == "Factions weigh the proposal"
    assert [(c["quote"], c["speaker_label"]) for c in row["citations"]] == [
        (proposed.proposed.citations.get().quote, "a senior official")
    ]


def test_queue_filters_by_party(proposed, editor_client):
    response = editor_client.get(QUEUE, {"party": "islamic-jihad"})

    assert [row["id"] for row in response.json()["results"]] == [proposed.proposed.pk]


def test_publish_puts_the_stance_in_the_public_ledger(proposed, editor_client, anon_client):
    response = editor_client.post(f"{QUEUE}{proposed.proposed.pk}/publish/")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["is_current"], body["party_status"]) == (
        "published",
        True,
        "published",
    )
    ledger = anon_client.get(f"/api/v1/issues/{proposed.issue.pk}/").json()["ledger"]
    jihad = next(entry for entry in ledger if entry["party"]["slug"] == "islamic-jihad")
    assert [p["stance"] for p in jihad["positions"]] == ["No deal without a full withdrawal"]
    assert proposed.proposed.pk not in [
        row["id"] for row in editor_client.get(QUEUE).json()["results"]
    ]


def test_publish_of_an_older_stance_keeps_the_current_one(proposed, editor_client):
    older = proposed.existing_candidate
    older.valid_from = dt.date(2024, 4, 1)
    older.save()

    response = editor_client.post(f"{QUEUE}{older.pk}/publish/")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["is_current"]) == ("published", False)
    current = m.Position.objects.get(issue=proposed.issue, party=proposed.israel, is_current=True)
    assert current.stance == "Pause of six weeks"


def test_reject_keeps_the_stance_out_of_the_ledger(proposed, editor_client, anon_client):
    response = editor_client.post(f"{QUEUE}{proposed.proposed.pk}/reject/")

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    proposed.proposed.refresh_from_db()
    assert proposed.proposed.status == m.ReviewStatus.REJECTED
    ledger = anon_client.get(f"/api/v1/issues/{proposed.issue.pk}/").json()["ledger"]
    assert "islamic-jihad" not in [entry["party"]["slug"] for entry in ledger]


def test_rejecting_a_published_stance_is_a_400_with_the_reason(proposed, editor_client):
    published = m.Position.objects.get(stance="permanent ceasefire")

    response = editor_client.post(f"{QUEUE}{published.pk}/reject/")

    assert response.status_code == 400
    assert response.json()["message"] == "Only candidate positions can be rejected."
    published.refresh_from_db()
    assert published.status == m.ReviewStatus.PUBLISHED


def test_a_rejected_stance_can_be_published_on_second_thought(proposed, editor_client):
    editor_client.post(f"{QUEUE}{proposed.proposed.pk}/reject/")

    response = editor_client.post(f"{QUEUE}{proposed.proposed.pk}/publish/")

    assert response.status_code == 200
    assert response.json()["status"] == "published"


def test_unknown_position_is_a_json_404(proposed, editor_client):
    response = editor_client.post(f"{QUEUE}999999999/publish/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("who", ["anonymous", "viewer"])
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("get", "{pk}/"), ("post", "{pk}/publish/"), ("post", "{pk}/reject/")],
)
def test_only_editors_review_positions(proposed, clients, who, method, path):
    url = QUEUE + path.format(pk=proposed.proposed.pk)

    response = getattr(clients[who], method)(url)

    assert response.status_code == 403
    assert response.json()["message"]
    proposed.proposed.refresh_from_db()
    assert proposed.proposed.status == m.ReviewStatus.CANDIDATE


def test_reviewing_positions_needs_the_position_permission(proposed, django_user_model):
    # May review events but not change positions.
    user = django_user_model.objects.create_user("event-editor")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="timeline", codename="change_event")
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    statuses = (
        client.get("/api/v1/review/events/").status_code,
        client.post(f"{QUEUE}{proposed.proposed.pk}/publish/").status_code,
    )

    assert statuses == (200, 403)
