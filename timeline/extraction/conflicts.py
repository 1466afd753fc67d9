"""Conflicting reports: a claim and its denial by another source in the same sentence.

"A report in Cairo News ... said that a Hamas delegation would return to Cairo on Tuesday, but a
senior Hamas official said the group had not yet made a decision." Each side keeps its source
and its exact span, so the event the sentence reports can be cited as disputed, and by whom.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from .text import Sentence

CLAIM_VERB = re.compile(
    r"\b(?:said|says|reported|reports|told|announced|claimed|claims|stated|wrote|confirmed)\b"
)
DENIAL = re.compile(
    r"\b(?:said|says|denied|denies|rejected|rejects|dismissed|disputed|disputes|insisted|"
    r"contradicted|countered|refuted|told)\b"
)
# The second source must disagree, not add: a negation or a verb of denial after "but".
DISAGREES = re.compile(
    r"\b(?:not|no|never|denied|denies|rejected|rejects|dismissed|disputed|disputes|refuted|"
    r"contradicted|false|untrue|wrong|yet to|had not|has not|have not|did not|does not)\b",
    re.I,
)
_BUT = re.compile(r",?\s+but\s+|;\s+however,?\s+|,\s+while\s+", re.I)


@dataclass(frozen=True)
class Claim:
    start: int  # the clause, an exact span of the article's text
    end: int
    source: str  # who says it, as printed ("a senior Hamas official")


@dataclass(frozen=True)
class Conflict:
    sentence_start: int
    sentence_end: int
    claim: Claim
    denial: Claim


def _source(text: str, start: int, verb_start: int) -> str:
    words = text[start:verb_start].strip(" ,")
    words = re.sub(r"^(?:[Ss]eparately|[Mm]eanwhile|[Hh]owever|[Bb]ut),?\s+", "", words)
    words = re.sub(r"\s+\w+ly$", "", words)  # "a U.S. official immediately"
    return " ".join(words.split())[:200]


def find_conflicts(
    text: str, sentences: list[Sentence], skip: AbstractSet[int] = frozenset()
) -> list[Conflict]:
    out: list[Conflict] = []
    for sentence in sentences:
        if sentence.paragraph in skip:
            continue
        for but in _BUT.finditer(text, sentence.start, sentence.end):
            claim_verb = None
            for match in CLAIM_VERB.finditer(text, sentence.start, but.start()):
                claim_verb = match
                break
            if claim_verb is None:
                continue
            denial_verb = DENIAL.search(text, but.end(), sentence.end)
            if denial_verb is None or not DISAGREES.search(text, but.end(), sentence.end):
                continue
            claim_source = _source(text, sentence.start, claim_verb.start())
            denial_source = _source(text, but.end(), denial_verb.start())
            if not claim_source or not denial_source or claim_source == denial_source:
                continue
            if denial_source.lower() in ("he", "she", "it", "they"):
                continue  # the same source going on, not a second one
            end = sentence.end
            while end > but.end() and text[end - 1] in ".!?\"”' ":
                end -= 1
            out.append(
                Conflict(
                    sentence.start,
                    sentence.end,
                    Claim(sentence.start, but.start(), claim_source),
                    Claim(but.end(), end, denial_source),
                )
            )
            break
    return out
