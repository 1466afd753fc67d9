"""The exports built from plain values (``api/exports/event_values.py``) are the files the
builders made from model instances: CSV and iCalendar byte for byte, JSON parsed-equal.

The reference is each builder run once over the model instances of the same selector (what
the exports streamed before), on the shared scene plus what a spreadsheet or calendar
chokes on: quotes with commas, newlines, control characters and non-Latin text, a formula,
undated events, an unpublished actor as participant and speaker, a place with coordinates.
Streaming is two events a chunk, so chunk boundaries (and the undated tail) are crossed."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from api import exports
from api.views import exports as export_view
from tests import factories as f
from tests import scenes
from timeline import models as m
from timeline.selectors import TimelineFilters, catalog

BASE = "/api/v1/negotiations/israel-hamas/export"
pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(talks, monkeypatch) -> scenes.Talks:
    monkeypatch.setattr(export_view, "CHUNK", 2)
    negotiation = talks.negotiation
    hidden = f.PersonFactory(name="Unpublished Person", status=m.ReviewStatus.CANDIDATE)
    gaza = f.PlaceFactory(
        name="Gaza, “the Strip”", latitude=Decimal("31.5017"), longitude=Decimal("34.4668")
    )
    text = 'He said: "no deal, not now,\nnot ever" — 停火 «هدنة»\x01. More.'
    article = f.ArticleFactory(
        title='Talks, "paused"\r\nagain', text=text, published_at=scenes.aware(2024, 6, 12)
    )
    for summary, date in [
        ('=SUM(A1) "Quoted", with commas\nand a newline — ünïcödé 停火', dt.date(2024, 6, 12)),
        ("An undated report, from somewhere.", None),
        ("Another undated one\r\nwith CRLF and a tab\tinside.", None),
    ]:
        event = f.EventFactory(
            negotiation=negotiation,
            kind=m.EventKind.STATEMENT,
            summary=summary,
            description="Line one,\nline \"two\"\x0b; 'three'",
            date=date,
            date_text="" if date is None else "on Wednesday",
            place=gaza,
            published_at=scenes.aware(2024, 6, 12, 11),
        )
        f.EventParticipantFactory(event=event, actor=hidden, role=m.ParticipantRole.ACTOR)
        f.EventParticipantFactory(event=event, actor=talks.hamas, role=m.ParticipantRole.ACTOR)
        f.CitationFactory(
            event=event, article=article, start=0, end=text.index(". ") + 1, speaker=hidden
        )
        f.CitationFactory(
            event=event,
            article=talks.disputing_article,
            speaker=talks.netanyahu,
            stance=m.CitationStance.DISPUTES,
        )
    m.Event.objects.filter(negotiation=negotiation).update(
        source_count=2,
        first_report_at=scenes.aware(2024, 5, 20),
        latest_report_at=scenes.aware(2024, 6, 12),
    )
    return talks


QUERIES = [
    "",
    "?min_sources=2",
    "?disputed=true",
    "?party=hamas",
    "?kind=statement&kind=meeting",
    "?date_from=2024-05-20",
    "?as_of=2024-05-21",
]


def _filters(negotiation: m.Negotiation, response) -> TimelineFilters:
    return TimelineFilters.parse(response.wsgi_request.GET, negotiation).filters


def _context(talks: scenes.Talks, response) -> exports.ExportContext:
    return exports.ExportContext(negotiation=talks.negotiation, request=response.wsgi_request)


def _body(response) -> bytes:
    assert response.status_code == 200, response
    return response.content  # the client read the stream to its end


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("excel", [False, True])
def test_csv_from_values_is_the_csv_from_instances_byte_for_byte(scene, anon_client, query, excel):
    response = anon_client.get(f"{BASE}/{'excel' if excel else 'csv'}/{query}")
    body = _body(response)

    events = list(catalog.timeline_events(scene.negotiation, _filters(scene.negotiation, response)))
    expected = exports.build_csv(_context(scene, response), events, excel=excel)
    assert len(events) >= (3 if query in ("", "?min_sources=2") else 1)
    assert body.decode() == expected


@pytest.mark.parametrize("query", QUERIES)
def test_json_from_values_is_the_json_from_instances(scene, anon_client, query):
    response = anon_client.get(f"{BASE}/json/{query}")
    body = json.loads(_body(response))

    negotiation = scene.negotiation
    catalog.negotiation_load_detail(negotiation)
    events = list(catalog.timeline_events(negotiation, _filters(negotiation, response)))
    document = exports.build_json(_context(scene, response), negotiation, events)
    expected = json.loads(json.dumps(document, cls=DjangoJSONEncoder))
    assert body == expected
    assert [e["id"] for e in body["events"]] == [e.pk for e in events]


def test_ical_from_values_is_the_ical_from_instances_byte_for_byte(scene, anon_client):
    f.EventFactory(
        negotiation=scene.negotiation,
        kind=m.EventKind.SCHEDULED,
        summary='Talks resume, "maybe",\nin Doha — 停火',
        description="Line one,\nline two; three",
        date=dt.date(2024, 6, 20),
        end_date=dt.date(2024, 6, 22),
        date_text="next week",
        place=m.Place.objects.get(name="Gaza, “the Strip”"),
    )
    response = anon_client.get(f"{BASE}/ics/")
    body = _body(response)

    rounds = list(catalog.rounds_for_calendar(scene.negotiation))
    events = list(catalog.scheduled_events(scene.negotiation))
    assert len(events) >= 2
    assert body == exports.build_ical(_context(scene, response), rounds, events)
