# ruff: noqa: RUF001 - typographic quotation marks are what this module reads.
"""Venues: where talks, meetings and delegations are, told apart from places merely mentioned.

A place is a venue when it is the object of a locative preposition or a verb of travel ("talks
in Cairo", "arrived in Islamabad", "visit Moscow", "reach Cairo") close to a word about talks
or travel in the same sentence. A country is dropped when a venue city in it was also found
("in Istanbul" makes "in Turkey" redundant).
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from .demonyms import CALENDAR_WORDS
from .gazetteer import Gazetteer, fold
from .text import Sentence

TALK_WORDS = re.compile(
    r"\b(?:talks|negotiations?|negotiating|negotiators|meeting|meetings|met|meet|meets|"
    r"summit|round|dialogue|conference|session|sessions|delegations?|mediators?|mediation|"
    r"visit|visited|visiting|visits|arrived|arrive|arriving|arrives|landed|hosted|hosts?|"
    r"hosting|convened|convene|gathered|consultations|sat down|sit down|reach|discussions|"
    r"trip|travel(?:led|ed|s|ling|ing)?|flew|left|leave|leaves|leaving|depart(?:ed|s|ing)?|"
    r"return(?:ed|s|ing)?|held|hold|holds|signed|signing|ceremony|team)\b",
    re.I,
)
# The place follows one of these ("talks in Cairo", "reach Cairo", "left for Islamabad").
LEAD = re.compile(
    r"\b(?:in|at|to|inside|for|visit(?:ed|ing|s)?|reach(?:ed|ing|es)?|leave|left)\s+(?:the\s+)?$",
    re.I,
)
TRAVEL_TO = re.compile(
    r"\b(?:trip|travel\w*|flew|fly|flying|went|go|going|goes|came|come|coming|head\w*|"
    r"return\w*|deleg\w+|sent|send|visit\w*|arriv\w+|back|journey|mission|invited|"
    r"way|move|moved)\b[^.]{0,25}\bto\s+(?:the\s+)?$",
    re.I,
)
_PLACE_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*){0,3}")


@dataclass(frozen=True)
class VenueMention:
    start: int
    end: int
    name: str
    kind: str  # city, country or place
    country: str


STRONG_LEAD = re.compile(
    r"\b(?:talks|negotiations|meeting|meetings|met|meet|meets|summit|conference|round|"
    r"dialogue|consultations|sessions?|gathered|convened|hosted)\s+(?:\w+\s+){0,2}?"
    r"(?:in|at)\s+(?:the\s+)?$",
    re.I,
)
FACILITY = re.compile(
    r"\b(?:Camp|Palace|House|Hotel|Centre|Center|Hall|Base|Building|Embassy|Resort|Castle|"
    r"Villa|Lodge|Manor|Chateau|Château|Plantation|Estate)\b"
)


def _strong_lead(text: str, sentence_start: int, start: int) -> bool:
    return bool(STRONG_LEAD.search(text[max(sentence_start, start - 60) : start]))


def place_mentions(text: str, sentence: Sentence, gazetteer: Gazetteer) -> list[VenueMention]:
    out = []
    for match in _PLACE_RUN.finditer(text, sentence.start, sentence.end):
        words = match.group(0).split()
        # The longest leading run of words that names a place: "Stockholm, Sweden" -> Stockholm.
        for n in range(len(words), 0, -1):
            surface = " ".join(words[:n])
            core = re.sub(r"(?:'s|’s|')$", "", surface).rstrip(".")
            found = gazetteer.place(core)
            if not found and _strong_lead(text, sentence.start, match.start()):
                if fold(core) in gazetteer.towns and core.lower() not in CALENDAR_WORDS:
                    found = (core, "city")
                elif FACILITY.search(core) and n > 1:
                    found = (core, "place")  # "Camp David", "Lancaster House"
            if found:
                _, kind = found
                end = match.start() + len(surface)
                out.append(
                    VenueMention(
                        match.start(), end, core, kind, gazetteer.country_of_place(core) or ""
                    )
                )
                break
    return out


def find_venues(
    text: str, sentences: list[Sentence], gazetteer: Gazetteer, skip: AbstractSet[int] = frozenset()
) -> tuple[list[str], dict[int, str]]:
    """(venue names in order of first mention, sentence start -> venue of that sentence)."""
    chosen: list[VenueMention] = []
    per_sentence: dict[int, str] = {}
    for sentence in sentences:
        if sentence.paragraph in skip:
            continue
        for place in place_mentions(text, sentence, gazetteer):
            left = text[max(sentence.start, place.start - 30) : place.start]
            lead = LEAD.search(left)
            if not lead:
                continue
            if lead.group(0).split()[0].lower() == "to" and not TRAVEL_TO.search(
                text[max(sentence.start, place.start - 40) : place.start]
            ):
                continue  # "proposals to Ukraine" is a recipient, "a trip to Washington" a venue
            surface = text[place.start : place.end]
            if surface.endswith(("'s", "’s", "'")) or text[place.end : place.end + 2] in (
                "'s",
                "’s",
            ):
                continue
            if surface.lower() in CALENDAR_WORDS:
                continue
            # The talk word comes first: "talks in Cairo", "met ... in Doha", "arrived in".
            window = text[max(sentence.start, place.start - 80) : place.start]
            if not TALK_WORDS.search(window):
                continue
            # "frozen assets held in Qatar": "held" needs talks nearby to mean a sitting.
            strong = TALK_WORDS.findall(window)
            if all(
                w.lower() in ("held", "hold", "holds", "left", "return", "team") for w in strong
            ):
                continue
            chosen.append(place)
            per_sentence.setdefault(sentence.start, place.name)
    venue_countries = {p.country for p in chosen if p.kind != "country"}
    names: list[str] = []
    for place in chosen:
        if place.kind == "country" and place.name in venue_countries:
            continue
        if place.name not in names:
            names.append(place.name)
    return names, per_sentence
