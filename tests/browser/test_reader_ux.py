"""Reader flows of issue 14 in Chromium, with screenshots at 390 and 1280 px: the event page
with its reports grouped, an actor's quotes, the embeddable view inside a foreign page's iframe,
and an export fetched cross-origin by another site's script."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from timeline.models import Event, Negotiation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)


@pytest.fixture
def other_site() -> Iterator[tuple[str, dict[str, str]]]:
    """A second web server on this machine (another origin): its pages are set per test.

    A real server, not a routed response: Chromium treats a response with no address as
    public and then refuses, by its private-network rules, any request it makes to loopback.
    """
    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", pages
    finally:
        server.shutdown()
        server.server_close()


def _shots(page, artifacts, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artifacts / f"reader-{name}-{width}.png"), full_page=True)


def test_event_page_names_each_report_once(page, demo, artifacts):
    event = Event.objects.published().filter(citations__isnull=False).distinct().first()
    negotiation = Negotiation.objects.get()

    page.goto(f"{demo}/n/{negotiation.slug}/events/{event.pk}/")
    reports = page.locator(".source-report").count()
    _shots(page, artifacts, "event")

    assert reports == event.citations.values("article_id").distinct().count()
    assert page.problems == []


def test_actor_page_quotes_the_partys_officials(page, demo, artifacts):
    page.goto(f"{demo}/actors/hamas/")
    quotes = page.locator("#quotes-heading ~ ul .source").count()
    _shots(page, artifacts, "actor-hamas")

    assert quotes > 0
    assert "No quotes attributed" not in page.content()
    assert page.problems == []


def test_embed_renders_inside_a_foreign_pages_iframe(page, demo, artifacts, other_site):
    negotiation = Negotiation.objects.get()
    host, pages = other_site
    pages["/story"] = (
        f'<h1>Our story</h1><iframe id="t" src="{demo}/embed/n/{negotiation.slug}/" '
        'width="100%" height="600"></iframe>'
    )

    page.goto(f"{host}/story")
    frame = page.frame_locator("#t")
    frame.locator(".embed-event").first.wait_for()
    items = frame.locator(".embed-event").count()
    _shots(page, artifacts, "embed")

    assert items == Event.objects.published().count()


def test_export_fetched_cross_origin_by_another_sites_script(page, demo, other_site):
    negotiation = Negotiation.objects.get()
    host, pages = other_site
    pages["/"] = "<p>dashboard</p>"
    page.goto(f"{host}/")

    status = page.evaluate(
        """async (url) => { const r = await fetch(url); return [r.status, (await r.text()).length]; }""",
        f"{demo}/api/v1/negotiations/{negotiation.slug}/export/csv/",
    )

    assert status[0] == 200 and status[1] > 100


def test_timeline_cards_name_each_report_once(page, demo, artifacts):
    """Issue 14: the outlet, date and headline once per report on a card, its quotes under it."""
    negotiation = Negotiation.objects.get()

    page.goto(f"{demo}/n/{negotiation.slug}/")
    cards = page.evaluate(
        """() => [...document.querySelectorAll('article.event')].map(card => ({
            reports: card.querySelectorAll('.sources .report-head').length,
            headlines: card.querySelectorAll('.sources a.headline').length,
            articles: new Set([...card.querySelectorAll('.sources a.in-context, .sources a.headline')]
                .map(a => a.closest('.source-report')?.dataset.article)).size,
        }))"""
    )
    page.set_viewport_size({"width": 390, "height": 900})
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"timeline page height at 390 px: {height} px")
    _shots(page, artifacts, "timeline")
    busiest = max(range(len(cards)), key=lambda i: cards[i]["headlines"])
    page.locator("article.event").nth(busiest).screenshot(
        path=str(artifacts / "reader-timeline-card-390.png")
    )

    cited = [card for card in cards if card["headlines"]]
    assert cited
    assert all(card["reports"] == card["headlines"] == card["articles"] for card in cited), cards
    assert page.problems == []
