from __future__ import annotations

from django.conf import settings
from django.db import models

from .articles import Article
from .negotiations import Negotiation


class Feed(models.Model):
    """An RSS/Atom/RDF feed polled by Celery beat on its own interval."""

    title = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=2000, unique=True)
    negotiation = models.ForeignKey(
        Negotiation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feeds",
        help_text="Reports from this feed are proposed for this negotiation.",
    )
    active = models.BooleanField(default=True)
    poll_interval_minutes = models.PositiveIntegerField(default=30)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "url"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(poll_interval_minutes__gte=1), name="feed_interval_positive"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.url


class IngestionQuerySet(models.QuerySet["Ingestion"]):
    def unfinished(self) -> IngestionQuerySet:
        return self.exclude(status__in=Ingestion.FINAL_STATUSES)


class Ingestion(models.Model):
    """One ingestion job and everything that happened to it: nothing is lost silently."""

    class Source(models.TextChoices):
        URL = "url", "URL"
        FEED = "feed", "Feed entry"
        TEXT = "text", "Pasted text"
        HTML = "html", "Uploaded HTML"
        BACKFILL = "backfill", "Backfill"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        FETCHING = "fetching", "Fetching"
        EXTRACTING = "extracting", "Extracting text"
        ANALYSING = "analysing", "Analysing"
        DONE = "done", "Done"
        DUPLICATE = "duplicate", "Duplicate"
        FAILED = "failed", "Failed"

    FINAL_STATUSES = (Status.DONE, Status.DUPLICATE, Status.FAILED)
    RUNNING_STATUSES = (Status.FETCHING, Status.EXTRACTING, Status.ANALYSING)

    source = models.CharField(max_length=20, choices=Source.choices)
    url = models.URLField(max_length=2000, blank=True)
    normalized_url = models.CharField(max_length=2000, blank=True, db_index=True, editable=False)
    feed = models.ForeignKey(
        Feed, null=True, blank=True, on_delete=models.SET_NULL, related_name="ingestions"
    )
    negotiation = models.ForeignKey(
        Negotiation, null=True, blank=True, on_delete=models.SET_NULL, related_name="ingestions"
    )
    payload = models.TextField(
        blank=True, help_text="Pasted text or uploaded HTML, kept as received."
    )
    submitted_metadata = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the submitter said about pasted text: title, byline, published_at.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reason_code = models.CharField(max_length=50, blank=True)
    message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="ingestions"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    timings = models.JSONField(default=dict, blank=True, help_text="Seconds spent in each step.")
    # When the last message for this job was sent (or its retry is due): the reconciler
    # re-queues a pending job only when this is older than its limit, so a job that merely
    # waits behind a long queue never gets a second message.
    enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The Celery task id holding the claim: if that worker dies, the redelivered message (same
    # id) may take the job over at once instead of waiting for the reconciler.
    task_id = models.CharField(max_length=64, blank=True, editable=False)

    objects = IngestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"], name="ingestion_status_updated")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.url or '#' + str(self.pk)} [{self.status}]"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES
