# ruff: noqa: RUF001 - typographic quotation marks are what this module reads.
"""Events of the kinds in ``timeline.models.choices.EventKind``, one or two per sentence.

Each sentence is matched against trigger patterns per kind; the tense of the clause separates
what happened from what is planned ("will meet" is scheduled, "met" a meeting; "would invade"
a threat, "fired rockets" a military action). The date is the date expression of the sentence
nearest the trigger; participants are the people and sides the sentence mentions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from .cues import COURTESY_VERBS, EVENT_TRIGGERS, SITTING_CLOSED, UNREALISED
from .dates import DateMention

# Kind values mirror timeline.models.choices.EventKind (extraction never imports Django).
MEETING = "meeting"
DELEGATION_ARRIVAL = "delegation_arrival"
DELEGATION_DEPARTURE = "delegation_departure"
PROPOSAL = "proposal"
RESPONSE = "response"
AGREEMENT = "agreement"
BREAKDOWN = "breakdown"
STATEMENT = "statement"
DEMAND = "demand"
CONCESSION = "concession"
THREAT = "threat"
MILITARY_ACTION = "military_action"
SCHEDULED = "scheduled"


# (kind, pattern) in priority order: the first kinds win when a sentence matches several. The
# rows live in cues.EVENT_TRIGGERS.
TRIGGERS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(r"\b(?:" + "|".join(rows) + ")" + tail, re.I if ignore_case else 0))
    for kind, rows, tail, ignore_case in EVENT_TRIGGERS
]
# "efforts to resume talks", "hopes to reach a deal": an infinitive after these is an aim.
AIM_BEFORE = re.compile(rf"\b(?:{'|'.join(UNREALISED)})\s+(?:to\s+)?$", re.I)
# A modal right before the trigger: "would secure the release", "could meet".
HEDGED = re.compile(r"\b(?:would|could|might|may|should)\s+(?:\w+\s+){0,2}$", re.I)
# "came together to reach a deal", "managed to sign": the infinitive happened.
DONE_TO = re.compile(r"\b(?:together|managed|went\s+on|moved|voted)\s+to\s+$", re.I)
PAST_PLAN = re.compile(
    r"\b(?:before|until|as|when)\s+(?:\w+\s+){0,3}(?:was|were)\s+to\b[^,;]*$", re.I
)
# Verbs that stop or forbid what follows: "halts attacks on", "an end to the shelling of".
HALTED = re.compile(
    r"\b(?:halt|stop|end|cease|suspend|refrain\s+from|an\s+end\s+to|a\s+halt\s+to|"
    r"a\s+stop\s+to)(?:s|ed|ing)?\s+(?:(?:the|all|its|their|any|further)\s+)?$",
    re.I,
)
# A plain negation before a breakdown word; "unable to break the deadlock" keeps it.
NOT_BEFORE = re.compile(r"\b(?:not|never|n't)\b[^.,;]{0,25}$", re.I)
# An attempt that failed, however long the infinitive chain after it.
NOT_ABLE = re.compile(
    r"\b(?:(?:never|not)\s+(?:been\s+)?able|unable|failed)\s+to\b[^.,;]{0,60}$", re.I
)
# A readout's verbs of emphasis; what "must" happen after them is a stance it records.
EMPHASIS = re.compile(
    r"\b(?:emphasi[sz]ed|stressed|underscored|underlined|reiterated|reaffirmed|noted)\s+"
    r"(?:that\s+)?[^.;]{0,80}$",
    re.I,
)
SAT = re.compile(rf"\s(?:{'|'.join(SITTING_CLOSED)})$", re.I)
NEGATED = re.compile(r"\b(?:never|not|no|without|denied|refused|unable)\b[^.,;]{0,25}$", re.I)


# "met for the first time since the countries signed the pact on February 4": a date after
# "since" dates the earlier event it names, not the trigger before it.
SINCE = re.compile(r"\bsince\b")
# "reached a deal ... for the talks ending Sunday": the date is when the talks end.
SPAN_OF_TALKS = re.compile(
    r"\b(?:talks|conference|summit|meeting|negotiations|round)\s+(?:ending|closing|starting|"
    r"beginning|opening|due\s+to\s+end)\s+(?:on\s+)?$"
)


def _nearest_date(
    dates: list[DateMention], position: int, sentence_start: int = -1, text: str = ""
) -> DateMention | None:
    """The date expression closest to the trigger, if it is close enough to be its own.

    A date that opens the sentence ("Tonight the union and the alliance came together to reach
    a deal") dates its first clause however long the subject is.
    """
    near = [
        d
        for d in dates
        if min(abs(d.start - position), abs(d.end - position)) < 100
        and not (d.start > position and SINCE.search(text, position, d.start))
        and not (d.start > position and SPAN_OF_TALKS.search(text, position, d.start))
    ]
    if not near:
        opening = [d for d in dates if d.start - sentence_start <= 3 and d.start < position]
        if not opening or sentence_start < 0 or text[opening[0].end : opening[0].end + 1] == ":":
            return None  # "October 22, 2019: ..." heads a timeline entry, not a clause
        return opening[0]
    return min(near, key=lambda d: abs(d.start - position))


TRAVELLERS = re.compile(
    r"\b(?:delegations?|team|negotiators?|envoys?|ministers?|president|officials?|mediators?|"
    r"secretary|leaders?|chief|head|representatives?)\b",
    re.I,
)
# Movers that are no delegation: "Russian warplanes flew home", "troops arrived in the town".
MACHINES = re.compile(
    r"\b(?:warplanes|jets|aircraft|planes|bombers|helicopters|drones|troops|soldiers|forces|"
    r"warships|ships|vessels|tankers|convoys?|tanks)\b(?:\s+\w+){0,2}\s+$",
    re.I,
)
WEAK = frozenset({DEMAND, PROPOSAL, RESPONSE, CONCESSION})
NEGOTIATING = re.compile(
    r"\b(?:talks|negotiat\w+|dialogue|process|round|deal|agreement|accord|ceasefire|truce|"
    r"strike|walk\w*|contract|mediat\w+|summit|meeting|relations|union|delegation)\b",
    re.I,
)


REFERABLE = frozenset({MEETING, PROPOSAL, DEMAND, RESPONSE, CONCESSION})
_NOUN_TRIGGER = re.compile(
    r"(?:meetings?|talks|session|dialogue|round|proposals?|offers?|demands?|response|"
    r"concession|discussions|counter-?proposal)\b",
    re.I,
)
# "skeptical of talks with", "during the meeting", "a response to its latest proposal",
# "moved away from the demand": the report names the thing, no event happens in the clause.
_AFTER_PREPOSITION = re.compile(
    r"\b(?:of|about|over|for|during|from|to|under|into|amid|on|despite|after|before|such)\s+"
    r"(?:(?:the|a|an|its|their|his|her|this|that|these|those|any|latest|new|final|further|"
    r"recent|previous|earlier|first|second|next|last|such|[\w.]+'s|[\w.]+’s)\s+){0,3}$"
    # "discussed the offer", "was studying the latest Israeli offer": weighed, not made.
    r"|\b(?:discuss\w*|stud(?:y|ied|ying|ies)|consider\w*|review\w*|weigh\w*|examin\w*)\s+"
    r"(?:(?:the|a|an|its|their|this|that|latest|new|final|revised|[\w.]+'s|[\w.]+’s)\s+)"
    r"(?:[\w-]+\s+){0,2}$",
    re.I,
)
# "the proposed withdrawal maps", "his proposed timetable": an adjective, not a proposal.
# A breakdown word used as an adjective of the talks: "the deadlocked peace talks".
TALKS_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:talks|negotiations|process|dialogue)\b", re.I)
_ADJECTIVAL = re.compile(r"\b(?:the|a|an|its|their|his|her|any|this|that)\s+$", re.I)


DENIED_REPORT = re.compile(
    r"\b(?:reject\w*|den(?:y|ied|ies)|dismiss\w*|played\s+down|downplay\w*)\s+"
    r"(?:the\s+)?(?:idea|reports?|claims?|suggestions?|notion)?\s*(?:that\b.*)?$",
    re.I,
)
DENIAL_OBJECT = re.compile(
    r"\s+(?:the\s+|any\s+)?(?:idea|claims?|reports?|suggestions?|allegations?|accusations?|"
    r"notion)\b",
    re.I,
)
# "Washington had insisted that Teheran stop ... as a precondition": the whole clause is the
# background the pluperfect set.
HAD_STANCE = re.compile(
    r"\bhad\s+(?:\w+ly\s+)?(?:insisted|demanded|offered|proposed|called|sought|wanted|"
    r"rejected|refused|conceded|accepted)\b[^;]*$",
    re.I,
)
PLUPERFECT = re.compile(r"\bhad\s+(?:\w+ly\s+)?$", re.I)
COURTESY_AFTER = re.compile(rf"\s*(?:to\s+)?(?:{'|'.join(COURTESY_VERBS)})\b", re.I)
OPINION_POLL = re.compile(r"\b(?:polls?|surveys?)\b[^.]{0,60}\b(?:show|found|find|suggest)", re.I)
# What a negotiating reply answers; "in response to the attack" and "responded with air
# strikes" are not replies at the table.
_ANSWERABLE = re.compile(
    r"^\W*(?:\w+\W+){0,5}?(?:proposals?|offers?|plans?|demands?|requests?|deal|terms|draft|"
    r"letter|conditions|framework|counter\w*|ultimatum|invitation|call)\b",
    re.I,
)


def _negotiating_response(word: str, left: str, right: str) -> bool:
    low = word.lower()
    if re.search(
        r"\b(?:request\w*|await\w*|waiting\s+for|asked\s+for|expects?|wants?)\s+"
        r"(?:\w+\s+){0,2}$",
        left,
        re.I,
    ):
        return False  # a response asked for has not been given
    if low.startswith("response to") or low.startswith("respond"):
        if re.match(r"\s+with\b", right) and not _ANSWERABLE.match(right):
            return False
        if low.startswith("response to"):
            return bool(_ANSWERABLE.match(right))
    return True


def _referred_to(word: str, left: str) -> bool:
    if word.lower() == "proposed" and _ADJECTIVAL.search(left):
        return True
    noun = _NOUN_TRIGGER.fullmatch(word) or re.fullmatch(r"talks\s+(?:with|between)", word, re.I)
    return bool(noun) and bool(_AFTER_PREPOSITION.search(left))


def classify_sentence(
    text: str,
    start: int,
    end: int,
    dates: list[DateMention],
    masked: Sequence[tuple[int, int]] = (),
    has_person: bool = False,
    max_events: int = 2,
) -> list[tuple[str, int, DateMention | None]]:
    """(kind, trigger offset, date) for the strongest triggers of one sentence.

    Quoted words are not searched: an event is what the report narrates, and a speaker's
    "meeting" or "attacks" inside quotation marks would otherwise double every quote.
    """
    found: list[tuple[str, int, DateMention | None]] = []
    kinds: set[str] = set()
    held: set[int] = set()  # meetings narrated as having sat
    sentence = text[start:end]
    for kind, pattern in TRIGGERS:
        for match in pattern.finditer(sentence):
            position = start + match.start()
            # Short quoted phrases are the report's own wording ('its "final offer"').
            if any(a <= position < b and b - a > 40 for a, b in masked):
                continue
            left = sentence[: match.start()]
            if kind not in (THREAT, BREAKDOWN) and NEGATED.search(left):
                continue
            if kind == BREAKDOWN and NOT_BEFORE.search(left):
                continue  # "not involved in the walkout", "talks have not collapsed"
            if kind in (MEETING, DELEGATION_ARRIVAL) and NOT_ABLE.search(left):
                continue  # "was never able to reach Cairo to attend the final round of talks"
            if left.endswith("-"):
                continue  # "a US-proposed deal", "Hamas-led attacks": a description
            if kind in (SCHEDULED, AGREEMENT) and AIM_BEFORE.search(left):
                continue  # "efforts to resume talks", "needed to conclude an agreement"
            if kind in (AGREEMENT, CONCESSION, MEETING) and HEDGED.search(left):
                continue  # "a ceasefire that would secure the release of hostages": not done
            if kind == AGREEMENT and re.search(r"\bto\s+$", left) and not DONE_TO.search(left):
                continue  # "processes to approve the agreement": an aim, not a signature
            if kind == SCHEDULED and PAST_PLAN.search(left + match.group(0)):
                continue  # "just hours before the negotiations were to begin": a past plan
            if kind in REFERABLE and _referred_to(match.group(0), left):
                continue
            right = sentence[match.end() :]
            if kind in (BREAKDOWN, RESPONSE) and (
                DENIED_REPORT.search(left + match.group(0))
                or (
                    re.match(r"(?:reject|den)", match.group(0), re.I) and DENIAL_OBJECT.match(right)
                )
            ):
                continue  # "rejected the idea that the talks had reached a dead end"
            if kind == RESPONSE and not _negotiating_response(match.group(0), left, right):
                continue
            if kind == RESPONSE and re.search(r"\b(?:sides|parties)\s+(?:\w+\s+)?$", left):
                continue  # "the two sides agreed to ...": their agreement, no one's reply
            if kind == BREAKDOWN and _ADJECTIVAL.search(left) and TALKS_AFTER.match(right):
                continue  # "to rescue the deadlocked peace talks": their state, no new breakdown
            if kind == THREAT and re.match(r"\s+by\b", right):
                continue  # "a ceasefire already threatened by disagreements": no one threatens
            if kind == MILITARY_ACTION and HALTED.search(left):
                continue  # "unless Israel halts attacks on Lebanon": a demand, not an attack
            if kind == MILITARY_ACTION and re.search(r"\banniversary\s+of\b", left, re.I):
                continue  # a commemoration recalls the attack, it is not a new one
            if kind in WEAK and (PLUPERFECT.search(left) or HAD_STANCE.search(left)):
                continue  # "Washington had insisted that ...": background to the talks
            if (
                kind == DEMAND
                and EMPHASIS.search(left)
                and re.match(r"(?:must|should)", match.group(0))
            ):
                continue  # a readout's "emphasized that ... must": a stance, not a new demand
            if kind == DEMAND and COURTESY_AFTER.match(right):
                continue  # "I want to applaud all involved": courtesy, no demand
            if kind in (DEMAND, CONCESSION) and OPINION_POLL.search(sentence):
                continue  # "polls show 70% of Israelis want": public opinion, not a party
            date = _nearest_date(dates, position, start, text)
            if kind == MILITARY_ACTION and date is None:
                continue  # background violence without a date is context, not an event
            if kind == BREAKDOWN and not NEGOTIATING.search(sentence):
                continue  # "collapsed buildings" are not collapsed talks
            if kind in (DELEGATION_ARRIVAL, DELEGATION_DEPARTURE) and MACHINES.search(left[-40:]):
                continue  # "warplanes flew home", "the first aircraft touched down": no envoys
            if kind in (DELEGATION_ARRIVAL, DELEGATION_DEPARTURE) and not (
                has_person or TRAVELLERS.search(sentence)
            ):
                continue
            kind_used = kind
            if kind == MEETING and date is not None and date.tense == "future":
                kind_used = SCHEDULED
            if kind_used == SCHEDULED and date is not None and date.future_date is not None:
                date = replace(date, date=date.future_date, tense="future")
            if kind_used in kinds:
                continue
            kinds.add(kind_used)
            if kind_used == MEETING and SAT.search(match.group(0)):
                held.add(position)
            found.append((kind_used, position, date))
            break
        if len(found) >= max_events:
            break
    agreed = [at for kind, at, _ in found if kind == AGREEMENT]
    if agreed and SCHEDULED in kinds:
        # "the sides agreed on a truce and to resume the talks": the resumption is part of
        # what they agreed, not a round of its own.
        found = [f for f in found if not (f[0] == SCHEDULED and f[1] > agreed[0])]
    if SCHEDULED in kinds and MEETING in kinds:
        # "expects the meetings to be held in December": the planned meeting, not a held one;
        # "the talks recessed last week and are to resume in January" narrates a held one too.
        found = [f for f in found if f[0] != MEETING or f[1] in held]
    return found
