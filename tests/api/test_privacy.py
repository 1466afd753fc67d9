"""Candidates stay private: actors the extractor proposed, candidate positions and candidate
events never show to anonymous readers or viewers, however a published row links to them."""

from __future__ import annotations

import csv
import io
import json

import feedparser
import icalendar
import pytest

from tests import factories as f
from timeline import models as m
from timeline.services import event_merge, event_retract

pytestmark = pytest.mark.django_db

# Every candidate below is named with this word, so one look at a body finds any leak.
MARKER = "secret"


@pytest.fixture
def leaky(talks):
    """Candidates linked from every published place a reference can hide in."""
    envoy = f.PersonFactory(
        name="Secret Envoy", slug="secret-envoy", status=m.ReviewStatus.CANDIDATE
    )
    faction = f.ActorFactory(
        name="Secret Faction", slug="secret-faction", status=m.ReviewStatus.CANDIDATE
    )
    f.ActorAliasFactory(actor=faction, name="Secret Front")
    # A published person affiliated with a candidate organisation.
    f.PersonFactory(name="Known Mediator", slug="known-mediator", affiliation=faction)
    f.ParticipationFactory(negotiation=talks.negotiation, actor=faction)
    # Delegations: a candidate party's whole team, a candidate head, a candidate member.
    f.DelegationFactory(round=talks.round, actor=faction)
    hamas_team = talks.round.delegations.get(actor=talks.hamas)
    m.DelegationMember.objects.create(delegation=hamas_team, person=envoy, role="Envoy")
    israel_team = talks.round.delegations.get(actor=talks.israel)
    israel_team.head = envoy
    israel_team.save()
    # A published event with a candidate participant and a candidate named speaker who
    # disputes it, and an anonymous speaker whose side is a candidate.
    f.EventParticipantFactory(event=talks.meeting, actor=envoy, role=m.ParticipantRole.RECIPIENT)
    f.EventParticipantFactory(event=talks.return_trip, actor=faction)
    talks.envoy_citation = f.CitationFactory(
        event=talks.meeting,
        article=talks.disputing_article,
        speaker=envoy,
        attribution=m.AttributionType.NAMED_OFFICIAL,
        stance=m.CitationStance.DISPUTES,
    )
    f.CitationFactory(
        event=talks.crisis,
        article=talks.article,
        speaker_description="a faction source",
        speaker_side=faction,
        attribution=m.AttributionType.ANONYMOUS_OFFICIAL,
    )
    # Stances: a published one whose party is a candidate, and a candidate one, both cited
    # by reports nothing public cites.
    hidden_report = f.ArticleFactory(title="Secret report one")
    m.Position.objects.create(
        issue=talks.issue,
        party=faction,
        stance="Secret faction stance",
        status=m.ReviewStatus.PUBLISHED,
    )
    faction_stance = m.Position.objects.get(party=faction)
    f.CitationFactory(event=None, position=faction_stance, article=hidden_report)
    candidate_stance = talks.issue.positions.get(status=m.ReviewStatus.CANDIDATE)
    candidate_stance.stance = "Secret candidate stance"
    candidate_stance.save()
    f.CitationFactory(
        event=None, position=candidate_stance, article=f.ArticleFactory(title="Secret report two")
    )
    # A candidate event with a participant and a citation of its own.
    talks.candidate.summary = "Secret candidate event"
    talks.candidate.save()
    f.EventParticipantFactory(event=talks.candidate, actor=envoy)
    f.CitationFactory(event=talks.candidate, article=f.ArticleFactory(title="Secret report three"))
    # A published event later retracted and folded into the candidate: a tombstone in the
    # change feed that must not point at the candidate.
    folded = f.EventFactory(negotiation=talks.negotiation, summary="Talks resume.")
    event_retract(folded)
    event_merge(folded, talks.candidate)
    talks.folded = folded
    talks.envoy, talks.faction = envoy, faction
    talks.faction_stance, talks.candidate_stance = faction_stance, candidate_stance
    return talks


PUBLIC_URLS = [
    "/api/v1/negotiations/",
    "/api/v1/negotiations/israel-hamas/",
    "/api/v1/negotiations/israel-hamas/timeline/",
    "/api/v1/negotiations/israel-hamas/timeline/?as_of=2099-01-01",
    "/api/v1/negotiations/israel-hamas/export/csv/",
    "/api/v1/negotiations/israel-hamas/export/json/",
    "/api/v1/negotiations/israel-hamas/export/timelinejs/",
    "/api/v1/negotiations/israel-hamas/export/timelinejs/?group=round",
    "/api/v1/negotiations/israel-hamas/export/ics/",
    "/api/v1/negotiations/israel-hamas/export/atom/",
    "/api/v1/events/",
    "/api/v1/events/{meeting}/",
    "/api/v1/events/{crisis}/",
    "/api/v1/events/{return_trip}/",
    "/api/v1/events/changes/",
    "/api/v1/rounds/",
    "/api/v1/rounds/{round}/",
    "/api/v1/actors/",
    "/api/v1/actors/known-mediator/",
    "/api/v1/issues/",
    "/api/v1/issues/{issue}/",
    "/api/v1/articles/",
    "/api/v1/articles/{article}/",
    "/api/v1/citations/",
    "/api/v1/citations/{envoy_citation}/",
    "/api/v1/citations/?event={meeting}",
]


def _url(template: str, talks) -> str:
    return template.format(
        meeting=talks.meeting.pk,
        crisis=talks.crisis.pk,
        return_trip=talks.return_trip.pk,
        round=talks.round.pk,
        issue=talks.issue.pk,
        article=talks.article.pk,
        envoy_citation=talks.envoy_citation.pk,
    )


@pytest.mark.parametrize("who", ["anonymous", "viewer"])
def test_public_endpoints_and_exports_never_show_candidates(leaky, clients, who):
    client = clients[who]

    leaks = {}
    for template in PUBLIC_URLS:
        response = client.get(_url(template, leaky))
        assert response.status_code == 200, template
        if MARKER in response.content.decode().lower():
            leaks[template] = response.content.decode()

    assert leaks == {}


def test_published_links_still_show_around_the_hidden_candidates(leaky, anon_client):
    meeting = anon_client.get(f"/api/v1/events/{leaky.meeting.pk}/").json()
    mediator = anon_client.get("/api/v1/actors/known-mediator/").json()
    hamas_team = next(
        d
        for d in anon_client.get(f"/api/v1/rounds/{leaky.round.pk}/").json()["delegations"]
        if d["actor"]["slug"] == "hamas"
    )
    israel_team = next(
        d
        for d in anon_client.get(f"/api/v1/rounds/{leaky.round.pk}/").json()["delegations"]
        if d["actor"]["slug"] == "israel"
    )

    assert [p["actor"]["slug"] for p in meeting["participants"]] == ["hamas", "egypt"]
    disputing = next(c for c in meeting["citations"] if c["stance"] == "disputes")
    assert (disputing["speaker"], disputing["speaker_label"]) == (None, "")
    assert meeting["disputed"] is True
    assert mediator["affiliation"] is None
    assert [m["person"]["slug"] for m in hamas_team["members"]] == ["khalil-al-hayya"]
    assert israel_team["head"] is None


@pytest.mark.parametrize("who", ["anonymous", "viewer"])
def test_candidate_actors_and_stances_are_not_found_by_id_or_slug(leaky, clients, who):
    client = clients[who]

    statuses = [
        client.get("/api/v1/actors/secret-envoy/").status_code,
        client.get("/api/v1/actors/secret-faction/").status_code,
        client.get(f"/api/v1/events/{leaky.candidate.pk}/").status_code,
        client.get(f"/api/v1/review/positions/{leaky.candidate_stance.pk}/").status_code,
    ]

    assert statuses == [404, 404, 404, 403]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/negotiations/?actor=secret-faction",
        "/api/v1/actors/?q=secret",
    ],
)
def test_filtering_on_a_candidate_finds_nothing(leaky, anon_client, url):
    response = anon_client.get(url)

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events/?party={}",
        "/api/v1/negotiations/israel-hamas/timeline/?party={}",
        "/api/v1/negotiations/israel-hamas/timeline/?party={}&as_of=2099-01-01",
    ],
)
@pytest.mark.parametrize("slug", ["secret-envoy", "secret-faction"])
def test_party_filter_on_a_candidate_answers_as_for_an_unknown_slug(leaky, anon_client, url, slug):
    candidate = anon_client.get(url.format(slug))
    made_up = anon_client.get(url.format("no-such-actor"))

    assert candidate.status_code == made_up.status_code == 400
    assert candidate.json()["errors"]["party"] == [f"There is no party {slug!r}."]
    assert made_up.json()["errors"]["party"] == ["There is no party 'no-such-actor'."]


def test_filtering_on_a_published_party_still_works(leaky, anon_client):
    response = anon_client.get("/api/v1/negotiations/israel-hamas/timeline/?party=hamas")

    assert [e["id"] for e in response.json()["results"]] == [
        leaky.meeting.pk,
        leaky.breakdown.pk,
        leaky.departure.pk,
        leaky.return_trip.pk,
    ]


def test_change_feed_tombstone_does_not_point_at_a_candidate(leaky, anon_client):
    rows = anon_client.get("/api/v1/events/changes/").json()["results"]

    tombstone = next(row for row in rows if row["id"] == leaky.folded.pk)
    assert (tombstone["deleted"], tombstone["status"], tombstone["merged_into"]) == (
        True,
        "merged",
        None,
    )
    assert leaky.candidate.pk not in [row["id"] for row in rows]


def test_citations_and_articles_of_hidden_stances_are_not_listed(leaky, anon_client):
    citations = anon_client.get("/api/v1/citations/?page_size=200").json()["results"]
    articles = anon_client.get("/api/v1/articles/?page_size=200").json()["results"]
    ledger = anon_client.get(f"/api/v1/issues/{leaky.issue.pk}/").json()["ledger"]

    assert {c["position"] for c in citations} == {None}
    published = ["meeting", "crisis", "breakdown", "departure", "return_trip", "strike"]
    assert {c["event"] for c in citations} == {
        getattr(leaky, name).pk for name in [*published, "statement"]
    }
    reports = [leaky.article, leaky.disputing_article, leaky.report, leaky.rebuttal, leaky.tv]
    reports += [leaky.strike_report, leaky.statement_report]
    assert sorted(a["title"] for a in articles) == sorted(a.title for a in reports)
    assert [entry["party"]["slug"] for entry in ledger] == ["hamas", "israel"]


def test_exports_parse_without_candidates(leaky, anon_client):
    base = "/api/v1/negotiations/israel-hamas/export"

    rows = list(csv.DictReader(io.StringIO(anon_client.get(f"{base}/csv/").content.decode())))
    slides = json.loads(anon_client.get(f"{base}/timelinejs/").content)["events"]
    feed = feedparser.parse(anon_client.get(f"{base}/atom/").content)
    calendar = icalendar.Calendar.from_ical(anon_client.get(f"{base}/ics/").content)
    document = json.loads(anon_client.get(f"{base}/json/").content)

    meeting = next(row for row in rows if row["id"] == str(leaky.meeting.pk))
    assert meeting["participants"] == "Hamas (actor); Egypt (mediator)"
    assert meeting["disputed_by"] == leaky.disputing_article.outlet.name
    assert {s["group"] for s in slides} == {"Egypt", "Hamas", "Israel"}
    assert len(feed.entries) == 7
    assert all(MARKER not in entry.summary.lower() for entry in feed.entries)
    assert len(calendar.walk("VEVENT")) == 2
    assert [p["actor"]["slug"] for p in document["negotiation"]["participants"]] == [
        "egypt",
        "qatar",
        "hamas",
        "israel",
    ]


def test_editor_review_queue_shows_the_candidate_actors(leaky, editor_client):
    response = editor_client.get(f"/api/v1/review/events/{leaky.candidate.pk}/")

    assert response.status_code == 200
    assert [p["actor"]["slug"] for p in response.json()["participants"]] == ["secret-envoy"]
