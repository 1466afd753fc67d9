# ruff: noqa: RUF001 - typographic quotation marks are what this module reads.
"""The extractor as one function: an article and a gazetteer in, candidates out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import events as ev
from . import positions as pos
from .conflicts import Conflict, find_conflicts
from .dates import DAY, DateMention, find_dates, parse_published
from .gazetteer import Gazetteer
from .people import CREDIT_PARAGRAPH, Mention, Person, find_people
from .quotes import (
    PREPOSITIONS,
    SPEECH,
    Quote,
    _clause_subject,
    _mentions_for,
    extract_quotes,
    quote_spans,
)
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
class ExtractedPosition:
    party: str
    issue: str
    stance: str
    kind: str
    start: int
    end: int
    date: dt.date | None
    more: list[tuple[int, int]] = field(default_factory=list)  # other sentences stating it


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
        if not re.search(r"[.!?\"”’')\]]\s*$", text[a:b]) or _same(text[a:b], article.title)
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
    for sentence in sents:
        if sentence.paragraph in skip or sentence.paragraph in untold:
            continue
        in_sentence = [d for d in dates if sentence.start <= d.start < sentence.end]
        mentions = _mentions_for(text, sentence, people, gazetteer, masked)
        actors, names = _actors(mentions)
        if not actors and not names and not any(d.precision == DAY for d in in_sentence):
            continue
        found = ev.classify_sentence(
            text, sentence.start, sentence.end, in_sentence, masked, bool(names)
        )
        statement = _statement(text, sentence, in_sentence, masked, mentions)
        if (
            statement is not None
            and statement[2] is None
            and not BEARS_ON_TALKS.search(text, sentence.start, sentence.end)
        ):
            # Undated remarks on casualty figures, ship movements or background are not events
            # of the talks; their quotes still reach the review queue as citations.
            statement = None
        if statement is not None and all(kind in ev.WEAK for kind, _, _ in found):
            kind, trigger, date, who = statement
            said = (who, date_of(date))
            # One statement per speaker and day: a report quotes the same remarks many times.
            if said not in stated:
                stated.add(said)
                # "X said Y wants Z" is X's statement; what Y wants becomes a position.
                found = [(kind, trigger, date)]
        for kind, _trigger, date in found:
            result.events.append(
                _event(original, sentence, kind, date, sentence_venue, actors, names)
            )
        result.positions.extend(
            _positions(text, sentence, mentions, masked, published, in_sentence, people.mentions)
        )
    result.positions = _dedupe_positions(
        result.positions + _quoted_positions(quotes, sents, published)
    )
    return result


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


def _statement(text, sentence, dates, masked, mentions):
    """A public statement: "Netanyahu said on Sunday that ...", by a named person or a side."""
    for match in SPEECH.finditer(text, sentence.start, sentence.end):
        if any(a <= match.start() < b for a, b in masked) or match.group("acc"):
            continue
        subject = _clause_subject(mentions, match.start(), sentence.start, text)
        if subject is None or subject.kind in ("anonymous", "pronoun", "title"):
            continue
        # The date of the saying: before the verb in the sentence, or right after it.
        near = [d for d in dates if d.end <= match.start() or 0 <= d.start - match.end() < 30]
        near = [d for d in near if d.tense == "past" or d.precision != "day"]
        date = min(near, key=lambda d: abs(d.start - match.start())) if near else None
        who = subject.person.name if subject.person is not None else subject.side or subject.text
        return ev.STATEMENT, match.start(), date, who
    return None


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


# Before a place or side, these make it a setting, not the one who holds the stance
# ("talks that began in Islamabad seek to ...", "the war in Iran").
_SETTING = PREPOSITIONS | {
    "in",
    "at",
    "near",
    "across",
    "inside",
    "within",
    "during",
    "under",
    "after",
    "before",
    "since",
    "via",
    "through",
    "throughout",
    "around",
}
# "70% of Israelis want", "most Americans oppose": public opinion, not a party's stance.
_OPINION = re.compile(
    r"(?:\d+\s*(?:%|percent|per\s+cent)\s+of|\b(?:most|many|some|few|majority\s+of)|"
    r"\bpolls?\b[^.]{0,60})\s*(?:the\s+)?$",
    re.I,
)


def _position_subject(text, sentence, mentions, at, people_mentions):
    """The side whose stance a trigger states: the nearest mention before it in its clause."""
    clause_start = sentence.start
    for match in SPEECH.finditer(text, sentence.start, at):
        clause_start = match.end()
    # "with Hamas demanding", "US politicians insisting": a participle's subject is the
    # mention right before it, whatever preposition introduces the phrase.
    if re.match(r"\w+ing\b", text[at : at + 20]):
        adjacent = [m for m in mentions if m.end <= at and text[m.end : at].strip() == ""]
        if adjacent and not adjacent[-1].possessive and _side_of_mention(adjacent[-1]):
            return _side_of_mention(adjacent[-1])
    own = list(OWN_SIDE.finditer(text, clause_start, at))
    if (
        own
        and clause_start > sentence.start
        and not any(
            m.person is not None
            and clause_start <= m.start < own[0].start()
            and not _is_setting(text, sentence, m)
            for m in mentions
        )
    ):
        side = _speaker_side(text, sentence, mentions, at)
        if side:
            return side
    if NON_AGENT.search(text[max(clause_start, at - 40) : at]):
        return ""
    for mention in reversed([m for m in mentions if clause_start <= m.start and m.end <= at]):
        if mention.possessive:
            continue
        if re.search(r",\s+(?:which|that)\b", text[mention.end : at]):
            continue  # the trigger belongs to a relative clause about something else
        if re.match(r",\s+who\b", text[mention.end : at]) and mention.person is not None:
            return mention.person.affiliation  # "on Mr. Netanyahu, who pledged ..."
        before_text = text[max(sentence.start, mention.start - 40) : mention.start]
        before = before_text[-12:].lower().split()
        if before and before[-1].strip("(") in _SETTING:
            continue
        if _OPINION.search(before_text):
            return ""
        if mention.kind == "pronoun":
            earlier = [m for m in people_mentions if m.end <= mention.start and m.person]
            if earlier and mention.start - earlier[-1].end < 400:
                return earlier[-1].person.affiliation
            continue
        if mention.person is not None:
            return mention.person.affiliation
        if mention.side:
            return mention.side
    if any(clause_start <= m.start and m.end <= at for m in mentions):
        # The clause names only settings, objects or possessors ("talks in Istanbul must be
        # prepared"): reported words are the speaker's stance; otherwise there is no party.
        if clause_start > sentence.start:
            return _speaker_side(text, sentence, mentions, at)
        return ""
    subject = _clause_subject(
        _outside_relatives(text, sentence, mentions), at, sentence.start, text
    )
    if subject is not None and not _is_setting(text, sentence, subject):
        return subject.person.affiliation if subject.person is not None else subject.side
    return ""


def _is_setting(text, sentence, mention) -> bool:
    before = text[max(sentence.start, mention.start - 12) : mention.start].lower().split()
    return bool(before) and before[-1].strip("(") in _SETTING


_RELATIVE = re.compile(r",\s+(?:which|who|whose|whom)\b[^,]*,")


def _outside_relatives(text, sentence, mentions):
    """Mentions not inside ", which was due to meet de Mistura," (never the clause's subject)."""
    spans = [m.span() for m in _RELATIVE.finditer(text, sentence.start, sentence.end)]
    return [m for m in mentions if not any(a <= m.start < b for a, b in spans)]


def _speaker_side(text, sentence, mentions, at) -> str:
    """The side of whoever says the words around ``at`` ("Kellogg said X was not on the table")."""
    speech = [m for m in SPEECH.finditer(text, sentence.start, at) if not m.group("acc")]
    if not speech:
        return ""
    mentions = _outside_relatives(text, sentence, mentions)
    subject = _clause_subject(mentions, speech[-1].start(), sentence.start, text)
    if subject is None or subject.kind == "pronoun" or _is_setting(text, sentence, subject):
        return ""
    return _side_of_mention(subject)


# "his country", "their government": the speaker's own side.
OWN_SIDE = re.compile(
    r"\b(?:his|her|their|our)\s+(?:country|government|side|nation|administration|team|union|"
    r"company|movement|group|party)\b",
    re.I,
)
# A non-agent right before the trigger: "the talks would continue", "rules, which will ...".
NON_AGENT = re.compile(
    r"\b(?:talks|negotiations|meetings?|discussions|process|deal|agreement|ceasefire|truce|war|"
    r"fighting|summit|rules|measures|plan|bill|law|legislation)\s+(?:\w+\s+)?$",
    re.I,
)


def _side_of_mention(mention) -> str:
    if mention.person is not None:
        return mention.person.affiliation
    return mention.side or ""


def _owner(text, sentence, mentions, owner_start, owner_end, owner, people_mentions):
    """Who "X's" or "its" in "X's insistence" / "its proposal" stands for."""
    if owner.lower() in ("its", "their"):
        speech = list(SPEECH.finditer(text, sentence.start, owner_start))
        limit = speech[-1].start() if speech else owner_start
        subject = _clause_subject(mentions, limit, sentence.start, text)
        if subject is not None and subject.kind != "pronoun":
            return _side_of_mention(subject)
        return ""
    if owner[:4].lower() == "the ":
        # "talks with NBC ... the network's insistence": the body named last before it.
        earlier = [
            m
            for m in mentions
            if m.end <= owner_start and m.person is None and m.kind == "organisation" and m.side
        ]
        return earlier[-1].side if earlier else ""
    inside = [m for m in mentions if owner_start <= m.start and m.end <= owner_end + 2]
    for mention in reversed(inside):
        side = _side_of_mention(mention)
        if side:
            return side
    return ""


def _positions(text, sentence, mentions, masked, published, dates, people_mentions):
    out: list[ExtractedPosition] = []
    held: dict[str, list[str]] = {}
    chunk = text[sentence.start : sentence.end]
    date = next((d for d in dates if d.precision == DAY), None)
    when = date.date if date else published

    def add(party, stance, kind):
        if not party or len(stance.split()) < 3:
            return
        folded = stance.lower()
        # One stance per party and clause: a second trigger inside the same words adds nothing.
        if any(folded in s or s in folded for s in held.get(party, [])):
            return
        held.setdefault(party, []).append(folded)
        out.append(
            ExtractedPosition(
                party=party,
                issue=pos.issue_for(stance, chunk),
                stance=stance,
                kind=kind,
                start=sentence.start,
                end=sentence.end,
                date=when,
            )
        )

    for match in pos.POSSESSED.finditer(chunk):
        at = sentence.start + match.start("noun")
        if any(a <= at < b for a, b in masked):
            continue
        party = _owner(
            text,
            sentence,
            mentions,
            sentence.start + match.start("owner"),
            sentence.start + match.end("owner"),
            match.group("owner"),
            people_mentions,
        )
        if not pos.POSSESSED_LINK.match(chunk, match.end()):
            continue
        left = chunk[: match.start()].lower().split()
        if left and left[-1] in _SETTING | {"from", "toughen", "some", "all"}:
            continue  # "backed down from its demands": demands named, not stated
        noun = re.sub(r"\s+", " ", match.group("noun").lower())
        kind = pos.NOUN_KIND.get(noun, pos.RED_LINE)
        rest = pos.stance_after(text, sentence.start + match.end(), sentence.end)
        rest = re.sub(r"^(?:on|that|to|for|of|is|was|were|are|would|will|:)\s+", "", rest)
        add(party, f"{noun} {rest}".strip(), kind)
    for match in pos.UNDER_PROPOSAL.finditer(chunk):
        side = next(
            (
                _side_of_mention(m)
                for m in mentions
                if sentence.start + match.start("owner") <= m.start < sentence.start + match.end()
                and _side_of_mention(m)
            ),
            "",
        )
        add(
            side,
            pos.stance_before(text, sentence.start, sentence.start + match.start()),
            pos.OFFER,
        )
    for match in pos.DEMAND_BY.finditer(chunk):
        after = [m for m in mentions if m.start >= sentence.start + match.end()]
        if after and after[0].start - (sentence.start + match.end()) < 4:
            stance = pos.stance_before(text, sentence.start, sentence.start + match.start())
            add(_side_of_mention(after[0]), stance, pos.DEMAND)
    for kind, pattern in pos.PATTERNS:
        for match in pattern.finditer(chunk):
            at = sentence.start + match.start()
            if any(a <= at < b for a, b in masked):
                continue
            if kind == pos.DEMAND and pos.NOUN_BEFORE.search(
                text[max(sentence.start, at - 20) : at]
            ):
                continue  # "its long-standing demands" names demands, it does not make one
            after = text[sentence.start + match.end() : sentence.end]
            word = match.group(0).lower()
            if word.startswith("reject") and pos.DENIAL_OBJECT.search(after):
                continue  # "rejected the idea that ...": a denial of a report, not a stance
            if chunk[max(0, match.start() - 1) : match.start()] == "-":
                continue  # "a US-proposed deal" describes the deal
            if re.search(r"\bdeni(?:ed|es)\b", after):
                continue  # "X had agreed to ..., but an official denied the report"
            if pos.SPEAKER_ONLY.match(word):
                party = _speaker_side(text, sentence, mentions, at)
            else:
                party = _position_subject(text, sentence, mentions, at, people_mentions)
            if not party:
                continue
            partner = _compound_partner(text, sentence, mentions, at, party)
            stance = pos.stance_after(text, sentence.start + match.end(), sentence.end)
            negated = re.search(
                r"\b(?:not|n't|never|no\s+longer)\s+(?:\w+\s+)?$",
                text[max(sentence.start, at - 25) : at],
            )
            if negated and kind in (pos.DEMAND, pos.OFFER, pos.STANCE):
                stance = f"{negated.group(0).strip()} {match.group(0)} {stance}"
            elif pos.SPEAKER_ONLY.match(word):
                stance = pos.stance_before(text, sentence.start, at) + " " + match.group(0)
            elif kind in (pos.RED_LINE, pos.STANCE) and not word.startswith(
                ("reject", "red", "ruled", "rules", "refus", "oppos")
            ):
                stance = f"{match.group(0)} {stance}"
            add(party, stance, kind)
            if partner:
                add(partner, stance, kind)
    return out


def _compound_partner(text, sentence, mentions, at, party) -> str:
    """The other side of "Beijing and Washington had agreed to ...": both hold the stance."""
    before = [m for m in mentions if sentence.start <= m.start and m.end <= at]
    for second in reversed(before):
        if _side_of_mention(second) != party:
            continue
        firsts = [
            m
            for m in before
            if m.end <= second.start
            and re.fullmatch(r"\s+and\s+", text[m.end : second.start])
            and not m.possessive
        ]
        if firsts and _side_of_mention(firsts[-1]) not in ("", party):
            return _side_of_mention(firsts[-1])
        return ""
    return ""


STANCE_WORDS = re.compile(
    r"\b(?:must|need|needs|want|wants|will\s+not|won't|cannot|can't|demand|insist|ready\s+to|"
    r"should|refuse|reject|red\s+line|non-negotiable|conditions?|guarantees?|never)\b",
    re.I,
)


def _quoted_positions(quotes, sents, published) -> list[ExtractedPosition]:
    """A side's own words stating what it wants or refuses ("The ceasefire must be permanent")."""
    out = []
    for quote in quotes:
        party = quote.speaker.affiliation if quote.speaker is not None else quote.affiliation
        if not party or len(quote.text.split()) < 4 or not STANCE_WORDS.search(quote.text):
            continue
        sentence = next((s for s in sents if s.start <= quote.start < s.end), None)
        start, end = (sentence.start, sentence.end) if sentence else (quote.start, quote.end)
        out.append(
            ExtractedPosition(
                party=party,
                issue=pos.issue_for(quote.text, ""),
                stance=quote.text,
                kind=pos.STANCE,
                start=start,
                end=end,
                date=published,
            )
        )
    return out


def _dedupe_positions(positions: list[ExtractedPosition]) -> list[ExtractedPosition]:
    """One position per party and issue in an article, citing every sentence that states it.

    A position is a party's stance on an issue at a date; a report that restates it ("demanding
    that it be permanent" ... "The ceasefire must be permanent") gives one stance, not two.
    """
    merged: dict[tuple[str, str], ExtractedPosition] = {}
    for position in positions:
        key = (position.party, position.issue)
        first = merged.get(key)
        if first is None:
            merged[key] = position
            continue
        if position.stance.lower() in first.stance.lower():
            continue
        span = (position.start, position.end)
        if span != (first.start, first.end) and span not in first.more:
            first.more.append(span)
        if len(first.stance) + len(position.stance) + 2 <= 300:
            first.stance = f"{first.stance}; {position.stance}"
    return list(merged.values())


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
