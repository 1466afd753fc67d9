"""From HTML or pasted text to a clean body and its metadata.

trafilatura finds the main text and the metadata; ``clean_lines`` then removes what it keeps
but an editor would not call the report: site chrome above the headline, the headline repeated
in the body, one-link "See also: ..." / "Read more: ..." lines, newsletter and app promos, photo
credits, date lines. The rules are general (they look at the shape of a line and at the page's
own links), not tuned to one site.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import errors
from .errors import Stop

MIN_WORDS = 25  # below this a "report" is a teaser, an error page or an index page


@dataclass
class ExtractedArticle:
    title: str
    text: str
    byline: str = ""
    published_at: dt.datetime | None = None
    # The date as the outlet printed it, in its own time zone: "on Sunday" is resolved against
    # this, and a UTC timestamp can fall on the next day.
    published_on: dt.date | None = None
    sitename: str = ""
    language: str = ""
    canonical_url: str = ""
    dropped_lines: list[str] = field(default_factory=list)


# --- text normalisation -----------------------------------------------------------------

# Control characters XML forbids: the HTML path loses them in the parser, pasted text kept
# them, and one of them in a published title made the Atom export fail.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def strip_controls(text: str) -> str:
    """Control characters out; vertical tab and form feed become line breaks."""
    return _CONTROL.sub("", text.replace("\x0b", "\n").replace("\x0c", "\n"))


_QUOTES = (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'))


def squash(text: str) -> str:
    """NBSP and zero-width characters out, whitespace runs collapsed: how lines are compared."""
    text = text.replace("\u200b", "").replace("\ufeff", "")
    # str.split() splits on the same Unicode whitespace as the regex \s (NBSP included), in C.
    return " ".join(text.split())


def comparable(text: str) -> str:
    text = squash(text)
    if not text.isascii():  # ASCII is already NFKC; most lines of English news are ASCII
        text = unicodedata.normalize("NFKC", text)
        # str.replace, not str.translate: translate with a mapping looks up every character
        # in Python and cost more than the rest of the normalisation together.
        for curly, straight in _QUOTES:
            if curly in text:
                text = text.replace(curly, straight)
    return text.casefold()


# --- line rules -------------------------------------------------------------------------

_LABEL = (
    r"see also|read more|read also|also read|more from|more on this|related|related articles?"
    r"|related stories|related coverage|recommended|suggested|you may also like|watch|listen"
    r"|more|also on|trending|popular|editor'?s picks?|don'?t miss|must read|click here"
)
# "See also: <headline>" / "READ MORE - <headline>" / "See also  <headline>" (pasted text
# keeps the link's words but loses the link, so the label alone is the tell).
_LABELLED_LINK = re.compile(
    rf"^\W*(?:{_LABEL})\b\s*(?:[:|>\u2013\u2014-]+|\s{{2,}}|\s)\s*(?P<rest>.+)$", re.I
)
_LABEL_ONLY = re.compile(rf"^\W*(?:{_LABEL})\W*$", re.I)
# Promotional and legal furniture. Each pattern is a phrase, not a topic word: an article
# about the advertising industry or cookie regulation must keep its paragraphs.
_PROMO = re.compile(
    r"\b(?:sign(?:ing)? up|subscribe|register)\b.{0,60}\b(?:newsletters?|e-?mail|alerts?|updates|free|today|now|here)\b"
    r"|\b(?:our|daily|weekly|free) newsletters?\b|\bnever miss\b|\b(?:get|download) (?:the|our) .{0,30}\bapp\b"
    r"|\bclick here\b|\bfollow us\b|\b(?:our|from) advertisers\b|\badvertising policy\b"
    r"|\baffiliate (?:links?|commission)\b|\b(?:receive|earn) (?:a )?(?:compensation|commission)\b"
    r"|\b(?:we|this (?:site|website)) uses? cookies\b|\baccept (?:all )?cookies\b"
    r"|\ball rights reserved\b|©|\bcopyright \d{4}|\bshare (?:this|on) (?:article|story|facebook|twitter)\b"
    r"|\bleave a comment\b|\bcomments? \(\d+\)|\bloading (?:photo|video|gallery|comments)\b"
    r"|\breport an error\b|\bjoin the conversation\b|\blog ?in to comment\b",
    re.I,
)
_PROMO_WORDS = (
    "sign",
    "subscri",
    "regist",
    "newsletter",
    "never miss",
    "app",
    "click",
    "follow us",
    "advertis",
    "affiliate",
    "compensation",
    "commission",
    "cookie",
    "rights reserved",
    "©",
    "copyright",
    "share",
    "comment",
    "loading",
    "report an error",
    "conversation",
    "log",
)


def _might_be_promo(key: str) -> bool:
    # Substring tests are ~50x cheaper than the promo regex, and almost every line fails them.
    return any(word in key for word in _PROMO_WORDS)


# Where the page's footer or comment section starts: nothing after it is the report.
_FOOTER_START = re.compile(
    r"^(?:\W*(?:your )?(?:thoughts and )?comments?\W*$|leave a (?:comment|reply)|join the conversation"
    r"|©|copyright (?:©\s*)?\d{4}|all rights reserved)",
    re.I,
)
_LABEL_COLON = re.compile(r"^(?P<label>[^:.!?]{1,30}):\s*(?P<rest>.+)$")
_CREDIT = re.compile(
    r"^\(?\s*(?:photo|image|picture|credit|photograph|illustration|video|getty images|ap photo|reuters)"
    r"(?:\s+credit)?\s*[:/]\s*[^.]{0,120}\)?\.?$",
    re.I,
)
# "Pool | Getty Images News | Getty Images", "AFP via Getty Images": a picture credit on its own.
_AGENCY_CREDIT = re.compile(
    r"^[\w .,/|()-]{0,60}\b(?:getty images|shutterstock|ap photo|afp photo|reuters/[a-z]+|epa-efe)\b[\w .,/|()-]{0,40}$",
    re.I,
)
_CHROME_WORDS = re.compile(
    r"^(?:advertisement|advertising|sponsored|skip (?:to|ad)|menu|search|home|close|share|print|email"
    r"|facebook|twitter|whatsapp|linkedin|copy link|top stories|latest news|breaking news|most read"
    r"|play video|loading\W*|continue reading\W*|story continues below.*|show more|show less)\W*$",
    re.I,
)
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAY = r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?"
_DATE_TOKEN = re.compile(
    rf"^(?:{_MONTH}|{_WEEKDAY}|\d{{1,4}}(?:st|nd|rd|th)?|\d{{1,2}}:\d{{2}}(?::\d{{2}})?|am|pm|a\.m\.|p\.m\."
    r"|utc|gmt|[a-z]{2,4}t|published|updated|posted|last|modified|on|at|by|,|-|\||/|\.|:|[\u2013\u2014])$",
    re.I,
)
_DATE_SPLIT = re.compile(r"[\s,|/]+|(?<=\d)(?=[a-z])|(?<=[.:])(?=\s)", re.I)
_SEPARATED_LIST = re.compile(r"\s(?:-|\||\u2022|\u00b7|/)\s")


_ISO_STAMP = re.compile(
    r"\b\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?(?!\w)",
    re.I,
)


def is_date_line(line: str) -> bool:
    """A line that is only a date: "May 23, 2024", "Published 10:32 AM EST, Wed November 27,
    2013", "Updated: 2020-01-19T12:25:36Z"."""
    if len(line) > 120:
        return False  # no date line is this long; skip the tokenising
    # An ISO timestamp becomes one year-like token, so the splitter does not cut it apart.
    flattened = _ISO_STAMP.sub(" 0000 ", line.strip())
    words = [w for w in _DATE_SPLIT.split(flattened) if w]
    if not words or len(words) > 14:
        return False
    has_month_or_number = any(re.match(rf"(?:{_MONTH})$|\d{{4}}", w, re.I) for w in words)
    return has_month_or_number and all(
        _DATE_TOKEN.match(w.strip(".,:")) or not w.strip(".,:") for w in words
    )


def _is_nav_list(line: str) -> bool:
    """ "Education - Urdu News - Car Prices - ..." : a menu flattened into one line."""
    parts = _SEPARATED_LIST.split(line)
    if len(parts) < 5:
        return False
    short = sum(1 for p in parts if len(p.split()) <= 4)
    return short / len(parts) >= 0.8


def _is_link_line(line: str, anchors: frozenset[str], key: str | None = None) -> bool:
    """A line that is nothing but one of the page's links, maybe behind a label."""
    key = (key if key is not None else comparable(line)).strip(" .:;\u2013\u2014-")
    if len(key.split()) > 30:
        # Some sites wrap whole teaser paragraphs in links that repeat the body; a related
        # headline is short.
        return False
    if key in anchors and len(key.split()) >= 3:
        return True
    for pattern in (_LABELLED_LINK, _LABEL_COLON):
        match = pattern.match(line)
        if match:
            rest = comparable(match.group("rest")).strip(" .:;\u2013\u2014-")
            if rest in anchors and len(rest.split()) >= 2:
                return True
    return False


def _drop_reason(
    line: str, *, title_key: str, anchors: frozenset[str], key: str | None = None
) -> str | None:
    key = key if key is not None else comparable(line)
    words = len(key.split())
    if title_key and key.rstrip(" .") == title_key and words >= 3:
        return "repeated headline"
    if _LABEL_ONLY.match(line) or _CHROME_WORDS.match(line):
        return "chrome"
    if anchors and _is_link_line(line, anchors, key):
        return "link line"
    if words <= 40 and _is_labelled_headline(line):
        return "labelled link"
    if words <= 60 and _might_be_promo(key) and _PROMO.search(line):
        return "promo"
    if words <= 20 and (_CREDIT.match(line.strip()) or _AGENCY_CREDIT.search(line)):
        return "credit"
    if is_date_line(line):
        return "date line"
    if _is_nav_list(line):
        return "navigation"
    return None


_STRONG_LABEL = re.compile(
    r"^\W*(?:see also|read more|read also|also read)"
    r"\s*(?:[:|>\u2013\u2014-]+|\s)\s*\S",
    re.I,
)
_WEAK_LABEL = re.compile(rf"^\W*(?:{_LABEL})\s*[:|>\u2013\u2014-]+\s*\S", re.I)


def _is_labelled_headline(line: str) -> bool:
    """ "See also  Four weeks of war hurt the Russian economy": a label, then a headline.

    Pasted text keeps a link's words but loses the link, so the label is the only tell. The
    unambiguous labels ("See also", "Read more") go whatever follows; the ambiguous ones
    ("More", "Watch") only with a separator and no sentence ending, so a real sentence that
    starts with "More" stays.
    """
    if _STRONG_LABEL.match(line):
        return True
    return bool(_WEAK_LABEL.match(line)) and not line.rstrip().endswith(
        (".", '"', "\u201d", "?", "!")
    )


def clean_lines(
    text: str, *, title: str = "", anchors: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """Split ``text`` into paragraphs and drop the boilerplate ones.

    Returns (kept, dropped). Exact repeats of an earlier paragraph are dropped too: templates
    repeat a pull quote or a promo, reporters do not repeat a paragraph.
    """
    anchor_set = frozenset(anchors)
    title_key = comparable(title).rstrip(" .")
    kept: list[str] = []
    dropped: list[str] = []
    seen: set[str] = set()
    lines = [squash(raw) for raw in text.splitlines()]
    lines = [line for line in lines if line]
    for index, line in enumerate(lines):
        if index >= len(lines) / 2 and _FOOTER_START.match(line):
            dropped.extend(lines[index:])
            break
        key = comparable(line)
        if key in seen and len(key.split()) >= 3:
            dropped.append(line)
            continue
        if _drop_reason(line, title_key=title_key, anchors=anchor_set, key=key):
            dropped.append(line)
            continue
        seen.add(key)
        kept.append(line)
    return kept, dropped


# --- HTML -------------------------------------------------------------------------------


def _page_anchors(tree) -> frozenset[str]:
    texts = set()
    for a in tree.iter("a"):
        label = comparable(a.text_content() or "").strip(" .:;\u2013\u2014-")
        if len(label.split()) >= 2:
            texts.add(label)
    return frozenset(texts)


def _json_ld(tree) -> list[dict]:
    found: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                if "@graph" in item:
                    stack.append(item["@graph"])
    return found


_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportage",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "liveblogposting",
    "webpage",
    "socialmediaposting",
}


def _is_article_node(node: dict) -> bool:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(str(k).lower() in _ARTICLE_TYPES for k in kinds)


def parse_date(value: str | None) -> dt.datetime | None:
    """An ISO-ish or plain-English date string as an aware datetime (UTC when no zone)."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        for fmt in (
            "%B %d, %Y",
            "%b %d, %Y",
            "%d %B %Y",
            "%d %b %Y",
            "%Y-%m-%d",
            "%Y/%m/%d",
            "%A, %B %d, %Y",
        ):
            try:
                parsed = dt.datetime.strptime(value.rstrip("."), fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        import dateparser  # type: ignore[import-untyped]  # slow to import; only for the odd pasted date line

        parsed = dateparser.parse(value, settings={"RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _structured_published(tree, nodes: list[dict]) -> str | None:
    """The publication date the page states in structured data, preferred over guesses.

    htmldate (inside trafilatura) can pick a modification or crawl date; JSON-LD
    ``datePublished`` and ``article:published_time`` say which date is the publication.
    """
    for node in nodes:
        if _is_article_node(node) and isinstance(node.get("datePublished"), str):
            return node["datePublished"]
    for xpath in (
        '//meta[@property="article:published_time"]/@content',
        '//meta[@property="og:article:published_time"]/@content',
        '//meta[@itemprop="datePublished"]/@content',
        '//*[@itemprop="datePublished"]/@datetime',
    ):
        values = tree.xpath(xpath)
        if values:
            return str(values[0])
    return None


_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|[-_])"
)


def url_date(url: str) -> dt.date | None:
    match = _URL_DATE.search(url)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def at_noon(day: dt.date) -> dt.datetime:
    # A date without a time is stored at 12:00 UTC so that it shows as the same calendar day
    # from UTC-11 to UTC+11.
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


def resolve_publication(
    *, structured: dt.datetime | None, guessed: dt.datetime | None, url: str
) -> tuple[dt.datetime | None, dt.date | None]:
    """(instant, printed date). Structured data gives the instant; a date in the URL path is
    the outlet's own local date, so it wins for the calendar day when it agrees within a day.
    """
    instant = structured or guessed
    day = instant.date() if instant else None
    in_url = url_date(url)
    if in_url and (day is None or abs((in_url - day).days) <= 1):
        day = in_url
    if instant is None and day is not None:
        instant = at_noon(day)
    return instant, day


def _json_ld_body(nodes: list[dict]) -> str:
    bodies: list[str] = [
        n["articleBody"]
        for n in nodes
        if _is_article_node(n) and isinstance(n.get("articleBody"), str)
    ]
    return max(bodies, key=len, default="")


def _lang(tree) -> str:
    values = tree.xpath("/html/@lang") or tree.xpath(
        '//meta[@http-equiv="content-language"]/@content'
    )
    if not values:
        return ""
    return str(values[0]).strip().split("-")[0].split("_")[0].lower()[:12]


_PRINTED_DATE = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{_MONTH})\.?,?\s+\d{{4}}"  # 14 May 2020
    rf"|(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # May 14, 2020 / Jun 18th 2018
    r"|\d{4}-\d{2}-\d{2})\b",  # 2020-05-14
    re.I,
)
HEADER_CHARS = 400  # the byline block under a headline: author, outlet, date, not the body
_CHANGED = re.compile(r"\b(?:updated|modified|edited|revised)\b", re.I)


def _printed_day(text: str) -> dt.date | None:
    """ "14 May 2020", "Feb. 19, 2020", "Jun 18th 2018", "Sept 3 2021", "2020-05-14"."""
    text = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b|[.,]", "", text.lower())
    text = re.sub(r"\bsept\b", "sep", " ".join(text.split()))
    for fmt in ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def header_date(tree, title: str) -> dt.date | None:
    """The date printed in the byline block under the page's headline (the <h1> that reads
    as the title): the first short text within ``HEADER_CHARS`` characters after it that
    holds a date. Sentences (a lead photo's caption: "..., Friday, Nov. 3, 2023, in Los
    Angeles.") and "Updated ..." lines do not count."""
    key = comparable(title)
    if not key:
        return None
    for h1 in tree.iter("h1"):
        headline = comparable(h1.text_content())
        if headline and (headline in key or key in headline):
            break
    else:
        return None
    seen = 0
    for text in h1.xpath(
        "following::text()[not(ancestor::script or ancestor::style or ancestor::figure"
        " or ancestor::figcaption)][position() <= 80]"
    ):
        text = squash(str(text))
        if len(text) <= 80 and not _CHANGED.search(text):
            match = _PRINTED_DATE.search(text)
            printed = _printed_day(match.group(0)) if match else None
            if printed is not None:
                return printed
        seen += len(text)
        if seen > HEADER_CHARS:
            break
    return None


def load_tree(content: bytes | str):
    from trafilatura.utils import load_html

    tree = load_html(content)
    if tree is None:
        raise Stop(errors.NOT_AN_ARTICLE, "The document could not be parsed as HTML.")
    return tree


def extract_html(content: bytes | str, *, url: str | None = None) -> ExtractedArticle:
    """Main text and metadata of an HTML page. Raises ``Stop(not_an_article)``."""
    import trafilatura

    tree = load_tree(content)
    # Read what trafilatura will strip (links, scripts) before it works on the tree.
    anchors = _page_anchors(tree)
    nodes = _json_ld(tree)
    structured_date = _structured_published(tree, nodes)
    language = _lang(tree)
    json_body = _json_ld_body(nodes)
    document: Any = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        deduplicate=False,
    )
    if document is None:
        raise Stop(errors.NOT_AN_ARTICLE, "No main text was found on the page.")
    title = squash(document.title or "")
    body = document.text or ""
    # Some sites ship the body only in JSON-LD and render it with JavaScript.
    if json_body and len(json_body) > 2 * len(body):
        body = json_body
    kept, dropped = clean_lines(body, title=title, anchors=anchors)
    text = "\n\n".join(kept)
    if len(text.split()) < MIN_WORDS:
        raise Stop(
            errors.NOT_AN_ARTICLE,
            f"Only {len(text.split())} words of main text were found; this does not look like an article.",
        )
    structured = parse_date(structured_date)
    guessed = parse_date(document.date)
    if structured is None:
        # Without structured data, the date printed under the headline is the article's;
        # htmldate reads the whole page and can take the site header's date of the day.
        printed = header_date(tree, title)
        if printed is not None:
            guessed = at_noon(printed)
    published_at, published_on = resolve_publication(
        structured=structured,
        guessed=guessed,
        # The page's own canonical address carries the outlet's dated path even when the
        # copy was fetched from elsewhere.
        url=f"{document.url or ''} {url or ''}",
    )
    return ExtractedArticle(
        title=title[:500],
        text=text,
        byline=squash(document.author or "")[:500],
        published_at=published_at,
        published_on=published_on,
        sitename=squash(document.sitename or "")[:200],
        language=(document.language or language or detect_language(text))[:12],
        canonical_url=(document.url or "").strip(),
        dropped_lines=dropped,
    )


# --- language -----------------------------------------------------------------------------

# Latin-script languages: words frequent in one language's news prose. A page says its
# language in <html lang>; pasted text does not, and no language-identification package is
# installed (trafilatura uses py3langid only if present). Function words identify a paragraph
# of news reliably for these languages and cost a set lookup per word.
_COMMON_WORDS = {
    "en": "the and of to is was that with for said by from has have were are this which "
    "but not been will would its their an after about they who",
    "fr": "le les des et est une du dans qui pour pas sur au avec il elle sont été par ce "
    "cette ont mais aux leur selon ses ne plus où",
    "de": "der die das und ist nicht ein eine den dem des mit sich auf für von zu im wird "
    "auch hat dass sie wurde nach bei einer aus wie",
    "es": "el los las y en un una es por con para del al se su sus como más pero fue ha lo "
    "según sobre entre también",
    "it": "il di che è un una per non con del della le sono gli nel alla ha anche si dei "
    "delle ad ai dopo",
    "pt": "o os do da em um uma para com não por na no dos das foi ao mais ser pelo pela "
    "também seu sua",
    "nl": "het een en van is dat niet op te met zijn voor er aan ook als bij door worden "
    "werd heeft naar",
}
# A word common in two of the languages ("en", "con", "le") tells nothing: drop it from both.
_SHARED = {
    word
    for lang, words in _COMMON_WORDS.items()
    for other, other_words in _COMMON_WORDS.items()
    if other != lang
    for word in set(words.split()) & set(other_words.split())
}
_LANGUAGE_OF: dict[str, str] = {
    word: lang
    for lang, words in _COMMON_WORDS.items()
    for word in words.split()
    if word not in _SHARED
}
_WORD_RE = re.compile(r"[^\W\d_]+")
# Scripts that name their language outright (or nearly: Arabic script is refined below).
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (lang, re.compile(f"[{chars}]"))
    for lang, chars in (
        ("ar", "\u0600-\u06ff"),
        ("he", "\u0590-\u05ff"),
        ("ru", "\u0400-\u04ff"),
        ("el", "\u0370-\u03ff"),
        ("ko", "\uac00-\ud7af"),
        ("ja", "\u3040-\u30ff"),
        ("zh", "\u4e00-\u9fff"),
        ("hi", "\u0900-\u097f"),
        ("th", "\u0e00-\u0e7f"),
    )
)
_LATIN = re.compile("[a-zA-Z\u00c0-\u024f]")
_NON_LATIN = re.compile("[" + "".join(pattern.pattern[1:-1] for _lang, pattern in _SCRIPTS) + "]")


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, or "" when it cannot tell.

    The script first (Arabic, Hebrew, Cyrillic, Greek, Hangul, kana, Han, Devanagari, Thai);
    for Latin script, the language whose function words make up most of the words, if they
    make up at least 8% and clearly more than the runner-up's.
    """
    sample = text[:4000]  # some 600 words: plenty, and the cost stays flat
    if _NON_LATIN.search(sample):
        letters = len(_LATIN.findall(sample))
        best_script, best_count = "", 0
        for lang, pattern in _SCRIPTS:
            count = len(pattern.findall(sample))
            if count > best_count:
                best_script, best_count = lang, count
        if best_count > letters:
            return _refine_script(best_script, sample)
    words = _WORD_RE.findall(sample.lower())
    if len(words) < 8:
        return ""
    counts = Counter(_LANGUAGE_OF[word] for word in words if word in _LANGUAGE_OF)
    ranked = [*counts.most_common(2), ("", 0), ("", 0)]
    (lang, best), (_other, runner_up) = ranked[0], ranked[1]
    if best < 0.08 * len(words) or best < 1.5 * runner_up:
        return ""
    return lang


def _refine_script(lang: str, sample: str) -> str:
    if lang == "ar":
        # Letters Arabic does not use: Urdu's retroflex letters and final yeh, Persian's pe,
        # che, zhe and gaf.
        if re.search("[\u0679\u0688\u0691\u06ba\u06d2]", sample):
            return "ur"
        if re.search("[\u067e\u0686\u0698\u06af]", sample):
            return "fa"
    if lang == "ru" and re.search("[\u0456\u0457\u0454\u0491]", sample):
        return "uk"  # letters Russian lacks: i, yi, ye, ghe with upturn
    if lang == "zh" and re.search("[\u3040-\u30ff]", sample):
        return "ja"  # Japanese mixes kanji with kana
    return lang


# --- pasted text ------------------------------------------------------------------------


def _is_paragraph(line: str) -> bool:
    return len(line.split()) >= 12 or line.rstrip().endswith((".", "?", "!", '"', "\u201d"))


def extract_plain(
    text: str,
    *,
    title: str = "",
    published_at: dt.datetime | None = None,
    byline: str = "",
) -> ExtractedArticle:
    """Clean pasted text: the first lines before the first real paragraph are the page's head
    (date line, site chrome, headline, often the headline twice); the rest is the body.
    """
    text, title, byline = strip_controls(text or ""), strip_controls(title), strip_controls(byline)
    lines = [squash(raw) for raw in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise Stop(errors.EMPTY_INPUT, "The pasted text is empty.")
    head: list[str] = []
    while lines and not _is_paragraph(lines[0]) and len(head) < 12:
        head.append(lines.pop(0))
    date_lines = [line for line in head if is_date_line(line)]
    if published_at is None and date_lines:
        printed = parse_date(date_lines[0])
        published_at = at_noon(printed.date()) if printed else None
    candidates = [line for line in head if not is_date_line(line)]
    if not title and candidates:
        # The headline is the line the page repeats, else the longest of the head's lines.
        repeated = [
            c for c in candidates if sum(comparable(c) == comparable(o) for o in candidates) > 1
        ]
        title = (repeated or sorted(candidates, key=lambda c: len(c.split()), reverse=True))[0]
    kept, dropped = clean_lines("\n".join(lines), title=title)
    dropped = head + dropped
    if byline:
        # Pasted pages often repeat the byline as a short line of its own ("Jane Doe and
        # John Roe contributed reporting."), usually after the body.
        credit = comparable(byline)

        def is_credit(line: str) -> bool:
            return comparable(line).startswith(credit) and len(line.split()) <= 20

        dropped += [line for line in kept if is_credit(line)]
        kept = [line for line in kept if not is_credit(line)]
    body = "\n\n".join(kept)
    if len(body.split()) < MIN_WORDS:
        raise Stop(
            errors.NOT_AN_ARTICLE,
            f"Only {len(body.split())} words of text remain after cleaning; this does not look like an article.",
        )
    return ExtractedArticle(
        title=squash(title)[:500],
        text=body,
        language=detect_language(body),
        byline=squash(byline)[:500],
        published_at=published_at,
        published_on=published_at.date() if published_at else None,
        dropped_lines=dropped,
    )


def decode_html(content: bytes) -> str:
    """Bytes of a saved page as text, with trafilatura's charset detection."""
    from trafilatura.utils import decode_file

    return decode_file(content)
