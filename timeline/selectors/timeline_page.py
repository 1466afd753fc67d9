"""The timeline page: event rows grouped by round, or by month between rounds, and the
activity chart beside them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from timeline.models import Negotiation, Round

from .activity import Activity, activity_of_events, negotiation_activity
from .event_rows import EventRow, row_from_event, timeline_rows

# The same in-memory filters negotiation_timeline applies to history snapshots, applied here
# after the unfiltered snapshots have also fed the activity chart.
from .timeline import TimelineFilters, _filter_in_memory, negotiation_timeline


@dataclass
class TimelineGroup:
    title: str
    round: Round | None = None
    month: dt.date | None = None
    continued: bool = False
    anchor: str = ""
    entries: list[EventRow] = field(default_factory=list)


def group_timeline(rows: list[EventRow], rounds: dict[int, Round]) -> list[TimelineGroup]:
    """Consecutive events of one round form a group; events between rounds group by month."""
    groups: list[TimelineGroup] = []
    seen: dict[tuple, int] = {}
    current_key: tuple | None = None
    for row in rows:
        round_ = rounds.get(row.round_id) if row.round_id is not None else None
        if round_ is not None:
            key: tuple = ("round", round_.pk)
        elif row.date is not None:
            key = ("month", row.date.year, row.date.month)
        else:
            key = ("undated",)
        if key != current_key:
            current_key = key
            # Rounds and months interleave (a meeting elsewhere during a round): a heading
            # seen before says "continued", and every group keeps a unique anchor.
            times = seen[key] = seen.get(key, 0) + 1
            continued = times > 1
            suffix = f"-{times}" if continued else ""
            if round_ is not None:
                group = TimelineGroup(
                    title=str(round_) + (" (continued)" if continued else ""),
                    round=round_,
                    continued=continued,
                    anchor=f"round-{round_.sequence}{suffix}",
                )
            elif key[0] == "month":
                month = dt.date(key[1], key[2], 1)
                group = TimelineGroup(
                    title=f"{month:%B} {month.year}" + (" (continued)" if continued else ""),
                    month=month,
                    continued=continued,
                    anchor=f"month-{month:%Y-%m}{suffix}",
                )
            else:
                group = TimelineGroup(title="Date not known", anchor=f"undated{suffix}")
            groups.append(group)
        groups[-1].entries.append(row)
    return groups


def _rounds_for_headings(negotiation: Negotiation) -> dict[int, Round]:
    return Round.objects.filter(negotiation=negotiation).select_related("venue").in_bulk()


def reader_timeline(
    negotiation: Negotiation, *, filters: TimelineFilters | None = None
) -> list[TimelineGroup]:
    """The grouped timeline as it stands now: 4 queries (events, participants, citations, and
    the rounds with their venues for the group headings). ``timeline_page`` handles "as known
    on", where the chart and the timeline must share one read of the history."""
    return group_timeline(timeline_rows(negotiation, filters), _rounds_for_headings(negotiation))


@dataclass
class TimelinePage:
    groups: list[TimelineGroup]
    activity: Activity  # the whole negotiation, whatever the filters: the context of the page


def timeline_page(
    negotiation: Negotiation,
    *,
    as_of: dt.date | None = None,
    filters: TimelineFilters | None = None,
) -> TimelinePage:
    """The timeline page's events and activity chart, now or as known on ``as_of``.

    "As known on" reads the event history once, unfiltered: the chart counts exactly those
    snapshots and the timeline shows the ones that pass the filters, so the two always agree
    (an event reported only later is in neither, and a date corrected later counts as it
    stood then).
    """
    if as_of is None:
        return TimelinePage(
            groups=reader_timeline(negotiation, filters=filters),
            activity=negotiation_activity(negotiation),
        )
    known = negotiation_timeline(negotiation, as_of=as_of)
    shown = _filter_in_memory(known, filters or TimelineFilters())
    return TimelinePage(
        groups=group_timeline(
            [row_from_event(event) for event in shown], _rounds_for_headings(negotiation)
        ),
        activity=activity_of_events(known),
    )
