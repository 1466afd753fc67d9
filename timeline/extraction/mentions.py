# ruff: noqa: RUF001 - typographic quotation marks are what this module reads.
"""Who a sentence mentions, and which mention is the subject of a clause.

Mentions are people (resolved against the article's people index), titles ("the minister"),
pronouns, anonymous descriptors ("a senior Hamas official") and bodies (states, organisations,
"the Kremlin"), each with the side it stands for. Quotes, events and positions all read the
same mentions: this module is their shared, public vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

from .actors import NON_ACTOR_ACRONYMS
from .cues import BODY_HEADS
from .demonyms import CALENDAR_WORDS, NON_PERSON_WORDS
from .gazetteer import Gazetteer, fold
from .people import Mention, PeopleIndex, Person
from .text import Sentence

# Verbs of saying. Participles take the subject of the main clause.
FINITE = (
    r"said|says|say|told|tells|added|adds|wrote|writes|warned|warns|insisted|insists|noted|"
    r"denies|announces|confirms|declares|"
    r"stressed|stated|argued|argues|claimed|claims|confirmed|announced|declared|acknowledged|"
    r"admitted|explained|reiterated|cautioned|suggested|questioned|accused|accuses|called|calls|"
    r"described|describes|dubbed|branded|denounced|praised|welcomed|rejected|denied|fumed|"
    r"tweeted|posted|vowed|pledged|promised|threatened|urged|demanded|expressed|voiced|"
    r"complained|conceded|recalled|replied|responded|asked|predicted|signalled|signaled|"
    r"indicated|reported|insist|labelled|labeled|termed|hailed|blasted|slammed|lamented|"
    r"billed|touted"
)
PARTICIPLE = (
    r"saying|adding|telling|writing|warning|insisting|noting|stressing|arguing|claiming|"
    r"calling|describing|accusing|urging|demanding|reaffirming|reiterating|vowing|pledging|"
    r"declaring|dubbing|branding|labelling|labeling|praising|welcoming|rejecting|denying|"
    r"threatening|promising|complaining|lamenting|explaining|suggesting|extending|hailing"
)
SPEECH = re.compile(rf"\b(?:(?P<fin>{FINITE})|(?P<part>{PARTICIPLE})|(?P<acc>according to))\b")
SPEECH_NOUN = re.compile(
    r"\b(?:ultimatum|warning|statement|message|post|tweet|interview|remarks|comments|speech|"
    r"letter|announcement|briefing)\b"
)
PREPOSITIONS = frozenset(
    [
        "despite",
        "of",
        "with",
        "to",
        "from",
        "for",
        "by",
        "against",
        "about",
        "on",
        "at",
        "into",
        "than",
        "like",
        "toward",
        "towards",
        "over",
        "among",
        "amid",
        "between",
        "whom",
    ]
)

ANON_HEAD = (
    r"officials?|sources?|diplomats?|spokes(?:man|woman|person|men|women|people)|aides?|"
    r"negotiators?|officers?|ministers|MPs|leaders|chiefs|analysts|insiders?|observers|"
    r"advisers?|advisors?|envoys?|mediators?|members|representatives?|lawmakers|legislators|"
    r"commanders?|Ministers|Officials|Sources|Diplomats|people familiar|person familiar|"
    r"experts|critics|residents|witnesses|executives?|staffers?|activists?"
)
ANON = re.compile(
    r"\b(?P<det>(?:[Aa]n?|[Tt]he|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ss]everal|[Ss]ome|[Oo]ther|"
    r"[Aa]nother|[Bb]oth|[Mm]any|[Tt]his|[Tt]hat|[Oo]ne of the|[Tt]wo of the|\d+)\s+)?"
    r"(?P<mods>(?:(?!said\b|says\b|told\b|[Aa]n?\b|[Tt]he\b)[\w.’'-]+\s+){0,5}?)"
    r"(?P<head>" + ANON_HEAD + r")\b"
)
PRONOUN = re.compile(r"\b([Hh]e|[Ss]he|[Tt]hey)\b")
TITLE_REF = re.compile(
    r"\b[Tt]he\s+(?:(?P<qual>[A-Z][\w.]*)\s+)?(?P<title>president|prime minister|PM|premier|"
    r"chancellor|foreign minister|minister|[Ss]ecretary|envoy|peer|leader|king|queen|emir|pope|"
    r"governor|mayor|senator|speaker|general|ambassador|negotiator)\b(?!\s+[A-Z])"
)
ORG_NOUN = re.compile(
    r"\b(?:[Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[\w-]+\s+){0,3}?(?:post|coalition|network|"
    r"ministry|government|agency|group|movement|union|party|company|council|committee|army|"
    r"military|body|office|administration|department|alliance|organisation|organization|"
    r"commission|court|parliament|statement|report|channel|newspaper|embassy|bloc|cabinet|"
    r"kremlin|pentagon|opposition|management|board|federation|association)\b"
)
ORG_SUFFIX = re.compile(
    r"\s+(?:news agency|agency|ministry|news|TV|television|channel|newspaper|radio|"
    r"government|party|council|union|group|(?P<head>coalition|alliance|movement|front|bloc|"
    r"committee|federation|confederation|association|league))\b"
)


def mentions_for(
    text: str,
    sentence: Sentence,
    people: PeopleIndex,
    gazetteer: Gazetteer,
    masked: list[tuple[int, int]],
    org_words: AbstractSet[str] = frozenset(),
    internal_conflict: str = "",
) -> list[Mention]:
    s, e = sentence.start, sentence.end

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in masked)

    found = [m for m in people.mentions if s <= m.start < e and free(m.start, m.end)]
    taken = [(m.start, m.end) for m in found]

    def clear(a: int, b: int) -> bool:
        return free(a, b) and not any(x < b and a < y for x, y in taken)

    for match in ANON.finditer(text, s, e):
        det, mods, head = match.group("det") or "", match.group("mods") or "", match.group("head")
        if not det and not mods and head[0].islower():
            continue
        if mods and any(w[:1].islower() and w.lower() not in _ANON_MODS for w in mods.split()):
            # "were killed and 10 more officials": a clause, not a descriptor
            mods_ok = all(
                w[:1].isupper() or w.lower() in _ANON_MODS or w.lower().endswith(("an", "ish", "i"))
                for w in mods.split()
            )
            if not mods_ok:
                continue
        a = match.start()
        if not clear(a, match.end()):
            # "Musa Abu Marzouk, a senior Hamas official": the apposition is the person.
            continue
        prefix = text[max(s, a - 3) : a]
        if prefix.endswith(", ") and any(m.end == a - 2 for m in found):
            continue
        side = ""
        for word in re.findall(r"[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?", mods):
            side = gazetteer.side_of(word) or gazetteer.side_of(word.split()[0]) or ""
            if side:
                break
        plural = head.endswith("s") and not head.endswith(("ss", "ous"))
        if det.strip().lower() in ("a", "an", "one", "one of the", "another", "this", "that"):
            plural = False
        found.append(
            Mention(a, match.end(), "anonymous", match.group(0).strip(), None, side, False, plural)
        )
        taken.append((a, match.end()))
    for match in TITLE_REF.finditer(text, s, e):
        if clear(match.start(), match.end()):
            possessive = text[match.end() : match.end() + 2] in ("'s", "’s")
            found.append(
                Mention(match.start(), match.end(), "title", match.group(0), possessive=possessive)
            )
            taken.append((match.start(), match.end()))
    for match in PRONOUN.finditer(text, s, e):
        if clear(match.start(), match.end()):
            found.append(
                Mention(
                    match.start(),
                    match.end(),
                    "pronoun",
                    match.group(0),
                    plural=match.group(1).lower() == "they",
                )
            )
    for match in ORG_NOUN.finditer(text, s, e):
        if clear(match.start(), match.end()):
            found.append(
                Mention(
                    match.start(),
                    match.end(),
                    "organisation",
                    match.group(0),
                    side=_internal_body(
                        match.group(0),
                        gazetteer,
                        # "the opposition's Democratic Unity coalition": the name that follows
                        "" if text[match.end() : match.end() + 1] in "'’" else internal_conflict,
                    )
                    or _named_body(match.group(0), gazetteer),
                )
            )
            taken.append((match.start(), match.end()))
    for match in re.finditer(r"\b[A-Z][\w.’'&-]*(?:\s+(?:of\s+)?[A-Z][\w.’'&-]*)*", text[s:e]):
        a, b = s + match.start(), s + match.end()
        if not clear(a, b):
            continue
        surface = match.group(0)
        possessive = surface.endswith(("'s", "’s"))
        core = surface[:-2] if possessive else surface
        body = gazetteer.side_of(core) or gazetteer.side_of(core.split()[0])
        if body is None and core.startswith("The ") and len(core) > 4:
            body = gazetteer.side_of(core[4:])  # "The United Nations called on ..."
        if body is None:
            actor = gazetteer.actors.get(fold(core))
            body = actor.name if actor is not None else None
        if body is None:
            suffix = ORG_SUFFIX.match(text, b)
            acronym = core.replace(".", "").isupper() and len(core) >= 2
            if acronym and fold(core) in NON_ACTOR_ACRONYMS and not suffix:
                continue  # "state TV reported": a medium, not a side
            if suffix or acronym:
                body = core
                if suffix and suffix.group("head"):
                    # "the Democratic Unity coalition": the head word is part of the body's name.
                    body = re.sub(r"^The\s+", "", core) + " " + suffix.group("head")
                b = suffix.end() if suffix else b
        if body is None and _BODY_NAME.search(core) and len(core.split()) > 1:
            body = re.sub(r"^The\s+", "", core)  # "the High Negotiations Committee"
        if body is None and core.split()[0].lower() in ("the",):
            continue
        if body is None:
            continue
        found.append(Mention(a, b, "organisation", surface, None, body, possessive))
        taken.append((a, b))
    # An unknown single name right next to a verb of saying ("Ghalibaf said", "said Leo").
    for match in re.finditer(
        rf"\b([A-Z][a-z][\w’'-]+)\s+(?:{FINITE})\b|\b(?:said|says|wrote|added)\s+([A-Z][a-z][\w’'-]+)\b",
        text[s:e],
    ):
        group = 1 if match.group(1) else 2
        a, b = s + match.start(group), s + match.end(group)
        word = match.group(group)
        if not clear(a, b) or word.lower() in _NOT_NAMES or word.lower() in NON_PERSON_WORDS:
            continue
        if word in org_words:
            found.append(Mention(a, b, "organisation", word, None, word))
            continue
        if gazetteer.side_of(word) or gazetteer.place(word):
            continue
        person = people.resolve(word) or Person(name=word)
        found.append(Mention(a, b, "person", word, person, person.affiliation))
    found.sort(key=lambda m: m.start)
    return found


_BODY_NAME = re.compile(rf"\s(?:{'|'.join(BODY_HEADS)})$")


# Bodies whose own name may stand before the noun ("the Teamsters union", "the Labour party");
# "the Biden administration" names a person, not a body, so only the gazetteer resolves those.
_NAMED_BODIES = re.compile(
    r"(?:union|party|coalition|movement|group|company|network|alliance|federation|association|"
    r"council|committee|bloc)$",
    re.I,
)


_INTERNAL_BODY = re.compile(
    r"^[Tt]he\s+(?:main\s+|ruling\s+|)(?:(?P<dem>[A-Z][a-z]+)\s+)?(?P<head>government|opposition)$"
)


def _internal_body(phrase: str, gazetteer: Gazetteer, state: str) -> str:
    """ "the Syrian government", "the main opposition" as parties of their own, in a report
    on talks between a state's government and its opponents (``state``: its demonym)."""
    match = _INTERNAL_BODY.match(phrase) if state else None
    if match is None:
        return ""
    dem = match.group("dem")
    if dem is None and match.group("head") == "opposition":
        dem = state  # "the opposition" of the state the report is about
    if dem is None or fold(dem) not in gazetteer.demonyms:
        return ""
    return f"{dem} {match.group('head')}"


def _named_body(phrase: str, gazetteer: Gazetteer) -> str:
    """The side a phrase like "the Qatari Foreign Ministry" or "the Teamsters union" names."""
    words = phrase.split()[1:]
    capitalised = [w for w in words if w[:1].isupper()]
    for word in capitalised:
        side = gazetteer.side_of(word)
        if side:
            return side
    if capitalised and _NAMED_BODIES.search(phrase):
        return " ".join(capitalised)
    return ""


_NOT_NAMES_LISTED = frozenset(
    [
        "the",
        "he",
        "she",
        "they",
        "it",
        "we",
        "i",
        "you",
        "this",
        "that",
        "these",
        "those",
        "there",
        "officials",
        "he's",
        "she's",
        "but",
        "and",
        "also",
        "then",
        "when",
        "while",
        "which",
        "who",
        "what",
        "where",
        "later",
        "earlier",
        "meanwhile",
        "however",
        "today",
        "yesterday",
        "tomorrow",
    ]
)
_NOT_NAMES = _NOT_NAMES_LISTED | CALENDAR_WORDS


_ANON_MODS = frozenset(
    [
        "senior",
        "top",
        "high-ranking",
        "high-level",
        "junior",
        "former",
        "current",
        "military",
        "government",
        "security",
        "intelligence",
        "diplomatic",
        "western",
        "arab",
        "regional",
        "local",
        "foreign",
        "other",
        "two",
        "several",
        "some",
        "familiar",
        "with",
        "the",
        "talks",
        "negotiations",
        "matter",
        "of",
        "u.s.",
        "us",
        "un",
        "eu",
        "administration",
        "white",
        "house",
        "palestinian",
        "israeli",
        "american",
        "iranian",
        "russian",
        "ukrainian",
        "european",
        "egyptian",
        "qatari",
        "turkish",
        "chinese",
        "british",
        "syrian",
        "lebanese",
        "saudi",
        "pakistani",
        "medical",
        "no10",
        "defence",
        "defense",
        "state",
        "official",
        "unnamed",
        "anonymous",
        "knowledgeable",
        "person",
        "people",
        "close",
        "to",
    ]
)


def clause_subject(
    mentions: list[Mention], verb_start: int, sentence_start: int, text: str
) -> Mention | None:
    """The nearest mention before a finite verb of saying, skipping objects of prepositions."""
    candidates = [m for m in mentions if m.end <= verb_start]
    persons = [m for m in candidates if m.kind != "organisation" and not m.possessive]
    orgs = [m for m in candidates if m.kind == "organisation" and not m.possessive]
    between_org = orgs[-1] if orgs else None
    if between_org is not None and text[between_org.end : verb_start].strip(" ") == "":
        return between_org
    for m in reversed(persons):
        before = text[max(sentence_start, m.start - 12) : m.start].lower().split()
        if before and before[-1] in PREPOSITIONS:
            continue
        gap = text[m.end : verb_start]
        # Not across another clause's verb of saying or a full stop.
        if "." in gap.replace("U.S.", "").replace("U.N.", "") and len(gap) > 60:
            continue
        return m
    return orgs[-1] if orgs else None
