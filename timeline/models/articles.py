from __future__ import annotations

from django.db import models
from django.utils import timezone

from .actors import Actor


class Outlet(models.Model):
    """A publisher. ``description`` is how reports attribute it ("an Egyptian state-owned channel")."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    domain = models.CharField(max_length=253, blank=True)
    description = models.CharField(max_length=300, blank=True)
    country_code = models.CharField(max_length=2, blank=True)
    actor = models.OneToOneField(
        Actor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outlet",
        help_text="The outlet as an actor, when it is itself a source of claims.",
    )
    # Every citation shows its outlet: the API's timeline validator needs to see renames.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain"], condition=~models.Q(domain=""), name="outlet_unique_domain"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AnalysisStatus(models.TextChoices):
    """Where an article stands in analysis (extraction into candidates).

    Blank means nobody asked: articles entered by hand or by the demo loader are analysed
    only when an editor says so. Every stored report is asked for by ingestion.
    """

    NOT_REQUESTED = "", "Not requested"
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped (syndicated copy)"
    FAILED = "failed", "Failed"

    @classmethod
    def final(cls) -> tuple[str, ...]:
        return (cls.DONE, cls.SKIPPED, cls.FAILED)


class ArticleQuerySet(models.QuerySet["Article"]):
    def originals(self) -> ArticleQuerySet:
        return self.filter(syndication_of__isnull=True)

    def analysis_unfinished(self) -> ArticleQuerySet:
        return self.filter(analysis_status__in=(AnalysisStatus.PENDING, AnalysisStatus.RUNNING))

    def reported_by(self, moment) -> ArticleQuerySet:
        """Articles the world could have read by ``moment``."""
        return self.filter(
            models.Q(published_at__lte=moment)
            | models.Q(published_at__isnull=True, first_seen_at__lte=moment)
        )


class Article(models.Model):
    """A news report. Republished copies point at their original with ``syndication_of``."""

    url = models.URLField(max_length=2000, blank=True)
    canonical_url = models.URLField(max_length=2000, null=True, blank=True, unique=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    title = models.CharField(max_length=500, blank=True)
    byline = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="Publication date as the outlet printed it, in its own time zone; relative "
        "dates in the text ('on Sunday') are resolved against this day.",
    )
    first_seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    language = models.CharField(max_length=12, blank=True)
    text = models.TextField(help_text="Cleaned main text; citation offsets index into it.")
    content_hash = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the normalised text"
    )
    syndication_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="syndicated_copies"
    )
    syndication_similarity = models.FloatField(null=True, blank=True)
    minhash = models.BinaryField(null=True, blank=True, editable=False)
    analysed_at = models.DateTimeField(null=True, blank=True)
    # Analysis is durable like an ingestion job: a lost message or a dead worker leaves the
    # status behind, and the reconciler re-queues what is pending or running for too long.
    analysis_status = models.CharField(
        max_length=10, choices=AnalysisStatus.choices, default="", blank=True, db_index=True
    )
    analysis_attempts = models.PositiveIntegerField(default=0)
    analysis_reason = models.TextField(blank=True, help_text="Why the last analysis failed.")
    # The last time a message was sent for it: the reconciler re-queues only older ones.
    analysis_queued_at = models.DateTimeField(null=True, blank=True)
    analysis_updated_at = models.DateTimeField(null=True, blank=True)
    # The Celery task id holding the claim: its redelivery (the worker died) may take over.
    analysis_task_id = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Set by ``article_retract`` (the outlet withdrew the report): its citations are gone and
    # the extractor never reads it again.
    retracted_at = models.DateTimeField(null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(syndication_of=models.F("id")), name="article_not_own_original"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"Article {self.pk}"

    # What decides whom a citation of this report counts as, and when it was reported, as read:
    # changing one (an editor marks the report a copy of another, or corrects its outlet or
    # date) recounts the sources of the events it is cited by (timeline.services.corroboration).
    SOURCING_FIELDS = ("outlet_id", "syndication_of_id", "published_at", "first_seen_at")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        loaded = instance.__dict__
        instance._loaded_sourcing = tuple(loaded.get(name) for name in cls.SOURCING_FIELDS)
        return instance

    @property
    def reported_at(self):
        return self.published_at or self.first_seen_at
