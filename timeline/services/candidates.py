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
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypedDict, TypeVar, cast

from django.db import IntegrityError, transaction
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
    CitationProposal,
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
from timeline.selectors.matching import Decision, Happening, decide, find_matches

from .events import citation_create

T = TypeVar("T")
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
    events_matched: int
    citations_proposed: int


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
        for actor in Actor.objects.exclude(status__in=ReviewStatus.FINAL).select_related(
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


# Another worker analysing another article may create the same actor, place or issue at the
# same moment; the unique slug decides, and the loser looks again. A few rounds suffice: each
# lost round means someone else created a row, which the next lookup finds.
_CREATE_ROUNDS = 5


def _get_or_create(find: Callable[[], T | None], create: Callable[[], T]) -> tuple[T, bool]:
    """Find a row, else create it under its unique constraint; race-safe.

    The INSERT runs in a savepoint: when a concurrent transaction inserts the same slug, ours
    waits for it to commit, fails, and the next lookup (a new snapshot, read committed) sees
    the winner's row. Returns (row, created).
    """
    for _round in range(_CREATE_ROUNDS):
        found = find()
        if found is not None:
            return found, False
        try:
            with transaction.atomic():
                return create(), True
        except IntegrityError:
            continue
    raise IntegrityError(f"Could not create a unique row after {_CREATE_ROUNDS} rounds.")


class _Resolver:
    """Finds or proposes the actors and places an article mentions, once per name."""

    def __init__(self, gazetteer: Gazetteer, counts: Counter[str]) -> None:
        self.gazetteer = gazetteer
        self.counts = counts
        self.actors: dict[str, Actor | None] = {}
        self.places: dict[str, Place] = {}

    @staticmethod
    def _known_actor(name: str) -> Actor | None:
        found = Actor.objects.matching_name(name).order_by("id").first()
        while found is not None and found.status == ReviewStatus.MERGED and found.merged_into_id:
            found = found.merged_into
        return found

    def actor(self, name: str, kind: str | None = None, **extra) -> Actor | None:
        key = normalize_name(name)
        if not key:
            return None
        if key in self.actors:
            return self.actors[key]
        if kind is None:
            kind = (
                ActorKind.STATE
                if name in self.gazetteer.countries.values()
                else ActorKind.ORGANISATION
            )
        proposable = proposable_actor_name(name, kind, self.gazetteer)

        def find() -> Actor | None:
            found = self._known_actor(name)
            if found is None and not proposable:
                # "TV", "State TV": nobody an editor could review; stop looking.
                raise _NotProposable
            return found

        def create() -> Actor:
            return Actor.objects.create(
                kind=kind,
                name=name[:200],
                slug=_unique_slug(Actor, name),
                status=ReviewStatus.CANDIDATE,
                **extra,
            )

        try:
            found, created = _get_or_create(find, create)
        except _NotProposable:
            self.actors[key] = None
            return None
        if found.status in _GONE:
            self.actors[key] = None
            return None
        if created:
            self.counts["actors_created"] += 1
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
                try:
                    with transaction.atomic():
                        ActorAlias.objects.create(actor=actor, name=alias[:200], kind=kind)
                except IntegrityError:
                    pass  # another worker gave this candidate the same alias meanwhile
                known.add(normalized)
                self.actors.setdefault(normalized, actor)
        return actor

    def place(self, name: str) -> Place:
        if name in self.places:
            return self.places[name]
        country = self.gazetteer.country_of_place(name) or ""
        place, created = _get_or_create(
            lambda: Place.objects.filter(name__iexact=name).order_by("id").first(),
            lambda: Place.objects.create(
                name=name[:200],
                slug=_unique_slug(Place, name),
                country_code=_code(country),
                # A new city lies within its country when the table has that country: the
                # matcher then takes "in Qatar" and "in Doha" as one place told two ways.
                within=self._country_place(country, name),
                status=ReviewStatus.CANDIDATE,
            ),
        )
        if created:
            self.counts["places_created"] += 1
        self.places[name] = place
        return place

    @staticmethod
    def _country_place(country: str, name: str) -> Place | None:
        if not country or country.casefold() == name.casefold():
            return None
        return Place.objects.filter(name__iexact=country).order_by("id").first()


class _NotProposable(Exception):
    """An unknown name the extractor may not propose as an actor."""


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
    """Propose what ``article`` reports as candidates for review; safe to run again.

    A proposed event that is one already stored (``timeline.selectors.matching``) becomes a
    candidate citation of it instead; a retracted report proposes nothing."""
    if article.retracted_at is not None:
        return cast(ProposalSummary, dict.fromkeys(ProposalSummary.__annotations__, 0))
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
    with transaction.atomic():
        proposal = _Proposal(article, negotiation, gazetteer)
        proposal.counts["quotes"] = len(result.quotes)
        proposal.people = {
            p.name: proposal.resolver.person(p.name, p.role, p.affiliation, p.aliases)
            for p in result.people
        }
        for extracted in result.events:
            proposal.event(extracted)
        for quote in result.quotes:
            proposal.quote(quote)
        for conflict in result.conflicts:
            proposal.conflict(conflict)
        proposal.counts["events_removed"] = _remove_stale_events(article, proposal.keys)
        proposal.counts["citations_proposed"] = proposal.remove_stale_proposals()
        if negotiation is not None:
            for extracted_position in result.positions:
                proposal.position(negotiation, extracted_position)
            proposal.counts["positions_removed"] = _remove_stale_positions(
                article, negotiation, proposal.position_keys
            )
    return proposal.summary()


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


# A wire dateline before the story: "DOHA, May 27 (Wire) - ", "CAIRO (AP) — ", "GAZA CITY, Gaza
# Strip, 19 May: ". The place is in the event's own field; a headline does not repeat it.
_DATELINE = re.compile(
    r"""^\s*[A-Z][A-Z .'-]{1,40}          # the city, in capitals
    (?:,\s*[A-Z][\w .'-]{1,40})?           # a region or country
    (?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?:,\s*\d{4})?)?  # the date
    \s*(?:\([^)]{1,40}\))?                 # the agency
    \s*(?:[-\u2013\u2014:]+)\s+""",
    re.VERBOSE,
)


def headline_from_sentence(sentence: str) -> str:
    """The extractor's sentence as a proposed headline: without a leading wire dateline, with
    a capital first letter, at most 300 characters."""
    found = _DATELINE.match(sentence)
    # A dateline names a date or an agency; "US - China talks" is not one.
    if found and re.search(r"\d|\(", found.group(0)):
        text = sentence[found.end() :].strip()
    else:
        text = sentence.strip()
    if not text:
        return sentence.strip()[:500]
    text = text[0].upper() + text[1:]
    return text[:500]


class _Proposal:
    """One run of the extractor's findings for one article into candidates for review.

    Holds what every proposal needs (the article, its negotiation, the resolver of names, the
    people found, the events proposed so far, the keys seen) and counts what it did.
    """

    def __init__(
        self, article: Article, negotiation: Negotiation | None, gazetteer: Gazetteer
    ) -> None:
        self.article = article
        self.negotiation = negotiation
        self.counts: Counter[str] = Counter()
        self.resolver = _Resolver(gazetteer, self.counts)
        self.people: dict[str, Actor | None] = {}
        self.events: list[tuple[ExtractedEvent, Event]] = []
        self.keys: set[str] = set()  # of the events and statements this run proposes
        self.position_keys: set[str] = set()
        # Stored events of other reports this article's sentences turned out to be: what cites
        # them is proposed (CitationProposal), never written as evidence without an editor.
        self.matched: set[int] = set()
        self.proposals: set[int] = set()

    def summary(self) -> ProposalSummary:
        return cast(
            ProposalSummary, {name: self.counts[name] for name in ProposalSummary.__annotations__}
        )

    def _text(self, start: int, end: int) -> str:
        return self.article.text[start:end]

    def event(self, extracted: ExtractedEvent) -> None:
        article = self.article
        key = _key(
            "event", extracted.kind, extracted.date, self._text(extracted.start, extracted.end)
        )
        self.keys.add(key)
        fields: dict[str, object] = {
            "kind": extracted.kind,
            "modality": extracted.modality
            if extracted.modality in Modality.values
            else Modality.OCCURRED,
            "summary": headline_from_sentence(extracted.summary),
            "date": extracted.date,
            "date_precision": extracted.date_precision if extracted.date else "unknown",
            "date_text": (extracted.date_text or "")[:200],
            "place": self.resolver.place(extracted.venue) if extracted.venue else None,
            "confidence": 0.5,
        }
        event = (
            Event.objects.select_for_update()
            .filter(source_article=article, extraction_key=key)
            .first()
        )
        if event is not None and event.status != ReviewStatus.CANDIDATE:
            self.counts["events_kept"] += 1  # an editor has decided on it: never overwrite
            return
        participants = [self.people.get(name) for name in extracted.people]
        participants += [self.resolver.actor(side) for side in extracted.actors]
        actors = [actor for actor in participants if actor is not None]
        if event is None:
            decision = self._match(fields, actors)
            if decision.action == "cite" and decision.target is not None:
                target = Event.objects.get(pk=decision.target.event_id)
                self.matched.add(target.pk)
                self.counts["events_matched"] += 1
                self.cite(
                    event=target,
                    start=extracted.start,
                    end=extracted.end,
                    score=decision.target.score,
                )
                self.events.append((extracted, target))
                return
            fields["possible_duplicates"] = [
                {"event": m.event_id, "score": m.score, "summary": m.summary[:200]}
                for m in decision.matches
            ]
            event = Event.objects.create(
                source_article=article,
                extraction_key=key,
                negotiation=self.negotiation,
                status=ReviewStatus.CANDIDATE,
                origin=EventOrigin.EXTRACTOR,
                **fields,
            )
            self.counts["events_created"] += 1
        else:
            for name, value in fields.items():
                setattr(event, name, value)
            if self.negotiation is not None and event.negotiation_id is None:
                event.negotiation = self.negotiation
            # simple-history reads the reason for the historical row from this attribute.
            event._change_reason = EXTRACTOR_CHANGE  # type: ignore[attr-defined]
            event.save()
            self.counts["events_updated"] += 1
        for actor in actors:
            EventParticipant.objects.get_or_create(
                event=event, actor=actor, role=ParticipantRole.ACTOR
            )
        self.cite(event=event, start=extracted.start, end=extracted.end)
        self.events.append((extracted, event))

    def _match(self, fields: dict, actors: list[Actor]) -> Decision:
        """What the stored events of this negotiation say about a new proposal."""
        if self.negotiation is None:
            return Decision("new")  # nothing to compare with until an editor files it
        place = fields["place"]
        happening = Happening.of(
            kind=fields["kind"],
            date=fields["date"],
            date_precision=fields["date_precision"],
            place_id=place.pk if place is not None else None,
            actor_ids=[actor.pk for actor in actors],
            summary=fields["summary"],
        )
        return decide(
            find_matches(happening, self.negotiation.pk, exclude_article_id=self.article.pk)
        )

    def propose_citation(self, *, event: Event, start: int, end: int, **kwargs) -> None:
        """The candidate citation of a stored event: pending until an editor attaches it."""
        fields = {
            k: v
            for k, v in kwargs.items()
            if k
            in ("speaker", "speaker_description", "speaker_side", "attribution", "stance", "score")
        }
        proposal, created = CitationProposal.objects.get_or_create(
            article=self.article,
            event=event,
            start=start,
            end=end,
            defaults={"quote": self.article.text[start:end], **fields},
        )
        self.proposals.add(proposal.pk)
        if created:
            self.counts["citations_proposed"] += 1

    def remove_stale_proposals(self) -> int:
        """Pending candidate citations an earlier run proposed that this run no longer does;
        returns how many this run proposed anew."""
        CitationProposal.objects.pending().filter(article=self.article).exclude(
            pk__in=self.proposals
        ).delete()
        return self.counts["citations_proposed"]

    def cite(self, *, start: int, end: int, **kwargs) -> None:
        event = kwargs.get("event")
        if event is not None and event.pk in self.matched:
            self.propose_citation(start=start, end=end, **kwargs)
            return
        kwargs.pop("score", None)
        target = {k: v for k, v in kwargs.items() if k in ("event", "position")}
        if Citation.objects.filter(article=self.article, start=start, end=end, **target).exists():
            return
        citation_create(article=self.article, start=start, end=end, **kwargs)
        self.counts["citations_created"] += 1

    def quote(self, quote: Quote) -> None:
        """A quote cites the event whose sentence holds it, or becomes a statement of its own."""
        article = self.article
        home = next(
            (e for x, e in self.events if x.start <= quote.start and quote.end <= x.end), None
        )
        if home is None:
            key = _key("quote", quote.start, quote.end, quote.text)
            self.keys.add(key)
            home = Event.objects.filter(source_article=article, extraction_key=key).first()
            if home is not None and home.status != ReviewStatus.CANDIDATE:
                return
            if home is None:
                who = (
                    quote.speaker.name if quote.speaker else quote.speaker_description or "A source"
                )
                home = Event.objects.create(
                    source_article=article,
                    extraction_key=key,
                    negotiation=self.negotiation,
                    kind="statement",
                    summary=f"{who}: “{quote.text}”"[:500],
                    date_precision="unknown",
                    status=ReviewStatus.CANDIDATE,
                    origin=EventOrigin.EXTRACTOR,
                    confidence=0.3,
                )
                self.counts["events_created"] += 1
        speaker = self.people.get(quote.speaker.name) if quote.speaker else None
        side = self.resolver.actor(quote.affiliation) if quote.affiliation else None
        if speaker is not None and home.pk not in self.matched:
            EventParticipant.objects.get_or_create(
                event=home, actor=speaker, role=ParticipantRole.ACTOR
            )
        self.cite(
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

    def _source_citation_fields(self, claim) -> dict:
        speaker = next(
            (
                actor
                for name, actor in self.people.items()
                if actor is not None and name in claim.source
            ),
            None,
        )
        side = None
        for word in re.findall(r"[A-Z][\w.]*", claim.source):
            name = self.resolver.gazetteer.side_of(word)
            if name:
                side = self.resolver.actor(name)
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

    def conflict(self, conflict: Conflict) -> None:
        """The claim supports the sentence's events, the denial disputes them: a reader sees who."""
        for extracted, event in self.events:
            if (extracted.start, extracted.end) != (conflict.sentence_start, conflict.sentence_end):
                continue
            for claim, stance in (
                (conflict.claim, CitationStance.SUPPORTS),
                (conflict.denial, CitationStance.DISPUTES),
            ):
                self.cite(
                    event=event,
                    start=claim.start,
                    end=claim.end,
                    stance=stance,
                    **self._source_citation_fields(claim),
                )

    def position(self, negotiation: Negotiation, extracted: ExtractedPosition) -> None:
        article = self.article
        party = self.resolver.actor(extracted.party)
        if party is None:
            return
        slug = slugify(extracted.issue)[:200] or "general"
        issue, created = _get_or_create(
            lambda: Issue.objects.filter(negotiation=negotiation, slug=slug).first(),
            lambda: Issue.objects.create(
                negotiation=negotiation,
                slug=slug,
                title=extracted.issue[:200],
                status=ReviewStatus.CANDIDATE,
            ),
        )
        if created:
            self.counts["issues_created"] += 1
        while issue.status == ReviewStatus.MERGED and issue.merged_into is not None:
            issue = issue.merged_into
        if issue.status in _GONE:
            return  # an editor hid this issue: no new stances on it
        key = _key(
            "position",
            extracted.party,
            self._text(extracted.start, extracted.end),
            extracted.stance,
        )
        self.position_keys.add(key)
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
            self.counts["positions_created"] += 1
        else:
            for name, value in fields.items():
                setattr(position, name, value)
            position._change_reason = EXTRACTOR_CHANGE  # type: ignore[attr-defined]
            position.save()
            self.counts["positions_updated"] += 1
        self.cite(position=position, start=extracted.start, end=extracted.end)
        for start, end in extracted.more:
            self.cite(position=position, start=start, end=end)
