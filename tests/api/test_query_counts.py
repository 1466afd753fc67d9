"""Every list costs the same number of queries for 1 item as for 3 (no N+1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

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
        # Scheduled talks, so the calendar export holds one entry per event as well as the
        # round: a calendar of the round alone would look the same for 1 and 3 events.
        event = f.EventFactory(
            negotiation=negotiation,
            kind=m.EventKind.SCHEDULED,
            date=dt.date(2024, 5, 1 + i),
            place=place,
            round=round_,
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


def _results(response) -> int:
    return len(response.json()["results"])


def _csv_rows(response) -> int:
    return len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) - 1


def _json_events(response) -> int:
    return len(json.loads(response.content)["events"])


def _calendar_entries(response) -> int:
    return response.content.decode().count("BEGIN:VEVENT")


def _feed_entries(response) -> int:
    return response.content.decode().count("<entry>")


def _items(n: int) -> int:
    return n


def _items_and_round(n: int) -> int:
    return n + 1  # the calendar holds the round too


def _items_twice(n: int) -> int:
    return 2 * n  # the change feed: n published events and n tombstones


# (url, builder, client, queries, rows counted, rows expected for n items). Signed-in callers
# add 3 queries: the token with its user, then user and group permissions. Every entry checks
# its rows as well as its queries (as pretalx's count == item_count): a guard over a response
# that looks the same for 1 and 3 items cannot fail.
LISTS = [
    ("/api/v1/negotiations/", _negotiations, "anonymous", 2, _results, _items),
    ("/api/v1/negotiations/counted-talks/timeline/", _events, "anonymous", 5, _results, _items),
    (
        "/api/v1/negotiations/counted-talks/timeline/?as_of=2099-01-01",
        _events,
        "anonymous",
        5,
        _results,
        _items,
    ),
    ("/api/v1/negotiations/counted-talks/export/csv/", _events, "anonymous", 5, _csv_rows, _items),
    (
        "/api/v1/negotiations/counted-talks/export/json/",
        _events,
        "anonymous",
        8,
        _json_events,
        _items,
    ),
    (
        "/api/v1/negotiations/counted-talks/export/timelinejs/",
        _events,
        "anonymous",
        5,
        _json_events,
        _items,
    ),
    (
        "/api/v1/negotiations/counted-talks/export/ics/",
        _events,
        "anonymous",
        4,
        _calendar_entries,
        _items_and_round,
    ),
    (
        "/api/v1/negotiations/counted-talks/export/atom/",
        _events,
        "anonymous",
        4,
        _feed_entries,
        _items,
    ),
    ("/api/v1/events/", _events, "anonymous", 3, _results, _items),
    ("/api/v1/events/changes/", _changes, "anonymous", 3, _results, _items_twice),
    ("/api/v1/rounds/", _rounds, "anonymous", 3, _results, _items),
    ("/api/v1/actors/", _actors, "anonymous", 2, _results, _items_twice),
    ("/api/v1/issues/", _issues, "anonymous", 2, _results, _items),
    ("/api/v1/articles/", _articles, "anonymous", 2, _results, _items),
    ("/api/v1/citations/", _citations, "anonymous", 1, _results, _items),
    ("/api/v1/ingestions/", _ingestions, "viewer", 4, _results, _items),
    ("/api/v1/review/events/", _candidates, "editor", 6, _results, _items),
    ("/api/v1/review/positions/", _candidate_positions, "editor", 5, _results, _items),
]


@pytest.mark.parametrize("items", [1, 3])
@pytest.mark.parametrize(
    ("url", "build", "who", "queries", "rows", "expected"),
    LISTS,
    ids=[entry[0] for entry in LISTS],
)
def test_list_query_count_is_flat(
    django_assert_num_queries, clients, url, build, who, queries, rows, expected, items
):
    build(items)
    client = clients[who]

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    assert rows(response) == expected(items)


@pytest.mark.parametrize(
    ("fmt", "rows", "expected"),
    [("csv", _csv_rows, 5), ("json", _json_events, 5), ("ics", _calendar_entries, 6)],
)
def test_exports_stream_in_chunks_and_stitch_them_whole(
    anon_client, monkeypatch, fmt, rows, expected
):
    from api.views import exports

    monkeypatch.setattr(exports, "CHUNK", 2)  # 5 events: chunks of 2, 2 and 1
    _events(5)

    response = anon_client.get(f"/api/v1/negotiations/counted-talks/export/{fmt}/")

    assert response.streaming
    assert rows(response) == expected
    if fmt == "json":
        ids = [e["id"] for e in json.loads(response.content)["events"]]
        assert ids == sorted(ids) and len(set(ids)) == 5
