# ruff: noqa: RUF001 - typographic quotation marks and dashes are what this module reads.
"""Positions and demands: which party wants what ("Hamas demanding that it be permanent").

A stance is the complement of a verb of wanting, demanding, refusing, offering or insisting
("X insists on", "X has refused to", "X will not accept", "X offered to"), or of a noun a party
owns ("X's insistence that", "its condition that", "under the X proposal"). The party is the
side of the clause's subject (a person's affiliation, a state, an organisation).
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

_OBJ = r"(?:[\w.’'-]+\s+){1,3}?"  # "called on all parties to", "urged the EU to"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        DEMAND,
        re.compile(
            r"\b(?:demand(?:s|ed|ing)?|insist(?:s|ed|ing)?(?:\s+on)?|call(?:s|ed|ing)?\s+for|"
            rf"call(?:s|ed|ing)?\s+on\s+{_OBJ}to|urg(?:es|ed|ing)\s+{_OBJ}to|"
            r"wants?|wanted|seek(?:s|ing)?|seeking|needs?|needed|urg(?:es|ed)|"
            rf"press(?:es|ed|ing)\s+{_OBJ}to|pressur(?:es|ed|ing)\s+{_OBJ}to|must|"
            r"would\s+have\s+to|(?:is|are|was|were)\s+pushing\s+for|"
            r"conditions?\s+(?:include|are)|preconditions?)\b(?:\s+that)?",
            re.I,
        ),
    ),
    (
        RED_LINE,
        re.compile(
            r"\b(?:would\s+not\s+agree\s+to|will\s+not\s+agree\s+to|refus(?:es|ed|ing)\s+to|"
            r"pledged\s+(?:again\s+)?(?:that|to)|vow(?:ed|s)\s+(?:that|to)|threatened\s+to|"
            r"warn(?:s|ed)\s+that|"
            r"rejects?|rejected|ruled\s+out|rules\s+out|red\s+line|cannot\s+and\s+will\s+not|"
            r"(?:will|would|cannot|can't|won't)\s+not\s+(?:\w+\s+)?(?:agree|accept|allow|"
            r"compromise|sign|negotiate|back\s+down|tolerate|withdraw|recogni[sz]e|give\s+up)|"
            r"(?:will|would)\s+never|(?:won't|will\s+not|cannot|can't)\s+(?:accept|allow|agree|"
            r"tolerate|sign|compromise)|not\s+on\s+the\s+table|opposes?|opposed)\b",
            re.I,
        ),
    ),
    (
        OFFER,
        re.compile(
            r"\b(?:offer(?:s|ed|ing)?\s+to|offered|would\s+agree\s+to|ready\s+to|willing\s+to|"
            r"prepared\s+to|stands?\s+ready\s+to|stood\s+ready\s+to|"
            r"proposed|propose[sd]?|openness\s+to|open\s+to|readiness\s+(?:for|to)|willingness\s+to)\b",
            re.I,
        ),
    ),
    (
        CONCESSION,
        re.compile(
            r"\b(?:backed\s+down\s+from|back(?:s|ed)?\s+away\s+from|conceded|agreed\s+to|"
            r"accepted|accepts|softened\s+(?:its|their)\s+(?:stance|position|demands?)\s+on|"
            r"dropped\s+(?:its|their|a|the)\s+demand)\b",
            re.I,
        ),
    ),
    (
        STANCE,
        re.compile(
            r"\b(?:hopes?\s+to|is\s+hoping\s+to|believes|supports|supported|backs|"
            r"(?:would|will)\s+(?:continue|keep\s+up)|(?:is|was|are|were)\s+not\s+looking\s+to|"
            r"not\s+against|(?:is|was|are|were|be|it's)\s+up\s+to(?!\s+\d)|was\s+hoping\s+to|"
            r"(?:would|will)\s+only|"
            r"the\s+only\s+way)\b",
            re.I,
        ),
    ),
]
# Nouns a party owns: "Israel's insistence that", "its condition that", "Moscow's conditions".
POSSESSED = re.compile(
    r"(?P<owner>\b(?:[A-Z][\w.&-]*\s+){0,4}?[A-Z][\w.&-]*(?:'s|’s|s'|s’)|\b(?:[Ii]ts|[Tt]heir)|"
    r"\b[Tt]he\s+(?:network|company|union|management|employer|coalition|opposition|alliance|"
    r"movement|bloc|group)(?:'s|’s))\s+"
    r"(?:(?:key|main|central|core|latest|new|final|firm|own|repeated|long-standing|"
    r"longstanding|chief|principal|original|revised|formal|written|opening|\w+-\w+)\s+){0,2}"
    r"(?P<noun>insistence|demands?|conditions?|preconditions?|offer|proposals?|refusal|"
    r"red\s+lines?|plan|terms|counter-?proposal)\b"
)
# What may follow an owned noun when it states the stance ("its proposal would", "insistence
# on", "conditions for"); anything else names the demands without saying them.
POSSESSED_LINK = re.compile(
    r"\s*(?:that|on|for|is|was|were|are|would|will|could|contains?|includes?|calls?\s+for|"
    r"to\s+[a-z]|:)",
)
# "a possible future peace", "non-negotiable": a party that speaks, not one spoken of.
SPEAKER_ONLY = re.compile(r"^(?:not\s+on\s+the\s+table|red\s+line)", re.I)
NOUN_KIND = {
    "insistence": DEMAND,
    "demand": DEMAND,
    "demands": DEMAND,
    "condition": DEMAND,
    "conditions": DEMAND,
    "precondition": DEMAND,
    "preconditions": DEMAND,
    "offer": OFFER,
    "proposal": OFFER,
    "proposals": OFFER,
    "plan": OFFER,
    "terms": OFFER,
    "counterproposal": OFFER,
    "counter-proposal": OFFER,
    "refusal": RED_LINE,
}
# "..., under the NBC proposal": the clause before states the offer.
UNDER_PROPOSAL = re.compile(
    r",?\s+(?:under|according\s+to)\s+(?:the|a)\s+(?P<owner>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)\s+"
    r"(?P<noun>proposal|offer|plan|terms)\b"
)
# "- a key demand by Kyiv": the clause before is the demand of the party after.
DEMAND_BY = re.compile(
    r"(?:\s+[-–—]\s+|,\s+)(?:a|the|one)\s+(?:(?:key|main|central|core|long-standing|major)\s+)?"
    r"(?:demand|condition|precondition)\s+(?:by|of|from)\s+"
)
# "rejected the idea that ...", "rejected as false": a denial of a claim, not a stance.
DENIAL_OBJECT = re.compile(
    r"^\s*(?:the\s+|any\s+)?(?:idea|claims?|reports?|suggestions?|allegations?|accusations?|"
    r"charges?|notion|assertion|characteri[sz]ation|findings?|criticism)\b|^[^,;]{0,40}?\bas\s+\W*\w+",
    re.I,
)
_CUT = re.compile(
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<![A-Z])\.(?!\w)|[;!?]|\s+while\s+|,\s+(?:but|and\s+the|while|as|which|who|according|he|she|they|said)\b|\s+-\s+|"
    r",\s+and\s+(?=[A-Z])|,\s+and\s+(?:a|an)\s|\s+but\s+(?=[A-Z])|"
    r",\s+(?:[\w.’'-]+\s+){1,5}(?:said|says|told|added)\b"
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
    r"\b(?:its|their|the|his|her|our|of|in|these|those|such|new|key|main|long-standing|"
    r"any|some|all|[\w.]+(?:'s|’s))\s+$",
    re.I,
)


def stance_after(text: str, position: int, limit: int) -> str:
    """The words after a trigger up to the end of the clause, at most ~20 words."""
    chunk = text[position:limit]
    cut = _CUT.search(chunk)
    if cut:
        chunk = chunk[: cut.start()]
    words = chunk.replace("“", "").replace("”", "").replace('"', "").split()
    return " ".join(words[:20]).strip(" ,:")


def stance_before(text: str, start: int, position: int) -> str:
    """The clause that ends at ``position`` (at most ~20 words), for stances named after."""
    chunk = text[start:position]
    cuts = list(re.finditer(r"[.;!?:]\s|,\s+(?:but|while|and|as)\s+|\bsaid\s+(?:that\s+)?", chunk))
    if cuts:
        chunk = chunk[cuts[-1].end() :]
    words = chunk.replace("“", "").replace("”", "").replace('"', "").split()
    return " ".join(words[-20:]).strip(" ,:")


# Issue families by the words that name them; matched as whole words (prefixes allowed where
# the family's words inflect), the stance first and then its sentence.
ISSUE_WORDS: list[tuple[str, str]] = [
    ("ceasefire", r"ceasefires?|cease-fire|truce|cessation|hostilities|armistice|fighting"),
    ("withdrawal", r"withdraw\w*|pull(?:ing)?\s+out|troops|forces|occupation"),
    ("hostages and prisoners", r"hostages?|prisoners?|detainees?|captives?|kidnapped|abducted"),
    ("guarantees", r"guarantee\w*|assurances?|guarantors?|verification|monitor\w*"),
    ("sanctions", r"sanctions?|embargo\w*|blockade|frozen|assets"),
    ("territory and borders", r"territor\w*|borders?|annex\w*|sovereignty|strait|waters"),
    ("tariffs and trade", r"tariffs?|trade|exports?|imports?|deficit|customs|quotas?|market"),
    (
        "wages and benefits",
        r"wages?|salar\w*|pay|raises?|pensions?|benefits|health\s+care|bonus\w*",
    ),
    ("jobs and staffing", r"hire\w*|hiring|jobs?|layoffs?|staff\w*|employees|workers|outsourc\w*"),
    ("working conditions", r"hours|shifts?|overtime|safety|conditions\s+of\s+work|workload"),
    ("contract", r"contracts?|collective\s+agreement|bargaining"),
    ("elections and referendums", r"elections?|referendums?|votes?|ballot|recall"),
    ("weapons and disarmament", r"weapons|disarm\w*|missiles?|nuclear|enrichment|arms"),
    ("humanitarian aid", r"aid|humanitarian|assistance|relief|food|famine"),
    (
        "governance and transition",
        r"govern\w*|constitution\w*|transition|presidency|power-sharing|regime",
    ),
    ("reparations and compensation", r"reparations?|compensation|reconstruction"),
    ("refugees and return", r"refugees?|displaced|right\s+of\s+return"),
    ("recognition and status", r"recogni[sz]\w*|independen\w*|statehood|status"),
    ("fisheries", r"fish\w*"),
    ("timetable", r"deadline|timetable|timeline|by\s+the\s+end\s+of|beyond|extension|extend\w*"),
    ("format of talks", r"talks|negotiations?|dialogue|summit|meetings?|agenda|mediat\w*"),
]
_ISSUES = [(label, re.compile(rf"\b(?:{words})\b", re.I)) for label, words in ISSUE_WORDS]
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "for",
        "and",
        "or",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "his",
        "her",
        "be",
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "should",
        "must",
        "not",
        "no",
        "any",
        "all",
        "more",
        "only",
        "some",
        "such",
        "as",
        "than",
        "also",
        "have",
        "has",
        "had",
        "do",
        "does",
        "did",
        "can",
        "could",
        "may",
        "might",
        "there",
        "which",
        "who",
        "what",
        "whether",
        "if",
        "so",
        "up",
        "out",
        "make",
        "made",
        "take",
        "get",
        "give",
        "us",
        "we",
        "our",
        "they",
        "them",
        "he",
        "she",
        "i",
        "you",
    ]
)


def issue_for(stance: str, sentence: str = "") -> str:
    """A short, general label for what a stance is about."""
    for text in (stance, sentence):
        # The family named first is the head of the stance: "guarantees that Israel will not
        # resume fighting" is about guarantees, not the fighting.
        best: tuple[int, int, str] | None = None
        for order, (label, pattern) in enumerate(_ISSUES):
            found = pattern.search(text)
            if found and (best is None or (found.start(), order) < best[:2]):
                best = (found.start(), order, label)
        if best is not None:
            return best[2]
    # No family fits: the stance's first content words name it ("release frozen assets").
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", stance) if w.lower() not in _STOP]
    return " ".join(words[:3]).lower() or "general"
