"""The home page: every negotiation with its sides and its latest published event."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from timeline.models import Actor, Event, EventDayCount, Negotiation, ParticipationRole

from .negotiation import participations_prefetch


@dataclass
class NegotiationSummary:
    negotiation: Negotiation
    parties: list[Actor]
    mediators: list[Actor]
    others: list[Actor]
    last_event: Event | None
    event_count: int
    colours: dict[int, int] = field(default_factory=dict)  # set by the page


def home_summary() -> list[NegotiationSummary]:
    """Every negotiation with its sides and its latest published event (3 queries)."""
    published = Event.objects.published().filter(negotiation=OuterRef("pk"))
    # From the summary table the triggers keep (a row per day and kind), not a COUNT over
    # every event of every negotiation on each view of the home page.
    counted = (
        EventDayCount.objects.filter(negotiation=OuterRef("pk"))
        .order_by()
        .values("negotiation")
        .annotate(n=Sum("count"))
        .values("n")
    )
    negotiations = list(
        Negotiation.objects.annotate(
            published_events=Coalesce(Subquery(counted), 0),
            last_event_id=Subquery(
                published.filter(date__isnull=False).order_by("-date", "-id").values("id")[:1]
            ),
        )
        .prefetch_related(participations_prefetch())
        .order_by("title")
    )
    last_ids = [n.last_event_id for n in negotiations if n.last_event_id]
    last_events = Event.objects.select_related("place").in_bulk(last_ids) if last_ids else {}
    summaries = []
    for negotiation in negotiations:
        by_role: dict[str, list[Actor]] = defaultdict(list)
        for participation in negotiation.participations.all():
            by_role[participation.role].append(participation.actor)
        summaries.append(
            NegotiationSummary(
                negotiation=negotiation,
                parties=by_role[ParticipationRole.PARTY],
                mediators=by_role[ParticipationRole.MEDIATOR],
                others=by_role[ParticipationRole.GUARANTOR] + by_role[ParticipationRole.OBSERVER],
                last_event=last_events.get(negotiation.last_event_id),
                event_count=negotiation.published_events,
            )
        )
    return summaries
