# ruff: noqa: RUF001 - typographic quotation marks are what this module reads.
"""The extractor as one function: an article and a gazetteer in, candidates out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import events as ev
from . import positions as pos
from .conflicts import Conflict, find_conflicts
from .cues import INTERNAL_ADVERSARIES, TALK_QUALIFIERS
from .dates import DAY, DateMention, find_dates, parse_published
from .demonyms import DEMONYMS
from .gazetteer import Gazetteer
from .mentions import SPEECH, clause_subject, mentions_for
from .people import CREDIT_PARAGRAPH, Mention, Person, find_people
from .positions import ExtractedPosition  # also imported from here by services.candidates
from .quotes import Quote, extract_quotes, quote_spans
from .text import analysis_text, heading_paragraphs, paragraphs, sentences
from .venues import find_venues


@dataclass(frozen=True)
class ArticleInput:
    text: str
    title: str = ""
    published_at: dt.date | str | None = None
    url: str = ""
    publication: str = ""
    byline: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> ArticleInput:
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ValueError('An article is a JSON object with a "text" string.')
        return cls(
            text=data["text"],
            title=data.get("title") or "",
            published_at=data.get("published_at"),
            url=data.get("url") or "",
            publication=data.get("publication") or "",
            byline=data.get("byline") or "",
        )

    @property
    def published_date(self) -> dt.date | None:
        if isinstance(self.published_at, dt.datetime):
            return self.published_at.date()
        if isinstance(self.published_at, dt.date):
            return self.published_at
        return parse_published(self.published_at)


@dataclass
class ExtractedEvent:
    kind: str
    summary: str
    start: int  # sentence span in the article's text: the citation for the event
    end: int
    date: dt.date | None
    date_text: str
    date_precision: str
    venue: str | None
    actors: list[str]
    people: list[str]
    modality: str


@dataclass
class ExtractionResult:
    people: list[Person] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    events: list[ExtractedEvent] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    positions: list[ExtractedPosition] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def extract(article: ArticleInput, gazetteer: Gazetteer) -> ExtractionResult:
    original = article.text
    text = analysis_text(original)
    published = article.published_date
    sents = sentences(text)
    paras = paragraphs(text)
    skip = heading_paragraphs(text) | {
        s.paragraph for s in sents if CREDIT_PARAGRAPH.search(s.text)
    }
    # Headlines, site names and captions repeated in the body: lines with no closing
    # punctuation report nothing ("Ceasefire talks between Israel and Hamas reach a dead end").
    untold = {
        i
        for i, (a, b) in enumerate(paras)
        if (not re.search(r"[.!?\"”’')\]]\s*$", text[a:b]) and not REPORTING_LINE.match(text, a, b))
        or _same(text[a:b], article.title)
    }
    people = find_people(text, sents, gazetteer, article.byline)
    # Quoted passages are found once: the quotes come from them, and the event and position
    # rules read only the words outside them.
    spans = quote_spans(text, paras)
    masked = [(q.outer_start, q.outer_end) for q in spans]
    quotes = extract_quotes(text, sents, paras, spans, people, gazetteer)
    for quote in quotes:
        quote.text = original[quote.start : quote.end]
    venues, sentence_venue = find_venues(text, sents, gazetteer, skip)
    dates = find_dates(text, published)

    result = ExtractionResult(
        people=people.people,
        venues=venues,
        quotes=quotes,
        conflicts=find_conflicts(text, sents, skip),
    )
    stated: set[tuple[str, dt.date | None]] = set()
    event_dates: list[DateMention | None] = []  # the date mention of each event, in order
    internal = _internal_conflict(text, gazetteer)
    for sentence in sents:
        if sentence.paragraph in skip or sentence.paragraph in untold:
            continue
        in_sentence = [d for d in dates if sentence.start <= d.start < sentence.end]
        mentions = mentions_for(
            text, sentence, people, gazetteer, masked, internal_conflict=internal
        )
        actors, names = _actors(mentions)
        unnamed = (
            not actors
            and not names
            and not any(d.precision == DAY for d in in_sentence)
            and not BOTH_SIDES.match(text, sentence.start)
            and not THE_TALKS.match(text, sentence.start)
        )
        if unnamed and not any(_titled(m) for m in mentions):
            continue
        found = ev.classify_sentence(
            text, sentence.start, sentence.end, in_sentence, masked, bool(names)
        )
        if unnamed:
            # Only "The Secretary" names a side: read it for positions and its statement; a
            # readout's further sentences about its meeting are no new events.
            found = []
        if BULLET.match(text, paras[sentence.paragraph][0]):
            # A fact box's bullet ("• Palestinians want a state") states a standing position,
            # not a new demand or meeting; a bullet that reports a dated remark stays one.
            found = []
        statement = _statement(text, sentence, in_sentence, masked, mentions)
        if (
            statement is not None
            and statement[2] is None
            and not BEARS_ON_TALKS.search(text, sentence.start, sentence.end)
        ):
            # Undated remarks on casualty figures, ship movements or background are not events
            # of the talks; their quotes still reach the review queue as citations.
            statement = None
        if (
            statement is not None
            and all(kind in ev.WEAK for kind, _, _ in found)
            and not any(kind in (ev.DEMAND, ev.PROPOSAL) and date for kind, _, date in found)
            and not any(
                # "Ukraine has agreed to a ceasefire but Putin has only said ...": the reply
                # is narrated in a clause of its own, not reported by the later speaker.
                at < statement[1] and CLAUSE_BREAK.search(text, at, statement[1])
                for _, at, _ in found
            )
        ):
            kind, trigger, date, who = statement
            said = (who, date_of(date))
            # One statement per speaker and day: a report quotes the same remarks many times.
            # An undated saying by a speaker already heard that day is the same remarks, quoted
            # further down ("Brahimi apologized Saturday ... Brahimi said ...").
            if said not in stated and not (date is None and any(w == who for w, _ in stated)):
                stated.add(said)
                # "X said Y wants Z" is X's statement; what Y wants becomes a position.
                found = [(kind, trigger, date)]
        for kind, _trigger, date in found:
            if kind == ev.DEMAND and date is None:
                # "Israel wants the Lebanese government to disarm Hezbollah": with no day, a
                # demand is a standing position (kept below), not a dated step of the talks.
                continue
            if (
                kind in (ev.MEETING, ev.AGREEMENT, ev.BREAKDOWN)
                and date is None
                and any(e.kind == kind for e in result.events)
            ):
                # "The Secretary discussed ...", "Joining the meeting were ...": a readout goes on
                # describing the meeting it has reported, it does not report another one; so
                # does a joint statement listing what "the two sides agreed" after the agreement,
                # and a report confirming that the talks it said had stalled "had faltered".
                continue
            result.events.append(
                _event(original, sentence, kind, date, sentence_venue, actors, names)
            )
            event_dates.append(date)
            if kind == ev.STATEMENT and names:
                # "Brahimi apologized Saturday": his remarks quoted later are the same statement.
                stated.add((names[0], date_of(date)))
        context = pos.SentenceContext(
            text,
            sentence,
            mentions,
            masked,
            in_sentence,
            published,
            people.mentions,
            fact_box=bool(BULLET.match(text, paras[sentence.paragraph][0])),
        )
        result.positions.extend(pos.find_positions(context))
    result.events = _vague_plans_dated_later(result.events, event_dates)
    result.positions = pos.dedupe_positions(
        result.positions + pos.quoted_positions(quotes, sents, published)
    )
    if internal:
        # Facing opponents of its own, the state's side is its government ("Maduro insists").
        state = gazetteer.side_of(internal)
        for position in result.positions:
            if position.party == state:
                position.party = f"{internal} government"
    return result


INTERNAL = re.compile(rf"\b(?:{'|'.join(INTERNAL_ADVERSARIES)})\b")


def _internal_conflict(text: str, gazetteer: Gazetteer) -> str:
    """The demonym of the state whose government faces opponents of its own in the report
    ("the Syrian government ... the opposition"), or ""."""
    if not INTERNAL.search(text):
        return ""
    for match in STATE_BODY.finditer(text):
        if match.group(1):
            if match.group(1) in DEMONYMS:
                return match.group(1)
            continue
        state = gazetteer.side_of(match.group(2))  # "Venezuela's opposition"
        demonym = next((d for d, s in DEMONYMS.items() if s == state and d[-1] != "s"), "")
        if state and demonym:
            return demonym
    return ""


STATE_BODY = re.compile(
    r"\b(?:([A-Z][a-z]+)|([A-Z][a-z]+)(?:'s|’s))\s+(?:government|opposition|rebels)\b"
)


# What a statement must touch to be an event on a negotiation's timeline; a quote that does
# not still reaches the review queue as a citation.
BEARS_ON_TALKS = re.compile(
    r"\b(?:talks|negotiat\w*|deal|agreement|accord|treaty|ceasefire|cease-fire|truce|peace|"
    r"proposals?|propos\w+|offers?|offered|demand\w*|conditions?|preconditions?|position|"
    r"sanctions?|tariffs?|strike|contract|union|hostages?|prisoners?|withdraw\w*|summit|"
    r"meetings?|met|dialogue|mediat\w+|concessions?|guarantees?|compromise|terms|"
    r"red\s+line|ultimatum|reject\w*|accept\w*|agree\w*|refus\w+|insist\w*|"
    r"negotiators?|delegations?|envoy|round)\b",
    re.I,
)


# Lines that report without closing punctuation: a bullet that states something ("• Israel
# rejects the right of return", fact boxes, live pages; a short bullet is a list entry).
REPORTING_LINE = re.compile(
    r"\s*[•●▪◦‣]\s*\S+(?:\s+\S+){4,}"
    # "... issued the following statement:": a long lead-in to a statement reports too.
    r"|\s*\S+(?:\s+\S+){7,}:\s*$"
)


# "The two sides agreed ...", "Both parties reaffirmed ...": a joint statement names its
# signatories once, then speaks of them as the sides.
BOTH_SIDES = re.compile(r"\s*(?:[Tt]he\s+two|[Bb]oth|[Tt]he)\s+(?:sides|parties)\b")
# "The first round of talks two weeks ago in Istanbul brought ...": the talks themselves are
# the subject, and the report's parties are theirs.
THE_TALKS = re.compile(
    r"\s*The\s+(?:(?:first|second|third|fourth|fifth|latest|last|previous|new|next|final)\s+)?"
    rf"(?:(?:{'|'.join(TALK_QUALIFIERS)})\s+)?"
    r"(?:round\s+of\s+(?:\w+\s+)?(?:talks|negotiations)|talks|negotiations)\b"
)
CLAUSE_BREAK = re.compile(r"\s(?:but|while|whereas)\s|;")
BULLET = re.compile(r"\s*[•●▪◦‣]")


def _same(line: str, title: str) -> bool:
    return bool(title) and " ".join(line.split()).casefold() == " ".join(title.split()).casefold()


def _actors(mentions: list[Mention]) -> tuple[list[str], list[str]]:
    sides: list[str] = []
    names: list[str] = []
    for mention in mentions:
        if mention.person is not None:
            if mention.person.name not in names:
                names.append(mention.person.name)
            if mention.person.affiliation and mention.person.affiliation not in sides:
                sides.append(mention.person.affiliation)
        elif mention.side and mention.side not in sides:
            sides.append(mention.side)
    return sides, names


def _vague_plans_dated_later(
    events: list[ExtractedEvent], mentions: list[DateMention | None]
) -> list[ExtractedEvent]:
    """ "Set to return to the table this week" and "the meeting will take place Thursday": one
    planned sitting, told vaguely in the lede and by its day further down."""
    days = [e.date for e in events if e.kind == ev.SCHEDULED and e.date is not None]
    kept = []
    for event, mention in zip(events, mentions, strict=True):
        if (
            event.kind == ev.SCHEDULED
            and event.date is None
            and mention is not None
            and mention.date is not None
            and mention.precision == "week"
        ):
            # A week is one sitting's span; a month ("later this month") holds several.
            start = mention.date
            if any(start <= day < start + dt.timedelta(days=7) for day in days):
                continue
        kept.append(event)
    return kept


def _statement(text, sentence, dates, masked, mentions):
    """A public statement: "Netanyahu said on Sunday that ...", by a named person or a side."""
    for match in SPEECH.finditer(text, sentence.start, sentence.end):
        if any(a <= match.start() < b for a, b in masked) or match.group("acc"):
            continue
        if re.search(
            r"\bhad\s+(?:\w+\s+)?$", text[max(sentence.start, match.start() - 20) : match.start()]
        ):
            continue  # "Washington had insisted that ...": background, not a statement of the day
        subject = clause_subject(mentions, match.start(), sentence.start, text)
        if subject is None or (
            subject.kind in ("anonymous", "pronoun", "title") and not _titled(subject)
        ):
            continue
        # The date of the saying: before the verb in the sentence, or right after it.
        near = [d for d in dates if d.end <= match.start() or 0 <= d.start - match.end() < 30]
        near = [d for d in near if d.tense == "past" or d.precision != "day"]
        date = min(near, key=lambda d: abs(d.start - match.start())) if near else None
        who = subject.person.name if subject.person is not None else subject.side or subject.text
        return ev.STATEMENT, match.start(), date, who
    return None


def _titled(mention: Mention) -> bool:
    """ "The Secretary", capitalised: a readout's name for the person it is about."""
    return mention.kind == "title" and mention.text.split()[-1][:1].isupper()


def _event(original, sentence, kind, date, sentence_venue, actors, names):
    resolved = date_of(date)
    summary = re.sub(r"\s+", " ", original[sentence.start : sentence.end]).strip()
    if len(summary) > 300:
        summary = summary[:297].rsplit(" ", 1)[0] + "..."
    modality = "occurred"
    if kind == ev.SCHEDULED:
        modality = "planned"
    elif kind in (ev.PROPOSAL, ev.DEMAND):
        modality = "proposed"
    return ExtractedEvent(
        kind=kind,
        summary=summary,
        start=sentence.start,
        end=sentence.end,
        date=resolved,
        date_text=date.text if date is not None else "",
        date_precision=date.precision if date is not None else "unknown",
        venue=sentence_venue.get(sentence.start),
        actors=actors,
        people=names,
        modality=modality,
    )


def to_gold_dict(result: ExtractionResult, text: str = "") -> dict:
    """The result in the shape of the ``gold`` object of ``shared/gold/SCHEMA.md``.

    ``text`` (the article's) lets conflicting reports quote their clauses.
    """
    return {
        "people": [
            {
                "name": p.name,
                "aliases": list(p.aliases),
                "affiliation": p.affiliation or None,
                "role": p.role or None,
            }
            for p in result.people
        ],
        "venues": list(result.venues),
        "events": [
            {
                "type": e.kind,
                "date": e.date.isoformat() if e.date else None,
                "date_text": e.date_text or None,
                "venue": e.venue,
                "actors": e.actors + [n for n in e.people if n not in e.actors],
                "summary": e.summary,
            }
            for e in result.events
        ],
        "quotes": [
            {
                "speaker": q.speaker.name if q.speaker else None,
                "speaker_description": q.speaker_description or None,
                "anonymous": q.anonymous,
                "affiliation": q.affiliation or None,
                "text": q.text,
                "start": q.start,
                "end": q.end,
            }
            for q in result.quotes
        ],
        "positions": [
            {"party": p.party, "issue": p.issue, "stance": p.stance} for p in result.positions
        ],
        "conflicting_reports": [
            {
                "about": " ".join(text[c.claim.start : c.claim.end].split())[:200],
                "claims": [
                    f"{c.claim.source}: {' '.join(text[c.claim.start : c.claim.end].split())}",
                    f"{c.denial.source}: {' '.join(text[c.denial.start : c.denial.end].split())}",
                ],
            }
            for c in result.conflicts
        ],
    }


def date_of(mention: DateMention | None) -> dt.date | None:
    """The calendar day a mention names; "in May" or "next week" pins no day for an event."""
    return mention.date if mention is not None and mention.precision == DAY else None
