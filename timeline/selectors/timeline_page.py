"""The timeline page: a bounded window of event rows in time order, grouped by month with the
rounds as labels, and the activity chart beside them.

A window is at most ``WINDOW`` events, read by keyset on (date, id) from a boundary event
(never OFFSET), so the page costs the same at 12 events and at 1,000,000; links lead to the
earlier and later windows. Time order comes first: a round is a label on the months it spans,
not a group that pulls its events out of order.

A search (``q=``) comes best match first instead, as one group, paged by keyset on
(rank, id) over the best ``SEARCH_LIMIT`` matches (``timeline.selectors.search``), unless the
reader asks for time order.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import QuerySet

from timeline.models import Negotiation, Round

from .activity import Activity, negotiation_activity
from .event_rows import EVENT_COLUMNS, EventRow, row_from_event, rows_of_events
from .event_rows import timeline_events_for_rows as _live_events
from .keyset import keyset_slice
from .search import RANK, RANKED_ORDER, ranked_search
from .timeline import TimelineFilters, events_reported_by, with_details_as_of

WINDOW = 100
_KEYS = ("date", "id")


@dataclass(frozen=True)
class Boundary:
    """Where a window starts (``after``) or ends (``before``): an event's (date, id), or in
    a ranked search its (rank, id)."""

    date: dt.date | None
    id: int
    rank: float | None = None

    def encode(self) -> str:
        if self.rank is not None:
            return f"r{self.rank!r}.{self.id}"
        return f"{self.date.isoformat() if self.date else 'undated'}.{self.id}"

    @classmethod
    def decode(cls, raw: str) -> Boundary | None:
        day, _, pk = raw.rpartition(".")
        if not pk.isdigit() or not 0 <= int(pk) < 2**63:
            return None
        if day == "undated":
            return cls(None, int(pk))
        if day.startswith("r"):
            try:
                rank = float(day[1:])
            except ValueError:
                return None
            return cls(None, int(pk), rank) if math.isfinite(rank) else None
        try:
            return cls(dt.date.fromisoformat(day), int(pk))
        except ValueError:
            return None


@dataclass
class TimelineGroup:
    title: str
    month: dt.date | None = None
    anchor: str = ""
    rounds: list[Round] = field(default_factory=list)  # labels: the rounds of these events
    entries: list[EventRow] = field(default_factory=list)


def group_timeline(rows: list[EventRow], rounds: dict[int, Round]) -> list[TimelineGroup]:
    """Consecutive events of one month form a group (undated ones last, together), labelled
    with the rounds their events belong to. Rows stay in time order."""
    groups: list[TimelineGroup] = []
    current: tuple | None = None
    for row in rows:
        key: tuple = ("month", row.date.year, row.date.month) if row.date else ("undated",)
        if key != current:
            current = key
            if row.date is not None:
                month = dt.date(row.date.year, row.date.month, 1)
                groups.append(
                    TimelineGroup(
                        title=f"{month:%B} {month.year}",
                        month=month,
                        anchor=f"month-{month:%Y-%m}",
                    )
                )
            else:
                groups.append(TimelineGroup(title="Date not known", anchor="undated"))
        group = groups[-1]
        round_ = rounds.get(row.round_id) if row.round_id is not None else None
        if round_ is not None and round_ not in group.rounds:
            group.rounds.append(round_)
        group.entries.append(row)
    return groups


def _rounds_for_labels(negotiation: Negotiation) -> dict[int, Round]:
    # A negotiation has tens of rounds, not thousands: one small query.
    return Round.objects.filter(negotiation=negotiation).select_related("venue").in_bulk()


@dataclass(frozen=True)
class SearchWindow:
    """A ranked search's window: how many of the best matches are listed at most, whether
    more events matched than that, and whether only the newest ``bound`` were ranked."""

    limit: int
    truncated: bool
    bounded: bool = False
    bound: int = 0


@dataclass
class TimelinePage:
    groups: list[TimelineGroup]
    activity: Activity  # the whole (filtered) negotiation: the context of the window
    earlier: Boundary | None = None  # the first row shown, when there are earlier ones
    later: Boundary | None = None  # the last row shown, when there are later ones
    rounds: list[Round] = field(default_factory=list)  # for "jump to a round"
    kinds: set[str] = field(default_factory=set)  # kinds that occur, whatever the filters
    search: SearchWindow | None = None  # a ranked search: best matches first, bounded

    @property
    def event_count(self) -> int:
        return sum(len(group.entries) for group in self.groups)


def _window(
    rows: QuerySet, position: list | None, backwards: bool, size: int, *, ranked: bool = False
) -> tuple[list, bool]:
    """``size`` rows after (or before) ``position`` in the page's order, in that order, and
    whether there are more beyond them (one extra row is read to tell). ``ranked``: best
    first is descending key order, so a later window reads the keys backwards and an earlier
    one forwards."""
    if ranked:
        found = keyset_slice(rows, RANKED_ORDER, position, backwards=not backwards, limit=size + 1)
    else:
        found = keyset_slice(
            rows, _KEYS, position, backwards=backwards, limit=size + 1, nullable_first=True
        )
    more = len(found) > size
    found = found[:size]
    if backwards:
        found.reverse()
    return found, more


def _ranked_rows(
    negotiation: Negotiation,
    as_of: dt.date | None,
    filters: TimelineFilters,
    boundary: Boundary | None,
    backwards: bool,
    window: int,
) -> tuple[list[EventRow], list[float], bool, SearchWindow]:
    """One window of the best matches of ``filters.q``: rows, their ranks, whether there are
    more beyond, and the search's bound."""
    # A time boundary (a "go to date" link) means nothing in rank order: start at the best.
    position = (
        [boundary.rank, boundary.id] if boundary is not None and boundary.rank is not None else None
    )
    if as_of is None:
        search = ranked_search(_live_events(negotiation, filters), filters.q)
        values = search.rows.values_list(*EVENT_COLUMNS, RANK)
        found, more = _window(values, position, backwards, window, ranked=True)
        ranks = [value[-1] for value in found]
        rows = rows_of_events(values, [value[:-1] for value in found])
    else:
        matches = events_reported_by(negotiation, as_of, filters)
        search = ranked_search(matches, filters.q, every_match=True)  # see ranked_search
        known, more = _window(search.rows, position, backwards, window, ranked=True)
        ranks = [getattr(event, RANK) for event in known]
        rows = [row_from_event(event) for event in with_details_as_of(known, as_of)]
    return (
        rows,
        ranks,
        more,
        SearchWindow(
            limit=search.limit,
            truncated=search.truncated,
            bounded=search.bounded,
            bound=search.bound,
        ),
    )


def timeline_page(
    negotiation: Negotiation,
    *,
    as_of: dt.date | None = None,
    filters: TimelineFilters | None = None,
    after: Boundary | None = None,
    before: Boundary | None = None,
    window: int = WINDOW,
    ranked: bool = False,
) -> TimelinePage:
    """One window of the timeline page, now or as known on ``as_of``: the ``window`` events
    after ``after`` (or before ``before``; from the start without either), and the chart.

    Now: 3 queries for the rows (events, participants, citations), one for the rounds, one
    aggregate for the chart. "As known on" reads a window of the events reported by then the
    same way.
    """
    filters = filters or TimelineFilters()
    backwards = before is not None
    boundary = before or after
    if ranked and filters.q:
        return _ranked_page(negotiation, as_of, filters, boundary, backwards, window)
    if boundary is not None and boundary.rank is not None:
        boundary = None  # a ranked search's place means nothing in time order
    position = [boundary.date, boundary.id] if boundary is not None else None
    if as_of is None:
        values = _live_events(negotiation, filters).values_list(*EVENT_COLUMNS)
        found, more = _window(values, position, backwards, window)
        rows = rows_of_events(values, found)
    else:
        known, more = _window(
            events_reported_by(negotiation, as_of, filters), position, backwards, window
        )
        rows = [row_from_event(event) for event in with_details_as_of(known, as_of)]
    has_earlier = more if backwards else boundary is not None
    has_later = True if backwards else more
    rounds = _rounds_for_labels(negotiation)
    activity = negotiation_activity(negotiation, as_of=as_of, filters=filters)
    # The kind filter offers the kinds that occur at all, not only those left by the filters.
    kinds = negotiation_activity(negotiation).kinds if filters.active else activity.kinds
    return TimelinePage(
        groups=group_timeline(rows, rounds),
        activity=activity,
        kinds=kinds,
        earlier=Boundary(rows[0].date, rows[0].pk) if rows and has_earlier else None,
        later=Boundary(rows[-1].date, rows[-1].pk) if rows and has_later else None,
        rounds=sorted(rounds.values(), key=lambda r: r.sequence),
    )


def _ranked_page(
    negotiation: Negotiation,
    as_of: dt.date | None,
    filters: TimelineFilters,
    boundary: Boundary | None,
    backwards: bool,
    window: int,
) -> TimelinePage:
    """A window of a search's best matches as one group, best first. The chart beside it
    still shows every match over time (``negotiation_activity`` applies the same filters)."""
    rows, ranks, more, search = _ranked_rows(
        negotiation, as_of, filters, boundary, backwards, window
    )
    started = boundary is not None and boundary.rank is not None
    has_earlier = more if backwards else started
    has_later = True if backwards else more
    activity = negotiation_activity(negotiation, as_of=as_of, filters=filters)
    return TimelinePage(
        groups=[TimelineGroup(title="Best matches", anchor="matches", entries=rows)]
        if rows
        else [],
        activity=activity,
        kinds=negotiation_activity(negotiation).kinds,
        earlier=Boundary(None, rows[0].pk, ranks[0]) if rows and has_earlier else None,
        later=Boundary(None, rows[-1].pk, ranks[-1]) if rows and has_later else None,
        search=search,  # no round jumps: rounds are places in time, not in rank
    )
