"""candidates_propose: extraction into the review queue, exact spans, no duplicates on re-run."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import (
    ActorAliasFactory,
    ActorFactory,
    ArticleFactory,
    NegotiationFactory,
    PersonFactory,
    UserFactory,
)
from timeline.extraction import default_gazetteer
from timeline.extraction.actors import proposable_actor_name
from timeline.models import (
    Actor,
    Citation,
    Event,
    EventOrigin,
    EventParticipant,
    Issue,
    Place,
    Position,
    ReviewStatus,
)
from timeline.services import candidates_propose, event_publish
from timeline.services.candidates import article_date_base, gazetteer_from_db

ROOT = Path(__file__).resolve().parents[3]


def _seed_text(gold_dir: Path) -> str:
    return json.loads((gold_dir / "seed-cairo-impasse.json").read_text(encoding="utf-8"))["text"]


@pytest.fixture
def seed_article(db, gold_dir):
    return ArticleFactory(text=_seed_text(gold_dir), title="Ceasefire talks reach a dead end")


def _counts():
    return (
        Event.objects.count(),
        Citation.objects.count(),
        EventParticipant.objects.count(),
        Actor.objects.count(),
        Place.objects.count(),
        Position.objects.count(),
        Issue.objects.count(),
    )


def test_candidates_propose_stores_candidates_with_exact_spans(seed_article):
    summary = candidates_propose(seed_article)

    events = Event.objects.filter(source_article=seed_article)
    assert summary["events_created"] == events.count() > 5
    assert set(events.values_list("status", flat=True)) == {ReviewStatus.CANDIDATE}
    assert set(events.values_list("origin", flat=True)) == {EventOrigin.EXTRACTOR}
    assert all(e.extraction_key for e in events)
    citations = Citation.objects.filter(article=seed_article)
    assert citations.count() == summary["citations_created"] > 10
    for citation in citations:
        assert seed_article.text[citation.start : citation.end] == citation.quote
        citation.full_clean()


def test_candidates_propose_quotes_carry_speaker_and_side(seed_article):
    candidates_propose(seed_article)

    citation = Citation.objects.get(
        article=seed_article,
        quote="We were very close, but Netanyahu’s narrow-mindedness aborted reaching an agreement.",  # noqa: RUF001
    )
    assert citation.speaker.name == "Musa Abu Marzouk"
    assert citation.speaker.status == ReviewStatus.CANDIDATE
    assert citation.speaker.affiliation.name == "Hamas"
    assert citation.attribution == "named_official"
    anonymous = Citation.objects.get(article=seed_article, quote="crisis.")
    assert (anonymous.speaker, anonymous.speaker_side.name) == (None, "Israel")
    assert anonymous.attribution == "anonymous_official"


def test_candidates_propose_twice_does_not_duplicate(seed_article):
    negotiation = NegotiationFactory()
    first = candidates_propose(seed_article, negotiation)
    after_first = _counts()

    second = candidates_propose(seed_article, negotiation)

    assert _counts() == after_first
    assert second["events_created"] == 0
    assert second["citations_created"] == 0
    assert second["actors_created"] == 0
    assert second["positions_created"] == 0
    # Candidates nobody reviewed yet are refreshed in place.
    assert 0 < second["events_updated"] <= first["events_created"]


def test_candidates_propose_leaves_what_an_editor_decided_alone(seed_article):
    negotiation = NegotiationFactory()
    candidates_propose(seed_article, negotiation)
    event = Event.objects.filter(source_article=seed_article, date__isnull=False).first()
    event.summary = "Edited by an editor"
    event.save()
    event_publish(event, negotiation=negotiation)

    summary = candidates_propose(seed_article, negotiation)

    event.refresh_from_db()
    assert event.summary == "Edited by an editor"
    assert event.status == ReviewStatus.PUBLISHED
    assert summary["events_kept"] >= 1


def test_candidates_propose_resolves_known_actors_through_aliases(seed_article):
    netanyahu = PersonFactory(name="Benjamin Netanyahu", slug="netanyahu", role="Prime Minister")
    ActorAliasFactory(actor=netanyahu, name="Bibi")
    hamas = ActorFactory(name="Hamas", slug="hamas", kind="armed_group")
    before = Actor.objects.filter(name__icontains="Netanyahu").count()

    candidates_propose(seed_article)

    assert Actor.objects.filter(name__icontains="Netanyahu").count() == before == 1
    quote = Citation.objects.get(
        article=seed_article, quote="It is Hamas that is obstructing the release of our hostages."
    )
    assert quote.speaker == netanyahu
    assert Citation.objects.filter(speaker_side=hamas).exists()
    assert gazetteer_from_db().actors["bibi"].name == "Benjamin Netanyahu"


def test_candidates_propose_positions_need_a_negotiation(seed_article):
    candidates_propose(seed_article)
    assert Position.objects.count() == 0

    negotiation = NegotiationFactory()
    candidates_propose(seed_article, negotiation)

    positions = Position.objects.filter(source_article=seed_article)
    assert positions.exists()
    assert set(positions.values_list("status", flat=True)) == {ReviewStatus.CANDIDATE}
    assert set(positions.values_list("issue__negotiation", flat=True)) == {negotiation.pk}
    hamas = positions.filter(party__name="Hamas").first()
    assert hamas is not None and "permanent" in hamas.stance
    for citation in Citation.objects.filter(position__in=positions):
        assert seed_article.text[citation.start : citation.end] == citation.quote


def test_candidates_propose_venues_become_places(seed_article):
    candidates_propose(seed_article)

    assert set(Place.objects.values_list("name", flat=True)) == {"Cairo", "Doha"}
    assert Place.objects.get(name="Cairo").country_code == "EG"
    assert Event.objects.filter(source_article=seed_article, place__name="Doha").exists()


def test_extract_command_prints_gold_shape_and_writes_nothing(transactional_db, gold_dir, tmp_path):
    article = json.loads((gold_dir / "seed-cairo-impasse.json").read_text(encoding="utf-8"))
    article.pop("gold")
    path = tmp_path / "article.json"
    path.write_text(json.dumps(article), encoding="utf-8")
    before = _counts()

    out = StringIO()
    call_command("extract", str(path), stdout=out)

    printed = json.loads(out.getvalue())
    assert set(printed) == {
        "people",
        "venues",
        "events",
        "quotes",
        "positions",
        "conflicting_reports",
    }
    assert "Musa Abu Marzouk" in [p["name"] for p in printed["people"]]
    assert printed["venues"] == ["Cairo", "Doha"]
    assert _counts() == before


def test_extract_command_works_without_database_tables(tmp_path):
    path = tmp_path / "article.json"
    path.write_text(
        json.dumps(
            {
                "text": "CIA Director Bill Burns met officials in Doha on Sunday.",
                "published_at": "2024-05-23",
            }
        ),
        encoding="utf-8",
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }

    run = subprocess.run(
        [sys.executable, "manage.py", "extract", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode == 0, run.stderr
    printed = json.loads(run.stdout)
    assert printed["people"][0]["name"] == "Bill Burns"
    assert printed["events"][0]["date"] == "2024-05-19"


def test_extract_command_rejects_bad_input_clearly(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"title": "no text"}', encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}

    run = subprocess.run(
        [sys.executable, "manage.py", "extract", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode == 1
    assert 'An article is a JSON object with a "text" string.' in run.stderr


def test_candidates_propose_marks_a_denied_report_as_disputed(seed_article):
    candidates_propose(seed_article)

    disputing = Citation.objects.filter(article=seed_article, stance="disputes")
    assert [c.speaker_description for c in disputing] == ["a senior Hamas official"]
    event = disputing[0].event
    assert event.kind == "scheduled"
    supporting = event.citations.filter(
        stance="supports", speaker_description__contains="Cairo News"
    )
    assert supporting.exists()
    assert Event.objects.with_disputed().get(pk=event.pk).is_disputed is True


def test_candidates_propose_resolves_relative_dates_from_the_printed_date(db):
    # Filed at 21:30 in Washington on May 22: already May 23 in UTC.
    article = ArticleFactory(
        text="Negotiators from Chile and Peru met in Lima yesterday to discuss the border.",
        published_at=dt.datetime(2024, 5, 23, 1, 30, tzinfo=dt.UTC),
        published_on=dt.date(2024, 5, 22),
    )

    candidates_propose(article)

    meeting = Event.objects.get(source_article=article, kind="meeting")
    assert (meeting.date, meeting.date_text) == (dt.date(2024, 5, 21), "yesterday")


def test_candidates_propose_falls_back_to_the_publication_moment(db):
    article = ArticleFactory(
        text="Negotiators from Chile and Peru met in Lima yesterday to discuss the border.",
        published_at=dt.datetime(2024, 5, 23, 1, 30, tzinfo=dt.UTC),
        published_on=None,
    )

    assert article_date_base(article) == dt.date(2024, 5, 23)
    candidates_propose(article)

    assert Event.objects.get(source_article=article, kind="meeting").date == dt.date(2024, 5, 22)


def test_candidates_propose_does_not_propose_a_medium_as_an_actor(db):
    article = ArticleFactory(
        text=(
            "Iranian state TV reported on Sunday that the talks would continue. "
            "The talks will resume in Muscat on Monday, TV said. "
            "The talks on the port will resume on Tuesday, State news agency said."
        )
    )

    candidates_propose(article)

    assert not Actor.objects.filter(name__in=["TV", "State TV", "State"]).exists()
    assert Actor.objects.filter(name="Iran").exists()


@pytest.mark.parametrize(
    ("name", "kind", "proposable"),
    [
        ("TV", "organisation", False),
        ("CEO", "organisation", False),
        ("State TV", "organisation", False),
        ("the Ministry", "organisation", False),
        ("NBC", "organisation", True),
        ("Teamsters", "organisation", True),
        ("Hamas", "organisation", True),
        ("Qatar", "state", True),
        ("John Krieger", "person", True),
        ("KRIEGER", "person", False),
        ("", "organisation", False),
    ],
)
def test_proposable_actor_name_keeps_names_that_identify_someone(name, kind, proposable):
    assert proposable_actor_name(name, kind, default_gazetteer()) is proposable


def _age(instance, key: str) -> None:
    """Make a candidate look as if an earlier run of other rules had proposed it."""
    type(instance).objects.filter(pk=instance.pk).update(extraction_key=key)
    instance.refresh_from_db()


def test_candidates_propose_again_removes_stale_untouched_candidates(seed_article):
    negotiation = NegotiationFactory()
    candidates_propose(seed_article, negotiation)
    event = Event.objects.filter(source_article=seed_article).order_by("id").first()
    position = Position.objects.filter(source_article=seed_article).order_by("id").first()
    _age(event, "0" * 40)
    _age(position, "1" * 40)
    before = _counts()

    summary = candidates_propose(seed_article, negotiation)

    assert not Event.objects.filter(pk=event.pk).exists()
    assert not Position.objects.filter(pk=position.pk).exists()
    assert (summary["events_removed"], summary["positions_removed"]) == (1, 1)
    # The current rules proposed them again under their own keys: replaced, not piled up.
    assert (summary["events_created"], summary["positions_created"]) == (1, 1)
    assert _counts() == before


def test_candidates_propose_again_keeps_stale_candidates_an_editor_touched(seed_article):
    negotiation = NegotiationFactory()
    editor = UserFactory()
    candidates_propose(seed_article, negotiation)
    edited, published, rejected = Event.objects.filter(source_article=seed_article).order_by("id")[
        :3
    ]
    for number, event in enumerate((edited, published, rejected)):
        _age(event, str(number) * 40)
    edited.summary = "Checked against the recording"
    edited._history_user = editor
    edited.save()
    event_publish(published, negotiation=negotiation)
    Event.objects.filter(pk=rejected.pk).update(status=ReviewStatus.REJECTED)
    position = Position.objects.filter(source_article=seed_article).order_by("id").first()
    _age(position, "9" * 40)
    position.stance = "permanent ceasefire"
    position.save()  # an edit without the extractor's change reason is an editor's

    summary = candidates_propose(seed_article, negotiation)

    assert summary["events_removed"] == 0
    assert summary["positions_removed"] == 0
    assert Event.objects.get(pk=edited.pk).summary == "Checked against the recording"
    assert Event.objects.get(pk=published.pk).status == ReviewStatus.PUBLISHED
    assert Event.objects.get(pk=rejected.pk).status == ReviewStatus.REJECTED
    assert Position.objects.get(pk=position.pk).stance == "permanent ceasefire"


def test_candidates_propose_without_negotiation_keeps_position_candidates(seed_article):
    negotiation = NegotiationFactory()
    candidates_propose(seed_article, negotiation)
    positions = Position.objects.count()

    candidates_propose(seed_article)

    assert Position.objects.count() == positions > 0


def test_candidates_propose_refreshes_inside_an_editors_request_are_not_edits(seed_article, rf):
    from simple_history.models import HistoricalRecords

    request = rf.post("/admin/")
    request.user = UserFactory()
    HistoricalRecords.context.request = request
    try:
        candidates_propose(seed_article)
        candidates_propose(seed_article)  # refreshes every candidate, as that editor's request
        event = Event.objects.filter(source_article=seed_article).order_by("id").first()
        assert event.history.filter(history_type="~", history_user=request.user).exists()
        _age(event, "0" * 40)

        summary = candidates_propose(seed_article)
    finally:
        del HistoricalRecords.context.request

    assert summary["events_removed"] == 1
    assert not Event.objects.filter(pk=event.pk).exists()
