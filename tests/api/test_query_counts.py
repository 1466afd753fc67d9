"""Every list costs the same number of queries for 1 item as for 3 (no N+1)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories as f
from timeline import models as m
from timeline.services import event_retract, position_publish

pytestmark = pytest.mark.django_db


def _events(n: int) -> m.Negotiation:
    negotiation = f.NegotiationFactory(slug="counted-talks")
    place = f.PlaceFactory()
    round_ = f.RoundFactory(negotiation=negotiation)
    for i in range(n):
        event = f.EventFactory(
            negotiation=negotiation, date=dt.date(2024, 5, 1 + i), place=place, round=round_
        )
        f.EventParticipantFactory(event=event)
        f.EventParticipantFactory(event=event, role=m.ParticipantRole.MEDIATOR)
        f.CitationFactory(event=event, speaker=f.PersonFactory())
        f.CitationFactory(event=event, stance=m.CitationStance.DISPUTES)
    return negotiation


def _changes(n: int) -> None:
    _events(n)
    for _ in range(n):
        event_retract(f.EventFactory())


def _negotiations(n: int) -> None:
    for _ in range(n):
        negotiation = f.NegotiationFactory()
        f.ParticipationFactory(negotiation=negotiation)
        f.ParticipationFactory(negotiation=negotiation, role=m.ParticipationRole.MEDIATOR)


def _rounds(n: int) -> None:
    for _ in range(n):
        round_ = f.RoundFactory()
        for _ in range(2):
            delegation = f.DelegationFactory(round=round_, head=f.PersonFactory())
            m.DelegationMember.objects.create(delegation=delegation, person=f.PersonFactory())


def _actors(n: int) -> None:
    for _ in range(n):
        person = f.PersonFactory(affiliation=f.ActorFactory())
        f.ActorAliasFactory(actor=person)


def _issues(n: int) -> None:
    for _ in range(n):
        issue = f.IssueFactory()
        for _ in range(2):
            position_publish(f.PositionFactory(issue=issue))


def _articles(n: int) -> None:
    for _ in range(n):
        citation = f.CitationFactory()
        f.ArticleFactory(syndication_of=citation.article)


def _citations(n: int) -> None:
    for _ in range(n):
        f.CitationFactory(speaker=f.PersonFactory(), speaker_side=f.ActorFactory())


def _ingestions(n: int) -> None:
    for _ in range(n):
        f.IngestionFactory(negotiation=f.NegotiationFactory(), article=f.ArticleFactory())


def _candidates(n: int) -> None:
    for _ in range(n):
        event = f.EventFactory(status=m.ReviewStatus.CANDIDATE, source_article=f.ArticleFactory())
        f.EventParticipantFactory(event=event)
        f.CitationFactory(event=event)


def _candidate_positions(n: int) -> None:
    for _ in range(n):
        position = f.PositionFactory(
            status=m.ReviewStatus.CANDIDATE, source_article=f.ArticleFactory()
        )
        f.CitationFactory(event=None, position=position, speaker=f.PersonFactory())


# (url, builder, client, queries). Signed-in callers add 3 queries: the token with its user,
# then user and group permissions.
LISTS = [
    ("/api/v1/negotiations/", _negotiations, "anonymous", 2),
    ("/api/v1/negotiations/counted-talks/timeline/", _events, "anonymous", 6),
    ("/api/v1/negotiations/counted-talks/timeline/?as_of=2099-01-01", _events, "anonymous", 6),
    ("/api/v1/negotiations/counted-talks/export/csv/", _events, "anonymous", 5),
    ("/api/v1/negotiations/counted-talks/export/json/", _events, "anonymous", 8),
    ("/api/v1/negotiations/counted-talks/export/timelinejs/", _events, "anonymous", 6),
    ("/api/v1/negotiations/counted-talks/export/ics/", _events, "anonymous", 4),
    ("/api/v1/negotiations/counted-talks/export/atom/", _events, "anonymous", 5),
    ("/api/v1/events/", _events, "anonymous", 3),
    ("/api/v1/events/changes/", _changes, "anonymous", 3),
    ("/api/v1/rounds/", _rounds, "anonymous", 3),
    ("/api/v1/actors/", _actors, "anonymous", 2),
    ("/api/v1/issues/", _issues, "anonymous", 2),
    ("/api/v1/articles/", _articles, "anonymous", 2),
    ("/api/v1/citations/", _citations, "anonymous", 1),
    ("/api/v1/ingestions/", _ingestions, "viewer", 4),
    ("/api/v1/review/events/", _candidates, "editor", 6),
    ("/api/v1/review/positions/", _candidate_positions, "editor", 5),
]


@pytest.mark.parametrize("items", [1, 3])
@pytest.mark.parametrize(
    ("url", "build", "who", "queries"), LISTS, ids=[entry[0] for entry in LISTS]
)
def test_list_query_count_is_flat(
    django_assert_num_queries, clients, url, build, who, queries, items
):
    build(items)
    client = clients[who]

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
