"""Issue 16 item 6: candidate actors (proposed by the extractor, not yet reviewed) are named
on no reader page, as the API already hid them: one rule, ``Actor.is_visible`` /
``visible_actor_q``, used by the selectors behind both."""

from __future__ import annotations

import pytest

from tests import factories as f
from timeline import models as m
from timeline.services import position_publish

SECRET = "Zzcandidate Unreviewed"
SLUG = "zzcandidate-unreviewed"
pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_everywhere(talks):
    """A candidate actor linked from every published row that names actors."""
    secret = f.ActorFactory(name=SECRET, slug=SLUG, status=m.ReviewStatus.CANDIDATE)
    f.ParticipationFactory(negotiation=talks.negotiation, actor=secret)
    f.EventParticipantFactory(event=talks.meeting, actor=secret)
    f.CitationFactory(event=talks.meeting, article=talks.article, speaker=secret)
    f.CitationFactory(
        event=talks.crisis,
        article=talks.disputing_article,
        speaker=secret,
        speaker_side=secret,
        stance=m.CitationStance.DISPUTES,
    )
    delegation = f.DelegationFactory(round=talks.round, actor=secret, head=secret)
    m.DelegationMember.objects.create(delegation=delegation, person=secret, role="Member")
    hamas_delegation = talks.round.delegations.get(actor=talks.hamas)
    m.DelegationMember.objects.create(delegation=hamas_delegation, person=secret, role="Aide")
    f.PersonFactory(name=f"{SECRET} Junior", slug=f"{SLUG}-jr", affiliation=talks.hamas,
                    status=m.ReviewStatus.CANDIDATE)  # fmt: skip
    position = f.PositionFactory(issue=talks.issue, party=secret, stance="Secret stance")
    position_publish(position)
    # Publishing a position may publish its party too: the actor under test stays a candidate.
    m.Actor.objects.filter(slug__startswith=SLUG).update(status=m.ReviewStatus.CANDIDATE)
    return talks


def _pages(talks) -> dict[str, str]:
    slug = talks.negotiation.slug
    return {
        "home": "/",
        "timeline": f"/n/{slug}/",
        "timeline filtered": f"/n/{slug}/?kind=meeting",
        "as of": f"/n/{slug}/?as_of=2024-06-30",
        "event": f"/n/{slug}/events/{talks.meeting.pk}/",
        "disputed event": f"/n/{slug}/events/{talks.crisis.pk}/",
        "round": f"/n/{slug}/rounds/{talks.round.sequence}/",
        "standings": f"/n/{slug}/where-things-stand/",
        "standings as of": f"/n/{slug}/where-things-stand/?as_of=2024-06-30",
        "hamas": "/actors/hamas/",
        "source": f"/sources/{talks.article.pk}/",
        "disputing source": f"/sources/{talks.disputing_article.pk}/",
    }


@pytest.mark.parametrize(
    "page",
    [
        "home",
        "timeline",
        "timeline filtered",
        "as of",
        "event",
        "disputed event",
        "round",
        "standings",
        "standings as of",
        "hamas",
        "source",
        "disputing source",
    ],
)
def test_reader_page_never_names_a_candidate_actor(candidate_everywhere, client, page):
    response = client.get(_pages(candidate_everywhere)[page])

    assert response.status_code == 200
    html = response.content.decode()
    assert SECRET not in html
    assert SLUG not in html


def test_candidate_actor_page_is_404(candidate_everywhere, client):
    assert client.get(f"/actors/{SLUG}/").status_code == 404


def test_published_actors_still_show(candidate_everywhere, client):
    html = client.get(_pages(candidate_everywhere)["event"]).content.decode()

    assert "Hamas" in html and "Egypt" in html


def test_api_and_reader_share_the_rule(candidate_everywhere, anon_client):
    body = anon_client.get(
        f"/api/v1/negotiations/israel-hamas/timeline/{candidate_everywhere.meeting.pk}/"
    ).content.decode()

    assert SECRET not in body
    assert m.Actor.objects.visible().filter(slug=SLUG).exists() is False
    assert m.Actor.objects.get(slug=SLUG).is_visible is False
