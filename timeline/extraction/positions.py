# ruff: noqa: RUF001 - typographic quotation marks and dashes are what this module reads.
"""Positions and demands: which party wants what ("Hamas demanding that it be permanent").

A stance is the complement of a verb of wanting, demanding, refusing, offering or insisting
("X insists on", "X has refused to", "X will not accept", "X offered to"), or of a noun a party
owns ("X's insistence that", "its condition that", "under the X proposal"). The party is the
side of the clause's subject (a person's affiliation, a state, an organisation).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .cues import COURTESY_VERBS, OBLIGATION_MODALS, POSITION_CUES
from .dates import DAY, DateMention
from .mentions import PREPOSITIONS, SPEECH, clause_subject
from .people import Mention
from .quotes import Quote
from .text import Sentence

# Kind values mirror timeline.models.choices.PositionKind.
DEMAND = "demand"
OFFER = "offer"
RED_LINE = "red_line"
CONCESSION = "concession"
STANCE = "stance"

# Verbs and constructions whose complement is a stance; the rows live in cues.POSITION_CUES.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(r"\b(?:" + "|".join(rows) + ")" + tail, re.I))
    for kind, rows, tail in POSITION_CUES
]
REPORTED_MODAL = re.compile(rf"(?:{'|'.join(OBLIGATION_MODALS)})(?:\s+that)?", re.I)

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
SPEAKER_ONLY = re.compile(r"^(?:not\s+on\s+the\s+table|red\s+line|non-negotiable)", re.I)
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


@dataclass(frozen=True)
class SentenceContext:
    """One sentence and what the position rules read around it, passed as one value."""

    text: str  # the article's analysis text (offsets are into it)
    sentence: Sentence
    mentions: list[Mention]  # people, titles, pronouns and bodies the sentence mentions
    masked: list[tuple[int, int]]  # quoted passages: triggers inside them are not narration
    dates: list[DateMention]  # date expressions of the sentence
    published: dt.date | None
    people_mentions: list[Mention]  # every person mention of the article, for pronouns
    fact_box: bool = False  # a bullet of a fact box: "• Israel says Jerusalem is its capital"


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


def _position_subject(ctx: SentenceContext, at: int) -> str:
    """The side whose stance a trigger states: the nearest mention before it in its clause."""
    text, sentence, mentions = ctx.text, ctx.sentence, ctx.mentions
    people_mentions = ctx.people_mentions
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
        side = _speaker_side(ctx, at)
        if side:
            return side
    non_agent = NON_AGENT.search(text[max(clause_start, at - 40) : at])
    if non_agent and non_agent.group(0)[0].islower():
        return ""  # "the talks would continue"; not "the High Negotiations Committee demanded"
    for mention in reversed([m for m in mentions if clause_start <= m.start and m.end <= at]):
        if mention.possessive:
            continue
        if re.search(r",\s+(?:which|that|whose)\b", text[mention.end : at]):
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
            earlier = [m.person for m in people_mentions if m.end <= mention.start and m.person]
            ends = [m.end for m in people_mentions if m.end <= mention.start and m.person]
            if earlier and mention.start - ends[-1] < 400:
                return earlier[-1].affiliation
            continue
        if mention.person is not None and (
            mention.person.affiliation or not TITLE_WORD.fullmatch(mention.text)
        ):
            return mention.person.affiliation
        if mention.side:
            return mention.side
        if mention.kind == "title" or mention.person is not None:
            side = _title_holder_side(text, mention, people_mentions)
            if side:
                return side
    if any(clause_start <= m.start and m.end <= at for m in mentions):
        # The clause names only settings, objects or possessors ("talks in Istanbul must be
        # prepared"): reported words are the speaker's stance; otherwise there is no party.
        if clause_start > sentence.start:
            return _speaker_side(ctx, at)
        return ""
    subject = clause_subject(_outside_relatives(text, sentence, mentions), at, sentence.start, text)
    if subject is not None and not _is_setting(text, sentence, subject):
        return subject.person.affiliation if subject.person is not None else subject.side
    return ""


# "The Secretary stressed ...": a title standing for the person who holds it.
TITLE_WORD = re.compile(
    r"(?:[Tt]he\s+)?(?:Secretary|President|Minister|Ambassador|Envoy|Chancellor|Premier|"
    r"Prime\s+Minister|Foreign\s+Minister|Representative|Negotiator)",
)


def _title_holder_side(text: str, mention: Mention, people_mentions: list[Mention]) -> str:
    """ "The Secretary stressed ...": the side of the last person named before with that title."""
    words = [w for w in mention.text.lower().split() if w != "the"]
    title = words[-1] if words else ""
    if not title:
        return ""
    for earlier in reversed(people_mentions):
        person = earlier.person
        if earlier.start >= mention.start or person is None or not person.affiliation:
            continue
        # The words before the first mention carry the title too: "Secretary of State Blinken".
        before = text[max(0, person.first_start - 40) : person.first_start]
        role = " ".join([person.role, *person.aliases, before]).lower()
        if re.search(rf"\b{re.escape(title)}\b", role) and not re.search(
            rf"\b(?:vice|deputy|former|acting|under)[ -]{re.escape(title)}", role
        ):
            return person.affiliation
    return ""


def _is_setting(text: str, sentence: Sentence, mention: Mention) -> bool:
    before = text[max(sentence.start, mention.start - 12) : mention.start].lower().split()
    return bool(before) and before[-1].strip("(") in _SETTING


_RELATIVE = re.compile(r",\s+(?:which|who|whose|whom)\b[^,]*,")


def _outside_relatives(text: str, sentence: Sentence, mentions: list[Mention]) -> list[Mention]:
    """Mentions not inside ", which was due to meet de Mistura," (never the clause's subject)."""
    spans = [m.span() for m in _RELATIVE.finditer(text, sentence.start, sentence.end)]
    return [m for m in mentions if not any(a <= m.start < b for a, b in spans)]


def _speaker_side(ctx: SentenceContext, at: int) -> str:
    text, sentence, mentions = ctx.text, ctx.sentence, ctx.mentions
    """The side of whoever says the words around ``at`` ("Kellogg said X was not on the table")."""
    speech = [m for m in SPEECH.finditer(text, sentence.start, at) if not m.group("acc")]
    if not speech:
        return ""
    mentions = _outside_relatives(text, sentence, mentions)
    subject = clause_subject(mentions, speech[-1].start(), sentence.start, text)
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


def _side_of_mention(mention: Mention) -> str:
    if mention.person is not None:
        return mention.person.affiliation
    return mention.side or ""


def _owner(ctx: SentenceContext, owner_start: int, owner_end: int, owner: str) -> str:
    text, sentence, mentions = ctx.text, ctx.sentence, ctx.mentions
    """Who "X's" or "its" in "X's insistence" / "its proposal" stands for."""
    if owner.lower() in ("its", "their"):
        speech = list(SPEECH.finditer(text, sentence.start, owner_start))
        limit = speech[-1].start() if speech else owner_start
        subject = clause_subject(mentions, limit, sentence.start, text)
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


FACT_BOX_SAYS = re.compile(r"\b(?:says|say|maintains|maintain)\b(?:\s+that)?")
# "I want to applaud all involved", "wish to thank the mediators": courtesy, not a stance.
COURTESY = re.compile(rf"(?:to\s+)?(?:{'|'.join(COURTESY_VERBS)})\b", re.I)


def find_positions(ctx: SentenceContext) -> list[ExtractedPosition]:
    """The stances one sentence states, each with the party that holds it."""
    text, sentence, mentions, masked = ctx.text, ctx.sentence, ctx.mentions, ctx.masked
    dates, published = ctx.dates, ctx.published
    out: list[ExtractedPosition] = []
    held: dict[str, list[str]] = {}
    chunk = text[sentence.start : sentence.end]
    date = next((d for d in dates if d.precision == DAY), None)
    when = date.date if date else published

    def add(party, stance, kind):
        if not party or len(stance.split()) < 3 or COURTESY.match(stance):
            return
        folded = stance.lower()
        # One stance per party and clause: a second trigger inside the same words adds nothing.
        if any(folded in s or s in folded for s in held.get(party, [])):
            return
        held.setdefault(party, []).append(folded)
        out.append(
            ExtractedPosition(
                party=party,
                issue=issue_for(stance, chunk),
                stance=stance,
                kind=kind,
                start=sentence.start,
                end=sentence.end,
                date=when,
            )
        )

    for match in POSSESSED.finditer(chunk):
        at = sentence.start + match.start("noun")
        if any(a <= at < b for a, b in masked):
            continue
        party = _owner(
            ctx,
            sentence.start + match.start("owner"),
            sentence.start + match.end("owner"),
            match.group("owner"),
        )
        if not POSSESSED_LINK.match(chunk, match.end()):
            continue
        left = chunk[: match.start()].lower().split()
        if left and left[-1] in _SETTING | {"from", "toughen", "some", "all"}:
            continue  # "backed down from its demands": demands named, not stated
        noun = re.sub(r"\s+", " ", match.group("noun").lower())
        kind = NOUN_KIND.get(noun, RED_LINE)
        rest = stance_after(text, sentence.start + match.end(), sentence.end)
        rest = re.sub(r"^(?:on|that|to|for|of|is|was|were|are|would|will|:)\s+", "", rest)
        add(party, f"{noun} {rest}".strip(), kind)
    for match in UNDER_PROPOSAL.finditer(chunk):
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
            stance_before(text, sentence.start, sentence.start + match.start()),
            OFFER,
        )
    for match in DEMAND_BY.finditer(chunk):
        following = [m for m in mentions if m.start >= sentence.start + match.end()]
        if following and following[0].start - (sentence.start + match.end()) < 4:
            stance = stance_before(text, sentence.start, sentence.start + match.start())
            add(_side_of_mention(following[0]), stance, DEMAND)
    if ctx.fact_box:
        # A fact box's "X says ..." states X's standing position, not a remark of the day.
        for match in FACT_BOX_SAYS.finditer(chunk):
            party = _position_subject(ctx, sentence.start + match.start())
            stance = stance_after(text, sentence.start + match.end(), sentence.end)
            add(party, stance, STANCE)
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(chunk):
            at = sentence.start + match.start()
            if any(a <= at < b for a, b in masked):
                continue
            if kind == DEMAND and NOUN_BEFORE.search(text[max(sentence.start, at - 20) : at]):
                continue  # "its long-standing demands" names demands, it does not make one
            after = text[sentence.start + match.end() : sentence.end]
            word = match.group(0).lower()
            if word.startswith("reject") and DENIAL_OBJECT.search(after):
                continue  # "rejected the idea that ...": a denial of a report, not a stance
            if chunk[max(0, match.start() - 1) : match.start()] == "-":
                continue  # "a US-proposed deal" describes the deal
            if re.search(r"\bdeni(?:ed|es)\b", after):
                continue  # "X had agreed to ..., but an official denied the report"
            if SPEAKER_ONLY.match(word):
                party = _speaker_side(ctx, at)
            elif REPORTED_MODAL.fullmatch(word):
                # "X said Y must go", "Y must go, X said": what Y must do is what X demands.
                party = (
                    _speaker_side(ctx, at)
                    or _trailing_speaker_side(ctx, at)
                    or _position_subject(ctx, at)
                )
            else:
                party = _position_subject(ctx, at)
            if not party:
                continue
            partner = _compound_partner(ctx, at, party)
            stance = stance_after(text, sentence.start + match.end(), sentence.end)
            negated = re.search(
                r"\b(?:not|n't|never|no\s+longer)\s+(?:\w+\s+)?$",
                text[max(sentence.start, at - 25) : at],
            )
            if negated and kind in (DEMAND, OFFER, STANCE):
                stance = f"{negated.group(0).strip()} {match.group(0)} {stance}"
            elif SPEAKER_ONLY.match(word):
                stance = stance_before(text, sentence.start, at) + " " + match.group(0)
            elif kind in (RED_LINE, STANCE) and not word.startswith(
                ("reject", "red", "ruled", "rules", "refus", "oppos")
            ):
                stance = f"{match.group(0)} {stance}"
            add(party, stance, kind)
            if partner:
                add(partner, stance, kind)
    return out


def _compound_partner(ctx: SentenceContext, at: int, party: str) -> str:
    text, sentence, mentions = ctx.text, ctx.sentence, ctx.mentions
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


def quoted_positions(
    quotes: list[Quote], sents: list[Sentence], published: dt.date | None
) -> list[ExtractedPosition]:
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
                issue=issue_for(quote.text, ""),
                stance=quote.text,
                kind=STANCE,
                start=start,
                end=end,
                date=published,
            )
        )
    return out


def dedupe_positions(positions: list[ExtractedPosition]) -> list[ExtractedPosition]:
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


_TRAILING_SAID = re.compile(
    r",\s+(?P<who>[^,;.]{2,60}?)\s+(?:said|says|told|added|warned|insisted)\b[^,;]{0,40}[.!?]?\s*$"
)


def _trailing_speaker_side(ctx: SentenceContext, at: int) -> str:
    """The side of a speaker named after the clause: "Russia should withdraw, the EU said."."""
    found = _TRAILING_SAID.search(ctx.text, at, ctx.sentence.end)
    if found is None:
        return ""
    inside = [
        m for m in ctx.mentions if found.start("who") <= m.start and m.end <= found.end("who")
    ]
    return _side_of_mention(inside[0]) if inside else ""
