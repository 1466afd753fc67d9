"""Exports of a negotiation's timeline, each read back by a real parser."""

from __future__ import annotations

import csv
import io
import json

import feedparser
import icalendar
import pytest

from timeline import models as m
from timeline.services import event_retract

BASE = "/api/v1/negotiations/israel-hamas/export"
pytestmark = pytest.mark.django_db


def test_csv_export_has_one_row_per_published_event(talks, anon_client):
    response = anon_client.get(f"{BASE}/csv/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [int(r["id"]) for r in rows] == talks.in_time_order
    crisis = rows[3]
    assert (crisis["date"], crisis["date_precision"], crisis["date_text"]) == (
        "2024-05-20",
        "week",
        "in recent days",
    )
    assert crisis["disputed"] == "true"
    assert (
        crisis["disputed_by"] == f"two American officials ({talks.disputing_article.outlet.name})"
    )
    assert crisis["sources"] == f"{talks.article.url} | {talks.disputing_article.url}"
    assert rows[0]["participants"] == "Hamas (actor); Egypt (mediator)"


def test_csv_export_defuses_spreadsheet_formulas(talks, anon_client):
    m.Event.objects.filter(pk=talks.meeting.pk).update(summary='=HYPERLINK("http://evil")')

    rows = list(csv.DictReader(io.StringIO(anon_client.get(f"{BASE}/csv/").content.decode())))

    assert rows[0]["summary"] == '\'=HYPERLINK("http://evil")'


def test_json_export_holds_the_negotiation_and_every_event(talks, anon_client):
    body = json.loads(anon_client.get(f"{BASE}/json/").content)

    assert body["negotiation"]["slug"] == "israel-hamas"
    assert [p["slug"] for p in body["negotiation"]["mediators"]] == ["egypt", "qatar"]
    assert [e["id"] for e in body["events"]] == talks.in_time_order
    assert body["events"][3]["disputed"] is True


def test_timelinejs_export_has_the_shape_timelinejs_reads(talks, anon_client):
    body = json.loads(anon_client.get(f"{BASE}/timelinejs/").content)

    assert body["title"]["text"]["headline"] == "Israel-Hamas ceasefire talks"
    slides = {slide["unique_id"]: slide for slide in body["events"]}
    assert list(slides) == [f"event-{pk}" for pk in talks.in_time_order]
    for slide in body["events"]:
        assert isinstance(slide["start_date"]["year"], int)
        assert slide["text"]["headline"]
        assert slide["display_date"]
    meeting = slides[f"event-{talks.meeting.pk}"]
    crisis = slides[f"event-{talks.crisis.pk}"]
    # Day precision gives the day; so does a week (placed on its day, not on the 1st of the
    # month), and the display date says it is a week.
    assert {k: v for k, v in meeting["start_date"].items() if k != "display_date"} == {
        "year": 2024,
        "month": 5,
        "day": 19,
    }
    assert {k: v for k, v in crisis["start_date"].items() if k != "display_date"} == {
        "year": 2024,
        "month": 5,
        "day": 20,
    }
    assert crisis["display_date"] == "Week of 20 May 2024"
    assert meeting["group"] == "Hamas"
    assert meeting["media"]["url"] == talks.article.url
    assert f'<a href="{talks.article.url}">' in meeting["media"]["credit"]
    assert f'<a href="{talks.disputing_article.url}">' in crisis["media"]["credit"]
    assert "Disputed by" in crisis["text"]["text"]
    assert body["eras"] == [
        {
            # From the start of the first day to the end of the last: the round was held
            # 18-19 May (planned to the 21st), so its actual dates and its outcome.
            "start_date": {"year": 2024, "month": 5, "day": 18, "hour": 0},
            "end_date": {"year": 2024, "month": 5, "day": 19, "hour": 23, "minute": 59},
            "text": {"headline": "The Cairo round", "text": "Ended without agreement."},
        }
    ]


def test_timelinejs_export_groups_by_round_on_request(talks, anon_client):
    body = json.loads(anon_client.get(f"{BASE}/timelinejs/", {"group": "round"}).content)

    assert [s["group"] for s in body["events"]] == ["The Cairo round"] * 3 + [
        "Outside the rounds"
    ] * 4


def test_timelinejs_export_refuses_an_unknown_grouping(talks, anon_client):
    response = anon_client.get(f"{BASE}/timelinejs/", {"group": "mood"})

    assert response.status_code == 400
    assert "group" in response.json()["errors"]


def test_timelinejs_export_escapes_html_in_event_text(talks, anon_client):
    m.Event.objects.filter(pk=talks.meeting.pk).update(description="<script>alert(1)</script>")

    body = json.loads(anon_client.get(f"{BASE}/timelinejs/").content)

    assert "<script>" not in body["events"][0]["text"]["text"]
    assert "&lt;script&gt;" in body["events"][0]["text"]["text"]


def test_ical_export_lists_rounds_and_scheduled_events(talks, anon_client):
    response = anon_client.get(f"{BASE}/ics/")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    entries = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    host = "testserver"
    assert set(entries) == {
        f"round-{talks.round.pk}@{host}",
        f"event-{talks.return_trip.pk}@{host}",
    }
    round_entry = entries[f"round-{talks.round.pk}@{host}"]
    assert str(round_entry["SUMMARY"]) == "Israel-Hamas ceasefire talks: The Cairo round"
    assert round_entry.decoded("DTSTART").isoformat() == "2024-05-18"
    assert round_entry.decoded("DTEND").isoformat() == "2024-05-20"  # held 18-19, exclusive
    assert str(round_entry["LOCATION"]) == "Cairo"
    assert str(round_entry["STATUS"]) == "CONFIRMED"
    trip = entries[f"event-{talks.return_trip.pk}@{host}"]
    assert trip.decoded("DTSTART").isoformat() == "2024-05-28"
    assert str(trip["STATUS"]) == "TENTATIVE"


def test_atom_export_lists_published_events_newest_change_first(talks, anon_client):
    event_retract(talks.meeting)
    talks.crisis.summary = "An Israeli official said the talks were in deep crisis."
    talks.crisis.save()

    response = anon_client.get(f"{BASE}/atom/")

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    assert feed.feed.title == "Israel-Hamas ceasefire talks: timeline updates"
    assert [entry.title for entry in feed.entries] == [
        "An Israeli official said the talks were in deep crisis.",
        "Netanyahu rejected a complete withdrawal.",
        "Rockets and air strikes near Rafah.",
        "A Hamas delegation is expected back in Cairo.",
        "The Hamas delegation left Cairo.",
        "The Cairo talks reached an impasse.",
    ]
    crisis = feed.entries[0]
    assert crisis.id == f"http://testserver/api/v1/events/{talks.crisis.pk}/"
    # The link is the public page a reader can open, not the API's JSON.
    assert crisis.link == f"http://testserver/n/{talks.negotiation.slug}/events/{talks.crisis.pk}/"
    assert "two American officials" in crisis.summary
    assert crisis.published_parsed[:3] == (2024, 5, 20)


def test_export_answers_304_to_its_etag(talks, anon_client):
    first = anon_client.get(f"{BASE}/ics/")

    again = anon_client.get(f"{BASE}/ics/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_export_can_be_asked_for_by_its_media_type(talks, anon_client):
    response = anon_client.get(f"{BASE}/csv/", HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    assert response.content.startswith(b"id,date,")


def test_export_of_unknown_format_is_json_404(talks, anon_client):
    response = anon_client.get(f"{BASE}/pdf/")

    assert response.status_code == 404
    assert response.json()["message"] == (
        "There is no 'pdf' export; use one of csv, excel, positions, json, timelinejs, ics, atom."
    )


def test_export_of_unknown_negotiation_is_404(db, anon_client):
    assert anon_client.get("/api/v1/negotiations/nothing/export/csv/").status_code == 404


def test_csv_and_ics_link_each_event_to_its_public_page(talks, anon_client):
    rows = list(csv.DictReader(io.StringIO(anon_client.get(f"{BASE}/csv/").content.decode())))
    calendar = icalendar.Calendar.from_ical(anon_client.get(f"{BASE}/ics/").content)

    public = f"http://testserver/n/israel-hamas/events/{talks.meeting.pk}/"
    assert rows[0]["url"] == public
    urls = [str(c.get("url")) for c in calendar.walk("VEVENT") if c.get("url")]
    assert urls and all("/n/israel-hamas/events/" in u for u in urls)
    assert anon_client.get(public).status_code == 200


def test_timelinejs_export_has_its_own_file_name(talks, anon_client):
    timelinejs = anon_client.get(f"{BASE}/timelinejs/")["Content-Disposition"]
    plain = anon_client.get(f"{BASE}/json/")["Content-Disposition"]

    assert 'filename="israel-hamas-timelinejs.json"' in timelinejs
    assert 'filename="israel-hamas-timeline.json"' in plain


def test_csv_has_separate_participant_and_source_columns_and_coordinates(talks, anon_client):
    rows = list(csv.DictReader(io.StringIO(anon_client.get(f"{BASE}/csv/").content.decode())))
    meeting = next(r for r in rows if int(r["id"]) == talks.meeting.pk)

    assert meeting["participant_names"].split("; ")[0] in ("Egypt", "Hamas", "Israel")
    assert "http://testserver/actors/hamas/" in meeting["participant_urls"].split()
    assert meeting["source_urls"].split() == [talks.article.url]
    assert meeting["source_titles"] == talks.article.title
    assert (meeting["latitude"], meeting["longitude"]) == (
        str(talks.meeting.place.latitude) if talks.meeting.place.latitude is not None else "",
        str(talks.meeting.place.longitude) if talks.meeting.place.longitude is not None else "",
    )


def test_excel_variant_starts_with_a_byte_order_mark(talks, anon_client):
    response = anon_client.get(f"{BASE}/excel/")

    assert response.content.startswith("\ufeff".encode())
    assert 'filename="israel-hamas-timeline.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert int(rows[0]["id"]) == talks.meeting.pk


def test_positions_export_lists_the_published_ledger(talks, anon_client):
    response = anon_client.get(f"{BASE}/positions/")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response.status_code == 200
    assert 'filename="israel-hamas-positions.csv"' in response["Content-Disposition"]
    assert rows and "A candidate stance" not in {r["stance"] for r in rows}
    assert sum(r["current"] == "true" for r in rows) >= 1
