# ruff: noqa: RUF001 - typographic quotation marks are what this module reads.
"""Paragraphs, sentences and tokens, each with character offsets into the article's text."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Invisible characters some outlets leave inside words; offsets must stay exact, so they are
# never removed from the text, only skipped by the patterns below.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "adm",
        "sen",
        "rep",
        "gov",
        "sgt",
        "jr",
        "sr",
        "prof",
        "no",
        "vs",
        "etc",
        "inc",
        "co",
        "corp",
        "ltd",
        "u.s",
        "a.m",
        "p.m",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "e.g",
        "i.e",
        "approx",
        "est",
        "dept",
        "fig",
        "mt",
        "ft",
    ]
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int  # index of the paragraph the sentence belongs to
    first_in_paragraph: bool


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph; blank lines separate paragraphs.

    Text without any blank line (some extractors put one paragraph a line) is split by line.
    """
    spans = []
    pattern = r"[^\n]+(?:\n(?![ \t]*\n)[^\n]+)*" if re.search(r"\n[ \t]*\n", text) else r"[^\n]+"
    for match in re.finditer(pattern, text):
        chunk = match.group()
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((match.start() + lead, match.start() + len(chunk.rstrip())))
    return spans


_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


_ATTRIBUTION = re.compile(
    r"\s+(?:[A-Z][\w.’'-]*\s+){1,4}(?:said|says|added|wrote|told|asked|insisted|warned)\b"
)


def sentences(text: str) -> list[Sentence]:
    """Split into sentences without losing offsets. Abbreviations and initials do not end one."""
    out: list[Sentence] = []
    for index, (p_start, p_end) in enumerate(paragraphs(text)):
        chunk = text[p_start:p_end]
        start = 0
        first = True
        for match in _BOUNDARY.finditer(chunk):
            before = chunk[start : match.start()]
            upto = chunk[: match.start()]
            # Never inside a quotation: '"Talks failed. We go home," he said.'
            low, high = upto.count("„"), upto.count("“")
            # German-style „...“ pairs count as closed.
            open_curly = high + low - upto.count("”") - 2 * min(low, high)
            if open_curly > 0 or upto.count('"') % 2 == 1:
                continue
            # '"Enough of war!" Leo said.' is one sentence.
            if match.group()[-1:] in '"”' and _ATTRIBUTION.match(chunk, match.end()):
                continue
            word = re.search(r"([A-Za-z.]+)$", before)
            if word:
                token = word.group(1).lower().rstrip(".")
                if token in ABBREVIATIONS or (len(token) == 1 and match.group().startswith(".")):
                    continue
            end = match.end()
            piece = chunk[start:end]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                out.append(
                    Sentence(
                        p_start + start + lead,
                        p_start + end,
                        piece.strip(),
                        index,
                        first,
                    )
                )
                first = False
            start = end
        piece = chunk[start:]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append(Sentence(p_start + start + lead, p_end, piece.strip(), index, first))
    return out


def is_heading(text: str) -> bool:
    """Subheads, captions of link lists and shouted headlines carry no reporting."""
    stripped = text.strip()
    if stripped.startswith(("#", "-", "*", "!", "[")):
        return True
    if re.match(r"(?:see also|read more|also read|related|read next|watch now)\b", stripped, re.I):
        return True
    letters = [ch for ch in stripped if ch.isalpha()]
    return bool(
        letters and sum(ch.isupper() for ch in letters) / len(letters) > 0.8 and len(letters) > 3
    )


@functools.lru_cache(maxsize=8)
def heading_paragraphs(text: str) -> frozenset[int]:
    return frozenset(i for i, (a, b) in enumerate(paragraphs(text)) if is_heading(text[a:b]))


_MD_LINK = re.compile(r"\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")


def analysis_text(text: str) -> str:
    """The text with markup and invisible characters blanked out, same length as the original.

    Every offset found in it is an offset into the original, so citations stay exact while the
    rules see "Tasnim said" instead of "Tasnim [said](https://...)".
    """
    out = list(text)

    def blank(a: int, b: int) -> None:
        for i in range(a, b):
            if out[i] != "\n":
                out[i] = " "

    for match in _MD_IMAGE.finditer(text):
        blank(match.start(), match.end())
    for match in _MD_LINK.finditer(text):
        if text[match.start() - 1 : match.start()] == "!":
            continue
        blank(match.start(), match.start() + 1)
        blank(match.start(1) + len(match.group(1)), match.end())
    for i, ch in enumerate(out):
        if ch in INVISIBLE or ch == "\\" or ch == "\u00a0":
            out[i] = " "
    return "".join(out)
