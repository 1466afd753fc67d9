from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from .actors import Actor, Place
from .articles import Article
from .base import TimeStampedModel
from .choices import (
    PLOVER_CATEGORY,
    AttributionType,
    CitationStance,
    DatePrecision,
    EventKind,
    EventOrigin,
    Modality,
    ParticipantRole,
    ReviewStatus,
)
from .negotiations import Issue, Negotiation, Position, Round


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> EventQuerySet:
        return self.filter(status=ReviewStatus.PUBLISHED)

    def candidates(self) -> EventQuerySet:
        return self.filter(status=ReviewStatus.CANDIDATE)

    def for_negotiation(self, negotiation: Negotiation | int) -> EventQuerySet:
        return self.filter(negotiation=negotiation)

    def in_timeline_order(self) -> EventQuerySet:
        # Undated events sort last; id breaks ties so the order is total (cursor pagination).
        return self.order_by(models.F("date").asc(nulls_last=True), "id")

    def with_disputed(self) -> EventQuerySet:
        # The denormalised flag (see Event.has_dispute) under the name every reader uses.
        return self.annotate(is_disputed=models.F("has_dispute"))

    def with_first_reported(self) -> EventQuerySet:
        return self.annotate(
            first_reported_at=Min(
                Coalesce("citations__article__published_at", "citations__article__first_seen_at")
            )
        )

    def tombstones(self) -> EventQuerySet:
        return self.filter(status__in=ReviewStatus.TOMBSTONES)

    def merge_targets(self) -> EventQuerySet:
        """Events another may be merged into (the queryset form of ``can_receive_merge``)."""
        return self.exclude(status__in=ReviewStatus.FINAL)


class Event(TimeStampedModel):
    """Anything dated on a negotiation's timeline."""

    negotiation = models.ForeignKey(
        Negotiation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        help_text="Candidates may not know their negotiation yet; published events must.",
    )
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    modality = models.CharField(max_length=20, choices=Modality.choices, default=Modality.OCCURRED)
    summary = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=20, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    date_text = models.CharField(
        max_length=200, blank=True, help_text='The words, e.g. "on Sunday"'
    )
    end_date = models.DateField(null=True, blank=True)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.CANDIDATE, db_index=True
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_events"
    )
    # Set per proposal path by the candidate service, not measured: the review screens hide it.
    confidence = models.FloatField(default=1.0)
    origin = models.CharField(
        max_length=20, choices=EventOrigin.choices, default=EventOrigin.MANUAL
    )
    source_article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="extracted_events",
        help_text="The report the extractor proposed this event from.",
    )
    # Stable per (article, extracted fact), so re-running extraction updates instead of duplicating.
    extraction_key = models.CharField(max_length=64, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # Whether any citation disputes the event: kept by timeline.services.flags whenever a
    # citation is saved or deleted, so "disputed" is a column, not a scan of the citations.
    # Not in the history: "as known on" asks which disputes had been reported by then.
    has_dispute = models.BooleanField(default=False, editable=False)
    # Corroboration (issue 13), kept by timeline.services.corroboration whenever a citation is
    # saved or deleted: how many independent outlets report the event (a syndicated copy counts
    # as its original's outlet; one outlet counts once), and its first and latest report. A
    # column, so ``min_sources=`` is a filter on the row, not a count over citations per page.
    source_count = models.PositiveIntegerField(default=0, editable=False)
    first_report_at = models.DateTimeField(null=True, blank=True, editable=False)
    latest_report_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The extractor's "possible duplicate of ...": [{"event": id, "score": 0.52, "summary": ...}]
    # for the existing events this candidate may be, best first (see timeline.selectors.matching).
    possible_duplicates = models.JSONField(default=list, blank=True, editable=False)
    history = HistoricalRecords(
        excluded_fields=[
            "has_dispute",
            "source_count",
            "first_report_at",
            "latest_report_at",
            "possible_duplicates",
        ]
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["negotiation", "date", "id"], name="event_timeline_order"),
            # The public timeline's order over published events only: a page of it is an
            # index range scan with no rows to skip (candidates never enter the index).
            models.Index(
                fields=["negotiation", "date", "id"],
                condition=Q(status="published"),
                name="event_published_timeline",
            ),
            models.Index(fields=["status", "updated_at"], name="event_status_updated"),
            # The events list of one negotiation in id order (the API's /events/?negotiation=).
            models.Index(
                fields=["negotiation", "id"],
                condition=Q(status="published"),
                name="event_published_by_id",
            ),
            # Newest first across negotiations (an actor's page): walked backwards, LIMIT 100.
            models.Index(
                fields=["date", "id"],
                condition=Q(status="published"),
                name="event_published_by_date",
            ),
            # The change feed's keyset order: (updated_at, id) > (%s, %s) starts the scan.
            models.Index(fields=["updated_at", "id"], name="event_change_feed"),
            # The matcher's window: one negotiation, a few compatible kinds, a date range. An
            # index range scan per kind, however many events the negotiation has (issue 13).
            models.Index(fields=["negotiation", "kind", "date"], name="event_match_window"),
            # ``min_sources=N`` when few events reach N: a range of this index, not a walk of
            # the whole timeline filtering on the count (when most do, the timeline's own
            # index with the filter is cheaper, and the planner takes that one).
            models.Index(
                fields=["negotiation", "source_count"],
                condition=Q(status="published"),
                name="event_published_sources",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(date__isnull=False, end_date__gte=models.F("date")),
                name="event_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="event_confidence_0_1"
            ),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.PUBLISHED) | Q(negotiation__isnull=False),
                name="event_published_has_negotiation",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.MERGED) | Q(merged_into__isnull=False),
                name="event_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="event_not_merged_into_itself"
            ),
            models.UniqueConstraint(
                fields=["source_article", "extraction_key"],
                condition=~Q(extraction_key=""),
                name="event_unique_extraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date or 'undated'} {self.get_kind_display()}: {self.summary}"[:120]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the row was when read: the change stamp also moves the negotiation an event
        # leaves or is hidden from (timeline.services.stamp).
        loaded = instance.__dict__
        instance._loaded_state = (
            loaded.get("negotiation_id"),
            loaded.get("status"),
            loaded.get("published_at"),
        )
        return instance

    # Kept by UPDATEs in timeline.services.corroboration as citations come and go; a save()
    # of an event read earlier (a merge target, an admin form) must not write its stale copy.
    DERIVED_FIELDS = ("source_count", "first_report_at", "latest_report_at")

    def save(self, *args, **kwargs) -> None:
        updating = not self._state.adding and not kwargs.get("force_insert")
        if updating and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.DERIVED_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def can_receive_merge(self) -> bool:
        """Whether another event may be folded into this one: not once it is decided for good."""
        return self.status not in ReviewStatus.FINAL

    @property
    def plover_category(self) -> str | None:
        return PLOVER_CATEGORY.get(self.kind)

    def clean(self) -> None:
        if self.end_date and (self.date is None or self.end_date < self.date):
            raise ValidationError({"end_date": "The end cannot be before the start."})


class EventParticipant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="event_participations")
    role = models.CharField(
        max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.ACTOR
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "actor__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "actor", "role"], name="participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.role})"


def independent_source(
    outlet_id: int | None, article_id: int, original_id: int | None, original_outlet_id: int | None
) -> str:
    """Whom a citation's report counts as when sources are counted: the outlet of the original
    report (a syndicated copy's ``syndication_of``), or the original report itself when it has
    no outlet. The one rule behind ``Event.source_count`` and the "as known on" counts."""
    if original_id is not None:
        outlet_id, article_id = original_outlet_id, original_id
    return f"o{outlet_id}" if outlet_id is not None else f"a{article_id}"


class CitationQuerySet(models.QuerySet["Citation"]):
    def disputing(self) -> CitationQuerySet:
        return self.filter(stance=CitationStance.DISPUTES)


class Citation(TimeStampedModel):
    """The link from an event or a position to the words of a report that support or dispute it."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The event it cited when read: moving a disputing citation re-flags both events.
        instance._loaded_event = (
            instance.__dict__.get("event_id"),
            instance.__dict__.get("stance"),
        )
        # The same for the source count (timeline.services.corroboration recounts both).
        instance._loaded_sources = instance.__dict__.get("event_id")
        return instance

    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(help_text="Exactly article.text[start:end].")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    speaker = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    speaker_description = models.CharField(
        max_length=300, blank=True, help_text='As printed, e.g. "a senior Hamas official"'
    )
    speaker_side = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The side an anonymous speaker belongs to.",
    )
    attribution = models.CharField(max_length=30, choices=AttributionType.choices)
    stance = models.CharField(
        max_length=20, choices=CitationStance.choices, default=CitationStance.SUPPORTS
    )
    history = HistoricalRecords()

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["article__published_at", "start", "id"]
        indexes = [
            # "Is this event disputed?" is an EXISTS over this small index, not a scan of
            # every citation (issue 10: the hashed IN over all citations at 1,000,000 events).
            models.Index(
                fields=["event"], condition=Q(stance="disputes"), name="citation_disputes_event"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(event__isnull=False) & Q(position__isnull=True))
                | (Q(event__isnull=True) & Q(position__isnull=False)),
                name="citation_event_xor_position",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="citation_span_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"“{self.quote[:60]}” ({self.speaker_label})"

    @property
    def speaker_label(self) -> str:
        if self.speaker_id and not self.speaker_description:
            return str(self.speaker)
        return self.speaker_description or (str(self.speaker) if self.speaker_id else "")

    def clean(self) -> None:
        if self.start is None or self.end is None:
            return  # the fields' own validation reports the missing offsets
        text = self.article.text if self.article_id else ""
        if self.end > len(text) or text[self.start : self.end] != self.quote:
            raise ValidationError(
                {"quote": "The quote must be exactly the article's text between start and end."}
            )


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    ATTACHED = "attached", "Attached as a citation"
    DISMISSED = "dismissed", "Dismissed"


class CitationProposalQuerySet(models.QuerySet["CitationProposal"]):
    def pending(self) -> CitationProposalQuerySet:
        return self.filter(status=ProposalStatus.PENDING)


class CitationProposal(TimeStampedModel):
    """A candidate citation: another report's sentence about an event that already exists.

    The extractor proposes it instead of a new candidate event when the matcher finds one
    confident match (issue 13). It is not evidence until an editor attaches it, which creates
    the real ``Citation`` (and so recounts sources and re-flags disputes); until then readers
    never see it.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="proposed_citations")
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="proposed_citations"
    )
    quote = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    speaker = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    speaker_description = models.CharField(max_length=300, blank=True)
    speaker_side = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attribution = models.CharField(
        max_length=30, choices=AttributionType.choices, default=AttributionType.OUTLET
    )
    stance = models.CharField(
        max_length=20, choices=CitationStance.choices, default=CitationStance.SUPPORTS
    )
    score = models.FloatField(default=0.0, help_text="The matcher's score for this event.")
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    citation = models.ForeignKey(
        Citation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CitationProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(status="pending"), name="proposal_pending"
            )
        ]
        constraints = [
            # Re-running extraction finds the same sentence for the same event: one row.
            models.UniqueConstraint(
                fields=["article", "event", "start", "end"], name="proposal_unique_span"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="proposal_span_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"“{self.quote[:60]}” for event {self.event_id}"
