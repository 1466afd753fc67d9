"""A small server-rendered SVG of events per week by kind group, with text alternatives.

Built as a string (no JavaScript, no chart library); every piece of text goes through
``format_html``/``escape``. Colours come from CSS classes, with ``fill`` attributes as a
fallback for when the stylesheet is missing.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from timeline.selectors.activity import ACTIVITY_GROUPS, Activity, ActivityWeek

WIDTH = 720
HEIGHT = 180
LEFT = 36
RIGHT = 8
TOP = 12
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


def activity_description(activity: Activity) -> str:
    """The chart in words, for screen readers and for anyone who prefers sentences."""
    if not activity.weeks:
        return "No dated events yet."
    weeks = len(activity.weeks)
    first, last = activity.weeks[0].start, activity.weeks[-1].start
    busiest = activity.busiest
    parts = [
        f"{activity.total} dated "
        f"events over {weeks} week{'s' if weeks != 1 else ''}, from the week of {_day(first)} "
        f"to the week of {_day(last)}."
    ]
    if busiest is not None:
        parts.append(f"The busiest was the week of {_day(busiest.start)}, with {busiest.total}.")
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


def _week_title(week: ActivityWeek) -> str:
    detail = ", ".join(
        f"{count} {GROUP_LABEL[key].lower()}" for key, count in week.counts.items() if count
    )
    events = f"{week.total} event{'s' if week.total != 1 else ''}"
    return f"Week of {_day(week.start)}: {events}" + (f" ({detail})" if detail else "")


def activity_svg(activity: Activity, *, chart_id: str = "activity") -> SafeString:
    """The chart as an inline <svg role="img"> labelled by its own <title> and <desc>."""
    title = "Events per week, by kind"
    desc = activity_description(activity)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    peak = max((w.total for w in activity.weeks), default=0)
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
    parts.append(
        format_html(
            '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#444"></line>',
            LEFT,
            baseline,
            LEFT + plot_w,
            baseline,
        )
    )
    if peak:
        parts.append(
            format_html(
                '<text class="axis-label" x="{}" y="{}" text-anchor="end">{}</text>'
                '<text class="axis-label" x="{}" y="{}" text-anchor="end">0</text>',
                LEFT - 6,
                TOP + 10,
                peak,
                LEFT - 6,
                baseline,
            )
        )
    n = len(activity.weeks)
    if n:
        slot = plot_w / n
        bar_w = min(max(slot * 0.8, 1.0), 48.0)
        last_month = None
        label_every = max(1, round(n / 8))
        for index, week in enumerate(activity.weeks):
            x = LEFT + index * slot + (slot - bar_w) / 2
            y = baseline
            parts.append(format_html("<g><title>{}</title>", _week_title(week)))
            for key, count in week.counts.items():
                if not count:
                    continue
                h = plot_h * count / peak
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
            month = (week.start.year, week.start.month)
            # Few weeks: label each one; many: label the first week of a month, spaced out.
            if n <= 8 or (month != last_month and (index == 0 or index % label_every == 0)):
                last_month = month
                parts.append(
                    format_html(
                        '<text class="axis-label" x="{}" y="{}">{}</text>',
                        f"{LEFT + index * slot:.1f}",
                        HEIGHT - 8,
                        f"{week.start:%b} {week.start.year}"
                        if n > 8
                        else f"{week.start.day} {week.start:%b}",
                    )
                )
    parts.append("</svg>")
    return mark_safe("".join(str(p) for p in parts))  # every part was escaped above


def activity_legend_items() -> list[tuple[str, str]]:
    return [(key, label) for key, label, _kinds in ACTIVITY_GROUPS]
