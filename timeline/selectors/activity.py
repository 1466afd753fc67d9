"""Events per week by kind group, for the activity chart on the timeline page."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count

from timeline.models import Event, EventKind, Negotiation

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


@dataclass
class ActivityWeek:
    start: dt.date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Activity:
    weeks: list[ActivityWeek]
    totals: dict[str, int]
    undated: int
    kinds: set[str] = field(default_factory=set)  # every event kind that occurs

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def busiest(self) -> ActivityWeek | None:
        return max(self.weeks, key=lambda w: w.total, default=None)


def activity_of(counts: Iterable[tuple[dt.date | None, str, int]]) -> Activity:
    """Tally ``(date, kind, number of events)`` into weeks starting on Monday and kind groups,
    gaps filled with empty weeks."""
    per_week: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = {key: 0 for key, _label, _kinds in ACTIVITY_GROUPS}
    undated = 0
    kinds: set[str] = set()
    for day, kind, n in counts:
        kinds.add(kind)
        group = GROUP_OF_KIND.get(kind, "statements")
        if day is None:
            undated += n
            continue
        monday = day - dt.timedelta(days=day.weekday())
        per_week[monday][group] += n
        totals[group] += n
    weeks: list[ActivityWeek] = []
    if per_week:
        week = min(per_week)
        last = max(per_week)
        while week <= last:
            counts_then = per_week.get(week, {})
            weeks.append(
                ActivityWeek(start=week, counts={k: counts_then.get(k, 0) for k in totals})
            )
            week += dt.timedelta(days=7)
    return Activity(weeks=weeks, totals=totals, undated=undated, kinds=kinds)


def activity_of_events(events: Iterable[Event]) -> Activity:
    """The activity of events already loaded, e.g. the "as known on" timeline's snapshots."""
    return activity_of((event.date, event.kind, 1) for event in events)


def negotiation_activity(
    negotiation: Negotiation,
    as_of: dt.date | None = None,
    filters: TimelineFilters | None = None,
) -> Activity:
    """Published events per week and kind group over the whole life of the negotiation, as
    filtered: one aggregate query (GROUP BY date and kind; the rows it reads are the index's).

    With ``as_of``: over the "as known on" snapshots, in the state and with the dates known
    that day, so the chart never counts an event the timeline beside it leaves out.
    """
    filters = filters or TimelineFilters()
    # Cached under the negotiation's change stamp, which every write that changes the
    # timeline moves (timeline.services.stamp), so the GROUP BY runs once per version, day
    # and filter combination, not on every view.
    key = (
        "activity:"
        + hashlib.sha256(
            f"{negotiation.pk}|{negotiation.timeline_stamp}|{as_of}|{filters.as_params()}".encode()
        ).hexdigest()
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    if as_of is not None:
        events = events_reported_by(negotiation, as_of, filters)
    else:
        events = Event.objects.published().for_negotiation(negotiation)
        if filters.disputed is not None:
            events = events.with_disputed()
        events = filters.apply(events)
    activity = activity_of(events.order_by().values_list("date", "kind").annotate(n=Count("id")))
    cache.set(key, activity, ACTIVITY_CACHE_SECONDS)
    return activity
