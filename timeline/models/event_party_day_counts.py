from __future__ import annotations

from django.db import models
from django.db.models import Q

from .actors import Actor
from .choices import EventKind
from .negotiations import Negotiation


class EventPartyDayCount(models.Model):
    """How many public events of one kind a negotiation has on one day (``day`` null for the
    undated) in which one party takes part: the activity chart under ``?party=``, read without
    touching the event or participant tables.

    "Takes part" is the party filter's meaning (``timeline.selectors.timeline.party_people``):
    a participant is the party itself, a person affiliated to it, or a head or member of one
    of its delegations, all published. An event with several of the party's people counts
    once, so the chart of one party is this table's sum, exactly as the filtered GROUP BY.

    Written only by database triggers (migration 0010) on the event and participant tables
    (a change of counts per statement), on the tables that say who speaks for a party
    (actor status and affiliation, delegations and their members: those recount the parties
    concerned, as membership rarely changes), and on negotiations and actors (their rows go
    with them). Rows whose count falls to 0 stay.
    """

    # No foreign key constraints, and Django deletes nothing here: a trigger on each of the
    # two tables deletes the rows of a negotiation or actor once it is gone (a recount that
    # runs while Django deletes a negotiation table by table may put back rows meanwhile).
    negotiation = models.ForeignKey(
        Negotiation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="event_party_day_counts",
    )
    party = models.ForeignKey(
        Actor, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    day = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            # The chart's read: one negotiation and party, every day, an index-only scan
            # (count is in the key, not INCLUDEd: SQLite has no covering indexes). Without
            # it PostgreSQL fetches the party's rows from all over the heap: 300 against
            # 80 ms for the 76,000 rows of a party at 1,000,000 events.
            models.Index(
                fields=["negotiation", "party", "day", "kind", "count"],
                name="eventpartydaycount_chart",
            ),
        ]
        constraints = [
            # Two partial keys, as EventDayCount's (NULL days are distinct in a unique index).
            models.UniqueConstraint(
                fields=["negotiation", "party", "day", "kind"],
                condition=Q(day__isnull=False),
                name="eventpartydaycount_dated_key",
            ),
            models.UniqueConstraint(
                fields=["negotiation", "party", "kind"],
                condition=Q(day__isnull=True),
                name="eventpartydaycount_undated_key",
            ),
        ]

    def __str__(self) -> str:
        day = self.day or "undated"
        return f"{self.negotiation_id} party {self.party_id} {day} {self.kind}: {self.count}"
