"""``choose_canonical``, the dedupe key's security rule, tested directly (issue 15).

A page may claim any canonical URL. Believed from a foreign site, it would make the genuine
report at that address look like a duplicate of the impostor, and the genuine one would be
dropped. So: a fetched page's own canonical link counts only on the site that served it.
"""

from __future__ import annotations

import pytest

from timeline.ingestion.extract_text import ExtractedArticle
from timeline.ingestion.pipeline import Claimed, Context, choose_canonical
from timeline.ingestion.safe_fetch import FetchResult
from timeline.models import Ingestion


def _ctx(*, canonical: str = "", served: str | None = None, url: str = "") -> Context:
    fetched = (
        FetchResult(
            url=served,
            final_url=served,
            status_code=200,
            content=b"",
            content_type="text/html",
            charset="utf-8",
        )
        if served is not None
        else None
    )
    return Context(
        claimed=Claimed(ingestion=Ingestion()),
        url=url,
        fetched=fetched,
        extracted=ExtractedArticle(title="T", text="Body.", canonical_url=canonical),
    )


@pytest.mark.parametrize(
    ("canonical", "served", "expected"),
    [
        # Its own site (give or take www./m./amp.): the canonical link is the key.
        (
            "https://news.example/a?utm_source=x",
            "https://news.example/a/amp",
            "https://news.example/a",
        ),
        ("https://www.news.example/a", "https://amp.news.example/a", "https://www.news.example/a"),
        ("https://m.news.example/a", "https://news.example/a?page=1", "https://m.news.example/a"),
        # A foreign site's canonical link is ignored: the served address is the key.
        ("https://victim.example/scoop", "https://evil.example/copy", "https://evil.example/copy"),
        # A look-alike host is foreign too (no "same registrable domain" guess).
        ("https://news.example.evil.example/a", "https://news.example/b", "https://news.example/b"),
        ("https://evilnews.example/a", "https://news.example/b", "https://news.example/b"),
        # No canonical link, or an unusable one: the served address.
        ("", "https://news.example/b", "https://news.example/b"),
        ("javascript:alert(1)", "https://news.example/b", "https://news.example/b"),
    ],
)
def test_a_fetched_page_canonical_counts_only_on_its_own_site(canonical, served, expected):
    assert choose_canonical(_ctx(canonical=canonical, served=served)) == expected


def test_pasted_material_prefers_the_url_the_editor_gave():
    ctx = _ctx(canonical="https://other.example/a", url="https://news.example/given")

    assert choose_canonical(ctx) == "https://news.example/given"


def test_pasted_material_without_a_url_believes_its_canonical_link():
    # An editor pasted it: there is no served address to check it against.
    assert (
        choose_canonical(_ctx(canonical="https://news.example/a#top")) == "https://news.example/a"
    )


def test_nothing_usable_gives_no_key():
    assert choose_canonical(_ctx(canonical="ftp://news.example/a")) is None
    assert choose_canonical(_ctx()) is None
