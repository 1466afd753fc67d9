"""The cleaning rules, one behaviour each: what goes, and what a real report keeps."""

# ruff: noqa: RUF001 - the language samples are Cyrillic and Arabic text on purpose

from __future__ import annotations

import datetime as dt

import pytest

from timeline.ingestion import errors
from timeline.ingestion.errors import Stop
from timeline.ingestion.extract_text import (
    clean_lines,
    detect_language,
    extract_html,
    extract_plain,
    is_date_line,
    resolve_publication,
)

BODY = (
    "Negotiators met in Doha on Monday for a third day of talks on a ceasefire, officials said. "
    "The mediators presented a revised proposal covering the release of hostages and prisoners."
)


@pytest.mark.parametrize(
    "line",
    [
        "See also  Four weeks of war hurt the Russian economy",
        "See also: Talks collapse in Cairo.",
        "READ MORE: Hamas delegation leaves Cairo",
        "Related: Alaska Airlines delays full Oneworld membership to early 2021",
        "Sign up for the free daily newsletter for more airline news!",
        "Never miss the latest news by signing up to our newsletter today!",
        "CLICK HERE TO GET THE FOX NEWS APP",
        "This post contains references to products from one or more of our advertisers.",
        "(Credit: Clayton Aldern / Grist)",
        "Pool | Getty Images News | Getty Images",
        "Advertisement",
        "Published 10:32 AM EST, Wed November 27, 2013",
        "May 23, 2024",
        "Education - Urdu News - Car Prices - Breaking News - English News - Live Tv Channels",
    ],
)
def test_clean_lines_drops_boilerplate(line):
    kept, dropped = clean_lines(f"{BODY}\n{line}\n{BODY} Again.")

    assert dropped == [line.replace("  ", " ")]
    assert len(kept) == 2


@pytest.mark.parametrize(
    "line",
    [
        "More than 200 people were killed in the strikes, the ministry said.",
        "Related talks in Geneva broke down last year over the same issue.",
        "The advertising industry has lobbied against the trade deal's data rules.",
        "Watch for the vote on Tuesday, one diplomat said, because it decides everything.",
        "Additional reporting by Steve Gorman; Editing by Nick Zieminski",
        "Not everyone subscribes to a New Year's resolution, but Americans will follow new laws.",
        "On May 23, 2024, the delegation returned to Cairo.",
    ],
)
def test_clean_lines_keeps_sentences_that_merely_look_like_boilerplate(line):
    kept, dropped = clean_lines(f"{BODY}\n{line}")

    assert (kept, dropped) == ([BODY, line], [])


def test_clean_lines_drops_the_repeated_headline_and_repeated_paragraphs():
    title = "Ceasefire talks reach a dead end again"

    kept, dropped = clean_lines(f"{title}\n{BODY}\n{title}.\n{BODY}", title=title)

    assert kept == [BODY]
    assert len(dropped) == 3


def test_clean_lines_drops_a_line_that_is_one_of_the_pages_links():
    anchors = {"putin oversees russian military drill"}

    _kept, dropped = clean_lines(
        f"{BODY}\nPUTIN OVERSEES RUSSIAN MILITARY DRILL\n{BODY} More.", anchors=anchors
    )

    assert dropped == ["PUTIN OVERSEES RUSSIAN MILITARY DRILL"]


def test_clean_lines_cuts_the_footer_after_the_comments_heading():
    body = "\n".join(f"{BODY} Paragraph {n}." for n in range(4))

    kept, dropped = clean_lines(
        f"{body}\nYour Thoughts and Comments\nThe site is the largest media house."
    )

    assert len(kept) == 4
    assert dropped == ["Your Thoughts and Comments", "The site is the largest media house."]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("May 23, 2024", True),
        ("Updated: 2020-01-19T12:25:36Z", True),
        ("Thu 14 May 2020 17:55 UTC", True),
        ("May talks resume in 2024?", False),
        ("Hamas fired 10 rockets on Sunday.", False),
    ],
)
def test_is_date_line(line, expected):
    assert is_date_line(line) is expected


def test_extract_plain_reads_the_head_of_pasted_text():
    text = f"May 23, 2024\n\nWestside People\n\nTalks reach a dead end\n\nTalks reach a dead end\n\n{BODY}\n\n{BODY} Two."

    article = extract_plain(text)

    assert (article.title, article.published_on) == ("Talks reach a dead end", dt.date(2024, 5, 23))
    assert article.text == f"{BODY}\n\n{BODY} Two."


def test_extract_plain_drops_the_byline_repeated_as_a_line_of_its_own():
    text = f"{BODY}\n\n{BODY} Two.\n\nJane Doe and John Roe contributed reporting."

    article = extract_plain(text, byline="Jane Doe and John Roe")

    assert article.text == f"{BODY}\n\n{BODY} Two."
    assert "Jane Doe and John Roe contributed reporting." in article.dropped_lines


def test_extract_plain_refuses_text_too_short_to_be_a_report():
    with pytest.raises(Stop) as caught:
        extract_plain("Breaking News\n\nTalks stall.")

    assert caught.value.reason_code == errors.NOT_AN_ARTICLE


def test_extract_html_refuses_a_page_without_main_text():
    with pytest.raises(Stop) as caught:
        extract_html(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")

    assert caught.value.reason_code == errors.NOT_AN_ARTICLE


def test_extract_html_takes_a_json_ld_body_when_the_page_has_none(corpus_dir):
    # SCMP renders the article with JavaScript; the text is only in JSON-LD.
    article = extract_html((corpus_dir / "html" / "004-scmp.com.html").read_bytes())

    assert "almost insulting to Hongkongers" in article.text


def test_resolve_publication_prefers_the_outlets_local_date_in_the_url():
    utc = dt.datetime(2014, 12, 19, 4, 38, tzinfo=dt.UTC)

    instant, day = resolve_publication(
        structured=utc, guessed=None, url="http://nypost.com/2014/12/18/amazon-macmillan/"
    )

    assert (instant, day) == (utc, dt.date(2014, 12, 18))


# One sentence of news in each language: a report on the same meeting, written for its readers.
LANGUAGE_SAMPLES = {
    "en": "Negotiators from both sides met in Cairo on Sunday, and officials said the talks were "
    "focused on a ceasefire that would allow the release of hostages held in Gaza.",
    "fr": "Les négociateurs des deux camps se sont réunis dimanche au Caire, et selon des "
    "responsables, les discussions portent sur un cessez-le-feu qui permettrait la libération "
    "des otages.",
    "de": "Die Unterhändler beider Seiten trafen sich am Sonntag in Kairo, und nach Angaben von "
    "Beamten ging es bei den Gesprächen um eine Waffenruhe, die die Freilassung der Geiseln "
    "ermöglichen würde.",
    "es": "Los negociadores de ambas partes se reunieron el domingo en El Cairo y, según los "
    "funcionarios, las conversaciones se centraron en un alto el fuego que permitiría la "
    "liberación de los rehenes.",
    "it": "I negoziatori delle due parti si sono incontrati domenica al Cairo e, secondo i "
    "funzionari, i colloqui si sono concentrati su un cessate il fuoco che consentirebbe il "
    "rilascio degli ostaggi.",
    "pt": "Os negociadores dos dois lados reuniram-se no domingo no Cairo e, segundo as "
    "autoridades, as conversações centraram-se num cessar-fogo que permitiria a libertação "
    "dos reféns.",
    "nl": "De onderhandelaars van beide partijen kwamen zondag in Caïro bijeen en volgens "
    "functionarissen waren de gesprekken gericht op een staakt-het-vuren dat de vrijlating "
    "van de gijzelaars mogelijk zou maken.",
    "ar": "التقى المفاوضون من الجانبين في القاهرة يوم الأحد، وقال مسؤولون إن المحادثات تركزت "
    "على وقف لإطلاق النار يسمح بالإفراج عن الرهائن.",
    "fa": "مذاکره‌کنندگان دو طرف روز یکشنبه در قاهره دیدار کردند و به گفته مقامات، گفتگوها بر "
    "آتش‌بسی متمرکز بود که آزادی گروگان‌ها را ممکن می‌کند.",
    "ru": "Переговорщики обеих сторон встретились в воскресенье в Каире, и, по словам "
    "официальных лиц, переговоры были сосредоточены на прекращении огня.",
    "uk": "Переговорники обох сторін зустрілися в неділю в Каїрі, і, за словами посадовців, "
    "переговори були зосереджені на припиненні вогню.",
    "he": "המשא ומתן בין הצדדים התקיים ביום ראשון בקהיר, ולדברי גורמים רשמיים השיחות התמקדו "
    "בהפסקת אש שתאפשר את שחרור החטופים.",
}


@pytest.mark.parametrize(("expected", "text"), LANGUAGE_SAMPLES.items())
def test_detect_language_names_the_language_of_a_news_sentence(expected, text):
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Cairo talks resume",  # too few words to tell
        "Netanyahu Hamas Qatar Egypt Cairo Doha Sinwar Burns Kamel Haniyeh Blinken",  # names only
        "42 17 2024 10:30 UTC",
    ],
)
def test_detect_language_says_nothing_when_it_cannot_tell(text):
    assert detect_language(text) == ""


def test_extract_plain_gives_pasted_text_a_language():
    text = LANGUAGE_SAMPLES["fr"] + "\n\n" + LANGUAGE_SAMPLES["fr"].replace("dimanche", "lundi")

    article = extract_plain(text, title="Pourparlers au Caire")

    assert article.language == "fr"


def test_extract_html_falls_back_to_the_words_when_the_page_names_no_language():
    page = f"<html><head><title>Gespräche</title></head><body><article><p>{LANGUAGE_SAMPLES['de']}"
    page += (
        f"</p><p>{LANGUAGE_SAMPLES['de'].replace('Sonntag', 'Montag')}</p></article></body></html>"
    )

    article = extract_html(page)

    assert article.language == "de"


def _page(head: str = "", byline: str = "", before_headline: str = "") -> str:
    paragraphs = "".join(
        f"<p>{BODY} Paragraph {n} adds the mediators' view of the next round.</p>" for n in range(4)
    )
    return (
        f"<html><head><title>Talks resume in Doha</title>{head}</head><body>"
        f"<div id='site-header'><div class='date-box'>{before_headline}</div></div>"
        f"<article><h1>Talks resume in Doha</h1>{byline}{paragraphs}</article></body></html>"
    )


def test_extract_html_takes_the_bylines_date_over_the_site_headers_date_of_the_day():
    # The site header prints the day the page was crawled; the byline, the report's date.
    page = _page(
        before_headline="Mon, 25 Dec 2023",
        byline="<div class='info'>Jane Doe<br><a href='/src'>Wire</a><br>"
        "Thu, 14 May 2020 17:55 UTC</div>",
    )

    article = extract_html(page)

    assert article.published_on == dt.date(2020, 5, 14)


@pytest.mark.parametrize(
    "byline",
    [
        # A lead photo's caption is a sentence about the picture, not the report's date.
        "<figure><img src='a.jpg'><figcaption>Negotiators arrive in Doha, Friday, Nov. 3, "
        "2023.</figcaption></figure>",
        "<p class='caption'>Negotiators arrive in Doha for the talks, Friday, Nov. 3, 2023, "
        "as the mediators wait.</p>",
        "<div class='stamp'>November 3, 2023 -- Updated 0203 GMT</div>",
    ],
)
def test_header_date_ignores_captions_and_updates(byline):
    from timeline.ingestion.extract_text import header_date, load_tree

    assert header_date(load_tree(_page(byline=byline)), "Talks resume in Doha") is None


def test_extract_html_prefers_structured_data_to_the_bylines_date():
    page = _page(
        head='<meta property="article:published_time" content="2020-05-15T01:10:00+00:00">',
        byline="<div class='info'>Thu, 14 May 2020</div>",
    )

    article = extract_html(page)

    assert article.published_on == dt.date(2020, 5, 15)
