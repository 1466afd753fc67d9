"""The activity chart as Chromium draws it (issue 14): each date label centred under its bar,
at most 60 bars however long the negotiation, and a y-axis with 3 to 5 ticks. Screenshots at
390 and 1280 px in test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest

from timeline.models import Event, Negotiation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)

MEASURE = """() => {
  const out = [];
  for (const label of document.querySelectorAll('svg.activity-chart .bar-label')) {
    const rects = document.querySelectorAll(
      `svg.activity-chart g.bar[data-start="${label.dataset.start}"] rect`);
    if (!rects.length) continue;  // a label under an empty bar: nothing to centre on
    const boxes = [...rects].map(r => r.getBoundingClientRect());
    const left = Math.min(...boxes.map(b => b.left));
    const right = Math.max(...boxes.map(b => b.right));
    const text = label.getBoundingClientRect();
    out.push({start: label.dataset.start, offset: (text.left + text.right) / 2 - (left + right) / 2});
  }
  return {
    offsets: out,
    bars: document.querySelectorAll('svg.activity-chart g.bar').length,
    ticks: document.querySelectorAll('svg.activity-chart .y-tick').length,
  };
}"""


def _measure(page, url: str, artifacts, name: str) -> list[dict]:
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        chart = page.locator("svg.activity-chart")
        chart.scroll_into_view_if_needed()
        chart.screenshot(path=str(artifacts / f"activity-{name}-{width}.png"))
        page.screenshot(path=str(artifacts / f"activity-{name}-page-{width}.png"))
        found.append({"width": width, **page.evaluate(MEASURE)})
    return found


def test_activity_chart_labels_sit_under_their_bars_with_a_y_axis(page, demo, artifacts):
    negotiation = Negotiation.objects.get()

    for measured in _measure(page, f"{demo}/n/{negotiation.slug}/", artifacts, "demo"):
        assert measured["offsets"], measured
        assert all(abs(o["offset"]) <= 1.5 for o in measured["offsets"]), measured
        assert 3 <= measured["ticks"] <= 5, measured
    assert page.problems == []


def test_activity_chart_of_three_years_has_at_most_60_bars(page, demo, artifacts):
    negotiation = Negotiation.objects.get()
    # Weekly meetings from 2022 on, most of three years: 150 weeks, too many for weekly bars.
    Event.objects.bulk_create(
        Event(
            negotiation=negotiation,
            kind="meeting" if week % 3 else "statement",
            summary=f"Weekly meeting {week}",
            date=dt.date(2022, 1, 3) + dt.timedelta(weeks=week),
            status="published",
        )
        for week in range(150)
        if week % 4  # every fourth week quiet, so the bars differ in height
    )
    Negotiation.objects.filter(pk=negotiation.pk).update(content_version=10_000)  # new stamp

    for measured in _measure(page, f"{demo}/n/{negotiation.slug}/", artifacts, "three-years"):
        assert 24 <= measured["bars"] <= 60, measured
        assert all(abs(o["offset"]) <= 1.5 for o in measured["offsets"]), measured
        assert len(measured["offsets"]) >= 3, measured
        assert 3 <= measured["ticks"] <= 5, measured
    assert "Events per month, by kind" in page.content()
    assert page.problems == []
