import datetime as dt
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from tests import factories as f
from timeline.demo import load_data
from timeline.demo.loader import DemoDataError, find_span, load_curated
from timeline.models import (
    Actor,
    ActorAlias,
    Article,
    Citation,
    CitationStance,
    Delegation,
    Event,
    Negotiation,
    Position,
    ReviewStatus,
    Round,
    RoundStatus,
)
from timeline.selectors import negotiation_timeline, timeline_for_negotiation

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    models = [Actor, ActorAlias, Citation, Delegation, Event, Negotiation, Position, Round]
    return {model.__name__: model.objects.count() for model in models}


def test_load_demo_on_empty_database_publishes_the_twelve_gold_events():
    call_command("load_demo", "--no-extract")

    negotiation = Negotiation.objects.get(slug="israel-hamas-ceasefire-talks")
    assert Event.objects.published().for_negotiation(negotiation).count() == 12
    gold_kinds = sorted(e["type"] for e in load_data()["gold"]["events"])
    assert sorted(Event.objects.values_list("kind", flat=True)) == gold_kinds


def test_load_demo_citation_spans_are_exact():
    load_curated()

    citations = list(Citation.objects.select_related("article"))
    assert len(citations) > 12
    for citation in citations:
        assert citation.article.text[citation.start : citation.end] == citation.quote
        citation.full_clean()


def test_load_demo_every_gold_quote_is_inside_a_citation():
    load_curated()

    cited = list(Citation.objects.values_list("quote", flat=True))
    missing = [
        quote["text"]
        for quote in load_data()["gold"]["quotes"]
        if not any(quote["text"] in span for span in cited)
    ]
    assert missing == []


def test_load_demo_marks_the_three_conflicting_reports_disputed():
    report = load_curated()

    disputed = [e for e in timeline_for_negotiation(report.negotiation) if e.is_disputed]
    assert len(disputed) == 3
    disputers = {
        c.speaker_description
        for e in disputed
        for c in e.citations.all()
        if c.stance == CitationStance.DISPUTES
    }
    assert "Two American officials" in disputers
    assert "a senior Hamas official" in disputers


def test_load_demo_run_twice_changes_nothing():
    call_command("load_demo", "--no-extract")
    before = _row_counts()
    event_history = Event.history.count()

    call_command("load_demo", "--no-extract")

    assert _row_counts() == before
    assert Event.history.count() == event_history


def test_load_demo_builds_round_delegations_and_aliases():
    report = load_curated()

    cairo_round = Round.objects.get(negotiation=report.negotiation, sequence=1)
    assert cairo_round.status == RoundStatus.COLLAPSED
    assert cairo_round.venue.name == "Cairo"
    israel = Delegation.objects.get(round=cairo_round, actor__slug="israel")
    assert israel.never_arrived is True
    assert Delegation.objects.filter(round=cairo_round, departed_on__isnull=False).count() == 2
    assert list(Actor.objects.matching_name("Qatari").values_list("slug", flat=True)) == ["qatar"]
    assert list(Actor.objects.matching_name("Mr. Netanyahu").values_list("slug", flat=True)) == [
        "benjamin-netanyahu"
    ]
    parties = report.negotiation.participations.filter(role="party")
    assert sorted(parties.values_list("actor__slug", flat=True)) == ["hamas", "israel"]


def test_load_demo_positions_show_movement():
    report = load_curated()

    current = Position.objects.current().filter(issue__negotiation=report.negotiation)
    gold = {(p["party"], p["stance"]) for p in load_data()["gold"]["positions"]}
    assert gold <= {(p.party.name, p.stance) for p in current}
    assert current.count() == 8  # the seven gold stances and Israel's concession
    superseded = Position.objects.published().filter(is_current=False)
    assert superseded.count() == 2
    for old in superseded:
        assert old.superseded_by.is_current is True
        assert old.superseded_by.status == ReviewStatus.PUBLISHED


def test_load_demo_article_text_is_ingestions_cleaning_of_the_pasted_seed():
    spec = load_data()["article"]

    call_command("load_demo", "--no-extract")

    article = Article.objects.get(title=spec["title"])
    assert "See also" in spec["raw_text"] and "Westside People" in spec["raw_text"]
    # What the pipeline made of the pasted page is what an editor made of it by hand.
    assert article.text == spec["text"]


def test_find_span_missing_quote_raises_clear_error():
    with pytest.raises(DemoDataError, match="not found"):
        find_span("The talks collapsed.", "reached a deal")


def test_load_demo_runs_extraction_once_leaving_candidates_for_review():
    call_command("load_demo")
    candidates = Event.objects.candidates().count()
    before = _row_counts()

    call_command("load_demo")

    negotiation = Negotiation.objects.get(slug="israel-hamas-ceasefire-talks")
    assert candidates > 0
    assert Event.objects.published().for_negotiation(negotiation).count() == 12
    assert _row_counts() == before
    for citation in Citation.objects.select_related("article"):
        assert citation.article.text[citation.start : citation.end] == citation.quote


def test_load_demo_again_keeps_what_an_editor_removed_or_changed():
    report = load_curated()
    event = Event.objects.get(extraction_key="demo:cairo-impasse")
    event.citations.filter(stance=CitationStance.DISPUTES).delete()
    event.summary = "Edited by the desk."
    event.save()
    ActorAlias.objects.filter(name="Qatari").delete()
    report.negotiation.participations.filter(actor__slug="united-states").delete()

    call_command("load_demo", "--no-extract")

    event.refresh_from_db()
    assert event.summary == "Edited by the desk."
    assert not event.citations.filter(stance=CitationStance.DISPUTES).exists()
    assert not ActorAlias.objects.filter(name="Qatari").exists()
    assert not report.negotiation.participations.filter(actor__slug="united-states").exists()


# --- "as known on": the demo's history is dated at the report's publication -----------------

REPORT_DAY = dt.date(2024, 5, 23)


def _summaries(events) -> list[str]:
    return [event.summary for event in events]


def test_load_demo_timeline_as_known_on_report_day_is_the_curated_timeline():
    call_command("load_demo", "--no-extract")
    negotiation = Negotiation.objects.get(slug="israel-hamas-ceasefire-talks")

    known_then = negotiation_timeline(negotiation, as_of=REPORT_DAY)
    known_before = negotiation_timeline(negotiation, as_of=REPORT_DAY - dt.timedelta(days=1))

    assert len(known_then) == 12
    assert _summaries(known_then) == _summaries(timeline_for_negotiation(negotiation))
    assert sum(e.is_disputed for e in known_then) == 3
    assert known_before == []


def test_load_demo_history_rows_dated_at_the_report_time():
    report = load_curated()

    published = dt.datetime(2024, 5, 23, tzinfo=dt.UTC)
    history_models = [
        model
        for model in apps.get_app_config("timeline").get_models()
        if model.__name__.startswith("Historical")
    ]
    dates = {
        (model.__name__, day)
        for model in history_models
        for day in model.objects.values_list("history_date", flat=True)
    }
    event = Event.objects.get(extraction_key="demo:cairo-impasse")
    assert len(history_models) >= 8
    assert {day for _name, day in dates} == {published}
    assert {"HistoricalEvent", "HistoricalCitation", "HistoricalPosition"} <= {
        name for name, _day in dates
    }
    assert [h.status for h in event.history.order_by("history_id")] == [
        ReviewStatus.CANDIDATE,
        ReviewStatus.PUBLISHED,
    ]
    assert event.published_at == published
    assert report.article.published_at == published


def test_load_demo_edit_after_loading_is_dated_today_and_shown_as_curated_now():
    report = load_curated()
    event = Event.objects.get(extraction_key="demo:cairo-impasse")
    event.summary = "Edited by the desk."
    event.save()

    then = {e.pk: e.summary for e in negotiation_timeline(report.negotiation, as_of=REPORT_DAY)}

    # "As known on" the report's day shows what it reported, as the desk words it today.
    assert then[event.pk] == "Edited by the desk."
    assert event.history.first().history_date.date() == timezone.now().date()


def test_load_demo_publishing_a_row_that_existed_before_is_dated_when_it_happened():
    # An extractor proposed Hamas as a candidate before the demo was loaded: the demo's
    # events publish it, and that change happened today, after the row was created.
    before = timezone.now()
    f.ActorFactory(slug="hamas", name="Hamas", status=ReviewStatus.CANDIDATE)

    load_curated()

    hamas = Actor.objects.get(slug="hamas")
    rows = list(hamas.history.order_by("history_id"))
    assert hamas.status == ReviewStatus.PUBLISHED
    assert [r.status for r in rows] == [ReviewStatus.CANDIDATE, ReviewStatus.PUBLISHED]
    assert all(r.history_date >= before for r in rows)


def test_history_dating_ends_with_the_loader():
    load_curated()

    actor = f.ActorFactory()

    assert actor.history.get().history_date.date() == timezone.now().date()


def _reader_event_count(client, query: str) -> int:
    response = client.get(f"/n/israel-hamas-ceasefire-talks/{query}")
    assert response.status_code == 200
    return len(re.findall(r'<article class="event[^"]*" id="event-\d+"', response.content.decode()))


def test_reader_page_as_of_report_day_shows_the_demo_timeline(client, plain_static_storage):
    call_command("load_demo", "--no-extract")

    assert _reader_event_count(client, "") == 12
    assert _reader_event_count(client, "?as_of=2024-05-23") == 12
    assert _reader_event_count(client, "?as_of=2024-05-22") == 0


def test_load_demo_actor_pages_quote_people_not_the_reporters_narration(client):
    load_curated()

    netanyahu = client.get("/actors/benjamin-netanyahu/").content.decode()
    hamas = client.get("/actors/hamas/").content.decode()
    netanyahu_quotes = netanyahu[netanyahu.index('id="quotes-heading"') :]
    hamas_quotes = hamas[hamas.index('id="quotes-heading"') :]

    assert "who pledged again in recent days" not in netanyahu_quotes
    assert netanyahu_quotes.count("It is Hamas that is obstructing the release") == 1
    assert "No quotes attributed" not in hamas_quotes
    assert "narrow-mindedness aborted reaching an agreement" in hamas_quotes
