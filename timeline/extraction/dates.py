# ruff: noqa: RUF001 - typographic quotation marks are what this module reads.
"""Dates in news copy, resolved against the publication date with the tense of the clause.

A past "on Sunday" is the Sunday on or before publication; a future one ("meets on Monday",
"will return on Tuesday") the Monday on or after it. Vague expressions ("in recent days",
"during the past week", "next week") keep their words and get a coarser precision.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "several": None,
    "few": None,
    "a few": None,
}

DAY = "day"
WEEK = "week"
MONTH = "month"
YEAR = "year"
APPROXIMATE = "approximate"


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str  # the words as printed, e.g. "on Sunday"
    date: dt.date | None  # the resolved date (the start of the period for coarse ones)
    precision: str  # day, week, month, year, approximate
    tense: str  # past, future or unknown
    future_date: dt.date | None = None  # the reading if the clause is about the future


_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_PART = r"(?:\s+(?:morning|afternoon|evening|night|midday|noon))?"
_LEAD = r"(?:(?:[Oo]n|[Bb]y|[Uu]ntil|[Ss]ince|[Ff]rom|[Aa]t\s+midnight|[Ll]ate|[Ee]arly|[Ll]ast|[Tt]his|[Nn]ext)\s+)?"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "md_y",
        re.compile(
            rf"\b(?:[Oo]n\s+|[Aa]t\s+midnight\s+)?({_MON})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
        ),
    ),
    ("dm_y", re.compile(rf"\b(?:[Oo]n\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MON})\s+(\d{{4}})\b")),
    (
        "md",
        re.compile(
            rf"\b(?:[Oo]n\s+|[Bb]y\s+|[Aa]t\s+midnight\s+|[Uu]ntil\s+|[Ss]ince\s+)?({_MON})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})(?!\d|:\d)"
        ),
    ),
    (
        "dm",
        re.compile(
            rf"\b(?:[Oo]n\s+|[Bb]y\s+|[Uu]ntil\s+|[Ss]ince\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MON})\b(?!\s+\d{{4}})"
        ),
    ),
    ("m_y", re.compile(rf"\b(?:[Ii]n\s+)?({_MON})\s+(\d{{4}})\b")),
    ("weekday", re.compile(rf"\b{_LEAD}({_WD}){_PART}\b")),
    (
        "today",
        re.compile(
            r"\b(?:(?:[Ee]arly|[Ll]ate|[Ee]arlier|[Ll]ater)\s+)?([Tt]oday|[Tt]onight|this\s+(?:morning|afternoon|evening))\b"
        ),
    ),
    ("yesterday", re.compile(r"\b(?:[Ee]arly\s+|[Ll]ate\s+)?([Yy]esterday|last\s+night)\b")),
    ("tomorrow", re.compile(r"\b([Tt]omorrow)\b")),
    (
        "ago",
        re.compile(
            r"\b((?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|few)\s+(day|week|month|year)s?\s+ago)\b"
        ),
    ),
    (
        "rel_period",
        re.compile(
            r"\b((?:[Ll]ast|[Nn]ext|[Tt]his|[Ee]arlier\s+this|[Ll]ater\s+this)\s+(week|month|year|weekend))\b"
        ),
    ),
    ("in_month", re.compile(rf"\b([Ii]n\s+(?:early\s+|late\s+|mid-)?)({_MON})\b(?!\s+\d)")),
    ("in_year", re.compile(r"\b([Ii]n\s+)((?:19|20)\d\d)\b")),
    (
        "approx",
        re.compile(
            r"\b((?:in|over|during)\s+(?:the\s+)?(?:recent|past|last|coming|next)\s+(?:few\s+|two\s+|three\s+|several\s+)?(?:days|weeks|months|week|month|hours)|(?:in|within)\s+(?:\d+|two|three|four|five|six|a few)\s+(?:days|weeks|months)|recently|weeks ago|days ago|months ago)\b",
            re.I,
        ),
    ),
]

FUTURE_MARKERS = re.compile(
    r"\b(?:will|'ll|’ll|shall|would|(?:is|are|'s|'re)\s+(?:due|expected|scheduled|set|slated)|"
    r"plans? to|planning|going to|to be held|to begin|to start|to meet|"
    r"to resume|to hold|to return|to arrive|to travel|to visit|to attend|to join|to take place|"
    r"upcoming|is to|are to)\b",
    re.I,
)
PAST_MARKERS = re.compile(
    r"\b(?:said|says|told|announced|confirmed|reported|added|wrote|warned|ended|began|began|"
    r"met|held|was|were|had|did|left|arrived|fired|killed|launched|reached|agreed|rejected|"
    r"expressed|pledged|called|spoke|signed|struck|delivered|sent|took|flew|ago|last|"
    r"earlier|[a-z]+ed)\b",
    re.I,
)
# A present-tense verb right before the date ("meets on Monday", "begins Tuesday") is future.
PRESENT_VERB = re.compile(
    r"\b(?:meets|begins|starts|opens|resumes|arrives|returns|travels|visits|holds|convenes|expires|ends|closes|leaves|departs)\s+$",
    re.I,
)


def _clause_before(text: str, start: int) -> str:
    left = text[max(0, start - 90) : start]
    cut = max(left.rfind(". "), left.rfind("\n"), left.rfind("; "))
    return left[cut + 1 :] if cut >= 0 else left


def tense_at(text: str, start: int, end: int) -> str:
    """'future' or 'past' for the clause around a date expression (past by default)."""
    left = _clause_before(text, start)
    if PRESENT_VERB.search(left):
        return "future"
    words = left.split()[-7:]
    window = " ".join(words)
    right = text[end : end + 40]
    future = list(FUTURE_MARKERS.finditer(window))
    past = list(PAST_MARKERS.finditer(window))
    if future and (not past or future[-1].start() > past[-1].start()):
        return "future"
    if not past and re.match(r"\s*(?:,\s*)?(?:will|is due|are due|is expected)", right):
        return "future"
    return "past"


def _weekday_date(published: dt.date, weekday: int, tense: str) -> dt.date:
    delta = (published.weekday() - weekday) % 7
    if tense == "future":
        return published + dt.timedelta(days=(weekday - published.weekday()) % 7)
    return published - dt.timedelta(days=delta)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# The largest "N <unit>s ago" resolved to a date: about a millennium in each unit.
MAX_AGO = {"day": 366_000, "week": 52_200, "month": 12_000, "year": 1_000}


def resolve(
    kind: str, match: re.Match[str], published: dt.date, tense: str
) -> tuple[dt.date | None, str]:
    """(date, precision) for one matched expression."""
    if kind in ("md_y", "dm_y"):
        if kind == "md_y":
            month, day, year = match.group(1), match.group(2), match.group(3)
        else:
            day, month, year = match.group(1), match.group(2), match.group(3)
        return _safe_date(int(year), MONTHS[month.lower().rstrip(".")], int(day)), DAY
    if kind in ("md", "dm"):
        if kind == "md":
            month, day = match.group(1), match.group(2)
        else:
            day, month = match.group(1), match.group(2)
        m = MONTHS[month.lower().rstrip(".")]
        # No year printed: the publication year, unless that lands far on the wrong side.
        year = published.year
        candidate = _safe_date(year, m, int(day))
        if candidate and tense == "future" and (published - candidate).days > 180:
            candidate = _safe_date(year + 1, m, int(day))
        elif candidate and tense == "past" and (candidate - published).days > 180:
            candidate = _safe_date(year - 1, m, int(day))
        return candidate, DAY
    if kind == "m_y":
        return _safe_date(int(match.group(2)), MONTHS[match.group(1).lower().rstrip(".")], 1), MONTH
    if kind == "weekday":
        words = match.group(0).lower().split()
        weekday = WEEKDAYS.index(match.group(1).lower())
        if "next" in words:
            tense = "future"
        elif "last" in words:
            return published - dt.timedelta(days=((published.weekday() - weekday) % 7) or 7), DAY
        return _weekday_date(published, weekday, tense), DAY
    if kind == "today":
        return published, DAY
    if kind == "yesterday":
        return published - dt.timedelta(days=1), DAY
    if kind == "tomorrow":
        return published + dt.timedelta(days=1), DAY
    if kind == "ago":
        count = NUMBERS.get(match.group(1).split()[0].lower())
        if match.group(1).split()[0].isdigit():
            count = int(match.group(1).split()[0])
        unit = match.group(2).lower()
        if count is None or count > MAX_AGO[unit]:
            # "40000 years ago" is not a date in negotiation reporting, and a count this large
            # overflows datetime: leave it unresolved rather than fail the whole report.
            return None, APPROXIMATE
        if unit == "day":
            return published - dt.timedelta(days=count), DAY
        if unit == "week":
            return published - dt.timedelta(weeks=count), WEEK
        if unit == "month":
            return _month_shift(published, -count), MONTH
        return _safe_date(published.year - count, 1, 1), YEAR
    if kind == "rel_period":
        words = match.group(1).lower().split()
        unit = words[-1]
        shift = -1 if words[0] == "last" else 1 if words[0] == "next" else 0
        if unit in ("week", "weekend"):
            monday = published - dt.timedelta(days=published.weekday())
            return monday + dt.timedelta(weeks=shift), WEEK
        if unit == "month":
            return _month_shift(published.replace(day=1), shift), MONTH
        return _safe_date(published.year + shift, 1, 1), YEAR
    if kind == "in_month":
        month = MONTHS[match.group(2).lower().rstrip(".")]
        year = published.year
        if tense == "past" and month > published.month:
            year -= 1
        elif tense == "future" and month < published.month:
            year += 1
        return _safe_date(year, month, 1), MONTH
    if kind == "in_year":
        return _safe_date(int(match.group(2)), 1, 1), YEAR
    return None, APPROXIMATE


def _month_shift(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def find_dates(
    text: str, published: dt.date | None, start: int = 0, end: int | None = None
) -> list[DateMention]:
    """Every date expression in text[start:end], earliest first, overlaps resolved longest-first."""
    end = len(text) if end is None else end
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text, start, end):
            found.append((match.start(), match.end(), kind, match))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for s, e, kind, match in found:
        if any(a < e and s < b for a, b in taken):
            continue
        # "May" alone is usually the verb or a name, never a date without a day or "in".
        words = match.group(0)
        tense = tense_at(text, s, e)
        if published is None:
            date, precision = None, APPROXIMATE if kind == "approx" else DAY
            future = None
        else:
            date, precision = resolve(kind, match, published, tense)
            future = resolve(kind, match, published, "future")[0]
        taken.append((s, e))
        out.append(DateMention(s, e, words, date, precision, tense, future))
    out.sort(key=lambda d: d.start)
    return out


def parse_published(value: str | None) -> dt.date | None:
    if not value:
        return None
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    if match:
        return _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    try:
        import dateparser  # type: ignore[import-untyped]  # slow to import; only for odd formats

        parsed = dateparser.parse(str(value), settings={"PREFER_DAY_OF_MONTH": "first"})
    except Exception:
        return None
    return parsed.date() if parsed else None
