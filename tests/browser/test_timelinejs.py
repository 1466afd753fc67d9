"""Our TimelineJS export fed to the real TimelineJS (the npm package, in Chromium), with rounds
of every shape: one day, open, planned, collapsed (issue 18.1).

The package is installed by the test itself with npm into the git-ignored ``.node/`` folder;
without npm the test skips (fails under REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, skip_or_fail
from timeline.models import Event, Negotiation, ReviewStatus, Round, RoundStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMELINEJS = "@knight-lab/timelinejs@3.9.11"
NODE_DIR = ROOT / ".node"
ORIGIN = "http://timelinejs.test"


@pytest.fixture(scope="session")
def timelinejs_dist() -> Path:
    dist = NODE_DIR / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
    if not (dist / "js" / "timeline.js").exists():
        if shutil.which("npm") is None:
            skip_or_fail("npm is not installed, so TimelineJS cannot be fetched")
        NODE_DIR.mkdir(exist_ok=True)
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR), TIMELINEJS],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0 or not (dist / "js" / "timeline.js").exists():
            skip_or_fail(f"npm could not install {TIMELINEJS}: {done.stderr[-500:]}")
    return dist


def _rounds_of_every_shape(negotiation: Negotiation) -> None:
    """The demo's collapsed round is there already; add a one-day, an open and a planned one."""
    Round.objects.create(
        negotiation=negotiation,
        sequence=2,
        name="One-day Doha meeting",
        status=RoundStatus.CONCLUDED,
        actual_start=dt.date(2024, 5, 22),
        actual_end=dt.date(2024, 5, 22),
    )
    Round.objects.create(
        negotiation=negotiation,
        sequence=3,
        name="Open Cairo round",
        status=RoundStatus.IN_PROGRESS,
        actual_start=dt.date(2024, 5, 25),
    )
    Round.objects.create(
        negotiation=negotiation,
        sequence=4,
        name="Planned Paris round",
        status=RoundStatus.SCHEDULED,
        planned_start=dt.date(2024, 6, 3),
        planned_end=dt.date(2024, 6, 4),
    )
    Round.objects.create(
        negotiation=negotiation,
        sequence=5,
        name="Planned single day",
        status=RoundStatus.SCHEDULED,
        planned_start=dt.date(2024, 6, 10),
    )


def _render(browser, dist: Path, document: dict, width: int, artifacts: Path, name: str) -> dict:
    page_html = f"""<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{ORIGIN}/css/timeline.css">
<script src="{ORIGIN}/js/timeline.js"></script></head>
<body style="margin:0"><div id="timeline-embed" style="width:100%;height:640px"></div>
<script>
window.tlErrors = [];
window.timeline = new TL.Timeline('timeline-embed', {json.dumps(document)});
</script></body></html>"""
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))

    def serve(route):
        path = route.request.url.removeprefix(ORIGIN).split("?")[0]
        if path == "/index.html":
            route.fulfill(body=page_html, content_type="text/html")
            return
        local = dist / path.lstrip("/")
        if local.is_file():
            kind = "text/css" if path.endswith(".css") else "application/javascript"
            route.fulfill(body=local.read_bytes(), content_type=kind)
        else:
            route.fulfill(status=404, body="")

    tab.route(f"{ORIGIN}/**", serve)
    try:
        tab.goto(f"{ORIGIN}/index.html")
        tab.wait_for_selector(".tl-slide", timeout=15000)
        tab.wait_for_timeout(500)
        tab.screenshot(path=str(artifacts / f"timelinejs-{name}-{width}.png"))
        return tab.evaluate(
            """() => {
                const config = window.timeline.config;
                return {
                    valid: config.isValid(),
                    errors: config.messages.errors.map(String),
                    slides: document.querySelectorAll('.tl-slide').length,
                    eras: document.querySelectorAll('.tl-timeera').length,
                    message: (document.querySelector('.tl-message-full') || {}).innerText || '',
                    title: (document.querySelector('.tl-slide-titleslide') || {}).innerText || '',
                    days: Object.fromEntries(config.events.map(
                        e => [e.unique_id, e.start_date.data.date_obj.getDate()])),
                };
            }"""
        ) | {"page_errors": errors}
    finally:
        context.close()


def test_timelinejs_export_renders_in_real_timelinejs_with_rounds_of_every_shape(
    browser, demo, timelinejs_dist, artifacts
):
    negotiation = Negotiation.objects.get()
    _rounds_of_every_shape(negotiation)
    approximate = Event.objects.published().get(date_precision="approximate")
    undated = Event.objects.published().filter(date__isnull=True).first()
    assert undated is not None
    url = f"{demo}/api/v1/negotiations/{negotiation.slug}/export/timelinejs/"
    response = httpx.get(url, timeout=30)
    document = response.json()

    results = [
        _render(browser, timelinejs_dist, document, width, artifacts, "rounds")
        for width in (390, 1280)
    ]

    dated = Event.objects.published().filter(date__isnull=False).count()
    for result in results:
        assert result["page_errors"] == []
        assert (result["valid"], result["errors"], result["message"]) == (True, [], "")
        assert result["slides"] == dated + 1  # the title slide
        # "about 16 May" goes on the 16th, not on the 1st of the month.
        assert result["days"][f"event-{approximate.pk}"] == approximate.date.day
    assert len(document["eras"]) == Round.objects.count() == 5
    assert all("start_date" in e and "end_date" in e for e in document["eras"])
    assert undated.summary in document["title"]["text"]["text"]
    slide = next(s for s in document["events"] if s["unique_id"] == f"event-{approximate.pk}")
    assert slide["display_date"].startswith("About ")
    assert f"/n/{negotiation.slug}/events/{approximate.pk}/" in slide["text"]["text"]
    assert "timelinejs.json" in response.headers["Content-Disposition"]
    groups = {s["group"] for s in document["events"]}
    # People appear under the party they speak for: no row for Netanyahu alone.
    assert "Benjamin Netanyahu" not in groups and "Israel" in groups
    assert Event.objects.filter(status=ReviewStatus.PUBLISHED).count() == dated + 1
