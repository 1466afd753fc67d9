"""Issue 16 items 3, 4 and 10, issue 11's export injection: hostile stored text in every
export. Each export is read back by a real parser (XML, icalendar, csv, json)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import icalendar
import pytest

from tests import factories as f
from timeline import models as m
from timeline.ingestion.extract_text import extract_plain

BASE = "/api/v1/negotiations/israel-hamas/export"
IMG = '<img src=x onerror="alert(1)">'
pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile(talks):
    """Control characters, markup, CR/LF and unsafe links in the fields exports show."""
    talks.negotiation.title = f"Cairo{IMG} talks\x01"
    talks.negotiation.description = f"About {IMG}\x02"
    talks.negotiation.save()
    talks.meeting.summary = "Delegations met\x01 in Cairo\r\nATTENDEE:mailto:evil@example.org"
    talks.meeting.description = f"{IMG}\x0b and \ufffe"
    talks.meeting.save()
    talks.crisis.summary = '=HYPERLINK("http://evil.example","click")'
    talks.crisis.description = "\x01=cmd|' /C calc'!A0"
    talks.crisis.save()
    talks.round.name = f"Round {IMG}"
    talks.round.outcome = f"Ended {IMG}\x03"
    talks.round.save()
    talks.hamas.name = f"Hamas{IMG}"
    talks.hamas.save()
    for article, url in [(talks.article, "javascript:alert(1)"), (talks.copy, "data:text/html,x")]:
        article.url = url
        article.canonical_url = None
        article.title = f"Report {IMG}\x01"
        article.save()
    return talks


def test_atom_export_with_control_characters_is_well_formed_xml(hostile, anon_client):
    response = anon_client.get(f"{BASE}/atom/")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 7
    assert b"\x01" not in response.content


def test_atom_export_links_no_javascript_or_data_url(hostile, anon_client):
    body = anon_client.get(f"{BASE}/atom/").content.decode()

    assert "javascript:" not in body
    assert "data:text" not in body


def test_atom_title_with_cr_lf_stays_inside_its_element(hostile, anon_client):
    root = ET.fromstring(anon_client.get(f"{BASE}/atom/").content)
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in root.iter()]

    assert any(t and t.startswith("Delegations met in Cairo") for t in titles)
    assert root.findall("{http://www.w3.org/2005/Atom}ATTENDEE") == []


def test_timelinejs_export_escapes_every_html_field(hostile, anon_client):
    document = anon_client.get(f"{BASE}/timelinejs/").json()
    meeting = next(s for s in document["events"] if s["unique_id"] == f"event-{hostile.meeting.pk}")
    html_fields = [
        document["title"]["text"]["headline"],
        document["title"]["text"]["text"],
        meeting["text"]["headline"],
        meeting["text"]["text"],
        meeting["group"],
        *[era["text"]["headline"] for era in document["eras"]],
        *[era["text"]["text"] for era in document["eras"]],
        *[s.get("media", {}).get("caption", "") for s in document["events"]],
    ]

    assert all("<img" not in text for text in html_fields), html_fields
    assert "&lt;img" in meeting["group"]
    assert "&lt;img" in document["eras"][0]["text"]["headline"]


def test_timelinejs_export_links_no_javascript_or_data_url(hostile, anon_client):
    body = anon_client.get(f"{BASE}/timelinejs/").content.decode()

    assert "javascript:" not in body
    assert "data:text" not in body


@pytest.mark.parametrize("export_format", ["json", "timelinejs", "csv", "ics", "atom"])
def test_no_export_carries_xml_forbidden_characters(hostile, anon_client, export_format):
    response = anon_client.get(f"{BASE}/{export_format}/")
    text = response.content.decode()

    assert response.status_code == 200
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in text.replace("\\u000", ""))
    assert "\\u0001" not in text and "\\u0002" not in text and "\ufffe" not in text


def test_ical_cr_lf_cannot_inject_a_property(hostile, anon_client):
    # The calendar holds rounds and scheduled events: put the CR/LF in the scheduled one.
    hostile.return_trip.summary = "Back in Cairo\r\nATTENDEE:mailto:evil@example.org\rURL:x"
    hostile.return_trip.save()
    body = anon_client.get(f"{BASE}/ics/").content
    unfolded = body.replace(b"\r\n ", b"")
    calendar = icalendar.Calendar.from_ical(body)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]

    lines = unfolded.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    assert not any(line.startswith((b"ATTENDEE", b"URL:x")) for line in lines)
    assert "Back in Cairo\nATTENDEE:mailto:evil@example.org\nURL:x" in summaries


def test_csv_neutralises_formulas_even_behind_a_control_character(hostile, anon_client):
    rows = list(csv.DictReader(io.StringIO(anon_client.get(f"{BASE}/csv/").content.decode())))
    crisis = next(r for r in rows if int(r["id"]) == hostile.crisis.pk)

    assert crisis["summary"].startswith("'=")
    assert crisis["description"].startswith("'=")


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_neutralises_each_formula_prefix(talks, anon_client, start):
    talks.meeting.summary = f"{start}1+1"
    talks.meeting.save()

    rows = list(csv.DictReader(io.StringIO(anon_client.get(f"{BASE}/csv/").content.decode())))

    assert next(r for r in rows if int(r["id"]) == talks.meeting.pk)["summary"] == f"'{start}1+1"


def test_json_export_is_valid_and_clean(hostile, anon_client):
    document = json.loads(anon_client.get(f"{BASE}/json/").content)

    assert "\x01" not in json.dumps(document, ensure_ascii=False)


def test_pasted_text_loses_control_characters_at_ingestion():
    paragraph = (
        "Negotiators\x01 met in Cairo on Tuesday and exchanged proposals on the duration of the "
        "ceasefire, according to two officials familiar with the talks, who asked not to be named."
    )
    text = "Talks\x02 resume in Cairo\n\n" + "\n\n".join([paragraph] * 3)

    extracted = extract_plain(text, title="A title\x03 here", byline="Jane\x04 Doe")

    fields = [extracted.title, extracted.text, extracted.byline]
    assert not any(ord(c) < 32 and c not in "\n\t" for field in fields for c in field)
    assert extracted.title == "A title here"


def test_export_skips_no_event_when_one_has_a_hostile_outlet(talks, anon_client):
    outlet = f.OutletFactory(name=f"Outlet\x01{IMG}")
    talks.article.outlet = outlet
    talks.article.save()

    response = anon_client.get(f"{BASE}/atom/")

    assert response.status_code == 200
    assert len(ET.fromstring(response.content).findall("{http://www.w3.org/2005/Atom}entry")) == 7
    assert m.Event.objects.published().count() == 7
