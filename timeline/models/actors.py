from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .base import TimeStampedModel
from .choices import ActorKind, AliasKind, ReviewStatus


def normalize_name(name: str) -> str:
    """The form aliases are matched on: case-folded, accents and punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in kept.casefold())
    return " ".join(cleaned.split())


# The one rule for who readers (pages, API, exports) may see: the extractor proposes actors
# as candidates and links them from published rows (a participant, a speaker); only a
# published actor is named. Use ``visible_actor_q`` in queries, ``Actor.is_visible`` on rows.
VISIBLE_ACTOR_STATUSES = (ReviewStatus.PUBLISHED,)


def visible_actor_q(path: str = "") -> models.Q:
    """``visible_actor_q("actor")`` filters rows whose ``actor`` readers may see."""
    prefix = f"{path}__" if path else ""
    return models.Q(**{f"{prefix}status__in": VISIBLE_ACTOR_STATUSES})


class ActorQuerySet(models.QuerySet["Actor"]):
    def published(self) -> ActorQuerySet:
        return self.filter(status=ReviewStatus.PUBLISHED)

    def visible(self) -> ActorQuerySet:
        return self.filter(visible_actor_q())

    def matching_name(self, name: str) -> ActorQuerySet:
        key = normalize_name(name)
        # A merged actor keeps its name but hands its aliases to the survivor: matching it
        # would link new mentions to a tombstone.
        return (
            self.filter(models.Q(normalized_name=key) | models.Q(aliases__normalized=key))
            .exclude(status=ReviewStatus.MERGED)
            .distinct()
        )


class Actor(TimeStampedModel):
    """A state, organisation, armed group, outlet or person that takes part in talks."""

    kind = models.CharField(max_length=20, choices=ActorKind.choices)
    name = models.CharField(max_length=200)
    normalized_name = models.CharField(max_length=200, editable=False, db_index=True)
    slug = models.SlugField(max_length=200, unique=True)
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The organisation or state a person belongs to.",
    )
    role = models.CharField(max_length=200, blank=True, help_text='e.g. "CIA Director"')
    wikidata_id = models.CharField(
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q801.")],
    )
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PUBLISHED,
        help_text="Actors proposed by the extractor start as candidates.",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~models.Q(wikidata_id=""),
                name="actor_unique_wikidata_id",
            ),
            models.CheckConstraint(
                condition=~models.Q(affiliation=models.F("id")), name="actor_not_own_affiliation"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_visible(self) -> bool:
        """May readers see this actor? (``VISIBLE_ACTOR_STATUSES``, the one rule.)"""
        return self.status in VISIBLE_ACTOR_STATUSES

    def save(self, *args, **kwargs) -> None:
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)


class ActorAlias(models.Model):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(max_length=20, choices=AliasKind.choices, default=AliasKind.NAME)

    class Meta:
        verbose_name_plural = "actor aliases"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "normalized"], name="alias_unique_per_actor")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.normalized = normalize_name(self.name)
        super().save(*args, **kwargs)


class PlaceQuerySet(models.QuerySet["Place"]):
    def published(self) -> PlaceQuerySet:
        return self.filter(status=ReviewStatus.PUBLISHED)


class Place(TimeStampedModel):
    """A venue: a city or a building where talks, meetings or delegations are."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    country_code = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    geonames_id = models.PositiveIntegerField(null=True, blank=True)
    # Outlets name one venue at different sizes ("at Stormont", "in Belfast", "in Northern
    # Ireland"): the matcher reads this chain to tell a venue and its city, which agree, from
    # two cities, which do not (issue 13).
    within = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contains",
        help_text="The place this one lies in: a venue's city, a city's country.",
    )
    status = models.CharField(
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PUBLISHED,
        help_text="Places proposed by the extractor start as candidates.",
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        # A place inside itself, at any depth, would make "lies within" meaningless (and the
        # matcher's walk up the chain endless were it not capped).
        seen, parent = {self.pk}, self.within
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"within": "A place cannot lie within itself."})
            seen.add(parent.pk)
            parent = parent.within
