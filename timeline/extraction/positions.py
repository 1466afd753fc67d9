"""Positions and demands: which party wants what ("Hamas demanding that it be permanent").

A stance is the complement of a verb of wanting, demanding, refusing or insisting; the party is
the side of the clause's subject (a person's affiliation, a state, an organisation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Kind values mirror timeline.models.choices.PositionKind.
DEMAND = "demand"
OFFER = "offer"
RED_LINE = "red_line"
CONCESSION = "concession"
STANCE = "stance"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        DEMAND,
        re.compile(
            r"\b(?:demand(?:s|ed|ing)?|insist(?:s|ed|ing)?(?:\s+on)?|call(?:s|ed)\s+for|"
            r"wants?|wanted|seek(?:s|ing)?|seeking|needs?|needed|urg(?:es|ed)|"
            r"press(?:es|ed|ing)\s+\w+\s+to|pressuring\s+\w+\s+to|must|"
            r"conditions?\s+(?:include|are)|preconditions?)\b(?:\s+that)?",
            re.I,
        ),
    ),
    (
        RED_LINE,
        re.compile(
            r"\b(?:would\s+not\s+agree\s+to|will\s+not\s+agree\s+to|refus(?:es|ed)\s+to|"
            r"pledged\s+(?:again\s+)?(?:that|to)|vow(?:ed|s)\s+(?:that|to)|threatened\s+to|"
            r"rejects?|rejected|ruled\s+out|red\s+line|cannot\s+and\s+will\s+not|"
            r"(?:will|would|cannot|can't|won't)\s+not\s+(?:\w+\s+)?(?:agree|accept|allow|"
            r"compromise|sign|negotiate|back\s+down|tolerate|withdraw|recogni[sz]e|give\s+up)|"
            r"not\s+on\s+the\s+table|opposes?|opposed)\b",
            re.I,
        ),
    ),
    (
        OFFER,
        re.compile(
            r"\b(?:offer(?:s|ed)?\s+to|would\s+agree\s+to|ready\s+to|willing\s+to|"
            r"proposed|propose[sd]?|openness\s+to|open\s+to|readiness\s+(?:for|to)|willingness\s+to)\b",
            re.I,
        ),
    ),
    (CONCESSION, re.compile(r"\b(?:backed\s+down\s+from|conceded|agreed\s+to)\b", re.I)),
    (
        STANCE,
        re.compile(
            r"\b(?:hopes?\s+to|is\s+hoping\s+to|believes|supports?|backs|"
            r"(?:would|will)\s+(?:continue|keep\s+up)|is\s+not\s+looking\s+to|"
            r"not\s+against|up\s+to|was\s+hoping\s+to)\b",
            re.I,
        ),
    ),
]
_CUT = re.compile(
    r"[.;!?]|,\s+(?:but|and\s+the|while|as|which|who|according|he|she|they|said)\b|\s+-\s+|"
    r",\s+and\s+(?=[A-Z])"
)


@dataclass
class Position:
    party: str
    issue: str
    stance: str
    kind: str
    start: int
    end: int  # the sentence
    trigger_start: int


NOUN_BEFORE = re.compile(
    r"\b(?:its|their|the|his|her|our|of|these|those|such|new|key|main|long-standing|"
    r"any|some|all)\s+$",
    re.I,
)


def stance_after(text: str, position: int, limit: int) -> str:
    """The words after a trigger up to the end of the clause, at most ~20 words."""
    chunk = text[position:limit]
    cut = _CUT.search(chunk)
    if cut:
        chunk = chunk[: cut.start()]
    words = chunk.replace("“", "").replace("”", "").replace('"', "").split()
    return " ".join(words[:20]).strip(" ,")


ISSUE_WORDS = [
    ("ceasefire", ("ceasefire", "truce", "cessation", "hostilities")),
    ("withdrawal", ("withdrawal", "withdraw", "pull out", "troops")),
    ("hostages and prisoners", ("hostage", "prisoner", "detainee", "captive")),
    ("guarantees", ("guarantee",)),
    ("sanctions", ("sanction",)),
    ("territory", ("territory", "border", "land", "annex")),
    ("tariffs and trade", ("tariff", "trade", "export", "import", "deficit")),
    ("wages and contract", ("wage", "salary", "pay", "contract", "hire", "hires", "pension")),
    ("elections", ("election", "referendum", "vote", "recall")),
    ("security", ("security", "weapons", "disarm", "missile", "nuclear")),
    ("humanitarian aid", ("aid", "humanitarian", "assistance")),
    ("governance", ("govern", "constitution", "transition", "presidency", "power")),
    ("talks", ("talks", "negotiation", "dialogue", "summit", "meeting", "agenda")),
]


def issue_for(stance: str, sentence: str) -> str:
    lowered = (stance + " " + sentence).lower()
    for label, words in ISSUE_WORDS:
        if any(w in lowered for w in words):
            return label
    return "general"
