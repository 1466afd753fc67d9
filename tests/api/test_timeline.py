"""GET /api/v1/negotiations/{slug}/timeline/: content, filters, cursor paging, as_of, 304s."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest

from tests import factories as f
from tests.api.conftest import aware
from timeline import models as m
from timeline.services import citation_create

URL = "/api/v1/negotiations/israel-hamas/timeline/"
pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    return [event["id"] for event in response.json()["results"]]


def _cursor_params(link: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlparse(link).query).items()}


def test_timeline_lists_published_events_in_time_order(talks, anon_client):
    response = anon_client.get(URL)

    assert response.status_code == 200
    assert _ids(response) == talks.in_time_order
    assert response.json()["next"] is None


def test_timeline_event_shows_participants_citations_and_who_disputes(talks, anon_client):
    response = anon_client.get(URL)

    crisis = next(e for e in response.json()["results"] if e["id"] == talks.crisis.pk)
    assert crisis["kind"] == "statement"
    assert crisis["modality"] == "occurred"
    assert (crisis["date"], crisis["date_precision"], crisis["date_text"]) == (
        "2024-05-20",
        "week",
        "in recent days",
    )
    assert crisis["participants"] == [
        {"actor": {"slug": "israel", "name": "Israel", "kind": "state"}, "role": "actor"}
    ]
    assert crisis["disputed"] is True
    disputing = talks.crisis.citations.get(stance=m.CitationStance.DISPUTES)
    assert crisis["disputed_by"] == [
        {
            "citation": disputing.pk,
            "speaker": "two American officials",
            "outlet": talks.disputing_article.outlet.name,
        }
    ]
    first = crisis["citations"][0]
    assert first["article"]["title"] == "Talks in Cairo reach an impasse"
    assert first["article"]["url"] == talks.article.url
    assert first["article"]["outlet"]["name"] == talks.article.outlet.name
    assert first["article"]["published_at"] == "2024-05-20T09:00:00Z"
    assert first["quote"] == talks.article.text[: talks.article.text.index(".") + 1]
    assert first["speaker"] is None
    assert first["speaker_label"] == "an Israeli official"
    assert first["speaker_side"]["slug"] == "israel"
    assert first["attribution"] == "anonymous_official"
    assert first["stance"] == "supports"


def test_timeline_meeting_has_place_round_and_issue(talks, anon_client):
    meeting = anon_client.get(URL).json()["results"][0]

    assert meeting["place"]["name"] == "Cairo"
    assert meeting["round"] == {"id": talks.round.pk, "sequence": 1, "name": "The Cairo round"}
    assert meeting["issue"]["slug"] == "duration"
    assert [p["role"] for p in meeting["participants"]] == ["actor", "mediator"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # A party's own people count as the party (Netanyahu's statement is Israel's).
        ({"party": "israel"}, ["breakdown", "crisis", "strike", "statement"]),
        ({"party": "israel,egypt"}, ["meeting", "breakdown", "crisis", "strike", "statement"]),
        ({"kind": "scheduled"}, ["return_trip"]),
        ({"kind": ["scheduled", "meeting"]}, ["meeting", "return_trip"]),
        ({"modality": "planned"}, ["return_trip"]),
        ({"issue": "duration"}, ["meeting", "statement"]),
        ({"round": 1}, ["meeting", "breakdown", "departure"]),
        ({"date_from": "2024-05-20"}, ["crisis", "return_trip", "strike", "statement"]),
        ({"date_to": "2024-05-20"}, ["meeting", "breakdown", "departure", "crisis"]),
        ({"date_from": "2024-05-20", "date_to": "2024-05-21"}, ["crisis"]),
        ({"disputed": "true"}, ["breakdown", "crisis"]),
        ({"disputed": "false"}, ["meeting", "departure", "return_trip", "strike", "statement"]),
    ],
)
def test_timeline_filter_keeps_matching_events(talks, anon_client, query, expected):
    response = anon_client.get(URL, query)

    assert response.status_code == 200
    assert _ids(response) == [getattr(talks, name).pk for name in expected]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kind": "picnic"}, "kind"),
        ({"modality": "maybe"}, "modality"),
        ({"round": "first"}, "round"),
        ({"round": "99999999999999999999"}, "round"),
        ({"date_from": "last tuesday"}, "date_from"),
        ({"disputed": "perhaps"}, "disputed"),
        ({"as_of": "2024-13-45"}, "as_of"),
        ({"page_size": "lots"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_timeline_invalid_parameter_is_400_naming_it(talks, anon_client, query, field):
    response = anon_client.get(URL, query)

    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert body["message"].startswith(f"{field}:")


def test_timeline_of_unknown_negotiation_is_json_404(anon_client, db):
    response = anon_client.get("/api/v1/negotiations/no-such-talks/timeline/")

    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found", "errors": {}}


def test_timeline_cursor_is_stable_across_inserts(talks, anon_client):
    first = anon_client.get(URL, {"page_size": 2})
    assert _ids(first) == [talks.meeting.pk, talks.breakdown.pk]
    # Between the requests an earlier and a later event are published.
    earlier = f.EventFactory(negotiation=talks.negotiation, date=dt.date(2024, 5, 1))
    later = f.EventFactory(negotiation=talks.negotiation, date=dt.date(2024, 6, 1))

    second = anon_client.get(URL, _cursor_params(first.json()["next"]))
    rest, page = _ids(second), second.json()
    while page["next"]:
        page = anon_client.get(URL, _cursor_params(page["next"])).json()
        rest += [event["id"] for event in page["results"]]

    assert _ids(second) == [talks.departure.pk, talks.crisis.pk]
    assert rest == [
        talks.departure.pk,
        talks.crisis.pk,
        talks.return_trip.pk,
        later.pk,
        talks.strike.pk,
        talks.statement.pk,
    ]
    back = anon_client.get(URL, _cursor_params(second.json()["previous"]))
    assert _ids(back) == [talks.meeting.pk, talks.breakdown.pk]
    assert earlier.pk not in rest


def test_timeline_pages_through_undated_events_last(talks, anon_client):
    undated = [
        f.EventFactory(negotiation=talks.negotiation, date=None, date_text="") for _ in range(3)
    ]
    seen: list[int] = []
    params: dict = {"page_size": 2}

    for _ in range(10):
        page = anon_client.get(URL, params).json()
        seen += [event["id"] for event in page["results"]]
        if not page["next"]:
            break
        params = _cursor_params(page["next"])

    assert seen == [
        *talks.in_time_order,
        *[e.pk for e in undated],
    ]


def test_timeline_huge_page_size_is_capped(talks, anon_client):
    response = anon_client.get(URL, {"page_size": 10**12})

    assert response.status_code == 200
    assert len(_ids(response)) == 7


def _backdate_history(event: m.Event, moment: dt.datetime) -> None:
    m.Event.history.filter(id=event.pk).update(history_date=moment)


def test_timeline_as_of_shows_the_timeline_as_known_that_day(talks, anon_client):
    for event in (talks.meeting, talks.crisis, talks.return_trip):
        _backdate_history(event, aware(2024, 5, 20, 10))
    # On the 24th an editor rewrote the meeting's summary.
    talks.meeting.summary = "Delegations met in Cairo; Qatar joined by video."
    talks.meeting.save()
    m.Event.history.filter(id=talks.meeting.pk).order_by("-history_id").filter(
        history_date__gt=aware(2024, 5, 21)
    ).update(history_date=aware(2024, 5, 24, 8))

    on_21st = anon_client.get(URL, {"as_of": "2024-05-21"}).json()["results"]
    today = anon_client.get(URL).json()["results"]

    # The return trip was first reported on the 23rd; the dispute on the 22nd; the strike
    # and Netanyahu's statement in June. What the reports of then said is shown as curated
    # now (the rewritten summary).
    assert [e["id"] for e in on_21st] == [
        talks.meeting.pk,
        talks.breakdown.pk,
        talks.departure.pk,
        talks.crisis.pk,
    ]
    assert on_21st[0]["summary"] == "Delegations met in Cairo; Qatar joined by video."
    crisis_then = next(e for e in on_21st if e["id"] == talks.crisis.pk)
    assert crisis_then["disputed"] is False
    assert len(crisis_then["citations"]) == 1
    assert today[0]["summary"] == "Delegations met in Cairo; Qatar joined by video."
    assert next(e for e in today if e["id"] == talks.crisis.pk)["disputed"] is True


def test_timeline_as_of_pages_with_a_cursor(talks, anon_client):
    for event in (talks.meeting, talks.crisis, talks.return_trip):
        _backdate_history(event, aware(2024, 5, 20, 10))

    first = anon_client.get(URL, {"as_of": "2024-05-30", "page_size": 2}).json()
    second = anon_client.get(URL, _cursor_params(first["next"])).json()
    third = anon_client.get(URL, _cursor_params(second["next"])).json()

    # The strike and the statement were first reported in June: not known on the 30th.
    assert [e["id"] for e in first["results"]] == [talks.meeting.pk, talks.breakdown.pk]
    assert [e["id"] for e in second["results"]] == [talks.departure.pk, talks.crisis.pk]
    assert [e["id"] for e in third["results"]] == [talks.return_trip.pk]
    assert third["next"] is None
    assert "as_of=2024-05-30" in first["next"]


def test_timeline_answers_304_to_a_matching_etag(talks, anon_client):
    first = anon_client.get(URL)

    again = anon_client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_timeline_answers_304_to_if_modified_since(talks, anon_client):
    first = anon_client.get(URL)

    again = anon_client.get(URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304


def _last_changed_in_may(talks) -> None:
    """Last-Modified has whole seconds: date the timeline's last change well before now."""
    m.Negotiation.objects.filter(pk=talks.negotiation.pk).update(
        content_changed_at=aware(2024, 5, 20), updated_at=aware(2024, 5, 20)
    )


def test_timeline_changes_etag_and_last_modified_when_a_citation_is_added(talks, anon_client):
    _last_changed_in_may(talks)
    first = anon_client.get(URL)
    citation_create(
        article=talks.disputing_article,
        start=0,
        end=6,
        event=talks.meeting,
    )

    again = anon_client.get(
        URL, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert again["Last-Modified"] != first["Last-Modified"]


def test_timeline_cache_headers_differ_for_anonymous_and_signed_in(
    talks, anon_client, viewer_client
):
    public = anon_client.get(URL)
    private = viewer_client.get(URL)

    assert public["Cache-Control"] == "public, max-age=60"
    assert private["Cache-Control"] == "private, no-cache"
    assert "Authorization" in public["Vary"]


def test_timeline_if_modified_since_sees_a_renamed_actor(talks, anon_client):
    _last_changed_in_may(talks)
    first = anon_client.get(URL)
    talks.hamas.name = "Hamas movement"
    talks.hamas.save()  # as the admin's change form does

    again = anon_client.get(URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 200
    assert again.json()["results"][0]["participants"][0]["actor"]["name"] == "Hamas movement"


def test_timeline_events_carry_their_public_page(talks, anon_client):
    results = anon_client.get(URL).json()["results"]

    meeting = next(e for e in results if e["id"] == talks.meeting.pk)
    assert meeting["public_url"] == f"http://testserver/n/israel-hamas/events/{talks.meeting.pk}/"
    assert anon_client.get(meeting["public_url"]).status_code == 200
