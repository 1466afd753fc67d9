"""Events a candidate may duplicate: one set of reads for the admin's queue and the API.

Two different signals, kept apart on purpose:

- *look-alikes*: published events of the same negotiation and kind on the same date, found
  at review time (cheap, coarse);
- *possible duplicates*: the events the matcher named when it proposed the candidate
  (issue 13), stored on the candidate with their scores.
"""

from __future__ import annotations

from django.db.models import Prefetch

from timeline.models import Citation, Event


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


def possible_duplicates(candidates: list[Event]) -> dict[int, list[tuple[Event, float]]]:
    """Each candidate's "possible duplicate of ..." as live events with the matcher's score,
    best first. Events since merged, rejected or retracted drop out (nothing can be attached
    to them). The matched events come with their citations (article loaded), so a card can
    quote them beside the candidate: two queries for the page, none when nothing matched."""
    ids = {d["event"] for e in candidates for d in e.possible_duplicates if "event" in d}
    if not ids:
        return {}
    found = {e.pk: e for e in Event.objects.filter(pk__in=ids).prefetch_related(_cited())}
    result: dict[int, list[tuple[Event, float]]] = {}
    for event in candidates:
        matched = [
            (found[d["event"]], float(d.get("score", 0.0)))
            for d in event.possible_duplicates
            if d.get("event") in found and found[d["event"]].can_receive_merge
        ]
        if matched:
            result[event.pk] = sorted(matched, key=lambda pair: -pair[1])
    return result


def _cited() -> Prefetch:
    """A matched event's citations in reading order, with the report they quote."""
    cited = Citation.objects.select_related("article__outlet").order_by("article_id", "start")
    return Prefetch("citations", queryset=cited)


def sentence_key(event: Event) -> tuple[int | None, int, int] | None:
    """The words an event was proposed from (its first citation's span), if it cites any.
    Reads the prefetched citations."""
    citations = list(event.citations.all())
    if not citations:
        return None
    first = citations[0]
    return (first.article_id, first.start, first.end)


def same_sentence(candidates: list[Event]) -> dict[int, list[Event]]:
    """For each candidate, the others proposed from the same words (other readings of it)."""
    by_key: dict[tuple, list[Event]] = {}
    for event in candidates:
        key = sentence_key(event)
        if key is not None:
            by_key.setdefault(key, []).append(event)
    return {e.pk: [o for o in same if o.pk != e.pk] for same in by_key.values() for e in same}
