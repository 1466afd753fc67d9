"""Extraction into the review queue: candidate events, citations, actors, places and positions.

``candidates_propose`` runs the extractor over an article's text with a gazetteer built from
the database and stores what it finds as candidates. It is idempotent: every proposal carries
an ``extraction_key`` stable for the article, so a second run updates the candidates an editor
has not touched yet and never duplicates them; anything an editor published, rejected or merged
is left alone. Candidates an earlier run proposed that this run no longer finds (the rules
changed) are removed when nobody has touched them, so a re-run replaces rather than piles up.
Relative dates count from the day the outlet printed (``Article.published_on``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from typing import TypedDict

from django.db import transaction
from django.utils.text import slugify

from timeline.extraction import (
    ArticleInput,
    Gazetteer,
    KnownActor,
    KnownPlace,
    default_gazetteer,
    extract,
)
from timeline.extraction.actors import proposable_actor_name
from timeline.extraction.conflicts import Conflict
from timeline.extraction.pipeline import ExtractedEvent, ExtractedPosition
from timeline.extraction.quotes import Quote
from timeline.models import (
    Actor,
    ActorAlias,
    ActorKind,
    AliasKind,
    Article,
    AttributionType,
    Citation,
    CitationStance,
    Event,
    EventOrigin,
    EventParticipant,
    Issue,
    Modality,
    Negotiation,
    ParticipantRole,
    Place,
    Position,
    ReviewStatus,
    normalize_name,
)

from .events import citation_create

# Actors an editor threw out are not proposed again under the same name.
_GONE = ReviewStatus.DISMISSED


class ProposalSummary(TypedDict):
    events_created: int
    events_updated: int
    events_kept: int
    citations_created: int
    actors_created: int
    places_created: int
    issues_created: int
    positions_created: int
    positions_updated: int
    events_removed: int
    positions_removed: int
    quotes: int


def gazetteer_from_db(base: Gazetteer | None = None) -> Gazetteer:
    """The packaged gazetteer plus every known actor (with aliases) and place."""
    base = base or default_gazetteer()
    aliases: dict[int, list[str]] = {}
    for actor_id, name in ActorAlias.objects.values_list("actor_id", "name"):
        aliases.setdefault(actor_id, []).append(name)
    actors = [
        KnownActor(
            name=actor.name,
            kind=actor.kind,
            aliases=tuple(aliases.get(actor.pk, ())),
            affiliation=actor.affiliation.name if actor.affiliation is not None else "",
            role=actor.role,
        )
        for actor in Actor.objects.exclude(status__in=(*_GONE, ReviewStatus.MERGED)).select_related(
            "affiliation"
        )
    ]
    places = [KnownPlace(name=place.name) for place in Place.objects.all()]
    return base.with_known(actors, places)


def _key(*parts: object) -> str:
    """A stable 40-character key for one extracted fact of one article."""
    raw = "|".join(str(p) for p in parts)
    return hashlib.sha1(raw.encode("utf-8"), usedforsecurity=False).hexdigest()


def _unique_slug(model, name: str, **scope) -> str:
    base = slugify(name)[:180] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug, **scope).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


class _Resolver:
    """Finds or proposes the actors and places an article mentions, once per name."""

    def __init__(self, gazetteer: Gazetteer, summary: ProposalSummary) -> None:
        self.gazetteer = gazetteer
        self.summary = summary
        self.actors: dict[str, Actor | None] = {}
        self.places: dict[str, Place] = {}

    def actor(self, name: str, kind: str | None = None, **extra) -> Actor | None:
        key = normalize_name(name)
        if not key:
            return None
        if key in self.actors:
            return self.actors[key]
        found = Actor.objects.matching_name(name).order_by("id").first()
        while found is not None and found.status == ReviewStatus.MERGED and found.merged_into_id:
            found = found.merged_into
        if found is not None and found.status in _GONE:
            self.actors[key] = None
            return None
        if found is None:
            if kind is None:
                kind = (
                    ActorKind.STATE
                    if name in self.gazetteer.countries.values()
                    else ActorKind.ORGANISATION
                )
            if not proposable_actor_name(name, kind, self.gazetteer):
                self.actors[key] = None  # "TV", "State TV": nobody an editor could review
                return None
            found = Actor.objects.create(
                kind=kind,
                name=name[:200],
                slug=_unique_slug(Actor, name),
                status=ReviewStatus.CANDIDATE,
                **extra,
            )
            self.summary["actors_created"] += 1
        self.actors[key] = found
        return found

    def person(
        self, name: str, role: str, affiliation: str, aliases: Iterable[str]
    ) -> Actor | None:
        side = self.actor(affiliation) if affiliation else None
        actor = self.actor(name, ActorKind.PERSON, role=role[:200], affiliation=side)
        if actor is None or actor.status != ReviewStatus.CANDIDATE:
            return actor
        known = set(actor.aliases.values_list("normalized", flat=True)) | {actor.normalized_name}
        for alias in aliases:
            normalized = normalize_name(alias)
            if normalized and normalized not in known:
                kind = (
                    AliasKind.TITLE if len(alias.split()) > len(name.split()) else AliasKind.SHORT
                )
                ActorAlias.objects.create(actor=actor, name=alias[:200], kind=kind)
                known.add(normalized)
                self.actors.setdefault(normalized, actor)
        return actor

    def place(self, name: str) -> Place:
        if name in self.places:
            return self.places[name]
        place = Place.objects.filter(name__iexact=name).order_by("id").first()
        if place is None:
            country = self.gazetteer.country_of_place(name) or ""
            place = Place.objects.create(
                name=name[:200], slug=_unique_slug(Place, name), country_code=_code(country)
            )
            self.summary["places_created"] += 1
        self.places[name] = place
        return place


def _code(country: str) -> str:
    if not country:
        return ""
    import pycountry

    try:
        return pycountry.countries.lookup(country).alpha_2
    except LookupError:
        return ""


def article_date_base(article: Article) -> dt.date | None:
    """The day relative dates in ``article`` count from ("on Sunday", "two days ago").

    ``published_on`` is the date as the outlet printed it, in its own time zone; the date of
    ``published_at`` is in UTC and is a day off for a report filed late in the evening in
    Washington or early in the morning in Gaza, so it is only the fallback.
    """
    if article.published_on is not None:
        return article.published_on
    moment = article.published_at or article.first_seen_at
    return moment.date() if moment is not None else None


def candidates_propose(article: Article, negotiation: Negotiation | None = None) -> ProposalSummary:
    """Propose what ``article`` reports as candidates for review; safe to run again."""
    gazetteer = gazetteer_from_db()
    result = extract(
        ArticleInput(
            text=article.text,
            title=article.title,
            published_at=article_date_base(article),
            url=article.url,
            publication=article.outlet.name if article.outlet is not None else "",
            byline=article.byline,
        ),
        gazetteer,
    )
    summary: ProposalSummary = {
        "events_created": 0,
        "events_updated": 0,
        "events_kept": 0,
        "citations_created": 0,
        "actors_created": 0,
        "places_created": 0,
        "issues_created": 0,
        "positions_created": 0,
        "positions_updated": 0,
        "events_removed": 0,
        "positions_removed": 0,
        "quotes": len(result.quotes),
    }
    with transaction.atomic():
        resolver = _Resolver(gazetteer, summary)
        people = {
            p.name: resolver.person(p.name, p.role, p.affiliation, p.aliases) for p in result.people
        }
        keys: set[str] = set()
        events: list[tuple[ExtractedEvent, Event]] = []
        for extracted in result.events:
            event = _propose_event(article, negotiation, extracted, resolver, people, summary, keys)
            if event is not None:
                events.append((extracted, event))
        for quote in result.quotes:
            _propose_quote(article, negotiation, quote, events, resolver, people, summary, keys)
        for conflict in result.conflicts:
            _propose_conflict(article, conflict, events, resolver, people, summary)
        summary["events_removed"] = _remove_stale_events(article, keys)
        if negotiation is not None:
            position_keys: set[str] = set()
            for extracted_position in result.positions:
                _propose_position(
                    article, negotiation, extracted_position, resolver, summary, position_keys
                )
            summary["positions_removed"] = _remove_stale_positions(
                article, negotiation, position_keys
            )
    return summary


# Written as the change reason of the extractor's own saves, so that an edit by anyone else
# (which has another reason, or none) marks a candidate as touched.
EXTRACTOR_CHANGE = "extractor refresh"


def _touched(instance, article: Article) -> bool:
    """Whether anyone but the extractor changed ``instance`` since the extractor created it."""
    # By the change reason, not the user: the extractor may run inside an editor's request
    # (an admin action), and then its own saves carry that editor as their user.
    edits = instance.history.filter(history_type="~")
    if edits.exclude(history_change_reason=EXTRACTOR_CHANGE).exists():
        return True
    # A citation from another report means an editor attached evidence to it.
    return instance.citations.exclude(article=article).exists()


def _remove_stale_events(article: Article, keys: set[str]) -> int:
    """Delete the candidates an earlier run proposed that this run no longer finds.

    Re-running after a rule change then replaces its proposals instead of piling new ones on
    the old. Only untouched candidates go: anything published, rejected, merged, retracted or
    edited by a person stays, and so does anything an editor entered (it has no key).
    """
    stale = (
        Event.objects.select_for_update()
        .filter(
            source_article=article,
            origin=EventOrigin.EXTRACTOR,
            status=ReviewStatus.CANDIDATE,
        )
        .exclude(extraction_key="")
        .exclude(extraction_key__in=keys)
    )
    removed = 0
    for event in stale:
        if event.merged_events.exists() or _touched(event, article):
            continue
        event.delete()
        removed += 1
    return removed


def _remove_stale_positions(article: Article, negotiation: Negotiation, keys: set[str]) -> int:
    stale = (
        Position.objects.select_for_update()
        .filter(
            source_article=article,
            status=ReviewStatus.CANDIDATE,
            issue__negotiation=negotiation,
        )
        .exclude(extraction_key="")
        .exclude(extraction_key__in=keys)
    )
    removed = 0
    for position in stale:
        if _touched(position, article) or Position.objects.filter(supersedes=position).exists():
            continue
        position.delete()
        removed += 1
    return removed


def _propose_event(
    article, negotiation, extracted: ExtractedEvent, resolver, people, summary, keys: set[str]
):
    key = _key(
        "event", extracted.kind, extracted.date, article.text[extracted.start : extracted.end]
    )
    keys.add(key)
    fields = {
        "kind": extracted.kind,
        "modality": extracted.modality
        if extracted.modality in Modality.values
        else Modality.OCCURRED,
        "summary": extracted.summary[:500],
        "date": extracted.date,
        "date_precision": extracted.date_precision if extracted.date else "unknown",
        "date_text": (extracted.date_text or "")[:200],
        "place": resolver.place(extracted.venue) if extracted.venue else None,
        "confidence": 0.5,
    }
    event = (
        Event.objects.select_for_update().filter(source_article=article, extraction_key=key).first()
    )
    if event is not None and event.status != ReviewStatus.CANDIDATE:
        summary["events_kept"] += 1  # an editor has decided on it: never overwrite their work
        return None
    if event is None:
        event = Event.objects.create(
            source_article=article,
            extraction_key=key,
            negotiation=negotiation,
            status=ReviewStatus.CANDIDATE,
            origin=EventOrigin.EXTRACTOR,
            **fields,
        )
        summary["events_created"] += 1
    else:
        for name, value in fields.items():
            setattr(event, name, value)
        if negotiation is not None and event.negotiation_id is None:
            event.negotiation = negotiation
        # simple-history reads the reason for the historical row from this attribute.
        event._change_reason = EXTRACTOR_CHANGE  # type: ignore[attr-defined]
        event.save()
        summary["events_updated"] += 1
    participants = [people.get(name) for name in extracted.people]
    participants += [resolver.actor(side) for side in extracted.actors]
    for actor in participants:
        if actor is not None:
            EventParticipant.objects.get_or_create(
                event=event, actor=actor, role=ParticipantRole.ACTOR
            )
    _cite(article, summary, event=event, start=extracted.start, end=extracted.end)
    return event


def _cite(article, summary, *, start: int, end: int, **kwargs) -> None:
    target = {k: v for k, v in kwargs.items() if k in ("event", "position")}
    if Citation.objects.filter(article=article, start=start, end=end, **target).exists():
        return
    citation_create(article=article, start=start, end=end, **kwargs)
    summary["citations_created"] += 1


def _propose_quote(
    article, negotiation, quote: Quote, events, resolver, people, summary, keys: set[str]
) -> None:
    """A quote cites the event whose sentence holds it, or becomes a statement of its own."""
    home = next((e for x, e in events if x.start <= quote.start and quote.end <= x.end), None)
    if home is None:
        key = _key("quote", quote.start, quote.end, quote.text)
        keys.add(key)
        home = Event.objects.filter(source_article=article, extraction_key=key).first()
        if home is not None and home.status != ReviewStatus.CANDIDATE:
            return
        if home is None:
            who = quote.speaker.name if quote.speaker else quote.speaker_description or "A source"
            home = Event.objects.create(
                source_article=article,
                extraction_key=key,
                negotiation=negotiation,
                kind="statement",
                summary=f"{who}: “{quote.text}”"[:500],
                date_precision="unknown",
                status=ReviewStatus.CANDIDATE,
                origin=EventOrigin.EXTRACTOR,
                confidence=0.3,
            )
            summary["events_created"] += 1
    speaker = people.get(quote.speaker.name) if quote.speaker else None
    side = resolver.actor(quote.affiliation) if quote.affiliation else None
    if speaker is not None:
        EventParticipant.objects.get_or_create(
            event=home, actor=speaker, role=ParticipantRole.ACTOR
        )
    _cite(
        article,
        summary,
        event=home,
        start=quote.start,
        end=quote.end,
        speaker=speaker,
        speaker_description=(quote.speaker_description or "")[:300],
        speaker_side=side,
        attribution=quote.attribution
        if quote.attribution in AttributionType.values
        else AttributionType.OUTLET,
    )


def _source_citation_fields(claim, resolver, people) -> dict:
    speaker = next(
        (actor for name, actor in people.items() if actor is not None and name in claim.source),
        None,
    )
    side = None
    for word in re.findall(r"[A-Z][\w.]*", claim.source):
        name = resolver.gazetteer.side_of(word)
        if name:
            side = resolver.actor(name)
            break
    if speaker is not None:
        attribution = AttributionType.NAMED_OFFICIAL
    elif re.search(r"\b(?:official|source|diplomat|aide|spokes\w+)s?\b", claim.source):
        attribution = AttributionType.ANONYMOUS_OFFICIAL
    else:
        attribution = AttributionType.OUTLET
    return {
        "speaker": speaker,
        "speaker_description": claim.source[:300],
        "speaker_side": side,
        "attribution": attribution,
    }


def _propose_conflict(article, conflict: Conflict, events, resolver, people, summary) -> None:
    """The claim supports the sentence's events, the denial disputes them: a reader sees who."""
    for extracted, event in events:
        if (extracted.start, extracted.end) != (conflict.sentence_start, conflict.sentence_end):
            continue
        for claim, stance in (
            (conflict.claim, CitationStance.SUPPORTS),
            (conflict.denial, CitationStance.DISPUTES),
        ):
            _cite(
                article,
                summary,
                event=event,
                start=claim.start,
                end=claim.end,
                stance=stance,
                **_source_citation_fields(claim, resolver, people),
            )


def _propose_position(
    article, negotiation, extracted: ExtractedPosition, resolver, summary, keys: set[str]
):
    party = resolver.actor(extracted.party)
    if party is None:
        return
    slug = slugify(extracted.issue)[:200] or "general"
    issue = Issue.objects.filter(negotiation=negotiation, slug=slug).first()
    if issue is None:
        issue = Issue.objects.create(
            negotiation=negotiation, slug=slug, title=extracted.issue[:200]
        )
        summary["issues_created"] += 1
    key = _key(
        "position", extracted.party, article.text[extracted.start : extracted.end], extracted.stance
    )
    keys.add(key)
    position = Position.objects.filter(source_article=article, extraction_key=key).first()
    fields = {
        "issue": issue,
        "party": party,
        "kind": extracted.kind,
        "stance": extracted.stance[:300],
        "valid_from": extracted.date,
        "date_precision": "day" if extracted.date else "unknown",
    }
    if position is not None and position.status != ReviewStatus.CANDIDATE:
        return
    if position is None:
        position = Position.objects.create(
            source_article=article, extraction_key=key, status=ReviewStatus.CANDIDATE, **fields
        )
        summary["positions_created"] += 1
    else:
        for name, value in fields.items():
            setattr(position, name, value)
        position._change_reason = EXTRACTOR_CHANGE  # type: ignore[attr-defined]
        position.save()
        summary["positions_updated"] += 1
    _cite(article, summary, position=position, start=extracted.start, end=extracted.end)
    for start, end in extracted.more:
        _cite(article, summary, position=position, start=start, end=end)
