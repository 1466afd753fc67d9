"""A small server-rendered SVG of events per week (month, quarter, year) by kind group, with text alternatives.

Built as a string (no JavaScript, no chart library); every piece of text goes through
``format_html``/``escape``. Colours come from CSS classes, with ``fill`` attributes as a
fallback for when the stylesheet is missing.
"""

from __future__ import annotations

import datetime as dt
import math

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from timeline.selectors.activity import ACTIVITY_GROUPS, Activity, ActivityBar

WIDTH = 720
HEIGHT = 180
LEFT = 36
RIGHT = 8
TOP = 16  # room above the top tick's label
BOTTOM = 28
FALLBACK_FILL = {
    "talks": "#1f5fa8",
    "offers": "#2a7d3b",
    "statements": "#6b4fa0",
    "friction": "#b4461c",
    "military": "#5f5f5f",
}
GROUP_LABEL = {key: label for key, label, _kinds in ACTIVITY_GROUPS}


def _day(day) -> str:
    return f"{day.day} {day:%B} {day.year}"


_UNIT_WORDS = {"week": "week", "month": "month", "quarter": "quarter", "year": "year"}


def _bar_name(start: dt.date, unit: str) -> str:
    """A bar in words: "the week of 13 May 2024", "May 2024", "Q2 2024", "2024"."""
    if unit == "week":
        return f"the week of {_day(start)}"
    if unit == "month":
        return f"{start:%B} {start.year}"
    if unit == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return str(start.year)


def _bar_heading(start: dt.date, unit: str) -> str:
    """A bar's name at the start of a line: "Week of 13 May 2024", "May 2024"."""
    if unit == "week":
        return f"Week of {_day(start)}"
    return _bar_name(start, unit)


def _bar_label(start: dt.date, unit: str, span_years: bool) -> str:
    """The short label under a bar."""
    if unit == "week":
        return f"{start.day} {start:%b}" + (f" {start.year}" if span_years else "")
    if unit == "month":
        return f"{start:%b} {start.year}"
    if unit == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return str(start.year)


def activity_description(activity: Activity) -> str:
    """The chart in words, for screen readers and for anyone who prefers sentences."""
    if not activity.bars:
        return "No dated events yet."
    unit = _UNIT_WORDS[activity.unit]
    count = len(activity.bars)
    first, last = activity.bars[0].start, activity.bars[-1].start
    busiest = activity.busiest
    parts = [
        f"{activity.total} dated "
        f"events over {count} {unit}{'s' if count != 1 else ''}, from "
        f"{_bar_name(first, activity.unit)} to {_bar_name(last, activity.unit)}."
    ]
    if busiest is not None:
        parts.append(
            f"The busiest was {_bar_name(busiest.start, activity.unit)}, with {busiest.total}."
        )
    by_group = ", ".join(
        f"{GROUP_LABEL[key].lower()}: {count}" for key, count in activity.totals.items() if count
    )
    if by_group:
        parts.append(f"By kind: {by_group}.")
    if activity.undated:
        parts.append(
            f"{activity.undated} more {'has' if activity.undated == 1 else 'have'} no date."
        )
    return " ".join(parts)


def _bar_title(bar: ActivityBar, unit: str) -> str:
    detail = ", ".join(
        f"{count} {GROUP_LABEL[key].lower()}" for key, count in bar.counts.items() if count
    )
    events = f"{bar.total} event{'s' if bar.total != 1 else ''}"
    return f"{_bar_heading(bar.start, unit)}: {events}" + (f" ({detail})" if detail else "")


def y_ticks(peak: int) -> list[int]:
    """3 to 5 round values from 0 to at least ``peak`` (steps of 1, 2 or 5 times a power of
    ten): a reader can tell 3 from 7, not only 0 from the maximum. The last is the axis top."""
    if peak <= 0:
        return []
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            intervals = max(2, math.ceil(peak / step))
            if intervals <= 4:
                return [step * i for i in range(intervals + 1)]
        power *= 10


def activity_svg(activity: Activity, *, chart_id: str = "activity") -> SafeString:
    """The chart as an inline <svg role="img"> labelled by its own <title> and <desc>."""
    unit = activity.unit
    title = f"Events per {_UNIT_WORDS[unit]}, by kind"
    desc = activity_description(activity)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    ticks = y_ticks(max((b.total for b in activity.bars), default=0))
    top = ticks[-1] if ticks else 0
    parts: list[str] = [
        format_html(
            '<svg class="activity-chart" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="{}-title {}-desc" preserveAspectRatio="xMidYMid meet">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
            chart_id,
            title,
            chart_id,
            desc,
        )
    ]
    baseline = TOP + plot_h
    for value in ticks:
        y = baseline - plot_h * value / top
        parts.append(
            format_html(
                '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ddd"></line>'
                '<text class="axis-label y-tick" x="{}" y="{}" text-anchor="end" '
                'dominant-baseline="middle">{}</text>',
                LEFT,
                f"{y:.1f}",
                LEFT + plot_w,
                f"{y:.1f}",
                LEFT - 6,
                f"{y:.1f}",
                value,
            )
        )
    parts.append(
        format_html(
            '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#444"></line>',
            LEFT,
            baseline,
            LEFT + plot_w,
            baseline,
        )
    )
    n = len(activity.bars)
    if n:
        slot = plot_w / n
        bar_w = min(max(slot * 0.8, 1.0), 48.0)
        span_years = activity.bars[0].start.year != activity.bars[-1].start.year
        labels = [_bar_label(bar.start, unit, span_years) for bar in activity.bars]
        # Every k-th bar labelled, so labels at the phone's larger font (about 0.6 em a
        # character at 22 px, in the chart's own units) never touch; none may cross an edge.
        half = max(len(label) for label in labels) * 22 * 0.6 / 2
        every = max(1, math.ceil(2 * half * 1.15 / slot))
        first_labelled = max(0, math.ceil((half - LEFT) / slot - 0.5))
        for index, bar in enumerate(activity.bars):
            centre = LEFT + (index + 0.5) * slot
            x = centre - bar_w / 2
            y = baseline
            parts.append(
                format_html(
                    '<g class="bar" data-start="{}"><title>{}</title>',
                    bar.start.isoformat(),
                    _bar_title(bar, unit),
                )
            )
            for key, count in bar.counts.items():
                if not count:
                    continue
                h = plot_h * count / top
                y -= h
                parts.append(
                    format_html(
                        '<rect class="act-{}" x="{}" y="{}" width="{}" height="{}" fill="{}">'
                        "</rect>",
                        key,
                        f"{x:.1f}",
                        f"{y:.1f}",
                        f"{bar_w:.1f}",
                        f"{h:.1f}",
                        FALLBACK_FILL[key],
                    )
                )
            parts.append("</g>")
            labelled = index >= first_labelled and (index - first_labelled) % every == 0
            if labelled and centre <= WIDTH - half:
                # Centred under its bar: text-anchor middle at the bar's centre.
                parts.append(
                    format_html(
                        '<text class="axis-label bar-label" data-start="{}" x="{}" y="{}" '
                        'text-anchor="middle">{}</text>',
                        bar.start.isoformat(),
                        f"{centre:.1f}",
                        HEIGHT - 8,
                        labels[index],
                    )
                )
    parts.append("</svg>")
    return mark_safe("".join(str(p) for p in parts))  # every part was escaped above


def activity_table_rows(activity: Activity) -> list[tuple[str, ActivityBar]]:
    """The chart's bars with events, named, for its table alternative."""
    return [(_bar_heading(bar.start, activity.unit), bar) for bar in activity.bars if bar.total]


def activity_legend_items() -> list[tuple[str, str]]:
    return [(key, label) for key, label, _kinds in ACTIVITY_GROUPS]
