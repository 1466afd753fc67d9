# ruff: noqa: RUF001 - typographic quotation marks are what this module reads.
"""Quotations and who said them.

Quote spans come from quotation marks (curly or straight double quotes; single quotes where an
outlet uses them as quotation marks), including partial quotes in running text and quotes that
run over several paragraphs. The speaker is the subject of the nearest verb of saying: a named
person, a pronoun resolved to the last speaker ("He said: ..."), an anonymous descriptor ("a
senior Hamas official", "two American officials") or an institution ("the Kremlin said"), which
is recorded without a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import Gazetteer, fold
from .mentions import (
    ORG_SUFFIX,
    PREPOSITIONS,
    SPEECH,
    SPEECH_NOUN,
    TITLE_REF,
    clause_subject,
    mentions_for,
)
from .people import Mention, PeopleIndex, Person
from .text import Sentence, heading_paragraphs

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"


@dataclass
class QuoteSpan:
    start: int  # of the quoted words, marks excluded
    end: int
    outer_start: int  # with the marks
    outer_end: int
    paragraph: int
    opens_paragraph: bool


@dataclass
class Quote:
    start: int
    end: int
    text: str
    speaker: Person | None
    speaker_description: str
    anonymous: bool
    affiliation: str
    attribution: str  # named_official, anonymous_official, spokesperson, outlet, document


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "\u200b\u2060\ufeff"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:\u200b\u2060\ufeff"):
        end -= 1
    return start, end


def _double_spans(text: str, para_spans: list[tuple[int, int]]) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    for index, (p_start, p_end) in enumerate(para_spans):
        chunk = text[p_start:p_end]
        opened: int | None = None
        for i, ch in enumerate(chunk):
            if ch == '"':
                if opened is None:
                    opened = i
                else:
                    spans.append(_span(text, p_start, opened, i, index))
                    opened = None
            elif ch == "“" and opened is not None and chunk[opened] == "„":
                # German-style „...“: the English opening mark closes.
                spans.append(_span(text, p_start, opened, i, index))
                opened = None
            elif ch in OPEN_DOUBLE:
                opened = i
            elif ch in CLOSE_DOUBLE and opened is not None:
                spans.append(_span(text, p_start, opened, i, index))
                opened = None
        if opened is not None and (opened == 0 or chunk[:opened].strip() == ""):
            # A quote running on into the next paragraph: this paragraph's part ends here.
            spans.append(_span(text, p_start, opened, len(chunk), index))
        elif opened is not None and p_end - p_start - opened > 3:
            spans.append(_span(text, p_start, opened, len(chunk), index))
    return [s for s in spans if s.end > s.start]


def _span(text: str, p_start: int, opened: int, closed: int, index: int) -> QuoteSpan:
    start, end = _trim(text, p_start + opened + 1, p_start + closed)
    return QuoteSpan(start, end, p_start + opened, p_start + closed + 1, index, opened == 0)


_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))['‘](?=[\w\[])")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?%)\]])['’](?=[\s.,;:!?)\]—–-]|$)")


def _single_spans(text: str, para_spans: list[tuple[int, int]]) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    for index, (p_start, p_end) in enumerate(para_spans):
        chunk = text[p_start:p_end]
        marks = sorted(
            [(m.start(), "open") for m in _SINGLE_OPEN.finditer(chunk)]
            + [(m.start(), "close") for m in _SINGLE_CLOSE.finditer(chunk)]
        )
        stack: list[int] = []
        for pos, kind in marks:
            if kind == "open":
                stack.append(pos)
            elif stack:
                opened = stack.pop()
                if not stack:  # only outermost quotes are quotes; nested ones stay inside
                    spans.append(_span(text, p_start, opened, pos, index))
        next_opens = index + 1 < len(para_spans) and text[para_spans[index + 1][0]] in "'‘"
        if stack and (stack[0] == 0 or next_opens or chunk[: stack[0]].rstrip().endswith(":")):
            spans.append(_span(text, p_start, stack[0], len(chunk), index))
    return [s for s in spans if s.end > s.start]


def quote_spans(text: str, para_spans: list[tuple[int, int]]) -> list[QuoteSpan]:
    doubles = _double_spans(text, para_spans)
    singles_open = len(_SINGLE_OPEN.findall(text))
    if singles_open > max(2, 2 * len(doubles)):
        inside = [(s.outer_start, s.outer_end) for s in doubles]
        singles = [
            s
            for s in _single_spans(text, para_spans)
            if not any(a <= s.outer_start < b for a, b in inside)
        ]
        doubles = sorted(doubles + singles, key=lambda s: s.start)
    return doubles


@dataclass
class _Speaker:
    person: Person | None
    description: str
    anonymous: bool
    side: str
    plural: bool = False
    is_org: bool = False


def _speaker_from(mention: Mention, state: dict, people: PeopleIndex) -> _Speaker | None:
    if mention.kind == "person" and mention.person is not None:
        return _Speaker(mention.person, mention.text, False, mention.person.affiliation)
    if mention.kind == "anonymous":
        return _Speaker(None, mention.text, True, mention.side, mention.plural)
    if mention.kind == "pronoun":
        last = state.get("last_plural" if mention.plural else "last")
        if last is None:
            return None
        return _Speaker(last.person, mention.text, last.anonymous, last.side, last.plural)
    if mention.kind == "title":
        person = _resolve_title(mention, state, people)
        if person is not None:
            return _Speaker(person, mention.text, False, person.affiliation)
        return _Speaker(None, mention.text, True, "")
    return _Speaker(None, mention.text, False, mention.side, is_org=True)


TITLE_SYNONYMS = {"pm": "prime minister", "premier": "prime minister", "peer": "lord"}


def _resolve_title(mention: Mention, state: dict, people: PeopleIndex) -> Person | None:
    match = TITLE_REF.match(mention.text)
    if not match:
        return None
    title = TITLE_SYNONYMS.get(match.group("title").lower(), match.group("title").lower())
    qualifier = match.group("qual") or ""
    side = ""
    if qualifier:
        side = state["gazetteer"].side_of(qualifier) or ""
    best = None
    for m in people.mentions:
        if m.start >= mention.start or m.person is None:
            continue
        person = m.person
        role = (person.role + " " + " ".join(person.aliases)).lower()
        role = re.sub(r"\b(?:vice|deputy|former|acting)[ -]" + re.escape(title), " ", role)
        if title in role or (title == "prime minister" and " pm" in " " + role):
            if side and person.affiliation and person.affiliation != side:
                continue
            best = person
    return best


def _main_subject(
    mentions: list[Mention], limit: int, sentence_start: int, text: str
) -> Mention | None:
    """The subject of the main clause, for participles ("..., saying ...")."""
    people_first = [m for m in mentions if m.end <= limit and not m.possessive]
    for m in people_first:
        if m.kind == "organisation":
            continue
        before = text[max(sentence_start, m.start - 12) : m.start].lower().split()
        if before and before[-1] in PREPOSITIONS:
            continue
        return m
    for m in people_first:
        before = text[max(sentence_start, m.start - 12) : m.start].lower().split()
        if before and before[-1] in PREPOSITIONS:
            continue
        return m
    return None


def _remember(state: dict, speaker: _Speaker | None) -> None:
    if speaker is None or speaker.is_org:
        return
    if speaker.plural:
        state["last_plural"] = speaker
    else:
        state["last"] = speaker


def extract_quotes(
    text: str,
    sentences: list[Sentence],
    para_spans: list[tuple[int, int]],
    spans: list[QuoteSpan],
    people: PeopleIndex,
    gazetteer: Gazetteer,
) -> list[Quote]:
    """Attribute the quoted passages ``spans`` (from ``quote_spans``) to their speakers."""
    masked = [(q.outer_start, q.outer_end) for q in spans]
    state: dict = {"gazetteer": gazetteer, "last": None, "last_plural": None}
    quotes: list[Quote] = []
    previous: _Speaker | None = None
    previous_paragraph = -1
    previous_open_end = False
    headings = heading_paragraphs(text)
    org_words = {m.group(1) for m in re.finditer(r"\b([A-Z][\w-]+)" + ORG_SUFFIX.pattern, text)}
    state["org_words"] = org_words
    said_here: tuple[int, _Speaker] | None = None
    lead_in: tuple[int, _Speaker | None] | None = None
    for sentence in sentences:
        in_sentence = [q for q in spans if sentence.start <= q.outer_start < sentence.end]
        heading = sentence.paragraph in headings
        mentions = mentions_for(text, sentence, people, gazetteer, masked, org_words)
        # Verbs of saying outside the quoted words, in order.
        verbs = []
        for match in SPEECH.finditer(text, sentence.start, sentence.end):
            if any(a <= match.start() < b for a, b in masked):
                continue
            verbs.append(match)
        resolved_at: dict[int, _Speaker | None] = {}
        for verb in verbs:
            speaker = _speaker_for_verb(verb, mentions, text, sentence, state, people, masked)
            resolved_at[verb.start()] = speaker
            _remember(state, speaker)
        if re.search(r":\s*$", text[sentence.start : sentence.end]) and not in_sentence:
            # "X issued the following statement:" / "He said:" then the quoted paragraphs.
            subject = _main_subject(mentions, sentence.end, sentence.start, text)
            if subject is not None and subject.kind == "person" and subject.person is not None:
                lead_in = (sentence.paragraph, _speaker_from(subject, state, people))
        said_before = said_here
        said_here = None
        if verbs and resolved_at.get(verbs[-1].start()) is not None:
            said_here = (sentence.paragraph, resolved_at[verbs[-1].start()])  # type: ignore[assignment]
        for q in in_sentence:
            if heading:
                continue
            speaker = _attribute(
                q, sentence, verbs, resolved_at, mentions, text, state, people, masked
            )
            if (
                speaker is None
                and lead_in is not None
                and q.opens_paragraph
                and q.paragraph == lead_in[0] + 1
            ):
                speaker = lead_in[1]
            if speaker is None and q.paragraph == previous_paragraph and previous is not None:
                # A second quoted sentence in the same paragraph, same speaker.
                speaker = previous
            if (
                speaker is None
                and said_before is not None
                and said_before[0] == sentence.paragraph
                and text[sentence.start : q.outer_start].strip() == ""
            ):
                # '..., Mr. Barrios said. "The service runs at rush hour."'
                speaker = said_before[1]
            if (
                speaker is None
                and q.opens_paragraph
                and previous is not None
                and (previous_open_end or q.paragraph == previous_paragraph + 1)
                and not verbs
            ):
                speaker = previous
            if speaker is None:
                continue
            quote = _make_quote(text, q, speaker)
            if any(fold(x.text) == fold(quote.text) for x in quotes):
                continue  # a caption repeating the paragraph below it
            quotes.append(quote)
            previous = speaker
            previous_paragraph = q.paragraph
            previous_open_end = (
                text[q.end : q.end + 2].strip() == "" or q.outer_end >= para_spans[q.paragraph][1]
            )
    return quotes


def _speaker_for_verb(verb, mentions, text, sentence, state, people, masked) -> _Speaker | None:
    start, end = verb.start(), verb.end()
    if verb.group("acc"):
        after = [m for m in mentions if m.start >= end and m.start - end < 4]
        return _speaker_from(after[0], state, people) if after else None
    # Inverted order after a quote: '"...," said Krieger' / 'said a senior Hamas official'.
    before_text = text[max(sentence.start, start - 4) : start]
    quote_before = any(b <= start and start - b < 4 for a, b in masked)
    if quote_before or before_text.strip() == "":
        after = [m for m in mentions if m.start >= end and m.start - end < 3]
        if after:
            return _speaker_from(after[0], state, people)
    elif before_text.rstrip().endswith(",") and verb.group(0) in ("said", "says", "added", "adds"):
        # '..., says Laura Spitler, an astronomer': only a person can follow in this order.
        after = [
            m
            for m in mentions
            if m.start >= end and m.start - end < 3 and m.kind in ("person", "anonymous")
        ]
        if after:
            return _speaker_from(after[0], state, people)
    if verb.group("part"):
        adjacent = [m for m in mentions if m.end <= start and text[m.end : start].strip() == ""]
        if adjacent and not adjacent[-1].possessive:
            return _speaker_from(adjacent[-1], state, people)
        subject = _main_subject(mentions, start, sentence.start, text)
    else:
        subject = clause_subject(mentions, start, sentence.start, text)
    speaker = _speaker_from(subject, state, people) if subject is not None else None
    if speaker is None:
        # "the network said", "The UN-backed body said": an unnamed institution.
        return _Speaker(None, subject.text if subject else "", False, "", is_org=True)
    return speaker


def _attribute(q, sentence, verbs, resolved_at, mentions, text, state, people, masked):
    inside_start = q.outer_start
    starts_sentence = text[sentence.start : inside_start].strip(" :—–-") == ""
    before = [v for v in verbs if v.end() <= inside_start]
    after = [v for v in verbs if v.start() >= q.outer_end]
    # '"...," X said' or '"..." said X' right after the quote.
    if after:
        gap = text[q.outer_end : after[0].start()]
        tail = text[q.end : q.outer_end + 2].strip(" \"'”’“‘")
        signalled = tail[:1] in (",", "!", "?", ".") or text[q.end - 1 : q.end] in ",!?"
        if not signalled and "," in gap:
            rest = gap.rsplit(",", 1)[1].split()
            signalled = len(rest) <= 6 and not (
                rest and rest[0].lower() in ("that", "which", "who", "when", "where", "as")
            )
        if (
            len(gap) < 90
            and not re.search(r"[!?]\s|[a-z]{3,}\.\s", gap)
            and '"' not in gap
            and signalled
            and (starts_sentence or not before)
        ):
            return resolved_at.get(after[0].start())
    if before:
        return resolved_at.get(before[-1].start())
    left = text[sentence.start : inside_start]
    # 'X fumed, "..."', 'X sent an ultimatum that he will "not back down"'.
    if (
        left.rstrip().endswith((",", ":"))
        or SPEECH_NOUN.search(left)
        or re.search(r"\bthat\b", left)
    ):
        subject = _main_subject(mentions, inside_start, sentence.start, text)
        if subject is not None and subject.kind != "organisation":
            return _speaker_from(subject, state, people)
    # 'its "final offer"': the words of whoever "its" refers to.
    if re.search(r"\b(?:its|their)\s+$", left):
        return _Speaker(None, "", False, "", is_org=True)
    return None


def _make_quote(text: str, q: QuoteSpan, speaker: _Speaker) -> Quote:
    if speaker.person is not None:
        attribution = "named_official"
    elif speaker.anonymous:
        attribution = (
            "spokesperson" if "spokes" in speaker.description.lower() else "anonymous_official"
        )
    else:
        attribution = "outlet" if not speaker.description else "document"
    return Quote(
        start=q.start,
        end=q.end,
        text=text[q.start : q.end],
        speaker=speaker.person,
        speaker_description=speaker.description,
        anonymous=speaker.person is None and speaker.anonymous,
        affiliation=(speaker.person.affiliation if speaker.person else speaker.side) or "",
        attribution=attribution,
    )
