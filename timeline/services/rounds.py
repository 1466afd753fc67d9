"""Rounds gather the events that happened at their venue during their dates."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from timeline.models import Event, Round


@transaction.atomic
def round_adopt_events(round_: Round) -> int:
    """Attach to ``round_`` the events of its negotiation that have no round yet, are dated
    within its days and took place at its venue (or name no place). Returns how many.

    Editors enter a round after the reports that describe it; without this they would open
    each of its events to set the round by hand.
    """
    start, end = round_.start, round_.end or round_.start
    if start is None or end is None:
        return 0
    events = (
        Event.objects.select_for_update(no_key=True)
        .filter(negotiation_id=round_.negotiation_id, round__isnull=True)
        .filter(date__gte=start, date__lte=end)
        .order_by("pk")
    )
    if round_.venue_id is not None:
        events = events.filter(Q(place_id=round_.venue_id) | Q(place__isnull=True))
    adopted = 0
    for event in events:
        event.round = round_
        event.save(update_fields=["round", "updated_at"])
        adopted += 1
    return adopted
