# ruff: noqa: RUF001 - typographic quotation marks are what this module reads.
"""Venues: where talks, meetings and delegations are, told apart from places merely mentioned.

A place is a venue when it is the object of a locative preposition or a verb of travel ("talks
in Cairo", "arrived in Islamabad", "visit Moscow", "reach Cairo") close to a word about talks
or travel in the same sentence. A country is dropped when a venue city in it was also found
("in Istanbul" makes "in Turkey" redundant), and so is any other country: where the talks
sit in a named city, a country is a party or a subject of them.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from .cues import (
    VENUE_GATHERINGS,
    VENUE_PLACE_OF,
    VENUE_SUBJECT_NOUNS,
    VENUE_TRAVEL_VERBS,
)
from .demonyms import CALENDAR_WORDS
from .gazetteer import Gazetteer, fold
from .text import Sentence

TALK_WORDS = re.compile(
    r"\b(?:talks|negotiations?|negotiating|negotiators|meeting|meetings|met|meet|meets|"
    r"summit|round|dialogue|conference|session|sessions|delegations?|mediators?|mediation|"
    r"visit|visited|visiting|visits|arrived|arrive|arriving|arrives|landed|hosted|hosts?|"
    r"hosting|convened|convene|gathered|consultations|sat down|sit down|reach|discussions|"
    r"trip|travel(?:led|ed|s|ling|ing)?|flew|left|leave|leaves|leaving|depart(?:ed|s|ing)?|"
    r"return(?:ed|s|ing)?|held|hold|holds|signed|signing|ceremony|team|"
    rf"{'|'.join(VENUE_GATHERINGS + VENUE_TRAVEL_VERBS)})\b",
    re.I,
)
# The place follows one of these ("talks in Cairo", "reach Cairo", "left for Islamabad").
LEAD = re.compile(
    r"\b(?:in|at|to|inside|for|visit(?:ed|ing|s)?|reach(?:ed|ing|es)?|leave|left)\s+(?:the\s+)?"
    rf"(?:[A-Z]\w+\s+{VENUE_PLACE_OF}\s+)?$",
    re.I,
)
# "a ceasefire in Gaza", "the conflict in Sudan": the place is the subject of the talks.
SUBJECT_IN = re.compile(
    rf"\b(?:{'|'.join(VENUE_SUBJECT_NOUNS)})\s+(?:in|inside|across|throughout)\s+(?:the\s+)?$",
    re.I,
)
TRAVEL_TO = re.compile(
    rf"\b(?:{'|'.join(VENUE_TRAVEL_VERBS)}|"
    r"trip|travel\w*|flew|fly|flying|went|go|going|goes|came|come|coming|head\w*|"
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


_COUNTRY_AFTER = re.compile(r",\s+([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})")


def _country_after(text: str, end: int, gazetteer: Gazetteer) -> str:
    """The country in "<town>, <country>" right after a place, or ""."""
    match = _COUNTRY_AFTER.match(text, end)
    if match is None:
        return ""
    found = gazetteer.place(match.group(1))
    return found[0] if found and found[1] == "country" else ""


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
                elif n == len(words) and _country_after(text, match.end(), gazetteer):
                    found = (core, "city")  # "talks opened in Skhirat, Morocco": a town of it
            if found:
                _, kind = found
                end = match.start() + len(surface)
                country = gazetteer.country_of_place(core) or _country_after(text, end, gazetteer)
                out.append(VenueMention(match.start(), end, core, kind, country))
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
            if not lead or SUBJECT_IN.search(left):
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
    dateline = _dateline_venue(text, sentences, gazetteer, skip, per_sentence)
    if dateline is not None:
        chosen.insert(0, dateline)
    venue_countries = {p.country for p in chosen if p.kind != "country"}
    names: list[str] = []
    for place in chosen:
        if place.kind == "country" and venue_countries:
            # Where a report names the city the talks sit in, a country is the city's own
            # ("in Istanbul" makes "in Turkey" redundant) or a party or subject of the talks
            # ("the delegation returned to Afghanistan after the talks in Doha").
            continue
        if place.name not in names:
            names.append(place.name)
    return names, per_sentence


# "Arequipa, Peru - Ministers ... met today", "GENEVA (Reuters) - Talks resumed": the dateline
# names where the reporter is; it is the venue when the first sentence reports a sitting there
# and names no other place for it ("ISLAMABAD - ... return to the table in Qatar" is not).
DATELINE = re.compile(
    r"\s*(?P<place>[A-Z][A-Za-z'’.-]+(?:\s+[A-Z][A-Za-z'’.-]+){0,2})"
    r"(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2}?)?"
    # Wire copy dates its dateline: "GENEVA, Feb 3 (Reuters) -", "KABUL, March 12, 2021 -".
    r"(?:,?\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"\s*(?:\([^)]{1,30}\))?\s*[-–—]+\s*"
)
SITTING = re.compile(
    r"\b(?:met|meet|meets|meeting|talks|negotiations|negotiators|summit|conference|round|"
    r"session|convened|gathered)\b",
    re.I,
)

# "issued a statement regarding the status of trade negotiations": the talks are the topic of
# what was said where the dateline is, not sitting there.
TOPIC_OF = re.compile(r"\b(?:regarding|concerning|about|status\s+of)\s+(?:[\w-]+\s+){0,3}$", re.I)


def _dateline_venue(
    text: str,
    sentences: list[Sentence],
    gazetteer: Gazetteer,
    skip: AbstractSet[int],
    per_sentence: dict[int, str],
) -> VenueMention | None:
    first = next((s for s in sentences if s.paragraph not in skip), None)
    if first is None or first.start in per_sentence:
        return None
    match = DATELINE.match(text, first.start, first.end)
    if match is None or not any(
        not TOPIC_OF.search(text, max(match.end(), m.start() - 40), m.start())
        for m in SITTING.finditer(text, match.end(), first.end)
    ):
        return None
    name = match.group("place").strip()
    found = gazetteer.place(name) or gazetteer.place(name.title())
    if not found or found[1] == "country":
        return None
    canonical = found[0]
    per_sentence[first.start] = canonical
    start = match.start("place")
    return VenueMention(
        start, start + len(name), canonical, found[1], gazetteer.country_of_place(canonical) or ""
    )
