"""Builds the demo negotiation from ``cairo_impasse.json``.

Idempotent by construction: every row is looked up by its natural key (slug, sequence,
``extraction_key`` on the demo article) and only created when missing, so a second run changes
nothing. What an editor changed since is kept: existing rows are never updated, and the rows an
editor may delete (aliases, roles, participants, citations) are only added together with their
new parent, so ``make run`` never brings back what was removed on purpose.
Publishing goes through ``timeline.services`` like any editor's action.

The edit history of every row the loader creates is dated at the report's publication time,
not at the day the demo happens to be loaded, so "the timeline as known on 23 May 2024" shows
the curated result and the day before shows nothing, as it would had an editor curated the
report the day it came out.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model, Q
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from timeline.ingestion.dedupe import content_hash
from timeline.ingestion.extract_text import extract_plain
from timeline.models import (
    Actor,
    ActorAlias,
    Article,
    Citation,
    Delegation,
    Event,
    EventOrigin,
    EventParticipant,
    Issue,
    Negotiation,
    Outlet,
    Participation,
    Place,
    Position,
    ReviewStatus,
    Round,
    normalize_name,
)
from timeline.services import citation_create, event_publish, position_publish

from . import load_data

logger = logging.getLogger(__name__)

# Curated rows carry this prefix in ``extraction_key`` so they never collide with the keys the
# extractor derives for the same article.
DEMO_KEY_PREFIX = "demo:"


class DemoDataError(Exception):
    """The data file does not match the article text (a quote that is not in it)."""


@dataclass
class _HistoryDating:
    when: dt.datetime
    # (historical model, pk) of the rows created inside the block: only their history is
    # re-dated, so publishing a row that existed before (an extractor's candidate actor) is
    # recorded when it really happened and never lands before that row's own creation.
    created: set[tuple[type[Model], Any]] = field(default_factory=set)


# A context variable, not a module global: a request served by another thread while the
# demo loads keeps its own, real history dates.
_history_dating: ContextVar[_HistoryDating | None] = ContextVar("_history_dating", default=None)


@receiver(pre_create_historical_record, dispatch_uid="timeline.demo.loader.date_history")
def _date_history_record(sender: type[Model], instance: Model, history_instance: Any, **kwargs):
    dating = _history_dating.get()
    if dating is None:
        return
    key = (sender, instance.pk)
    if history_instance.history_type == "+":
        dating.created.add(key)
    if key in dating.created:
        history_instance.history_date = dating.when


@contextmanager
def history_dated(when: dt.datetime) -> Iterator[None]:
    """Date the history of every row created inside the block (and of its later saves in
    the block) at ``when``.

    The services the loader calls load their own copy of each row (``select_for_update``),
    so setting ``_history_date`` on the loader's instances would miss their saves; the
    ``pre_create_historical_record`` signal sees every historical row whoever saves it.
    """
    token = _history_dating.set(_HistoryDating(when))
    try:
        yield
    finally:
        _history_dating.reset(token)


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    negotiation: Negotiation | None = None
    article: Article | None = None
    candidates_proposed: int | None = None

    def count(self, what: str, created: bool) -> None:
        if created:
            self.created[what] = self.created.get(what, 0) + 1

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def find_span(text: str, quote: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of the ``occurrence``-th (0-based) appearance of ``quote`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(quote, start + 1)
        if start == -1:
            raise DemoDataError(f"Quote not found in the article text: {quote!r}")
    end = start + len(quote)
    assert text[start:end] == quote
    return start, end


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _actor(spec: dict[str, Any], actors: dict[str, Actor], report: LoadReport) -> Actor:
    actor, created = Actor.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "kind": spec["kind"],
            "role": spec.get("role", ""),
            "wikidata_id": spec.get("wikidata_id", ""),
            "description": spec.get("description", ""),
            "affiliation": actors.get(spec.get("affiliation", "")),
            "status": ReviewStatus.PUBLISHED,
        },
    )
    report.count("actors", created)
    # An editor may have merged a demo actor since; the demo then uses the survivor.
    while actor.merged_into is not None and actor.status == ReviewStatus.MERGED:
        actor = actor.merged_into
    if not created:
        return actor
    known = set(actor.aliases.values_list("normalized", flat=True))
    for name, kind in spec.get("aliases", []):
        if normalize_name(name) not in known:
            ActorAlias.objects.create(actor=actor, name=name, kind=kind)
            known.add(normalize_name(name))
            report.count("aliases", True)
    return actor


def _cite(
    spec: dict[str, Any],
    article: Article,
    actors: dict[str, Actor],
    report: LoadReport,
    *,
    event: Event | None = None,
    position: Position | None = None,
) -> Citation:
    start, end = find_span(article.text, spec["quote"], spec.get("occurrence", 0))
    existing = Citation.objects.filter(
        article=article, start=start, end=end, event=event, position=position
    ).first()
    if existing is not None:
        return existing
    report.count("citations", True)
    return citation_create(
        article=article,
        start=start,
        end=end,
        event=event,
        position=position,
        speaker=actors.get(spec.get("speaker", "")),
        speaker_description=spec.get("speaker_description", ""),
        speaker_side=actors.get(spec.get("speaker_side", "")),
        attribution=spec["attribution"],
        stance=spec.get("stance", "supports"),
    )


def _article(spec: dict[str, Any], report: LoadReport) -> Article:
    outlet, created = Outlet.objects.get_or_create(
        slug=spec["outlet"]["slug"],
        defaults={"name": spec["outlet"]["name"], "description": spec["outlet"]["description"]},
    )
    report.count("outlets", created)
    published_at = dt.datetime.fromisoformat(spec["published_at"])
    # The seed arrived as pasted text with site chrome: clean it with ingestion's own step for
    # pasted text, so the demo shows what the pipeline makes of it (spec["text"] is what an
    # editor made of it by hand; a test keeps the two equal).
    text = extract_plain(
        spec["raw_text"], title=spec["title"], byline=spec["byline"], published_at=published_at
    ).text
    digest = content_hash(text)
    # Also by outlet, title and date: the hash depends on ingestion's normalisation, which
    # may change between versions, and a second demo article would duplicate every event.
    article = Article.objects.filter(
        Q(content_hash=digest) | Q(outlet=outlet, title=spec["title"], published_at=published_at)
    ).first()
    if article is None:
        article = Article.objects.create(
            url=spec["url"],
            canonical_url=spec["url"] or None,
            outlet=outlet,
            title=spec["title"],
            byline=spec["byline"],
            published_at=published_at,
            published_on=published_at.date(),
            language=spec["language"],
            text=text,
            content_hash=digest,
        )
        report.count("articles", True)
    return article


@transaction.atomic
def load_curated(data: dict[str, Any] | None = None) -> LoadReport:
    """Create whatever of the curated demo is missing; return what was created.

    Its history is dated at the report's publication time (see ``history_dated``).
    """
    data = data if data is not None else load_data()
    published_at = dt.datetime.fromisoformat(data["article"]["published_at"])
    with history_dated(published_at):
        return _load(data, published_at)


def _load(data: dict[str, Any], published_at: dt.datetime) -> LoadReport:
    report = LoadReport()

    actors: dict[str, Actor] = {}
    # Organisations and states first, so people can point at their affiliation.
    for spec in sorted(data["actors"], key=lambda a: "affiliation" in a):
        actors[spec["slug"]] = _actor(spec, actors, report)
    for spec in data["outlets"]:
        _outlet, created = Outlet.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "actor": actors[spec["actor"]],
                "country_code": spec["country_code"],
                "description": spec["description"],
            },
        )
        report.count("outlets", created)

    article = _article(data["article"], report)
    report.article = article

    spec = data["negotiation"]
    negotiation, created = Negotiation.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "title": spec["title"],
            "kind": spec["kind"],
            "status": spec["status"],
            "description": spec["description"],
        },
    )
    report.count("negotiations", created)
    report.negotiation = negotiation
    for slug, role, side in data["participations"] if created else []:
        _p, created = Participation.objects.get_or_create(
            negotiation=negotiation, actor=actors[slug], role=role, defaults={"side": side}
        )
        report.count("participations", created)

    places: dict[str, Place] = {}
    for spec in data["places"]:
        fields = {k: v for k, v in spec.items() if k != "slug"}
        places[spec["slug"]], created = Place.objects.get_or_create(
            slug=spec["slug"], defaults=fields
        )
        report.count("places", created)

    rounds: dict[int, Round] = {}
    for spec in data["rounds"]:
        rounds[spec["sequence"]], created = Round.objects.get_or_create(
            negotiation=negotiation,
            sequence=spec["sequence"],
            defaults={
                "name": spec["name"],
                "format": spec["format"],
                "venue": places[spec["venue"]],
                "status": spec["status"],
                "actual_start": _date(spec.get("actual_start")),
                "actual_end": _date(spec.get("actual_end")),
                "outcome": spec["outcome"],
            },
        )
        report.count("rounds", created)

    for spec in data["delegations"]:
        _d, created = Delegation.objects.get_or_create(
            round=rounds[spec["round"]],
            actor=actors[spec["actor"]],
            defaults={
                "arrived_on": _date(spec.get("arrived_on")),
                "departed_on": _date(spec.get("departed_on")),
                "never_arrived": spec.get("never_arrived", False),
                "notes": spec.get("notes", ""),
            },
        )
        report.count("delegations", created)

    issues: dict[str, Issue] = {}
    for spec in data["issues"]:
        issues[spec["slug"]], created = Issue.objects.get_or_create(
            negotiation=negotiation,
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "description": spec["description"],
                "order": spec["order"],
            },
        )
        report.count("issues", created)

    # In file order: older stances are published first, so newer ones supersede them.
    for spec in data["positions"]:
        position, created = Position.objects.get_or_create(
            source_article=article,
            extraction_key=DEMO_KEY_PREFIX + spec["key"],
            defaults={
                "issue": issues[spec["issue"]],
                "party": actors[spec["party"]],
                "kind": spec["kind"],
                "stance": spec["stance"],
                "detail": spec.get("detail", ""),
                "valid_from": _date(spec["valid_from"]),
                "date_precision": spec["date_precision"],
                "date_text": spec["date_text"],
            },
        )
        report.count("positions", created)
        if created:
            for citation in spec["citations"]:
                _cite(citation, article, actors, report, position=position)
            position_publish(position)

    for spec in data["events"]:
        event, created = Event.objects.get_or_create(
            source_article=article,
            extraction_key=DEMO_KEY_PREFIX + spec["key"],
            defaults={
                "negotiation": negotiation,
                "kind": spec["kind"],
                "modality": spec["modality"],
                "summary": spec["summary"],
                "date": _date(spec["date"]),
                "date_precision": spec["date_precision"],
                "date_text": spec["date_text"],
                "place": places.get(spec["place"] or ""),
                "round": rounds.get(spec["round"]) if spec["round"] else None,
                "issue": issues.get(spec["issue"] or ""),
                "origin": EventOrigin.IMPORT,
            },
        )
        report.count("events", created)
        if not created:
            continue
        for slug, role in spec["participants"]:
            _ep, made = EventParticipant.objects.get_or_create(
                event=event, actor=actors[slug], role=role
            )
            report.count("participants", made)
        for citation in spec["citations"]:
            _cite(citation, article, actors, report, event=event)
        event_publish(event, published_at=published_at)
    return report


def propose_candidates(article: Article, negotiation: Negotiation) -> int | None:
    """Run the extractor over the demo article once, leaving its proposals in the review queue.

    Returns how many candidates were proposed, 0 when it ran before, None when extraction is
    not installed. The curated events stay as they are: proposals only ever become candidates.
    """
    try:
        from timeline.services.candidates import candidates_propose
    except ImportError:
        return None
    already = Event.objects.filter(source_article=article).exclude(
        extraction_key__startswith=DEMO_KEY_PREFIX
    )
    if already.exists():
        return 0
    candidates_propose(article, negotiation)
    proposed = (
        Event.objects.filter(source_article=article, status=ReviewStatus.CANDIDATE)
        .exclude(extraction_key__startswith=DEMO_KEY_PREFIX)
        .count()
    )
    # The command prints the count for people; the log line is for a server's log only.
    logger.debug("extraction proposed %s candidate events", proposed)
    return proposed
