"""Published events a candidate may duplicate: one check for the admin's queue and the API."""

from __future__ import annotations

from timeline.models import Event


def published_look_alikes(candidates: list[Event], limit: int = 3) -> dict[int, list[Event]]:
    """Published events each candidate may duplicate: same negotiation and kind, and the same
    date when both are dated. One query for the whole list."""
    pool: dict[tuple[int | None, str], list[Event]] = {}
    known = [e for e in candidates if e.negotiation_id]
    published = Event.objects.published().filter(
        negotiation_id__in={e.negotiation_id for e in known}, kind__in={e.kind for e in known}
    )
    for other in published.only("pk", "negotiation_id", "kind", "date", "summary"):
        pool.setdefault((other.negotiation_id, other.kind), []).append(other)
    found: dict[int, list[Event]] = {}
    for event in known:
        same = [
            other
            for other in pool.get((event.negotiation_id, event.kind), [])
            if other.pk != event.pk
            and (event.date is None or other.date is None or other.date == event.date)
        ]
        found[event.pk] = sorted(same, key=lambda o: (o.date is None, o.date, o.pk))[:limit]
    return found
