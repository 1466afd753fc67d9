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
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from timeline.extraction.dates import WEEKDAYS
from timeline.models import Event, EventKind, EventParticipant, ReviewStatus

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


def score(a: Happening, b: Happening) -> Match | None:
    """How likely ``a`` and ``b`` are the same happening, 0..1; None when they cannot be.

    Hard gates: an incompatible kind, dates further apart than their precisions allow, two
    different known places. Then a weighted sum (weights are settings): summary similarity
    (Jaccard overlap of ``summary_tokens``: stemmed, each synonym group one word, so "walked
    out" and "strike" or "deal" and "accord" count as shared), actor overlap, same place,
    same day. An unknown actor list is half credit; a place one report does not name is left
    out of the mean: a report that does not say where is not evidence of another place.
    """
    if not kinds_compatible(a.kind, b.kind):
        return None
    agree = dates_agree(a, b)
    if agree is False:
        return None
    if a.place_id and b.place_id and a.place_id != b.place_id:
        return None
    weights = settings.MATCH_WEIGHTS
    text = _jaccard(a.tokens, b.tokens)
    # Overlap coefficient, not Jaccard: one outlet names three parties, another names one.
    if a.actor_ids and b.actor_ids:
        actors = len(a.actor_ids & b.actor_ids) / min(len(a.actor_ids), len(b.actor_ids))
    else:
        actors = 0.5
    # An undated report of a dated event is weak evidence; a day apart is within precision.
    when = 0.25 if agree is None else (1.0 if a.date == b.date else 0.6)
    parts = {"summary": text, "actors": actors, "date": when}
    # A place is evidence only when both reports name one (the gate above dropped two
    # different ones). When one does not say where, the place part is left out of the
    # weighted mean rather than half-credited: silence is neither agreement nor conflict.
    if a.place_id and b.place_id:
        parts["place"] = 1.0
    total = sum(weights[name] * value for name, value in parts.items())
    total /= sum(weights[name] for name in parts)
    return Match(event_id=0, score=round(total, 4), parts=parts)


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
    """The stored events scoring at least the grey band's floor, best first. Two queries."""
    events = candidate_events(h, negotiation_id, exclude_article_id=exclude_article_id)
    if not events:
        return []
    actors: dict[int, set[int]] = {}
    for event_id, actor_id in EventParticipant.objects.filter(
        event_id__in=[e.pk for e in events]
    ).values_list("event_id", "actor_id"):
        actors.setdefault(event_id, set()).add(actor_id)
    found = []
    for event in events:
        scored = score(h, happening_of(event, actors.get(event.pk, ())))
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


def same_happening(a: Happening, b: Happening) -> bool:
    """The matcher's yes/no on one pair (the labelled set's measure): a confident score."""
    scored = score(a, b)
    return scored is not None and scored.score >= settings.MATCH_CITE_SCORE
