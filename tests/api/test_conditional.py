"""The timeline's cheap validator: a 304 before any event is loaded, and a new ETag whenever
anything the timeline shows changes (and only then)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories as f
from timeline import models as m
from timeline.services import citation_create, event_merge, event_publish, event_retract

pytestmark = pytest.mark.django_db

URL = "/api/v1/negotiations/israel-hamas/timeline/"


def _events(n: int) -> None:
    negotiation = f.NegotiationFactory(slug="counted-talks")
    for i in range(n):
        event = f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, 1 + i))
        f.EventParticipantFactory(event=event)
        f.CitationFactory(event=event, speaker=f.PersonFactory())


@pytest.mark.parametrize("items", [1, 3])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # The timeline's page is kept under its address with the generation token
        # (tracker.kept_responses): a repeat reads no row at all.
        ("/api/v1/negotiations/counted-talks/timeline/", 0),
        ("/api/v1/negotiations/counted-talks/timeline/?as_of=2099-01-01&kind=meeting", 0),
        # The negotiation, whose row carries the version: no event, participant or citation.
        ("/api/v1/negotiations/counted-talks/export/csv/", 1),
        ("/api/v1/negotiations/counted-talks/export/json/", 1),
    ],
)
def test_not_modified_costs_one_query_at_most_whatever_the_size(
    anon_client, django_assert_num_queries, url, queries, items
):
    _events(items)
    first = anon_client.get(url)

    with django_assert_num_queries(queries):
        again = anon_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert (first.status_code, again.status_code) == (200, 304)
    assert again.content == b""
    assert (again["ETag"], again["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    assert again["Cache-Control"] == "public, max-age=60"


def test_not_modified_since_the_last_modified_date(talks, anon_client):
    first = anon_client.get(URL)

    again = anon_client.get(URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304


def _rename_actor(talks):
    talks.hamas.name = "Hamas movement"
    talks.hamas.save()


def _publish_candidate(talks):
    event_publish(talks.candidate)


def _retract(talks):
    event_retract(talks.crisis)


def _merge(talks):
    event_merge(talks.crisis, talks.meeting)


def _add_participant(talks):
    m.EventParticipant.objects.create(event=talks.crisis, actor=talks.egypt, role="mediator")


def _remove_participant(talks):
    talks.meeting.participants.get(actor=talks.egypt).delete()


def _add_citation(talks):
    citation_create(article=talks.disputing_article, start=0, end=6, event=talks.meeting)


def _remove_citation(talks):
    talks.meeting.citations.get().delete()


def _rename_place(talks):
    talks.meeting.place.name = "Cairo, Egypt"
    talks.meeting.place.save()


def _delete_place(talks):
    talks.meeting.place.delete()


def _rename_round(talks):
    talks.round.name = "First Cairo round"
    talks.round.save()


def _rename_issue(talks):
    talks.issue.title = "Length of the ceasefire"
    talks.issue.save()


def _retitle_article(talks):
    talks.article.title = "Talks in Cairo stall"
    talks.article.save()


def _rename_outlet(talks):
    talks.article.outlet.name = "Cairo News Network"
    talks.article.outlet.save()


def _delete_outlet(talks):
    talks.disputing_article.outlet.delete()


def _rename_speaker_side(talks):
    talks.israel.name = "State of Israel"
    talks.israel.save()


def _move_event_away(talks):
    talks.crisis.negotiation = f.NegotiationFactory()
    talks.crisis.save()


def _delete_event(talks):
    talks.return_trip.delete()


def _hide_actor(talks):
    talks.egypt.status = m.ReviewStatus.CANDIDATE
    talks.egypt.save()


EDITS = [
    _rename_actor,
    _publish_candidate,
    _retract,
    _merge,
    _add_participant,
    _remove_participant,
    _add_citation,
    _remove_citation,
    _rename_place,
    _delete_place,
    _rename_round,
    _rename_issue,
    _retitle_article,
    _rename_outlet,
    _delete_outlet,
    _rename_speaker_side,
    _move_event_away,
    _delete_event,
    _hide_actor,
]


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__.strip("_") for e in EDITS])
def test_an_edit_changes_the_validator(talks, anon_client, edit):
    first = anon_client.get(URL)

    edit(talks)
    again = anon_client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert again.json() != first.json()


def test_candidate_work_does_not_change_the_validator(talks, anon_client):
    first = anon_client.get(URL)

    talks.candidate.summary = "A proposal the extractor found, edited."
    talks.candidate.save()
    f.EventFactory(negotiation=talks.negotiation, status=m.ReviewStatus.CANDIDATE)
    again = anon_client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["Last-Modified"] == first["Last-Modified"]


def test_etag_differs_by_query_and_by_audience(talks, anon_client, editor_client):
    plain = anon_client.get(URL)["ETag"]
    filtered = anon_client.get(URL, {"kind": "meeting"})["ETag"]
    paged = anon_client.get(URL, {"page_size": 1})["ETag"]
    editor = editor_client.get(URL)["ETag"]

    assert len({plain, filtered, paged, editor}) == 4
    assert anon_client.get(URL, {"kind": "meeting"}, HTTP_IF_NONE_MATCH=plain).status_code == 200


def test_export_etag_differs_by_format(talks, anon_client):
    csv_etag = anon_client.get("/api/v1/negotiations/israel-hamas/export/csv/")["ETag"]

    response = anon_client.get(
        "/api/v1/negotiations/israel-hamas/export/json/", HTTP_IF_NONE_MATCH=csv_etag
    )

    assert response.status_code == 200
    assert response["ETag"] != csv_etag
