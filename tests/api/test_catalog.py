"""Negotiations, rounds, actors, issues, articles, citations and events: content and filters."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories as f
from tests.api.conftest import aware
from timeline import models as m

pytestmark = pytest.mark.django_db


def _results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_negotiation_detail_has_parties_mediators_rounds_and_issues(talks, anon_client):
    body = anon_client.get("/api/v1/negotiations/israel-hamas/").json()

    assert [p["slug"] for p in body["parties"]] == ["hamas", "israel"]
    assert [p["slug"] for p in body["mediators"]] == ["egypt", "qatar"]
    assert [r["name"] for r in body["rounds"]] == ["The Cairo round"]
    assert body["rounds"][0]["venue"]["name"] == "Cairo"
    assert [i["slug"] for i in body["issues"]] == ["duration"]


def test_negotiation_list_filters_by_participating_actor(talks, anon_client):
    f.NegotiationFactory(slug="other-talks")

    with_egypt = _results(anon_client.get("/api/v1/negotiations/", {"actor": "egypt"}))

    assert [n["slug"] for n in with_egypt] == ["israel-hamas"]


def test_round_lists_delegations_with_head_members_and_no_shows(talks, anon_client):
    (round_,) = _results(anon_client.get("/api/v1/rounds/", {"negotiation": "israel-hamas"}))

    hamas, israel = round_["delegations"]
    assert hamas["actor"]["slug"] == "hamas"
    assert hamas["head"]["name"] == "Khalil al-Hayya"
    assert hamas["members"] == [
        {
            "person": {"slug": "khalil-al-hayya", "name": "Khalil al-Hayya", "kind": "person"},
            "role": "Head",
        }
    ]
    assert hamas["arrived_on"] == "2024-05-18"
    assert israel["never_arrived"] is True


def test_actor_shows_aliases_and_affiliation(talks, anon_client):
    israel = anon_client.get("/api/v1/actors/israel/").json()
    person = anon_client.get("/api/v1/actors/khalil-al-hayya/").json()

    assert israel["aliases"] == [{"name": "Israeli", "kind": "demonym"}]
    assert person["affiliation"] == {"slug": "hamas", "name": "Hamas", "kind": "armed_group"}


def test_actor_candidates_are_hidden(talks, anon_client, editor_client):
    f.ActorFactory(slug="proposed-actor", status=m.ReviewStatus.CANDIDATE)

    for client in (anon_client, editor_client):
        assert client.get("/api/v1/actors/proposed-actor/").status_code == 404


def test_actor_search_matches_an_alias(talks, anon_client):
    found = _results(anon_client.get("/api/v1/actors/", {"q": "israeli"}))

    assert [a["slug"] for a in found] == ["israel"]


def test_issue_ledger_groups_published_positions_per_party_oldest_first(talks, anon_client):
    issue = anon_client.get(f"/api/v1/issues/{talks.issue.pk}/").json()

    ledger = {entry["party"]["slug"]: entry["positions"] for entry in issue["ledger"]}
    assert [p["stance"] for p in ledger["israel"]] == ["temporary pause only", "Pause of six weeks"]
    assert [p["is_current"] for p in ledger["israel"]] == [False, True]
    assert ledger["israel"][1]["supersedes"] == ledger["israel"][0]["id"]
    assert [p["stance"] for p in ledger["hamas"]] == [
        "permanent ceasefire",
        "phased ceasefire accepted",
    ]


def test_article_list_nests_syndicated_copies_under_the_original(talks, anon_client):
    articles = _results(anon_client.get("/api/v1/articles/"))

    originals = [talks.article, talks.disputing_article, talks.report, talks.rebuttal, talks.tv]
    originals += [talks.strike_report, talks.statement_report]
    assert sorted(a["id"] for a in articles) == sorted(a.pk for a in originals)
    original = next(a for a in articles if a["id"] == talks.article.pk)
    assert [c["id"] for c in original["syndicated_copies"]] == [talks.copy.pk]


def test_article_uncited_is_visible_to_editors_only(
    talks, anon_client, viewer_client, editor_client
):
    uncited = f.ArticleFactory(title="A report nobody has used yet")

    def visible(client) -> bool:
        return uncited.pk in [a["id"] for a in _results(client.get("/api/v1/articles/"))]

    assert (visible(anon_client), visible(viewer_client), visible(editor_client)) == (
        False,
        False,
        True,
    )


def test_article_search_finds_words_in_the_text(talks, anon_client):
    found = _results(anon_client.get("/api/v1/articles/", {"q": "impasse"}))

    # The factory's text says "impasse"; the report, the rebuttal and the copy (nested) do not.
    impasse = [talks.article, talks.disputing_article, talks.tv]
    impasse += [talks.strike_report, talks.statement_report]
    assert {a["id"] for a in found} == {a.pk for a in impasse}
    assert _results(anon_client.get("/api/v1/articles/", {"q": "zeppelin"})) == []


def test_citation_list_hides_citations_of_candidates(talks, anon_client):
    hidden = f.CitationFactory(event=talks.candidate, article=talks.article)

    ids = [c["id"] for c in _results(anon_client.get("/api/v1/citations/"))]

    assert hidden.pk not in ids
    assert len(ids) == 9


def test_citation_filter_by_stance(talks, anon_client):
    disputing = _results(anon_client.get("/api/v1/citations/", {"stance": "disputes"}))

    assert [c["speaker_label"] for c in disputing] == ["two American officials"] * 2


def test_event_detail_of_a_candidate_is_404(talks, anon_client, editor_client):
    for client in (anon_client, editor_client):
        assert client.get(f"/api/v1/events/{talks.candidate.pk}/").status_code == 404


PUBLISHED = ["meeting", "crisis", "breakdown", "departure", "return_trip", "strike", "statement"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"negotiation": "israel-hamas"}, [*PUBLISHED]),
        ({"party": "hamas"}, ["meeting", "breakdown", "departure", "return_trip"]),
        ({"kind": "statement"}, ["crisis", "statement"]),
        ({"modality": "planned"}, ["return_trip"]),
        ({"disputed": "true"}, ["breakdown", "crisis"]),
        (
            {"date_from": "2024-05-21", "date_to": "2024-06-30"},
            ["other", "return_trip", "strike", "statement"],
        ),
        ({"party": "egypt"}, ["meeting", "breakdown", "other"]),
        ({"q": "delegation"}, ["meeting", "departure", "return_trip"]),
        ({"q": "crisis official"}, ["crisis"]),
    ],
)
def test_event_list_filter_keeps_matching_events(talks, anon_client, query, expected):
    other = f.EventFactory(summary="Unrelated talks elsewhere.", date=dt.date(2024, 5, 25))
    f.EventParticipantFactory(event=other, actor=talks.egypt)

    found = _results(anon_client.get("/api/v1/events/", query))

    by_name = {"other": other.pk}
    assert sorted(e["id"] for e in found) == sorted(
        by_name.get(name) or getattr(talks, name).pk for name in expected
    )


def test_event_list_filters_by_issue_slug_and_round_id(talks, anon_client):
    by_issue = _results(anon_client.get("/api/v1/events/", {"issue": talks.issue.slug}))
    by_round = _results(anon_client.get("/api/v1/events/", {"round": talks.round.pk}))

    assert [e["id"] for e in by_issue] == [talks.meeting.pk, talks.statement.pk]
    assert [e["id"] for e in by_round] == [
        talks.meeting.pk,
        talks.breakdown.pk,
        talks.departure.pk,
    ]


def test_event_list_updated_since_keeps_recent_changes(talks, anon_client):
    m.Event.objects.filter(negotiation=talks.negotiation).exclude(pk=talks.return_trip.pk).update(
        updated_at=aware(2024, 5, 20)
    )

    recent = _results(anon_client.get("/api/v1/events/", {"updated_since": "2024-06-01T00:00:00Z"}))

    assert [e["id"] for e in recent] == [talks.return_trip.pk]


def test_event_detail_answers_304_to_its_etag(talks, anon_client):
    url = f"/api/v1/events/{talks.meeting.pk}/"
    first = anon_client.get(url)

    assert first.status_code == 200
    assert "Last-Modified" in first
    assert anon_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert anon_client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert anon_client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/negotiations/israel-hamas/",
        "/api/v1/actors/israel/",
        "/api/v1/rounds/{round}/",
        "/api/v1/issues/{issue}/",
        "/api/v1/articles/{article}/",
    ],
)
def test_detail_endpoints_answer_304_to_their_etag(talks, anon_client, path):
    url = path.format(round=talks.round.pk, issue=talks.issue.pk, article=talks.article.pk)
    first = anon_client.get(url)

    again = anon_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert (first.status_code, again.status_code) == (200, 304)
