"""Events per week by kind group, for the activity chart on the timeline page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from timeline.models import Event, EventKind, Negotiation

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


def negotiation_activity(negotiation: Negotiation, as_of: dt.date | None = None) -> Activity:
    """Published events per week (weeks start on Monday) and kind group, over the whole life
    of the negotiation: one aggregate query, gaps filled with empty weeks."""
    rows = (
        Event.objects.published()
        .for_negotiation(negotiation)
        .values("date", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    if as_of is not None:
        rows = rows.filter(Q(date__lte=as_of) | Q(date__isnull=True))
    per_week: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = {key: 0 for key, _label, _kinds in ACTIVITY_GROUPS}
    undated = 0
    kinds: set[str] = set()
    for row in rows:
        kinds.add(row["kind"])
        group = GROUP_OF_KIND.get(row["kind"], "statements")
        if row["date"] is None:
            undated += row["n"]
            continue
        monday = row["date"] - dt.timedelta(days=row["date"].weekday())
        per_week[monday][group] += row["n"]
        totals[group] += row["n"]
    weeks: list[ActivityWeek] = []
    if per_week:
        week = min(per_week)
        last = max(per_week)
        while week <= last:
            counts = per_week.get(week, {})
            weeks.append(ActivityWeek(start=week, counts={k: counts.get(k, 0) for k in totals}))
            week += dt.timedelta(days=7)
    return Activity(weeks=weeks, totals=totals, undated=undated, kinds=kinds)
