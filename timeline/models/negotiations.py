from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from .actors import Actor, Place
from .base import TimeStampedModel
from .choices import (
    DatePrecision,
    NegotiationKind,
    NegotiationStatus,
    ParticipationRole,
    PositionKind,
    ReviewStatus,
    RoundFormat,
    RoundStatus,
)


class Negotiation(TimeStampedModel):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=NegotiationKind.choices)
    status = models.CharField(
        max_length=20, choices=NegotiationStatus.choices, default=NegotiationStatus.ACTIVE
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    actors = models.ManyToManyField(Actor, through="Participation", related_name="negotiations")
    # The timeline's change stamp: bumped in the same transaction by every write that changes
    # what the timeline or its exports show (services.stamp.timeline_changed), so a validator
    # (ETag, Last-Modified, cache key) reads this one row instead of aggregating the timeline.
    content_version = models.PositiveBigIntegerField(default=0, editable=False)
    content_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["content_version", "content_changed_at"])

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="negotiation_end_not_before_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def timeline_stamp(self) -> str:
        """Changes whenever the timeline or the negotiation's own detail does."""
        return f"{self.content_version}.{self.updated_at.timestamp() if self.updated_at else 0}"

    @property
    def timeline_changed_at(self):
        """When the timeline or the negotiation itself last changed (Last-Modified)."""
        changed = [t for t in (self.updated_at, self.content_changed_at) if t is not None]
        return max(changed) if changed else None


class Participation(models.Model):
    """An actor's role in one negotiation: the same state can mediate one and be party to another."""

    negotiation = models.ForeignKey(
        Negotiation, on_delete=models.CASCADE, related_name="participations"
    )
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(max_length=20, choices=ParticipationRole.choices)
    side = models.CharField(
        max_length=100, blank=True, help_text="Which side the actor is on, for parties and allies."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["role", "actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["negotiation", "actor", "role"], name="participation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()}) in {self.negotiation}"


class Round(TimeStampedModel):
    """One sitting of talks at a venue over some days."""

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="rounds")
    sequence = models.PositiveIntegerField()
    name = models.CharField(max_length=200, blank=True, help_text='e.g. "The Cairo round"')
    format = models.CharField(
        max_length=20, choices=RoundFormat.choices, default=RoundFormat.MEDIATED
    )
    venue = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="rounds"
    )
    status = models.CharField(
        max_length=20, choices=RoundStatus.choices, default=RoundStatus.ANNOUNCED
    )
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    actual_start = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["negotiation", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["negotiation", "sequence"], name="round_unique_sequence"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="round_planned_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(actual_end__isnull=True)
                | models.Q(actual_start__isnull=True)
                | models.Q(actual_end__gte=models.F("actual_start")),
                name="round_actual_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"Round {self.sequence}"

    @property
    def start(self):
        return self.actual_start or self.planned_start

    @property
    def end(self):
        return self.actual_end or self.planned_end


class Delegation(TimeStampedModel):
    """A party's team at a round, or a team that never arrived."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="delegations")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="delegations")
    head = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="delegations_led"
    )
    arrived_on = models.DateField(null=True, blank=True)
    departed_on = models.DateField(null=True, blank=True)
    never_arrived = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "actor__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "actor"], name="delegation_unique_per_round"),
            models.CheckConstraint(
                condition=models.Q(departed_on__isnull=True)
                | models.Q(arrived_on__isnull=True)
                | models.Q(departed_on__gte=models.F("arrived_on")),
                name="delegation_departure_not_before_arrival",
            ),
            models.CheckConstraint(
                condition=models.Q(never_arrived=False)
                | models.Q(arrived_on__isnull=True, departed_on__isnull=True),
                name="delegation_never_arrived_has_no_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} delegation at {self.round}"


class DelegationMember(models.Model):
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="delegation_memberships"
    )
    role = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "person"], name="delegation_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})" if self.role else str(self.person)


class IssueQuerySet(models.QuerySet["Issue"]):
    def published(self) -> IssueQuerySet:
        return self.filter(status=ReviewStatus.PUBLISHED)

    def merge_targets(self) -> IssueQuerySet:
        """Issues another may be merged into (the queryset form of ``can_receive_merge``)."""
        return self.exclude(status__in=ReviewStatus.FINAL)


class Issue(TimeStampedModel):
    """A point of contention: ceasefire duration, withdrawal, hostages, guarantees...

    Issues an editor enters are published; the ones the extractor names from a candidate
    stance start as candidates and go public with the first stance an editor publishes.
    """

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="issues")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PUBLISHED,
        help_text="Issues proposed by the extractor start as candidates.",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = IssueQuerySet.as_manager()

    @property
    def can_receive_merge(self) -> bool:
        """Whether another issue may be folded into this one: not once it is decided for good
        (rejected, retracted or itself merged)."""
        return self.status not in ReviewStatus.FINAL

    class Meta:
        ordering = ["negotiation", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["negotiation", "slug"], name="issue_unique_slug")
        ]

    def __str__(self) -> str:
        return self.title


class PositionQuerySet(models.QuerySet["Position"]):
    def published(self) -> PositionQuerySet:
        return self.filter(status=ReviewStatus.PUBLISHED)

    def candidates(self) -> PositionQuerySet:
        return self.filter(status__in=ReviewStatus.OPEN_FOR_REVIEW)

    def current(self) -> PositionQuerySet:
        return self.published().filter(is_current=True)

    def ledger(self) -> PositionQuerySet:
        """Every published stance, oldest first per party: how each side moved.

        The current stance comes last: an undated stance that was superseded is older than
        its successor, though a plain date sort would put it after every dated one.
        """
        return self.published().order_by(
            "issue_id",
            "party__name",
            "is_current",
            models.F("valid_from").asc(nulls_first=True),
            "id",
        )


class Position(TimeStampedModel):
    """A party's stance on an issue from a date; a newer one supersedes it."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="positions")
    party = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="positions")
    kind = models.CharField(
        max_length=20, choices=PositionKind.choices, default=PositionKind.STANCE
    )
    stance = models.CharField(max_length=300, help_text='Short, e.g. "permanent ceasefire"')
    detail = models.TextField(blank=True)
    valid_from = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=20, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    date_text = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.CANDIDATE
    )
    is_current = models.BooleanField(default=False, editable=False)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by"
    )
    source_article = models.ForeignKey(
        "timeline.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    extraction_key = models.CharField(max_length=64, blank=True, editable=False)
    history = HistoricalRecords()

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "party__name", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "party"],
                condition=models.Q(is_current=True),
                name="position_one_current_per_party_issue",
            ),
            models.CheckConstraint(
                condition=models.Q(is_current=False) | models.Q(status=ReviewStatus.PUBLISHED),
                name="position_current_is_published",
            ),
            models.UniqueConstraint(
                fields=["source_article", "extraction_key"],
                condition=~models.Q(extraction_key=""),
                name="position_unique_extraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.stance} ({self.issue})"

    def would_supersede(self, current: Position | None) -> bool:
        """Whether publishing this stance makes it current over ``current``: it does unless
        both are dated and it is the older (history filled in late). The review screens ask
        this before anyone publishes; ``position_publish`` decides with it."""
        if current is None:
            return True
        return (
            self.valid_from is None
            or current.valid_from is None
            or self.valid_from >= current.valid_from
        )

    def settle_current_with(self, other: Position | None) -> None:
        """When this stance moves (a merge of issues or of actors) onto a party and issue
        where ``other`` is already current, one of the two stops being current: the newer
        stays, ``other`` on a tie or when either is undated."""
        if not self.is_current or other is None:
            return
        moving_newer = (
            self.valid_from is not None
            and other.valid_from is not None
            and self.valid_from > other.valid_from
        )
        loser = other if moving_newer else self
        loser.is_current = False
        loser.save(update_fields=["is_current", "updated_at"])
