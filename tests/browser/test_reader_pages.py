"""The reader pages in Chromium against the live server with the demo negotiation."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db.models import Count

from timeline.models import Event, Negotiation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "israel-hamas-ceasefire-talks"


def timeline_url(demo: str) -> str:
    return f"{demo}/n/{SLUG}/"


def event_summaries(page) -> list[str]:
    return page.locator("article.event .event-title").all_inner_texts()


def test_home_links_to_the_demo_timeline(page, demo):
    page.goto(demo + "/")

    page.get_by_role("link", name="Israel-Hamas ceasefire and hostage-release talks").click()

    assert page.url == timeline_url(demo)
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Israel-Hamas ceasefire and hostage-release talks"
    )
    assert (
        page.locator("article.event").count()
        == Negotiation.objects.get(slug=SLUG).events.published().count()
    )
    assert page.problems == []


def test_timeline_filter_by_party_shows_only_its_events(page, demo):
    page.goto(timeline_url(demo))
    everything = page.locator("article.event").count()

    page.get_by_role("checkbox", name="Qatar").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"party=qatar"))

    summaries = event_summaries(page)
    assert 0 < len(summaries) < everything
    # A party includes its own people: Qatar's prime minister speaks for Qatar.
    qatar_people = ("Qatar", "Mohammed bin Abdulrahman Al Thani")
    for card in page.locator("article.event").all():
        text = card.locator(".participants").inner_text()
        assert any(name in text for name in qatar_people)
    # The JS enhancement leaves empty dates out of the shareable address.
    assert "date_from" not in page.url
    assert page.problems == []


def test_timeline_filters_work_without_javascript(browser, demo):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(timeline_url(demo))
        tab.locator("details.filter-panel > summary").click()
        tab.get_by_role("checkbox", name="Hamas", exact=True).check()
        tab.get_by_role("checkbox", name="Scheduled talks").check()
        tab.get_by_role("button", name="Apply filters").click()
        tab.wait_for_url(re.compile(r"kind=scheduled"))

        kinds = tab.locator("article.event .kind-label").all_inner_texts()
        assert kinds and set(kinds) == {"Scheduled talks"}
    finally:
        context.close()


def test_disputed_badges_name_who_disputes_the_seed_events(page, demo):
    page.goto(timeline_url(demo))

    badges = page.locator(".badge-disputed").all_inner_texts()

    assert any("Two American officials" in b for b in badges)
    assert any("a senior Hamas official" in b for b in badges)
    assert any("Musa Abu Marzouk" in b for b in badges)
    impasse = page.locator("article.event", has_text="reached an impasse")
    assert "Disputed by Two American officials" in impasse.locator(".badge-disputed").inner_text()


def test_where_things_stand_history_expands_on_click(page, demo):
    page.goto(timeline_url(demo))
    page.get_by_role("link", name="Where things stand").click()
    history = page.locator("details.history").first
    earlier = history.locator("li").first
    assert not earlier.is_visible()

    history.locator("summary").click()

    assert earlier.is_visible()
    assert page.locator("table.standings tbody tr").count() >= 5
    assert page.problems == []


def test_where_things_stand_history_expands_with_the_keyboard(page, demo):
    page.goto(f"{demo}/n/{SLUG}/where-things-stand/")
    summary = page.locator("details.history summary").first

    summary.focus()
    page.keyboard.press("Enter")

    assert page.locator("details.history").first.get_attribute("open") == ""


def test_source_link_leads_to_the_quoted_words(page, demo):
    page.goto(timeline_url(demo))
    # The report's heading, then its quotes (citations grouped by report, issue 14).
    report = page.locator("article.event", has_text="reached an impasse")
    report = report.locator(".source-report").first
    quote = report.locator(".source blockquote").first.inner_text().strip("“”")

    report.locator(".report-head a.headline").click()

    page.wait_for_url(re.compile(r"/sources/\d+/$"))
    marks = page.locator("mark").all_inner_texts()
    assert quote in marks
    assert page.problems == []


def test_skip_link_is_first_and_moves_focus_to_main(page, demo):
    page.goto(timeline_url(demo))

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")

    assert focused == "Skip to main content"
    assert page.evaluate("document.activeElement.id") == "main"


def test_static_files_load_under_the_content_security_policy(page, demo):
    response = page.goto(timeline_url(demo))

    assert "unsafe-inline" not in response.headers["content-security-policy"]
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert background == "rgb(28, 61, 110)"
    assert page.problems == []


AXE_PAGES = [
    "/",
    f"/n/{SLUG}/",
    f"/n/{SLUG}/where-things-stand/",
    f"/n/{SLUG}/rounds/1/",
    "/actors/benjamin-netanyahu/",
    f"/n/{SLUG}/?party=hamas&as_of=2024-05-23",
    "/n/no-such-talks/",  # the 404 page
]


def serious_violations(tab) -> list[str]:
    results = Axe().run(tab)
    return [
        f"{tab.url} {v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(str(n["target"][0]) for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_or_critical_violations(page, demo):
    found: list[str] = []
    for path in AXE_PAGES:
        page.goto(demo + path)
        found += serious_violations(page)
    page.goto(demo + f"/n/{SLUG}/")
    page.locator("article.event .event-title a").first.click()
    found += serious_violations(page)
    page.locator("a.headline").first.click()
    found += serious_violations(page)

    assert found == []


def test_axe_check_reports_a_real_violation(browser):
    """The harness itself: a page with an unlabelled image must not pass."""
    tab = browser.new_page()
    try:
        tab.set_content(
            '<html lang="en"><head><title>t</title></head>'
            '<body><main><img src="x.png"></main></body></html>'
        )
        found = serious_violations(tab)
    finally:
        tab.close()

    assert [f.split(" ")[1] for f in found] == ["image-alt"]


def test_axe_passes_on_a_phone_layout(browser, demo):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    tab = context.new_page()
    found: list[str] = []
    try:
        for path in (f"/n/{SLUG}/", f"/n/{SLUG}/where-things-stand/"):
            tab.goto(demo + path)
            found += serious_violations(tab)
    finally:
        context.close()

    assert found == []


WIDER_THAN_VIEWPORT = """
[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .filter(e => !e.closest('.table-scroll'))
  .slice(0, 5)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
"""


SCREENS = [
    ("home", "/"),
    ("timeline", f"/n/{SLUG}/"),
    ("standings", f"/n/{SLUG}/where-things-stand/"),
    ("round", f"/n/{SLUG}/rounds/1/"),
    ("actor", "/actors/benjamin-netanyahu/"),
    ("not-found", "/n/no-such-talks/"),
]


def detail_screens() -> list[tuple[str, str]]:
    """The event and source pages of the demo's most cited event (ids differ per run)."""
    event = (
        Event.objects.published()
        .filter(negotiation__slug=SLUG)
        .annotate(sources=Count("citations"))
        .order_by("-sources", "pk")
        .first()
    )
    assert event is not None
    article_id = event.citations.order_by("pk").values_list("article_id", flat=True).first()
    return [("event", f"/n/{SLUG}/events/{event.pk}/"), ("source", f"/sources/{article_id}/")]


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_fit_the_screen_and_are_captured(browser, demo, artifacts, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    too_wide: dict[str, object] = {}
    try:
        for name, path in SCREENS + detail_screens():
            tab.goto(demo + path)
            overflow = tab.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow:
                too_wide[name] = (overflow, tab.evaluate(WIDER_THAN_VIEWPORT))
            tab.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
            # Readable slices of the long page, for people checking the artifacts by eye.
            height = tab.evaluate("document.documentElement.scrollHeight")
            for i, top in enumerate(range(0, min(height, 4800), 1600)):
                tab.screenshot(
                    path=str(artifacts / f"{name}-{width}-part{i + 1}.png"),
                    full_page=True,
                    clip={"x": 0, "y": top, "width": width, "height": min(1600, height - top)},
                )
    finally:
        context.close()

    assert too_wide == {}


def test_timeline_prints_without_filters(browser, demo, artifacts):
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    tab = context.new_page()
    try:
        tab.goto(timeline_url(demo))
        tab.emulate_media(media="print")
        sidebar_shown = tab.locator(".sidebar").is_visible()
        tab.screenshot(
            path=str(artifacts / "timeline-print.png"),
            clip={"x": 0, "y": 0, "width": 1000, "height": 1400},
            full_page=True,
        )
        tab.pdf(path=str(artifacts / "timeline-print.pdf"))
    finally:
        context.close()

    assert sidebar_shown is False
