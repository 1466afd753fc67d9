"""Issue 13 in the API: candidate citations' queue, attach/keep-separate of a possible
duplicate, and the source count on the public timeline (field, min_sources, CSV)."""

from __future__ import annotations

import csv
import io

from tests import factories as f
from timeline import models as m


def _proposal(event: m.Event, stance: str = m.CitationStance.SUPPORTS) -> m.CitationProposal:
    article = f.ArticleFactory(outlet=f.OutletFactory(name="Another outlet"))
    end = article.text.index(".") + 1
    return m.CitationProposal.objects.create(
        event=event,
        article=article,
        start=0,
        end=end,
        quote=article.text[:end],
        stance=stance,
        score=0.8,
    )


def test_citation_queue_lists_pending_and_attach_publishes_the_citation(talks, editor_client):
    proposal = _proposal(talks.meeting)
    before = m.Event.objects.get(pk=talks.meeting.pk).source_count

    listed = editor_client.get("/api/v1/review/citations/")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [proposal.pk]
    assert listed.json()["results"][0]["score"] == 0.8

    response = editor_client.post(f"/api/v1/review/citations/{proposal.pk}/attach/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "attached"
    citation = m.Citation.objects.get(pk=response.json()["citation"])
    assert (citation.event_id, citation.article_id) == (talks.meeting.pk, proposal.article_id)
    assert m.Event.objects.get(pk=talks.meeting.pk).source_count == before + 1
    # Gone from the queue; a second attach is refused with a clear message.
    assert editor_client.get("/api/v1/review/citations/").json()["results"] == []
    again = editor_client.get(f"/api/v1/review/citations/{proposal.pk}/")
    assert again.status_code == 404


def test_citation_dismiss_and_the_queue_is_for_editors_only(talks, editor_client, clients):
    proposal = _proposal(talks.meeting)
    for name in ("anonymous", "viewer"):
        assert clients[name].get("/api/v1/review/citations/").status_code in (401, 403)
    response = editor_client.post(f"/api/v1/review/citations/{proposal.pk}/dismiss/")
    assert response.json()["status"] == "dismissed"
    assert not m.Citation.objects.filter(article=proposal.article).exists()


def test_a_disputing_proposal_attached_flags_the_event(talks, editor_client):
    proposal = _proposal(talks.meeting, stance=m.CitationStance.DISPUTES)
    editor_client.post(f"/api/v1/review/citations/{proposal.pk}/attach/")
    assert m.Event.objects.get(pk=talks.meeting.pk).has_dispute


def test_review_shows_possible_duplicates_and_attach_moves_the_citations(talks, editor_client):
    m.Event.objects.filter(pk=talks.candidate.pk).update(
        possible_duplicates=[{"event": talks.meeting.pk, "score": 0.55, "summary": "x"}]
    )
    citation = f.CitationFactory(event=talks.candidate, article=f.ArticleFactory())
    shown = editor_client.get(f"/api/v1/review/events/{talks.candidate.pk}/").json()
    assert shown["possible_duplicates"][0]["event"] == talks.meeting.pk

    response = editor_client.post(
        f"/api/v1/review/events/{talks.candidate.pk}/attach/",
        {"into": talks.meeting.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    citation.refresh_from_db()
    assert citation.event_id == talks.meeting.pk


def test_keep_separate_forgets_the_possible_duplicates(talks, editor_client):
    m.Event.objects.filter(pk=talks.candidate.pk).update(
        possible_duplicates=[{"event": talks.meeting.pk, "score": 0.5, "summary": "x"}]
    )
    response = editor_client.post(f"/api/v1/review/events/{talks.candidate.pk}/keep-separate/")
    assert response.status_code == 200
    assert response.json()["possible_duplicates"] == []


def test_timeline_carries_the_count_and_filters_by_it(talks, anon_client):
    slug = talks.meeting.negotiation.slug
    rows = anon_client.get(f"/api/v1/negotiations/{slug}/timeline/").json()["results"]
    assert rows and all("source_count" in row and "single_source" in row for row in rows)
    counts = {row["id"]: row["source_count"] for row in rows}
    assert counts[talks.meeting.pk] == m.Event.objects.get(pk=talks.meeting.pk).source_count
    wanted = max(counts.values())
    filtered = anon_client.get(f"/api/v1/negotiations/{slug}/timeline/?min_sources={wanted}")
    assert {row["id"] for row in filtered.json()["results"]} == {
        pk for pk, n in counts.items() if n >= wanted
    }
    bad = anon_client.get(f"/api/v1/negotiations/{slug}/timeline/?min_sources=0")
    assert bad.status_code == 400
    exported = anon_client.get(f"/api/v1/negotiations/{slug}/export/csv/")
    assert exported.status_code == 200
    table = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert {int(r["id"]): int(r["source_count"]) for r in table} == counts


def test_publish_refuses_an_unresolved_possible_duplicate_until_overridden(talks, editor_client):
    # The matcher said "possible duplicate of the meeting"; the candidate is dated unlike any
    # published event, so only this check (not the look-alike one) can refuse it.
    candidate = f.EventFactory(
        negotiation=talks.meeting.negotiation,
        status=m.ReviewStatus.CANDIDATE,
        date=talks.meeting.date.replace(year=talks.meeting.date.year - 3),
        possible_duplicates=[{"event": talks.meeting.pk, "score": 0.61, "summary": "x"}],
    )
    url = f"/api/v1/review/events/{candidate.pk}/publish/"

    refused = editor_client.post(url)

    assert refused.status_code == 400, refused.json()
    errors = refused.json()["errors"]
    assert "look_alikes" not in errors
    assert errors["possible_duplicates"] == [
        f"Event {talks.meeting.pk} (score 0.61): {talks.meeting.summary}"
    ]
    candidate.refresh_from_db()
    assert candidate.status == m.ReviewStatus.CANDIDATE

    forced = editor_client.post(url, {"not_a_duplicate": True}, format="json")

    assert forced.status_code == 200, forced.json()
    candidate.refresh_from_db()
    assert candidate.status == m.ReviewStatus.PUBLISHED


def test_publish_after_keep_separate_or_a_gone_match_is_not_refused(talks, editor_client):
    kept_apart = f.EventFactory(
        negotiation=talks.meeting.negotiation,
        status=m.ReviewStatus.CANDIDATE,
        date=talks.meeting.date.replace(year=talks.meeting.date.year - 3),
        possible_duplicates=[{"event": talks.meeting.pk, "score": 0.61, "summary": "x"}],
    )
    gone = f.EventFactory(negotiation=talks.meeting.negotiation, status=m.ReviewStatus.RETRACTED)
    matched_a_gone_event = f.EventFactory(
        negotiation=talks.meeting.negotiation,
        status=m.ReviewStatus.CANDIDATE,
        date=talks.meeting.date.replace(year=talks.meeting.date.year - 4),
        possible_duplicates=[{"event": gone.pk, "score": 0.7, "summary": "x"}],
    )
    editor_client.post(f"/api/v1/review/events/{kept_apart.pk}/keep-separate/")

    for event in (kept_apart, matched_a_gone_event):
        response = editor_client.post(f"/api/v1/review/events/{event.pk}/publish/")
        assert response.status_code == 200, response.json()
