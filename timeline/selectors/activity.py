"""Events per week (or month, quarter, year) by kind group, for the timeline page's chart."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db.models import Aggregate, Count, DateField, Max, Min, QuerySet, Sum
from django.db.models.functions import Trunc

from timeline.models import (
    Actor,
    Event,
    EventDayCount,
    EventKind,
    EventPartyDayCount,
    Negotiation,
    ReviewStatus,
)

from .timeline import TimelineFilters, events_reported_by

ACTIVITY_GROUPS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "talks",
        "Talks and delegations",
        (
            EventKind.MEETING,
            EventKind.DELEGATION_ARRIVAL,
            EventKind.DELEGATION_DEPARTURE,
            EventKind.SCHEDULED,
        ),
    ),
    (
        "offers",
        "Proposals, responses and agreements",
        (EventKind.PROPOSAL, EventKind.RESPONSE, EventKind.AGREEMENT, EventKind.CONCESSION),
    ),
    ("statements", "Statements and demands", (EventKind.STATEMENT, EventKind.DEMAND)),
    (
        "friction",
        "Threats, walkouts and breakdowns",
        (
            EventKind.BREAKDOWN,
            EventKind.THREAT,
            EventKind.ULTIMATUM,
            EventKind.WALKOUT,
            EventKind.POSTPONEMENT,
        ),
    ),
    ("military", "Military action", (EventKind.MILITARY_ACTION,)),
]
# A new stamp makes a new key; the timeout only bounds what stale keys occupy.
ACTIVITY_CACHE_SECONDS = 24 * 3600
GROUP_OF_KIND = {kind: key for key, _label, kinds in ACTIVITY_GROUPS for kind in kinds}


MAX_BARS = 60
#: Bar widths, narrowest first: the chart takes the first that fits the span in MAX_BARS.
UNITS = ("week", "month", "quarter", "year")


@dataclass
class ActivityBar:
    start: dt.date  # the first day of its week (a Monday), month, quarter or year
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Activity:
    bars: list[ActivityBar]
    totals: dict[str, int]
    undated: int
    unit: str = "week"  # of UNITS: what one bar counts
    kinds: set[str] = field(default_factory=set)  # every event kind that occurs

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def busiest(self) -> ActivityBar | None:
        return max(self.bars, key=lambda b: b.total, default=None)


def bar_start(day: dt.date, unit: str) -> dt.date:
    """The first day of the bar ``day`` falls in (as SQL's date_trunc and Django's Trunc)."""
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def _next_bar(start: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def bar_unit(first: dt.date | None, last: dt.date | None) -> str:
    """The narrowest bar that shows ``first`` to ``last`` in at most MAX_BARS bars (a span
    longer than MAX_BARS years gets more bars than that, one a year: none is that old yet)."""
    if first is None or last is None:
        return "week"
    for unit in UNITS[:-1]:
        bars, start = 1, bar_start(first, unit)
        end = bar_start(last, unit)
        while start < end and bars <= MAX_BARS:
            start, bars = _next_bar(start, unit), bars + 1
        if bars <= MAX_BARS:
            return unit
    return "year"


def activity_of(counts: Iterable[tuple[dt.date | None, str, int]], unit: str = "week") -> Activity:
    """Tally ``(date, kind, number of events)`` into bars of ``unit`` and kind groups, gaps
    filled with empty bars. The dates may be days or the bars' own first days."""
    per_bar: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = {key: 0 for key, _label, _kinds in ACTIVITY_GROUPS}
    undated = 0
    kinds: set[str] = set()
    for day, kind, n in counts:
        if not n:
            continue
        kinds.add(kind)
        group = GROUP_OF_KIND.get(kind, "statements")
        if day is None:
            undated += n
            continue
        per_bar[bar_start(day, unit)][group] += n
        totals[group] += n
    bars: list[ActivityBar] = []
    if per_bar:
        start, last = min(per_bar), max(per_bar)
        while start <= last:
            counts_then = per_bar.get(start, {})
            bars.append(ActivityBar(start=start, counts={k: counts_then.get(k, 0) for k in totals}))
            start = _next_bar(start, unit)
    return Activity(bars=bars, totals=totals, undated=undated, unit=unit, kinds=kinds)


def activity_of_events(events: Iterable[Event]) -> Activity:
    """The activity of events already loaded, e.g. the "as known on" timeline's snapshots."""
    loaded = [(event.date, event.kind, 1) for event in events]
    dated = [day for day, _kind, _n in loaded if day is not None]
    unit = bar_unit(min(dated, default=None), max(dated, default=None))
    return activity_of(loaded, unit)


def _bucketed(rows: QuerySet, day: str, kind: str, n: Aggregate) -> Activity:
    """Two queries over ``rows``: the first and last day, then the counts per bar and kind in
    the bar width that span needs (so at most MAX_BARS bars, however long the negotiation)."""
    span = rows.order_by().aggregate(first=Min(day), last=Max(day))
    unit = bar_unit(span["first"], span["last"])
    grouped = (
        rows.order_by()
        .annotate(bar=Trunc(day, unit, output_field=DateField()))
        .values_list("bar", kind)
        .annotate(n=n)
    )
    return activity_of(grouped, unit)


def _answered_by_day_counts(filters: TimelineFilters) -> bool:
    """Whether EventDayCount can answer the chart under these filters: it knows each public
    event's negotiation, day and kind and nothing else. ``date_from`` also keeps events that
    began earlier and end after it (end_date is not in the table), so it is not answered."""
    return replace(filters, kinds=[], date_to=None) == TimelineFilters()


def _answered_by_party_day_counts(filters: TimelineFilters) -> bool:
    """Whether EventPartyDayCount can: one party (an event of two parties asked together
    counts once, which a sum of their rows would count twice), by kind and end date."""
    return len(filters.parties) == 1 and _answered_by_day_counts(replace(filters, parties=[]))


def negotiation_activity(
    negotiation: Negotiation,
    as_of: dt.date | None = None,
    filters: TimelineFilters | None = None,
) -> Activity:
    """Published events per bar (week, month, quarter or year: at most MAX_BARS of them) and
    kind group over the whole life of the negotiation, as filtered.

    Unfiltered, or by kind and end date: two small queries over the summary table
    EventDayCount (a row per day and kind, kept by triggers), never the event table, so the
    cost follows the number of days with events, not the number of events.

    One party, alone or with kinds and an end date: the same over EventPartyDayCount (a row
    per party, day and kind, kept by triggers), so a party filter costs what no filter does.

    Other filters ask about what the tables do not hold (two parties or more, issue, round,
    disputed, sources, start date), so they fall back to the same two queries over the
    filtered events.
    With ``as_of``: over the events reported by then, with the dates known now, so the chart
    never counts an event the timeline beside it leaves out.
    """
    filters = filters or TimelineFilters()
    # Cached under the negotiation's change stamp, which every write that changes the
    # timeline moves (timeline.services.stamp), so the fallback's aggregates over events run
    # once per version, day and filter combination, not on every view.
    key = (
        "activity:"
        + hashlib.sha256(
            f"{negotiation.pk}|{negotiation.timeline_stamp}|{as_of}|{filters.as_params()}".encode()
        ).hexdigest()
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    days: QuerySet | None = None
    if as_of is None and _answered_by_day_counts(filters):
        days = EventDayCount.objects.filter(negotiation=negotiation, count__gt=0)
    elif as_of is None and _answered_by_party_day_counts(filters):
        # parse() kept only published slugs; one unpublished since then matches no event.
        # Its id first, so the counts are one range of the table's key (negotiation, party).
        party = (
            Actor.objects.filter(slug=filters.parties[0], status__in=ReviewStatus.PUBLIC)
            .values_list("pk", flat=True)
            .first()
        )
        days = EventPartyDayCount.objects.filter(
            negotiation=negotiation, party_id=party, count__gt=0
        )
    if days is not None:
        if filters.kinds:
            days = days.filter(kind__in=filters.kinds)
        if filters.date_to:
            days = days.filter(day__lte=filters.date_to)
        activity = _bucketed(days, "day", "kind", Sum("count"))
    else:
        if as_of is not None:
            events = events_reported_by(negotiation, as_of, filters)
        else:
            events = Event.objects.published().for_negotiation(negotiation)
            if filters.disputed is not None:
                events = events.with_disputed()
            events = filters.apply(events)
        activity = _bucketed(events, "date", "kind", Count("id"))
    cache.set(key, activity, ACTIVITY_CACHE_SECONDS)
    return activity
