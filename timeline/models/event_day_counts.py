from __future__ import annotations

from django.db import models
from django.db.models import Q

from .choices import EventKind
from .negotiations import Negotiation


class EventDayCount(models.Model):
    """How many public events of one kind a negotiation has on one day (``day`` is null for
    its undated events): the activity chart and the home page's counts, read without touching
    the event table.

    Written only by database triggers on ``timeline_event`` (migration 0009), so every write
    path keeps it right: services, the admin, ``QuerySet.update``, merges, raw SQL and COPY.
    Rows whose count falls to 0 stay (readers skip them); deleting them in the trigger would
    race a concurrent insert of the same key.
    """

    negotiation = models.ForeignKey(
        Negotiation, on_delete=models.CASCADE, related_name="event_day_counts"
    )
    day = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # Two partial keys, because NULL days are distinct in a plain unique index (and
            # SQLite has no NULLS NOT DISTINCT): the triggers' upserts name one or the other.
            models.UniqueConstraint(
                fields=["negotiation", "day", "kind"],
                condition=Q(day__isnull=False),
                name="eventdaycount_dated_key",
            ),
            models.UniqueConstraint(
                fields=["negotiation", "kind"],
                condition=Q(day__isnull=True),
                name="eventdaycount_undated_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.negotiation_id} {self.day or 'undated'} {self.kind}: {self.count}"
