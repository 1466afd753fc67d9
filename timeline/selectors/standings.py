"""Where things stand: issues by parties, each side's current stance and its history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from timeline.models import Actor, Citation, Issue, Position, PositionKind, visible_actor_q

from .event_rows import hide_unseen_actors
from .negotiation import NegotiationContext

MOVING_KINDS: frozenset[str] = frozenset({PositionKind.CONCESSION, PositionKind.OFFER})
HARD_KINDS: frozenset[str] = frozenset({PositionKind.RED_LINE, PositionKind.DEMAND})


@dataclass
class StanceCell:
    party: Actor
    current: Position | None
    history: list[Position]  # earlier stances, newest first

    @property
    def changed_on(self) -> dt.date | None:
        return self.current.valid_from if self.current else None


@dataclass
class IssueRow:
    issue: Issue
    cells: list[StanceCell]
    gap: str  # "apart", "narrowing", "one-sided", "open"
    gap_label: str


@dataclass
class Standings:
    parties: list[Actor]
    rows: list[IssueRow]


def _gap(cells: list[StanceCell]) -> tuple[str, str]:
    stated = [(c, c.current) for c in cells if c.current is not None]
    if not stated:
        return "open", "No stated positions yet"
    if len(stated) == 1:
        return "one-sided", f"Only {stated[0][0].party.name} has stated a position"
    movers = [c for c, current in stated if current.kind in MOVING_KINDS]
    if movers:
        newest = max(movers, key=lambda c: c.changed_on or dt.date.min)
        return "narrowing", f"Narrowing: {newest.party.name} has made an offer or concession"
    hard = [c for c, current in stated if current.kind in HARD_KINDS]
    if len(hard) == len(stated):
        return "apart", "Far apart: every side holds a demand or red line"
    return "apart", "Apart: the sides state different positions"


def negotiation_standings(context: NegotiationContext, as_of: dt.date | None = None) -> Standings:
    """Issues by parties: each side's current stance, when it changed, and its history
    (2 queries: positions with parties, and their citations).

    Columns are the parties, then anyone else (a mediator) who took a stance. With ``as_of``,
    the current stance is the newest one valid by that day.
    """
    positions = (
        Position.objects.published()
        .filter(visible_actor_q("party"), issue__negotiation=context.negotiation)
        .select_related("party", "source_article__outlet")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("article__outlet", "speaker"),
            )
        )
        .order_by("issue_id", "party_id", "valid_from", "id")
    )
    if as_of is not None:
        positions = positions.filter(Q(valid_from__lte=as_of) | Q(valid_from__isnull=True))
    ledger: dict[tuple[int, int], list[Position]] = defaultdict(list)
    extra: dict[int, Actor] = {}
    for position in positions:
        hide_unseen_actors(position.citations.all())
        ledger[(position.issue_id, position.party_id)].append(position)
        extra.setdefault(position.party_id, position.party)
    parties = list(context.parties)
    known = {p.pk for p in parties}
    order = {a.pk: i for i, a in enumerate(context.actors_in_order)}
    others = sorted(
        (a for pk, a in extra.items() if pk not in known),
        key=lambda a: (order.get(a.pk, len(order)), a.name),
    )
    parties += others
    rows = []
    for issue in context.issues:
        cells = []
        for party in parties:
            stances = ledger.get((issue.pk, party.pk), [])
            if as_of is None:
                current = next((p for p in stances if p.is_current), None)
                if current is None and stances:
                    current = stances[-1]
            else:
                current = stances[-1] if stances else None
            history = [p for p in reversed(stances) if p is not current]
            cells.append(StanceCell(party=party, current=current, history=history))
        gap, gap_label = _gap(cells)
        rows.append(IssueRow(issue=issue, cells=cells, gap=gap, gap_label=gap_label))
    return Standings(parties=parties, rows=rows)
