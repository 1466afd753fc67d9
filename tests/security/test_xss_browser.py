"""Issue 11 XSS: a corpus of payloads entered through every way text comes in (ingested
titles and bodies, feed fields, actor names and aliases, quotes, speakers, event summaries,
outlet names, rounds, places, issues, stances, source URLs, query parameters and "as known
on"), rendered in headless Chromium on the reader pages, the admin (as an editor), the
browsable API and the API docs. Every payload calls alert(): any dialog fails the test, as
does any element carrying an event handler with a payload or any javascript:/data: link."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from tests import factories as f
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.conftest import skip_or_fail
from timeline import models as m
from timeline.services import position_publish

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    "<svg><script>alert(4)</script></svg>",
    '"><script>alert(5)</script>',
    "'><img src=x onerror=alert(6)>",
    '<iframe src="javascript:alert(7)"></iframe>',
    '<a href="javascript:alert(8)">click</a>',
    "javascript:alert(9)",
    "data:text/html,<script>alert(10)</script>",
    "</script><script>alert(11)</script>",
    "{{7*7}}{% debug %}{{ request.user }}",
    "${alert(13)}",
    "<body onload=alert(14)>",
    "<details open ontoggle=alert(15)>",
    "<input autofocus onfocus=alert(16)>",
    "<marquee onstart=alert(17)>",
    "<video><source onerror=alert(18)></video>",
    "<audio src=x onerror=alert(19)>",
    '<object data="javascript:alert(20)">',
    '<embed src="javascript:alert(21)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(22)>",
    "<form action=javascript:alert(23)><button>x</button></form>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(24)">',
    '<base href="javascript:alert(25)//">',
    "<style>@import 'javascript:alert(26)'</style>",
    '<div style="background:url(javascript:alert(27))">',
    '" onmouseover="alert(28)" x="',
    "' onfocus='alert(29)' autofocus='",
    "<scr<script>ipt>alert(30)</scr</script>ipt>",
    "<ScRiPt>alert(31)</sCrIpT>",
    "&lt;script&gt;alert(32)&lt;/script&gt;",
    '<img src="x" onerror="&#97;&#108;&#101;&#114;&#116;(33)">',
    "<svg><animate onbegin=alert(34) attributeName=x dur=1s>",
    "<img src=x:alert(35) onerror=eval(src)>",
    "\\u003cscript\\u003ealert(36)\\u003c/script\\u003e",
    '<noscript><p title="</noscript><img src=x onerror=alert(37)>">',
    "<template><img src=x onerror=alert(38)></template>",
    "<select autofocus onfocus=alert(39)>",
    "<textarea autofocus onfocus=alert(40)>",
    '<img srcset="x" onerror=alert(41)>',
    "javascript://%0aalert(42)",
    " JaVaScRiPt:alert(43)",
    '<a href="&#106;avascript:alert(44)">x</a>',
    "<xss id=x tabindex=1 onfocusin=alert(45)></xss>",
    "{{constructor.constructor('alert(46)')()}}",
    "<!--<img src=x onerror=alert(47)>-->",
    '<iframe srcdoc="<script>parent.alert(48)</script>">',
]
UNSAFE_URLS = [
    "javascript:alert(101)",
    "JAVASCRIPT:alert(102)",
    "data:text/html,<script>alert(103)</script>",
    " javascript:alert(104)",
]
# Any element with an event handler mentioning alert, or a link that would run script.
DOM_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on') && a.value.includes('alert')) bad.push(el.outerHTML.slice(0, 120));
    }
  }
  for (const a of document.querySelectorAll('a[href], iframe[src], form[action], object[data]')) {
    const url = a.href || a.src || a.action || a.data || '';
    if (/^\\s*(javascript|data):/i.test(url)) bad.push(a.outerHTML.slice(0, 120));
  }
  return bad;
}"""


def _editors_group() -> Group:
    """The migration's "Editors" group (a transactional test starts from a flushed database)."""
    groups = importlib.import_module("timeline.migrations.0003_editor_groups").GROUPS
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="timeline", codename__in=groups["Editors"]
        )
    )
    return group


def _p(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


@pytest.fixture
def hostile_site(transactional_db, live_server):
    """A negotiation whose every text field, through every way in, carries payloads."""
    negotiation = f.NegotiationFactory(title=_p(0), slug="hostile", description=_p(1))
    place = f.PlaceFactory(name=_p(4), slug="hostile-place")
    round_ = f.RoundFactory(
        negotiation=negotiation,
        sequence=1,
        name=_p(2)[:200],
        outcome=_p(3),
        venue=place,
        planned_start=dt.date(2024, 5, 1),
        planned_end=dt.date(2024, 5, 3),
    )
    issue = f.IssueFactory(negotiation=negotiation, title=_p(5)[:200], slug="hostile-issue")
    actors = []
    for i in range(len(PAYLOADS)):
        actor = f.ActorFactory(name=_p(i)[:200], slug=f"hostile-actor-{i}")
        f.ActorAliasFactory(actor=actor, name=_p(i + 1)[:200])
        actors.append(actor)
    f.ParticipationFactory(negotiation=negotiation, actor=actors[0])
    f.ParticipationFactory(
        negotiation=negotiation, actor=actors[1], role=m.ParticipationRole.MEDIATOR
    )
    events = []
    for i, payload in enumerate(PAYLOADS):
        outlet = f.OutletFactory(name=_p(i + 2)[:200], description=_p(i + 3)[:300])
        text = f"{payload}. Officials said talks would resume on Tuesday in the capital."
        article = f.ArticleFactory(
            title=_p(i + 4)[:500],
            text=text,
            outlet=outlet,
            url=UNSAFE_URLS[i % len(UNSAFE_URLS)],
            canonical_url=None,
            byline=_p(i + 5)[:500],
        )
        event = f.EventFactory(
            negotiation=negotiation,
            summary=f"E{i} {payload}"[:500],
            description=_p(i + 6),
            date=dt.date(2024, 5, 1) + dt.timedelta(days=i % 20),
            date_text=_p(i + 7)[:100],
            place=place,
            round=round_ if i % 2 else None,
            issue=issue,
        )
        f.EventParticipantFactory(event=event, actor=actors[i])
        f.CitationFactory(
            event=event,
            article=article,
            start=0,
            end=len(payload),
            quote=payload,
            speaker=actors[(i + 1) % len(actors)],
            speaker_description=_p(i + 8)[:300],
            stance=m.CitationStance.DISPUTES if i % 3 == 0 else m.CitationStance.SUPPORTS,
        )
        events.append(event)
    for i in range(3):
        position_publish(f.PositionFactory(issue=issue, party=actors[i], stance=_p(i + 9)[:300]))
    f.FeedFactory(title=_p(10)[:300], url="https://news.example/hostile.xml", last_error=_p(11))
    f.IngestionFactory(
        url="https://news.example/hostile",
        status=m.Ingestion.Status.FAILED,
        reason_code="http_4xx",
        message=_p(12),
        payload=_p(13),
    )
    f.EventFactory(negotiation=negotiation, summary=_p(14), status=m.ReviewStatus.CANDIDATE)
    editor = f.UserFactory(username="xss-editor", is_staff=True)
    editor.groups.add(_editors_group())
    client = Client()
    client.force_login(editor)
    return {
        "url": live_server.url,
        "events": events,
        "actors": actors,
        "articles": [e.citations.first().article for e in events[:3]],
        "session": client.cookies["sessionid"].value,
    }


def _reader_pages(site) -> list[str]:
    q = quote(PAYLOADS[0])
    return [
        "/",
        "/n/hostile/",
        f"/n/hostile/?q={q}",
        f"/n/hostile/?as_of={quote(PAYLOADS[1])}",
        f"/n/hostile/?as_of=2024-05-10&party={quote(PAYLOADS[4])}&kind={quote(PAYLOADS[5])}",
        "/n/hostile/where-things-stand/",
        f"/n/hostile/where-things-stand/?as_of={quote(PAYLOADS[27])}",
        "/n/hostile/rounds/1/",
        *[f"/n/hostile/events/{e.pk}/" for e in site["events"][:4]],
        *[f"/actors/{a.slug}/" for a in site["actors"][:3]],
        *[f"/sources/{a.pk}/" for a in site["articles"]],
        f"/{quote(PAYLOADS[1])}/",  # the 404 page
    ]


def _admin_pages(site) -> list[str]:
    event = site["events"][0]
    return [
        "/admin/",
        "/admin/timeline/event/",
        f"/admin/timeline/event/?q={quote(PAYLOADS[1])}",
        f"/admin/timeline/event/{event.pk}/change/",
        "/admin/timeline/event/review/",
        "/admin/timeline/actor/",
        f"/admin/timeline/actor/{site['actors'][2].pk}/change/",
        "/admin/timeline/article/",
        "/admin/timeline/citation/",
        "/admin/timeline/outlet/",
        "/admin/timeline/feed/",
        "/admin/timeline/ingestion/",
        "/admin/timeline/position/",
        "/admin/timeline/round/",
    ]


def _api_pages(site) -> list[str]:
    return [
        "/api/v1/events/?format=api",
        f"/api/v1/events/?format=api&q={quote(PAYLOADS[2])}",
        "/api/v1/negotiations/hostile/timeline/?format=api",
        "/api/v1/negotiations/?format=api",
        "/api/v1/actors/?format=api",
        "/api/v1/articles/?format=api",
        "/api/v1/citations/?format=api",
        f"/api/v1/events/{site['events'][1].pk}/?format=api",
        "/api/v1/review/events/?format=api",
        "/api/docs/",
        f"/api/docs/?url={quote('javascript:alert(201)')}",
        "/api/redoc/",
    ]


def _in_chromium(job: Callable):
    """Run ``job(browser)`` in a thread of its own with its own Playwright: the sync API
    allows one instance per thread, and tests/browser keeps a session-wide one in this one."""
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium is not at {CHROMIUM}")

    def work():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
            )
            try:
                return job(chromium)
            finally:
                chromium.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result(timeout=300)


def _visit(chromium, site, paths: list[str], *, signed_in: bool) -> tuple[list, list, int]:
    context = chromium.new_context()
    if signed_in:
        context.add_cookies([{"name": "sessionid", "value": site["session"], "url": site["url"]}])
    dialogs: list[str] = []
    findings: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    loads = 0
    try:
        for path in paths:
            response = page.goto(site["url"] + path, wait_until="load")
            loads += 1
            assert response is not None and response.status < 500, path
            assert "/login/" not in page.url, f"{path} was not seen signed in"
            page.wait_for_timeout(150)  # handlers that fire after load (autofocus, animations)
            findings += [f"{path}: {bad}" for bad in page.evaluate(DOM_CHECK)]
    finally:
        context.close()
    return dialogs, findings, loads


def test_corpus_has_more_than_forty_payloads():
    assert len(PAYLOADS) + len(UNSAFE_URLS) >= 40


def test_no_payload_runs_on_reader_pages(hostile_site):
    dialogs, findings, loads = _in_chromium(
        lambda chromium: _visit(chromium, hostile_site, _reader_pages(hostile_site),
                                signed_in=False)
    )  # fmt: skip

    assert dialogs == []
    assert findings == []
    assert loads >= 15


def test_no_payload_runs_in_the_admin_as_an_editor(hostile_site):
    dialogs, findings, _loads = _in_chromium(
        lambda chromium: _visit(chromium, hostile_site, _admin_pages(hostile_site), signed_in=True)
    )

    assert dialogs == []
    assert findings == []


def test_no_payload_runs_in_the_browsable_api_or_the_docs(hostile_site):
    dialogs, findings, _loads = _in_chromium(
        lambda chromium: _visit(chromium, hostile_site, _api_pages(hostile_site), signed_in=True)
    )

    assert dialogs == []
    assert findings == []


def test_the_detector_sees_a_payload_that_runs():
    # Without this, a broken detector would make every test above pass.
    def job(chromium):
        context = chromium.new_context()
        page = context.new_page()
        seen: list[str] = []
        page.on("dialog", lambda d: (seen.append(d.message), d.dismiss()))
        page.set_content(PAYLOADS[1] + '<a href="javascript:alert(9)">x</a>')
        page.wait_for_timeout(200)
        found = page.evaluate(DOM_CHECK)
        context.close()
        return seen, found

    dialogs, findings = _in_chromium(job)

    assert dialogs == ["2"]
    assert len(findings) == 2
