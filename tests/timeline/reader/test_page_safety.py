"""Reader pages are safe: escaping, sanitised HTML, CSP, script addresses never links."""

from __future__ import annotations

import re

import pytest

from tests import factories as f

from .pages import html_of

pytestmark = pytest.mark.django_db


def test_timeline_escapes_summaries_quotes_and_speakers(client, talks):
    article = f.ArticleFactory(
        title="<img src=x onerror=alert(1)>",
        text='<script>alert("q")</script> said the man.',
    )
    event = f.EventFactory(
        negotiation=talks.negotiation, summary="<b>bold</b> & <script>x()</script>"
    )
    f.CitationFactory(event=event, article=article, speaker_description="<i>someone</i>")

    html = html_of(client, "/n/israel-hamas/")

    assert "<script>x()</script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x()&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;i&gt;someone&lt;/i&gt;" in html


def test_description_html_from_sources_is_sanitised(client, talks):
    talks.negotiation.description = "<p>Talks <em>mediated</em> by Egypt<script>bad()</script></p>"
    talks.negotiation.save()

    html = html_of(client, "/n/israel-hamas/")

    assert "<p>Talks <em>mediated</em> by Egypt</p>" in html
    assert "bad()" not in html.split("<main")[1]


def test_reader_pages_have_no_inline_script_or_style_and_send_csp(client, talks):
    urls = [
        "/",
        "/n/israel-hamas/",
        "/n/israel-hamas/where-things-stand/",
        f"/n/israel-hamas/events/{talks.breakdown.pk}/",
        "/n/israel-hamas/rounds/1/",
        "/actors/hamas/",
    ]
    for url in urls:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], url
        assert "<style" not in html, url
        assert " style=" not in html, url
        assert re.findall(r"\son[a-z]+=", html) == [], url
        assert '<a class="skip-link" href="#main">' in html
        assert '<main id="main"' in html


def test_script_addresses_of_reports_are_never_links(client, talks):
    article = f.ArticleFactory(url="javascript:alert(1)", canonical_url=None, title="Trap")
    f.CitationFactory(event=talks.strike, article=article)

    timeline = html_of(client, "/n/israel-hamas/")
    event = html_of(client, f"/n/israel-hamas/events/{talks.strike.pk}/")
    source = html_of(client, f"/sources/{article.pk}/")

    for html in (timeline, event, source):
        assert "javascript:" not in html
    assert f'<a class="headline" href="/sources/{article.pk}/">Trap</a>' in timeline
