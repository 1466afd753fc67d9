"""The stance a party holds now on an issue: what a candidate position would supersede."""

from __future__ import annotations

from django.db.models import Q

from timeline.models import Position


def current_stances(positions: list[Position]) -> dict[tuple[int, int], Position]:
    """The current stance for each (issue, party) of ``positions``, in one query (none for an
    empty list). Keyed by ``(issue_id, party_id)``."""
    pairs = {(p.issue_id, p.party_id) for p in positions}
    if not pairs:
        return {}
    wanted = Q()
    for issue_id, party_id in pairs:
        wanted |= Q(issue_id=issue_id, party_id=party_id)
    return {
        (p.issue_id, p.party_id): p
        for p in Position.objects.current()
        .filter(wanted)
        .only("pk", "issue_id", "party_id", "kind", "stance", "valid_from", "date_text")
    }


def current_stance(position: Position) -> Position | None:
    """The current stance of ``position``'s party on its issue, other than ``position``."""
    return (
        Position.objects.current()
        .filter(issue_id=position.issue_id, party_id=position.party_id)
        .exclude(pk=position.pk)
        .first()
    )
