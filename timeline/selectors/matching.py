"""Is this proposed event one that already exists? The matcher of issue 13.

Plain functions over a small value (``Happening``): ``score`` compares two happenings,
``find_matches`` loads the few events of the same negotiation that could be the same one and
scores them, ``decide`` turns the scores into what the extractor does (cite the existing
event, propose a possible duplicate, or propose a new event).

The query is bounded, never a scan of the negotiation: compatible kinds are a handful, and
the date window is the two dates' precisions (a day either side for a day-precise report), so
PostgreSQL walks ``event_match_window`` (negotiation, kind, date) once per kind over a few
days. Undated proposals compare only with undated events of a compatible kind, newest first,
capped at ``MATCH_MAX_CANDIDATES``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Q

from timeline.extraction.dates import WEEKDAYS
from timeline.models import Actor, Event, EventKind, EventParticipant, Place, ReviewStatus

# Which kinds may describe the same happening. Symmetric; every kind matches itself. A report
# of "talks scheduled for Sunday" and one of "the delegations met on Sunday" are the same
# happening once Sunday has come; arrival and departure reports accompany a meeting; a
# proposal is often reported as the other side's "response" to it; a breakdown is reported
# as a walkout or a postponement by the other side's outlets. A round that ends without a
# result is headlined by some outlets as the meeting ("summit concludes with no deal") and by
# others as its breakdown: a meeting and a breakdown may be one happening.
_COMPATIBLE: dict[str, set[str]] = {
    EventKind.MEETING: {EventKind.SCHEDULED, EventKind.DELEGATION_ARRIVAL, EventKind.BREAKDOWN},
    EventKind.SCHEDULED: {EventKind.MEETING, EventKind.POSTPONEMENT},
    EventKind.DELEGATION_ARRIVAL: {EventKind.MEETING},
    EventKind.PROPOSAL: {EventKind.RESPONSE},
    EventKind.RESPONSE: {EventKind.PROPOSAL},
    EventKind.BREAKDOWN: {EventKind.WALKOUT, EventKind.POSTPONEMENT, EventKind.MEETING},
    EventKind.WALKOUT: {EventKind.BREAKDOWN},
    EventKind.POSTPONEMENT: {EventKind.BREAKDOWN, EventKind.SCHEDULED},
    EventKind.THREAT: {EventKind.ULTIMATUM},
    EventKind.ULTIMATUM: {EventKind.THREAT},
}

# How far a date of each precision may be from the other and still be the same day: a
# day-precise date is a day either side (an evening meeting in Doha is "Monday" in Doha and
# "Tuesday" in a morning paper, and the extractor resolves "on Sunday" against the print
# date); a week or month is its own span.
_SLACK_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366, "approximate": 14}
# What a new report may be matched against: public or still under review, not decided for good.
_LIVE = (*ReviewStatus.PUBLIC, *ReviewStatus.OPEN_FOR_REVIEW)

# Words that say nothing about which happening it is: a summary's similarity is over the rest.
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "their",
        "his",
        "her",
        "they",
        "he",
        "she",
        "we",
        "will",
        "would",
        "said",
        "says",
        "say",
        "told",
        "after",
        "before",
        "over",
        "about",
        "into",
        "than",
        "then",
        "also",
        "but",
        "not",
        "no",
        "new",
        "on",
        "off",
        "up",
        "out",
        "more",
        "most",
    ]
)
# Words of when and of attribution: the date part already compares the day ("on Sunday" in
# one outlet's summary and not in another's says nothing), and "officials said", "according
# to sources familiar with" is how an outlet reports, not what happened.
_STOP |= frozenset(WEEKDAYS) | frozenset(
    [
        "today",
        "yesterday",
        "tonight",
        "late",
        "early",
        "official",
        "officials",
        "source",
        "sources",
        "according",
        "familiar",
        "reported",
        "reports",
        "spokesman",
        "spokeswoman",
        "spokesperson",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Two outlets word one happening differently: "deal" and "accord", "strike" and "walked out",
# "talks" and "meeting". Each group below is one word for the matcher (its first member), so
# a summary's similarity survives the rewording. The groups are the vocabulary of
# negotiation reporting, not of any one labelled pair; they join words a reader would call
# the same thing, never an event and its opposite (a deal and its collapse stay apart).
_SYNONYMS: tuple[tuple[str, ...], ...] = (
    (
        "agreement",
        "deal",
        "accord",
        "pact",
        "agree",
        "treaty",
        "settlement",
        "understanding",
        "contract",
    ),
    ("reach", "clinch", "secure", "seal"),
    ("tentative", "provisional", "preliminary", "initial"),
    ("strike", "walkout", "stoppage", "industrial"),
    ("talk", "meet", "meeting", "session", "negotiation", "negotiate", "summit", "round"),
    ("truce", "ceasefire", "armistice"),
    ("collapse", "breakdown", "impasse", "deadlock", "stall", "stalemate", "fail"),
    ("sign", "ink"),
    ("mediator", "mediate", "mediation", "broker", "facilitator"),
    ("delegation", "team", "negotiator", "envoy", "delegate"),
    ("arrive", "arrival"),
    ("leave", "depart", "departure"),
    ("proposal", "propose", "offer", "plan", "draft"),
    ("reject", "rejection", "refuse", "dismiss", "spurn"),
    ("threat", "threaten", "warn", "warning", "ultimatum", "deadline"),
    ("postpone", "postponement", "delay", "adjourn", "suspend", "pause", "halt"),
    ("resume", "restart", "reconvene", "revive"),
    ("approve", "ratify", "adopt", "endorse", "accept"),
    ("release", "free"),
    ("hostage", "captive"),
    ("withdraw", "withdrawal", "pullout", "retreat"),
    ("raise", "increase", "rise"),
    ("kill", "dead", "death", "die"),
    ("begin", "open", "start", "launch"),
    ("end", "conclude", "finish"),
    ("worker", "staff", "employee"),
    ("pay", "wage", "salary"),
)
# Past tenses the suffix rules below cannot undo.
_IRREGULAR = {
    "met": "meet",
    "left": "leave",
    "broke": "break",
    "broken": "break",
    "began": "begin",
    "begun": "begin",
    "struck": "strike",
    "fought": "fight",
    "held": "hold",
    "agreed": "agree",
    "sought": "seek",
    "won": "win",
    "initialled": "sign",
    "initialed": "sign",
    "freed": "free",
}
# Phrases that are one word for the matcher ("walked out" is a strike, "broke down" a collapse).
_PHRASES = (
    (re.compile(r"\bwalk(?:ed|s|ing)? out\b"), "walkout"),
    (re.compile(r"\bbr(?:oke|eak|eaks|oken) (?:down|off)\b"), "breakdown"),
    (re.compile(r"\bdead end\b"), "impasse"),
    (re.compile(r"\bcease[- ]fire\b"), "ceasefire"),
    (re.compile(r"\bcessation of hostilities\b"), "truce"),
    (re.compile(r"\bstruck (?:a |an |the )?(?=deal|agreement|accord|pact)"), "reach "),
    (re.compile(r"\bpull(?:ed|s|ing)? (?:out|back)\b"), "withdraw"),
    (re.compile(r"\bstep(?:ped|s)? down\b"), "resign"),
    (re.compile(r"\bput off\b"), "postpone"),
    (re.compile(r"\bturn(?:ed|s)? down\b"), "reject"),
)


def _stem(word: str) -> str:
    """A crude English stem, enough to join talks ~ talk, signed ~ sign, agreed ~ agree."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2] if not word.endswith("eed") else word[:-1]
    elif len(word) > 4 and word.endswith("es") and word[-3] in "sxz":
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    # "postponed" -> "postpon", "signing" -> "sign", "stopped" -> "stopp": undo the doubling,
    # and give a dropped final e back where the stem is a known word with one.
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
        word = word[:-1]
    return _E_FINAL.get(word, word)


_CANON: dict[str, str] = {w: group[0] for group in _SYNONYMS for w in group}
# Stems that lost a final e ("postpon", "propos", "arriv", "clos") map back to the word.
_E_FINAL = {w[:-1]: w for group in _SYNONYMS for w in group if w.endswith("e")}


@functools.lru_cache(maxsize=4096)
def summary_tokens(text: str) -> frozenset[str]:
    """The content words of a summary, lower case, stemmed, each synonym group one word.
    Cached: the same stored summaries are scored against every report of their days."""
    text = text.lower()
    for pattern, word in _PHRASES:
        text = pattern.sub(word, text)
    tokens = set()
    for w in _WORD.findall(text):
        if w in _STOP:
            continue
        stem = _stem(w)
        tokens.add(_CANON.get(w) or _CANON.get(stem) or stem)
    return frozenset(tokens)


@dataclass(frozen=True)
class Happening:
    """What the matcher compares of an event, proposed or stored."""

    kind: str
    date: dt.date | None
    date_precision: str
    place_id: int | None
    actor_ids: frozenset[int]
    summary: str
    tokens: frozenset[str] = field(default=frozenset(), compare=False)

    @classmethod
    def of(
        cls,
        *,
        kind: str,
        date: dt.date | None,
        date_precision: str = "day",
        place_id: int | None = None,
        actor_ids: Iterable[int] = (),
        summary: str = "",
    ) -> Happening:
        return cls(
            kind=kind,
            date=date,
            date_precision=date_precision if date else "unknown",
            place_id=place_id,
            actor_ids=frozenset(actor_ids),
            summary=summary,
            tokens=summary_tokens(summary),
        )


@dataclass(frozen=True)
class Knowledge:
    """What the actor and place tables say about the names of the happenings being compared,
    read once per match call (``known_about``), never per candidate.

    ``lines``: a place, then what it lies within, nearest first (Stormont, Belfast, Northern
    Ireland, Britain). ``reach``: an actor with its affiliations up the chain (Putin, Russia).
    A name the tables say nothing more about is just itself."""

    lines: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    reach: Mapping[int, frozenset[int]] = field(default_factory=dict)

    def line(self, place_id: int) -> tuple[int, ...]:
        return self.lines.get(place_id) or (place_id,)

    def reach_of(self, actor_id: int) -> frozenset[int]:
        return self.reach.get(actor_id) or frozenset([actor_id])


NOTHING_KNOWN = Knowledge()

# How far up a chain of "within" or "affiliation" is followed: a venue, its city, a region,
# a country is four; the cap also ends a loop written straight into the database.
_CHAIN_DEPTH = 8


def _marks(ids: Iterable[int]) -> str:
    return ", ".join(["%s"] * len(list(ids))) or "NULL"


def _walk_up(name: str, table: str, column: str, anchor: str) -> str:
    """A recursive CTE ``name``(start, id, depth): the ancestors over ``column`` (a
    self-referencing FK of ``table``) of the rows whose id is in ``anchor`` (SQL text with
    %s parameters). Every name here is one of this module's constants, never input."""
    return f"""{name}(start, id, depth) AS (
            SELECT id, {column}, 1 FROM {table} WHERE id IN ({anchor}) AND {column} IS NOT NULL
            UNION ALL
            SELECT u.start, t.{column}, u.depth + 1 FROM {name} u JOIN {table} t ON t.id = u.id
            WHERE t.{column} IS NOT NULL AND u.depth < %s
        )"""  # noqa: S608 (no input in the text: see the docstring)


def _read_chains(sql: str, params: Sequence[int]) -> tuple[dict[int, set[int]], Knowledge]:
    """Run a query of ('participant', event, actor, 0) and ('place' | 'actor', start,
    ancestor, depth) rows, ordered by kind, start and depth: the participants, the chains."""
    participants: dict[int, set[int]] = {}
    chains: dict[str, dict[int, list[int]]] = {"place": {}, "actor": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, start, other, _depth in cursor.fetchall():
            if kind == "participant":
                participants.setdefault(start, set()).add(other)
                continue
            chain = chains[kind].setdefault(start, [start])
            if other not in chain:  # a loop written past clean(): the depth cap ended it
                chain.append(other)
    return participants, Knowledge(
        lines={start: tuple(chain) for start, chain in chains["place"].items()},
        reach={start: frozenset(chain) for start, chain in chains["actor"].items()},
    )


# Nearest first: a chain's order is its depth (the place credit halves per level).
_CHAINS_SELECT = """
        SELECT 'place', start, id, depth FROM up_place
        UNION ALL
        SELECT 'actor', start, id, depth FROM up_actor
        ORDER BY 1, 2, 4
"""


def known_about(place_ids: Iterable[int | None], actor_ids: Iterable[int]) -> Knowledge:
    """The containment chains of these places and the affiliation chains of these actors, in
    one recursive query, however many candidates are scored with them and however deep."""
    places = sorted({p for p in place_ids if p})
    actors = sorted(set(actor_ids))
    if not places and not actors:
        return NOTHING_KNOWN
    up_place = _walk_up("up_place", Place._meta.db_table, "within_id", _marks(places))
    up_actor = _walk_up("up_actor", Actor._meta.db_table, "affiliation_id", _marks(actors))
    sql = f"WITH RECURSIVE {up_place}, {up_actor} {_CHAINS_SELECT}"
    return _read_chains(sql, [*places, _CHAIN_DEPTH, *actors, _CHAIN_DEPTH])[1]


def participants_and_chains(
    event_ids: list[int], place_ids: Iterable[int | None], actor_ids: Iterable[int]
) -> tuple[dict[int, set[int]], Knowledge]:
    """The events' participants, and the chains of these places and of those participants
    and these actors: one query (the chains ride on the participants' round trip, so
    matching costs no more queries than it did without them)."""
    places = sorted({p for p in place_ids if p})
    actors = sorted(set(actor_ids))
    part = EventParticipant._meta.db_table
    up_place = _walk_up("up_place", Place._meta.db_table, "within_id", _marks(places))
    actor_table = Actor._meta.db_table
    # The participants' actors and the proposal's own.
    anchor = f"SELECT actor_id FROM part UNION SELECT id FROM {actor_table} WHERE id IN ({_marks(actors)})"  # noqa: S608
    up_actor = _walk_up("up_actor", Actor._meta.db_table, "affiliation_id", anchor)
    sql = f"""
        WITH RECURSIVE part AS (
            SELECT event_id, actor_id FROM {part} WHERE event_id IN ({_marks(event_ids)})
        ), {up_place}, {up_actor}
        SELECT 'participant', event_id, actor_id, 0 FROM part
        UNION ALL {_CHAINS_SELECT}
    """  # noqa: S608 (table names and placeholders only)
    params = [*event_ids, *places, _CHAIN_DEPTH, *actors, _CHAIN_DEPTH]
    return _read_chains(sql, params)


@dataclass(frozen=True)
class Match:
    event_id: int
    score: float
    summary: str = ""
    parts: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Decision:
    """``cite`` the one confident match, mark a ``possible_duplicate``, or a ``new`` event."""

    action: str
    target: Match | None = None
    matches: tuple[Match, ...] = ()


def kinds_compatible(a: str, b: str) -> bool:
    return a == b or b in _COMPATIBLE.get(a, set())


def compatible_kinds(kind: str) -> list[str]:
    return sorted({kind, *_COMPATIBLE.get(kind, set())})


def slack(precision: str) -> int | None:
    """Days a date of this precision may be off; None when it gives no date at all."""
    return _SLACK_DAYS.get(precision)


def dates_agree(a: Happening, b: Happening) -> bool | None:
    """Whether both dates may be the same day (None: one of them is unknown)."""
    if a.date is None or b.date is None:
        return None
    sa, sb = slack(a.date_precision), slack(b.date_precision)
    if sa is None or sb is None:
        return None
    return abs((a.date - b.date).days) <= max(sa, sb)


def _jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def place_agreement(a: Happening, b: Happening, known: Knowledge = NOTHING_KNOWN) -> float | None:
    """How far two named places agree: 1.0 the same place, ``MATCH_PLACE_WITHIN_CREDIT`` per
    level where one lies within the other (Stormont in Belfast 0.5, Stormont in Britain
    0.125), 0.0 two places neither of which contains the other; None when one is unnamed."""
    if not a.place_id or not b.place_id:
        return None
    for inner, outer in ((a.place_id, b.place_id), (b.place_id, a.place_id)):
        line = known.line(inner)
        if outer in line:
            return settings.MATCH_PLACE_WITHIN_CREDIT ** line.index(outer)
    return 0.0


def actor_overlap(a: Happening, b: Happening, known: Knowledge = NOTHING_KNOWN) -> float:
    """The share of the shorter list of parties that the other report names too, where a
    person also stands for the state or organisation they act for (Putin for Russia, a
    pilot's union for the pilots). Without affiliations this is |A & B| / min(|A|, |B|)."""
    if not a.actor_ids or not b.actor_ids:
        return 0.5
    reach_a = {actor: known.reach_of(actor) for actor in a.actor_ids}
    reach_b = {actor: known.reach_of(actor) for actor in b.actor_ids}
    all_a = frozenset[int]().union(*reach_a.values())
    all_b = frozenset[int]().union(*reach_b.values())
    named_a = sum(1 for reach in reach_a.values() if reach & all_b)
    named_b = sum(1 for reach in reach_b.values() if reach & all_a)
    return max(named_a / len(reach_a), named_b / len(reach_b))


def score(a: Happening, b: Happening, known: Knowledge = NOTHING_KNOWN) -> Match | None:
    """How likely ``a`` and ``b`` are the same happening, 0..1; None when they cannot be.

    Hard gates: an incompatible kind, dates further apart than their precisions allow, two
    different known places neither of which lies within the other (``known``: the place and
    actor tables' chains, from ``known_about``). Then a weighted sum (weights are settings):
    summary similarity (Jaccard overlap of ``summary_tokens``: stemmed, each synonym group
    one word, so "walked out" and "strike" or "deal" and "accord" count as shared), actor
    overlap (through affiliations), place, same day. An unknown actor list is half credit; a
    place one report does not name is left out of the mean: a report that does not say where
    is not evidence of another place.
    """
    if not kinds_compatible(a.kind, b.kind):
        return None
    agree = dates_agree(a, b)
    if agree is False:
        return None
    place = place_agreement(a, b, known)
    if place == 0.0:
        return None
    weights = settings.MATCH_WEIGHTS
    text = _jaccard(a.tokens, b.tokens)
    # Overlap coefficient, not Jaccard: one outlet names three parties, another names one.
    actors = actor_overlap(a, b, known)
    # An undated report of a dated event is weak evidence; a day apart is within precision.
    when = 0.25 if agree is None else (1.0 if a.date == b.date else 0.6)
    parts = {"summary": text, "actors": actors, "date": when}
    total = sum(weights[name] * value for name, value in parts.items())
    weight = sum(weights[name] for name in parts)
    # A place is evidence only when both reports name one (the gate above dropped two
    # unrelated ones). When one does not say where, the place part is left out of the
    # weighted mean rather than half-credited: silence is neither agreement nor conflict. A
    # venue and its city agree, but more weakly than one venue: the place counts as agreeing
    # with its weight scaled by the credit, so a score with it lies between the score
    # without a place (silence) and the score with the same venue, never below silence.
    if place is not None:
        parts["place"] = place
        total += weights["place"] * place
        weight += weights["place"] * place
    return Match(event_id=0, score=round(total / weight, 4), parts=parts)


def _window(h: Happening) -> Q:
    if h.date is None or slack(h.date_precision) is None:
        return Q(date__isnull=True) | ~Q(date_precision__in=list(_SLACK_DAYS))
    near = dt.timedelta(days=slack(h.date_precision) or 1)
    # A stored week- or month-precise event may be this day too: a month either side, for
    # those precisions only (year-precise events are not the happening of one report).
    month = dt.timedelta(days=_SLACK_DAYS["month"])
    return Q(date__gte=h.date - near, date__lte=h.date + near) | Q(
        date__gte=h.date - month,
        date__lte=h.date + month,
        date_precision__in=["week", "month", "approximate"],
    )


def candidate_events(
    h: Happening, negotiation_id: int, *, exclude_article_id: int | None = None
) -> list[Event]:
    """The few stored events that could be ``h``: same negotiation, published or candidate, a
    compatible kind, inside the date window. One query, capped."""
    events = Event.objects.filter(
        negotiation_id=negotiation_id,
        kind__in=compatible_kinds(h.kind),
        status__in=_LIVE,
    ).filter(_window(h))
    if exclude_article_id is not None:
        # Not the article's own proposals: two sentences of one report are its own business.
        events = events.exclude(source_article_id=exclude_article_id)
    return list(
        events.only("id", "kind", "date", "date_precision", "place_id", "summary").order_by("-id")[
            : settings.MATCH_MAX_CANDIDATES
        ]
    )


def happening_of(event: Event, actor_ids: Iterable[int]) -> Happening:
    return Happening.of(
        kind=event.kind,
        date=event.date,
        date_precision=event.date_precision,
        place_id=event.place_id,
        actor_ids=actor_ids,
        summary=event.summary,
    )


def find_matches(
    h: Happening, negotiation_id: int, *, exclude_article_id: int | None = None
) -> list[Match]:
    """The stored events scoring at least the grey band's floor, best first. Two queries:
    the candidates, then their participants with the places' and the actors' chains."""
    events = candidate_events(h, negotiation_id, exclude_article_id=exclude_article_id)
    if not events:
        return []
    actors, known = participants_and_chains(
        [e.pk for e in events], [h.place_id, *(e.place_id for e in events)], h.actor_ids
    )
    found = []
    for event in events:
        scored = score(h, happening_of(event, actors.get(event.pk, ())), known)
        if scored is not None and scored.score >= settings.MATCH_GREY_SCORE:
            found.append(
                Match(
                    event_id=event.pk,
                    score=scored.score,
                    summary=event.summary,
                    parts=scored.parts,
                )
            )
    return sorted(found, key=lambda m: (-m.score, m.event_id))


def decide(matches: list[Match]) -> Decision:
    """One match at or above ``MATCH_CITE_SCORE``, ahead of the next by ``MATCH_MARGIN``:
    cite it. Two confident matches, or only grey ones, or a runner-up too close: a new
    candidate marked as a possible duplicate of those. Nothing: a new event."""
    if not matches:
        return Decision("new")
    confident = [m for m in matches if m.score >= settings.MATCH_CITE_SCORE]
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    if len(confident) == 1 and confident[0].score - runner_up >= settings.MATCH_MARGIN:
        return Decision("cite", target=confident[0], matches=tuple(matches))
    return Decision("possible_duplicate", matches=tuple(matches[:5]))


def same_happening(a: Happening, b: Happening, known: Knowledge = NOTHING_KNOWN) -> bool:
    """The matcher's yes/no on one pair (the labelled set's measure): a confident score."""
    scored = score(a, b, known)
    return scored is not None and scored.score >= settings.MATCH_CITE_SCORE
