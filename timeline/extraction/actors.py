# ruff: noqa: RUF001 - typographic quotation marks and dashes are what this module reads.
"""Which names are worth proposing to an editor as a new actor.

The extractor reads sides from acronyms and capitalised runs ("NBC said", "the Tasnim news
agency"), and most of them are real organisations; but a bare "TV", "CEO" or "GMT" also has the
shape of an acronym, and "State TV" or "the Ministry" name no one in particular. A new actor is
proposed only when its name can identify someone.
"""

from __future__ import annotations

import re

from .gazetteer import Gazetteer, fold

# All-capital words that are not names of anyone: media, units, titles, time zones, formats.
NON_ACTOR_ACRONYMS = frozenset(
    [
        "tv",
        "am",
        "pm",
        "ok",
        "id",
        "it",
        "ai",
        "ceo",
        "cfo",
        "coo",
        "cto",
        "md",
        "gdp",
        "gnp",
        "gmt",
        "utc",
        "est",
        "edt",
        "bst",
        "cet",
        "pst",
        "pdt",
        "faq",
        "pdf",
        "usd",
        "eur",
        "gbp",
        "vat",
        "lng",
        "lpg",
        "vlcc",
        "mp",
        "mps",
        "pr",
        "hq",
        "dna",
        "hiv",
        "nhs",
        "ppe",
        "atm",
        "sms",
        "am",
        "fm",
        "hd",
        "uhf",
        "vhf",
        "rss",
        "url",
        "www",
        "html",
        "x",
    ]
)
# Words that, with nothing else, describe a kind of body rather than name one.
GENERIC_WORDS = frozenset(
    [
        "the",
        "state",
        "tv",
        "television",
        "radio",
        "news",
        "media",
        "channel",
        "agency",
        "newspaper",
        "press",
        "official",
        "officials",
        "government",
        "ministry",
        "ministries",
        "department",
        "office",
        "council",
        "committee",
        "commission",
        "army",
        "military",
        "forces",
        "police",
        "court",
        "parliament",
        "party",
        "union",
        "group",
        "movement",
        "coalition",
        "company",
        "network",
        "management",
        "board",
        "administration",
        "authority",
        "authorities",
        "opposition",
        "rebels",
        "national",
        "local",
        "regional",
        "federal",
        "foreign",
        "interior",
        "defence",
        "defense",
        "health",
        "justice",
        "spokesman",
        "spokeswoman",
        "source",
        "sources",
    ]
)


def proposable_actor_name(name: str, kind: str, gazetteer: Gazetteer) -> bool:
    """Whether ``name`` may become a new candidate actor of ``kind`` (an ActorKind value)."""
    cleaned = " ".join(name.split()).strip(" .,'’\"")
    key = fold(cleaned)
    if len(key.replace(" ", "")) < 2 or not re.search(r"[A-Za-z]", cleaned):
        return False
    if gazetteer.side_of(cleaned) or key in gazetteer.actors:
        return True
    words = key.split()
    if all(word in GENERIC_WORDS or word in NON_ACTOR_ACRONYMS for word in words):
        return False
    if kind == "person":
        return any(part[:1].isupper() for part in cleaned.split()) and not cleaned.isupper()
    # Two capital letters alone ("TV", "AM") are too ambiguous to be a side.
    return not (len(words) == 1 and cleaned.replace(".", "").isupper() and len(key) <= 2)
