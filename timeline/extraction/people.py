# ruff: noqa: RUF001 - typographic quotation marks are what this module reads.
"""People and the other things a sentence can be about (states, organisations, anonymous
officials, pronouns), found as mentions with character offsets.

People are told apart from organisations and places by shape (two or more capitalised name
words once titles, demonyms and acronyms are stripped from the front), by a list of words that
only organisations and places contain, and by the gazetteer. Later short forms ("Mr. Netanyahu",
"Abu Marzouk", "President Trump") are folded into the full name they abbreviate.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from .cues import ROLE_SIDES
from .demonyms import NON_PERSON_WORDS, TITLE_WORDS
from .first_names import FIRST_NAMES
from .gazetteer import Gazetteer, fold
from .text import INVISIBLE, Sentence, heading_paragraphs, is_heading

PARTICLES = frozenset(
    [
        "bin",
        "ibn",
        "al",
        "el",
        "de",
        "da",
        "del",
        "della",
        "di",
        "du",
        "van",
        "von",
        "der",
        "den",
        "ter",
        "la",
        "le",
        "dos",
        "das",
        "y",
        "abu",
        "ben",
        "st",
    ]
)
# Titles that can stand before a bare surname ("President Trump", "Mr Johnson", "Gen Kellogg").
HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "dame",
        "lord",
        "lady",
        "sheikh",
        "sheik",
        "president",
        "gen",
        "general",
        "adm",
        "admiral",
        "pope",
        "king",
        "queen",
        "prince",
        "princess",
        "emir",
        "chancellor",
        "minister",
        "secretary",
        "senator",
        "sen",
        "governor",
        "mayor",
        "colonel",
        "col",
        "lt",
        "capt",
        "captain",
        "maj",
        "major",
        "judge",
        "justice",
        "ayatollah",
        "imam",
        "rabbi",
        "cardinal",
        "archbishop",
        "bishop",
        "premier",
        "speaker",
        "envoy",
        "spokesman",
        "spokeswoman",
        "ambassador",
        "commander",
        "marshal",
        "sultan",
        "rep",
        "representative",
        "prof",
        "professor",
        "director",
        "chairman",
        "leader",
    ]
)
# Titles kept in a name when a regnal number follows ("Pope Leo XIV").
REGNAL_TITLES = frozenset(
    ["pope", "king", "queen", "emperor", "sultan", "emir", "prince", "princess"]
)
ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")
SENTENCE_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "but",
        "or",
        "if",
        "in",
        "on",
        "at",
        "as",
        "by",
        "for",
        "from",
        "of",
        "to",
        "with",
        "without",
        "after",
        "before",
        "while",
        "when",
        "where",
        "why",
        "how",
        "what",
        "who",
        "whom",
        "whose",
        "which",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "his",
        "her",
        "their",
        "our",
        "your",
        "my",
        "me",
        "him",
        "them",
        "us",
        "then",
        "than",
        "so",
        "yet",
        "also",
        "only",
        "even",
        "just",
        "still",
        "both",
        "either",
        "neither",
        "each",
        "every",
        "all",
        "any",
        "some",
        "many",
        "much",
        "more",
        "most",
        "no",
        "not",
        "nor",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "let",
        "let's",
        "meanwhile",
        "however",
        "although",
        "though",
        "because",
        "since",
        "until",
        "unless",
        "despite",
        "during",
        "among",
        "amid",
        "over",
        "under",
        "about",
        "against",
        "between",
        "into",
        "onto",
        "upon",
        "through",
        "across",
        "around",
        "near",
        "former",
        "late",
        "new",
        "top",
        "senior",
        "chief",
        "experts",
        "according",
        "speaking",
        "asked",
        "asked.",
    ]
)
# Phrases after which a name is a journalist or photographer, not a news actor.
CREDIT = re.compile(
    r"(?:photo(?:graph)?|pictures?|images?|reporting|writing|editing|edited|compiled|"
    r"additional reporting|contributed reporting|contributed|produced|video)\s+by\s*$",
    re.I,
)
CREDIT_PARAGRAPH = re.compile(
    r"contributed (?:reporting|to this)|reporting by|editing by|writing by|^\(?(?:by|reporting)\b",
    re.I,
)

QUOTE_OPENERS = "\"“‘'«"
# Dashes end a token: "WASHINGTON—U.S. Secretary of Labor Elaine L. Chao" is a dateline glued to
# a title, not a person called "WASHINGTON—U.S. Secretary".
_TOKEN = re.compile(r"[^\s\"“”„«»‘()\[\],;:!?|/\\*_#—–]+")


@dataclass
class Token:
    start: int
    end: int
    word: str  # without trailing punctuation and possessive
    possessive: bool
    breaks_after: bool  # punctuation after the token ends a name


@dataclass
class Person:
    name: str
    aliases: list[str] = field(default_factory=list)
    role: str = ""
    affiliation: str = ""
    first_start: int = 0

    @property
    def tokens(self) -> list[str]:
        return self.name.split()


@dataclass
class Mention:
    start: int
    end: int
    kind: str  # person, pronoun, anonymous, title, organisation
    text: str
    person: Person | None = None
    side: str = ""  # state/organisation the mention stands for or belongs to
    possessive: bool = False
    plural: bool = False


def _clean(word: str) -> tuple[str, bool, bool]:
    stripped = word.strip(INVISIBLE)
    if stripped.endswith(("'s.", "’s.")):
        stripped = stripped[:-1]
    possessive = False
    for suffix in ("'s", "’s", "'", "’"):
        if stripped.endswith(suffix) and len(stripped) > len(suffix) + 1:
            if suffix in ("'", "’") and stripped[-2:-1].lower() != "s":
                continue
            stripped = stripped[: -len(suffix)]
            possessive = True
            break
    breaks = possessive
    if stripped.endswith(".") and not possessive:
        core = stripped[:-1]
        is_abbrev = (len(core) <= 3 and core[:1].isupper()) or "." in core  # "Mr.", "U.S.", "E."
        if not is_abbrev:
            stripped = core
            breaks = True
    stripped = stripped.strip("'’\"-–—")
    return stripped, possessive, breaks


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    out = []
    for match in _TOKEN.finditer(text, start, end):
        word, possessive, breaks = _clean(match.group())
        if not word:
            continue
        offset = match.group().find(word)
        start_at = match.start() + max(offset, 0)
        nxt = text[match.end() : match.end() + 1]
        if nxt and nxt not in " \u00a0\t" and nxt not in INVISIBLE:
            breaks = True
        out.append(Token(start_at, start_at + len(word), word, possessive, breaks))
    return out


def _capitalised(word: str) -> bool:
    core = word.lstrip("'’")
    if not core:
        return False
    if core[0].isupper():
        return True
    # "al-Hayya", "el-Sisi", "bin-Salman"
    head, _, tail = core.partition("-")
    return bool(tail) and head.lower() in PARTICLES and tail[:1].isupper()


def _is_acronym(word: str) -> bool:
    letters = word.replace(".", "")
    return len(letters) >= 2 and letters.isupper() and letters.isalpha()


def _name_word(word: str) -> bool:
    if word.lower() in PARTICLES:
        return True
    if ROMAN.match(word) and word:
        return True
    if _is_acronym(word) and len(word.replace(".", "")) > 2:
        return False
    if any(ch.isdigit() for ch in word):
        return False
    return _capitalised(word)


@dataclass
class _Run:
    tokens: list[Token]
    sentence_initial: bool
    preceded_by: str  # the lower-cased word before the run


def capitalised_runs(text: str, sentence: Sentence) -> list[_Run]:
    tokens = tokenize(text, sentence.start, sentence.end)
    runs: list[_Run] = []
    current: list[Token] = []
    prev_word = ""
    run_prev = ""
    for i, token in enumerate(tokens):
        joined = (
            bool(current)
            and not current[-1].breaks_after
            and (text[current[-1].end : token.start].strip(" \u00a0" + INVISIBLE) == "")
        )
        cap = _capitalised(token.word) or (token.word.lower() in PARTICLES and i + 1 < len(tokens))
        if cap and (joined or not current):
            if not current:
                run_prev = prev_word
            current.append(token)
        else:
            if current:
                runs.append(_Run(current, current[0].start == sentence.start, run_prev))
                current = []
            if cap:
                run_prev = prev_word
                current = [token]
        prev_word = token.word.lower()
    if current:
        runs.append(_Run(current, current[0].start == sentence.start, run_prev))
    # Particles never end a name ("Rodriguez y").
    for run in runs:
        while run.tokens and run.tokens[-1].word.lower() in PARTICLES:
            run.tokens.pop()
    return [run for run in runs if run.tokens]


@dataclass
class _Candidate:
    name_tokens: list[Token]
    title_tokens: list[Token]
    side: str
    run: _Run


def _split_title(run: _Run, gazetteer: Gazetteer) -> _Candidate | None:
    tokens = list(run.tokens)
    titles: list[Token] = []
    side = ""
    while tokens:
        word = tokens[0].word
        low = word.lower()
        folded = fold(word)
        if low in ("uss", "hms", "mv", "ins"):
            return None  # ship names
        if (
            tokens[0] is run.tokens[0]
            and run.sentence_initial
            and (low in SENTENCE_WORDS or low.endswith(("ing", "ly", "ed")))
        ):
            tokens.pop(0)
            continue
        if (
            word.isupper()
            and len(tokens) > 1
            and folded in gazetteer.organisations
            and not tokens[0].possessive
        ):
            # "US Treasury Secretary Scott Bessent", "UN envoy ...": the side, not the word "us".
            side = side or gazetteer.organisations[folded]
            titles.append(tokens.pop(0))
            continue
        if low in SENTENCE_WORDS and low not in TITLE_WORDS and len(tokens) > 1:
            tokens.pop(0)
            continue
        if low in TITLE_WORDS or low.rstrip(".") in TITLE_WORDS:
            titles.append(tokens.pop(0))
            continue
        found = (
            gazetteer.side_of(word)
            if (
                folded in gazetteer.demonyms
                or _is_acronym(word)
                or folded in gazetteer.organisations
                or folded in gazetteer.countries
            )
            else None
        )
        if found and len(tokens) > 1:
            side = side or found
            titles.append(tokens.pop(0))
            continue
        if tokens[0].possessive and len(tokens) > 1:
            titles.append(tokens.pop(0))
            continue
        break
    # "Colorado Governor Richard Lamm": a title inside the run ends whatever came before it.
    for i in range(len(tokens) - 2, -1, -1):
        if tokens[i].word.lower().rstrip(".") in HONORIFICS and i + 1 < len(tokens):
            titles.extend(tokens[: i + 1])
            tokens = tokens[i + 1 :]
            # "Director Nominee Richard Giacolone": title words after the honorific too.
            while len(tokens) > 1 and tokens[0].word.lower().rstrip(".") in TITLE_WORDS:
                titles.append(tokens.pop(0))
            break
    if run.preceded_by == "of":
        # "Minister of International Trade Chrystia Freeland": the portfolio, then the name.
        while len(tokens) > 2 and (
            tokens[0].word.lower() in NON_PERSON_WORDS or tokens[0].word.lower() in TITLE_WORDS
        ):
            titles.append(tokens.pop(0))
    if not tokens:
        return None
    return _Candidate(tokens, titles, side, run)


def _looks_like_person(
    candidate: _Candidate, gazetteer: Gazetteer, lower_words: AbstractSet[str] = frozenset()
) -> bool:
    words = [t.word for t in candidate.name_tokens]
    if len(words) > 6:
        return False
    if not all(_name_word(w) for w in words):
        return False
    lowered = [w.lower().rstrip(".") for w in words]
    # "Van Den Hoek", "Di Li", "De Niro" start with a capitalised particle; "al"/"el"/"le"/"la"
    # starts are outlets and places ("Al Jazeera", "Le Monde", "La Paz").
    if lowered[0] in PARTICLES and not (
        lowered[0] in ("abu", "de", "di", "van", "von", "da", "du", "del", "della", "der", "ter")
        and words[0][:1].isupper()
        and len(words) > 1
    ):
        return False
    titled = bool(candidate.title_tokens)
    for i, low in enumerate(lowered):
        if low in NON_PERSON_WORDS:
            # "Theresa May", "Mrs May": a month or weekday is a surname after a first name.
            if (i > 0 or (titled and len(words) == 1)) and low in {
                "may",
                "june",
                "april",
                "august",
                "march",
            }:
                continue
            return False
    if len(words) > 1 and lowered[-1] in ("bill", "act", "law"):
        return False
    if len(words) > 1 and lowered[-1] in TITLE_WORDS:
        return False  # "Bruneian Permanent Secretary", "Zealand Minister": a title, no name
    name = " ".join(words)
    known = gazetteer.actors.get(fold(name))
    if known is not None:
        return known.kind == "person"
    last_title = candidate.title_tokens[-1].word if titled else ""
    # "Secretary of State Kerry": the run starts after "of", the title is the whole phrase.
    honorific = (
        last_title.lower().rstrip(".") in HONORIFICS
        or (last_title == "State" and candidate.run.preceded_by == "of")
    ) and not _is_acronym(last_title)
    place = gazetteer.place(name)
    if (
        place is not None
        and len(words) == 1
        and honorific
        and place[1] == "city"
        and not gazetteer.side_of(name)
    ):
        # "President Bush", "Secretary Baker": a surname that is also some town's name.
        return True
    if place or gazetteer.side_of(name):
        return False
    if any(fold(w) in gazetteer.demonyms for w in words):
        return False
    if len(words) == 1:
        return honorific and not _is_acronym(words[0]) and lowered[0] not in SENTENCE_WORDS
    # A name right after "the" is a thing ("the Kerem Shalom crossing") unless titled.
    if candidate.run.preceded_by == "the" and not titled:
        return False
    # "Free Sign Up", "Open Debate": a first word the article also uses in lower case, and no
    # known given name, is an ordinary word capitalised in a heading or a title.
    first = words[0]
    return titled or first in FIRST_NAMES or first.lower() not in lower_words


ROLE_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "dr",
        "dr.",
        "sir",
        "lord",
        "lady",
        "dame",
    ]
)


class PeopleIndex:
    """Every person in an article, in order of first mention, and the mentions of each."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self.mentions: list[Mention] = []

    def resolve(self, surface: str) -> Person | None:
        words = [w for w in surface.split() if w.lower().rstrip(".") not in TITLE_WORDS]
        if not words:
            return None
        key = fold(" ".join(words))
        for person in self.people:
            if fold(person.name) == key or key in {fold(a) for a in person.aliases}:
                return person
        key_words = key.split()
        if len(key_words) >= 2:
            # "Michael Bloomberg" is "Michael R. Bloomberg": same first and last name.
            for person in self.people:
                tokens = fold(person.name).split()
                if len(tokens) >= 2 and (tokens[0], tokens[-1]) == (key_words[0], key_words[-1]):
                    return person
        key_words = key.split()
        # A suffix of a longer name ("Abu Marzouk", "Netanyahu", "Hayya" for "al-Hayya").
        best = None
        for person in self.people:
            tokens = fold(person.name).split()
            if ROMAN.match(person.tokens[-1]) and len(tokens) > 1:
                tokens = tokens[:-1]
            stripped = [t[3:] if t.startswith(("al ", "el ")) else t for t in tokens]
            if (
                tokens[-len(key_words) :] == key_words
                or stripped[-len(key_words) :] == key_words
                or (
                    len(key_words) == 1
                    and len(tokens) > 1
                    and tokens[-1].endswith(key_words[0])
                    and tokens[-1] in {"al " + key_words[0], "el " + key_words[0]}
                )
                or (len(key_words) == 1 and (tokens[-1] == "al " + key_words[0]))
            ):
                best = best or person
        if best is None and len(key_words) == 1:
            for person in self.people:
                flat = fold(person.name.replace("-", " ")).split()
                if flat and flat[-1] == key_words[0]:
                    return person
        return best


def find_people(
    text: str, sentences: list[Sentence], gazetteer: Gazetteer, byline: str = ""
) -> PeopleIndex:
    index = PeopleIndex()
    headings = heading_paragraphs(text)
    lower_words = set(re.findall(r"\b[a-z]+\b", text))
    byline_words = {fold(w) for w in re.findall(r"[A-Z][\w'’-]+", byline or "")}
    pending_short: list[tuple[_Candidate, str]] = []
    for sentence in sentences:
        if sentence.paragraph in headings or CREDIT_PARAGRAPH.search(sentence.text):
            continue
        for run in capitalised_runs(text, sentence):
            if gazetteer.place(" ".join(t.word for t in run.tokens)):
                continue
            candidate = _split_title(run, gazetteer)
            if candidate is None or not _looks_like_person(candidate, gazetteer, lower_words):
                continue
            before = text[run.tokens[0].start - 1] if run.tokens[0].start else ""
            if before and before in QUOTE_OPENERS:
                continue  # "Once Upon A Time in Hollywood", a title, not a person
            start = candidate.name_tokens[0].start
            if CREDIT.search(text[max(0, start - 40) : start]):
                continue
            words = [t.word for t in candidate.name_tokens]
            titles = [t.word for t in candidate.title_tokens]
            if (
                len(words) > 1
                and ROMAN.match(words[-1])
                and titles
                and titles[-1].lower() in REGNAL_TITLES
            ):
                words = [titles.pop(), *words]
            name = " ".join(words)
            if byline_words and all(fold(w) in byline_words for w in words):
                continue
            known = gazetteer.actors.get(fold(name))
            if known is not None:
                name = known.name
            role = " ".join(t for t in titles if t.lower() not in ROLE_STOP)
            person = index.resolve(name)
            if person is None and (len(words) > 1 or known is not None):
                person = Person(
                    name=name,
                    role=role,
                    affiliation=(known.affiliation if known else "") or candidate.side,
                    first_start=start,
                )
                index.people.append(person)
            elif person is None:
                pending_short.append((candidate, name))
                continue
            first = (candidate.title_tokens or candidate.name_tokens)[0]
            surface = text[first.start : candidate.name_tokens[-1].end]
            if surface != person.name and surface not in person.aliases:
                surface_clean = _clean(surface)[0]
                if surface_clean != person.name and surface_clean not in person.aliases:
                    person.aliases.append(surface_clean)
            if not person.role and role:
                person.role = role
            if not person.affiliation and candidate.side:
                person.affiliation = candidate.side
            index.mentions.append(_person_mention(text, candidate, person))
    # Titled single names never given in full ("President Trump") are people in their own right.
    for candidate, name in pending_short:
        person = index.resolve(name)
        if person is None:
            person = Person(
                name=name,
                role=" ".join(t.word for t in candidate.title_tokens),
                affiliation=candidate.side,
                first_start=candidate.name_tokens[0].start,
            )
            index.people.append(person)
        index.mentions.append(_person_mention(text, candidate, person))
    _bare_surnames(text, sentences, index)
    _appositions(text, index, gazetteer)
    index.people.sort(key=lambda p: p.first_start)
    index.mentions.sort(key=lambda m: m.start)
    return index


def _person_mention(text: str, candidate: _Candidate, person: Person) -> Mention:
    """The mention a candidate makes of ``person``, its titles included ("President Biden")."""
    first = (candidate.title_tokens or candidate.name_tokens)[0]
    last = candidate.name_tokens[-1]
    return Mention(
        first.start,
        last.end,
        "person",
        text[first.start : last.end],
        person,
        person.affiliation,
        last.possessive,
    )


def _bare_surnames(text: str, sentences: list[Sentence], index: PeopleIndex) -> None:
    """Untitled short forms ("Netanyahu said") of people already found."""
    taken = [(m.start, m.end) for m in index.mentions]
    keys: dict[str, Person] = {}
    for person in index.people:
        tokens = person.name.split()
        if len(tokens) < 2:
            keys.setdefault(tokens[0], person)
            continue
        last = tokens[-1]
        if ROMAN.match(last) and len(tokens) > 1:
            last = tokens[-2]
        keys.setdefault(last, person)
        if "-" in last and last.split("-")[0].lower() in PARTICLES:
            keys.setdefault(last.split("-", 1)[1], person)
        if len(tokens) >= 3 and tokens[-2].lower() in PARTICLES | {"abu", "al", "bin"}:
            keys.setdefault(" ".join(tokens[-2:]), person)
        if (
            len(tokens) >= 3
            and tokens[-2][:1].isupper()
            and tokens[-3].lower() in ("bin", "abu", "ibn")
        ):
            keys.setdefault(" ".join(tokens[-2:]), person)
        if ROMAN.match(tokens[-1]):
            keys.setdefault(tokens[-2], person)
    if not keys:
        return
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
        + r")(?:'s|’s)?(?![\w-])"
    )
    for sentence in sentences:
        if is_heading(sentence.text):
            continue
        for match in pattern.finditer(text, sentence.start, sentence.end):
            s, e = match.start(1), match.end(1)
            if any(a <= s < b or a < e <= b for a, b in taken):
                continue
            if NAME_AS_MODIFIER.match(text, match.end()) and match.end() == e:
                continue  # "the Bush administration": a government, not the man speaking
            person = keys[match.group(1)]
            index.mentions.append(
                Mention(s, e, "person", match.group(1), person, person.affiliation, match.end() > e)
            )
            taken.append((s, e))


NAME_AS_MODIFIER = re.compile(r"\s+(?:administration|government|era|years|presidency|camp)\b")


_APPOSITION = re.compile(
    r"^,\s+(?:a|an|the)\s+((?:[\w.’'-]+\s+){0,5}?)(official|leader|spokes(?:man|woman|person)|"
    r"negotiator|minister|adviser|advisor|envoy|commander|member|head|chief|director|"
    r"representative|ambassador|diplomat|aide|figure|president|secretary|mediator)\b"
)


# "China's trade negotiator Li Chenggang", "Kremlin spokesman Dmitry Peskov": a side, then a
# lower-case role right before the name.
_OWNED_ROLE = re.compile(
    r"\b([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3})(?:'s|’s)?\s+((?:[a-z][\w-]*\s+){0,3}?"
    r"(?:official|leader|spokes(?:man|woman|person)|negotiator|minister|adviser|advisor|envoy|"
    r"commander|head|chief|director|representative|ambassador|diplomat|aide|president|"
    r"secretary|chancellor|premier|mediator))\s+$"
)


# cues.ROLE_SIDES, anchored to end right before the name ("Secretary of State Antony Blinken").
_ROLE_SIDES = [
    (re.compile(rf"\b{title}\s+(?:[A-Z][\w.'’-]*\s+){{0,4}}[A-Z][\w.'’-]*$"), side)
    for title, side in ROLE_SIDES
]


def _appositions(text: str, index: PeopleIndex, gazetteer: Gazetteer) -> None:
    """ "Musa Abu Marzouk, a senior Hamas official": role and side from the apposition."""
    for mention in index.mentions:
        person = mention.person
        if person is None:
            continue
        if not person.affiliation:
            owned = _OWNED_ROLE.search(text[max(0, mention.start - 80) : mention.start])
            side = None
            if owned:
                # "Senior Iranian official": the last word that names a side, not the whole run.
                words = owned.group(1).split()
                side = gazetteer.side_of(owned.group(1)) or next(
                    (gazetteer.side_of(w) for w in reversed(words) if gazetteer.side_of(w)), None
                )
            if side and owned:
                person.affiliation = side
                mention.side = side
                person.role = person.role or owned.group(2)
        if not person.affiliation:
            side_of_title = next(
                (
                    side
                    for title, side in _ROLE_SIDES
                    if title.search(text[max(0, mention.start - 60) : mention.end])
                ),
                "",
            )
            if side_of_title and mention.start > 0:
                person.affiliation = side_of_title
                mention.side = side_of_title
        match = _APPOSITION.match(text[mention.end : mention.end + 120])
        if not match:
            continue
        if not person.role:
            person.role = (match.group(1) + match.group(2)).strip()
        if not person.affiliation:
            for word in re.findall(r"[A-Z][\w.]*", match.group(1)):
                side = gazetteer.side_of(word)
                if side:
                    person.affiliation = side
                    mention.side = side
                    break
