"""Events as the timeline shows them: participants, citations and who disputes them."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from timeline.models import (
    Citation,
    CitationStance,
    Event,
    EventParticipant,
    Negotiation,
    ReviewStatus,
)

from .common import (
    ActorRefSerializer,
    ArticleRefSerializer,
    IssueRefSerializer,
    PlaceSerializer,
    RoundRefSerializer,
    reveals_candidates,
    speaker_label,
    visible_participants,
)


class ParticipantSerializer(serializers.ModelSerializer):
    actor = ActorRefSerializer(read_only=True)

    class Meta:
        model = EventParticipant
        fields = ["actor", "role"]


class EventCitationSerializer(serializers.ModelSerializer):
    article = ArticleRefSerializer(read_only=True)
    speaker = ActorRefSerializer(read_only=True, allow_null=True)
    speaker_side = ActorRefSerializer(read_only=True, allow_null=True)
    speaker_label = serializers.SerializerMethodField(
        help_text="The speaker's name, or how the report describes them."
    )

    class Meta:
        model = Citation
        fields = [
            "id",
            "article",
            "quote",
            "speaker",
            "speaker_description",
            "speaker_label",
            "speaker_side",
            "attribution",
            "stance",
        ]

    def get_speaker_label(self, citation: Citation) -> str:
        return speaker_label(citation, reveal=reveals_candidates(self.context))


class DisputerSerializer(serializers.Serializer):
    citation = serializers.IntegerField()
    speaker = serializers.CharField(help_text="Speaker name or description; may be empty.")
    outlet = serializers.CharField(help_text="The outlet that carried the disputing report.")


class EventSerializer(serializers.ModelSerializer):
    negotiation: serializers.SlugRelatedField[Negotiation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    plover_category = serializers.CharField(read_only=True, allow_null=True)
    place = PlaceSerializer(read_only=True, allow_null=True)
    round = RoundRefSerializer(read_only=True, allow_null=True)
    issue = IssueRefSerializer(read_only=True, allow_null=True)
    participants = serializers.SerializerMethodField()
    disputed = serializers.BooleanField(source="is_disputed", read_only=True)
    disputed_by = serializers.SerializerMethodField()
    citations = EventCitationSerializer(many=True, read_only=True)
    public_url = serializers.SerializerMethodField()
    # Corroboration (issue 13): independent outlets reporting it (a syndicated copy counts as
    # its original, an outlet once), the first and latest report, and "only one outlet".
    source_count = serializers.IntegerField(read_only=True)
    single_source = serializers.SerializerMethodField()
    first_report_at = serializers.DateTimeField(read_only=True, allow_null=True)
    latest_report_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "negotiation",
            "kind",
            "plover_category",
            "modality",
            "summary",
            "description",
            "date",
            "date_precision",
            "date_text",
            "end_date",
            "place",
            "round",
            "issue",
            "participants",
            "disputed",
            "disputed_by",
            "citations",
            "source_count",
            "single_source",
            "first_report_at",
            "latest_report_at",
            "published_at",
            "updated_at",
            "public_url",
        ]

    def get_single_source(self, event: Event) -> bool:
        return event.source_count <= 1

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_public_url(self, event: Event) -> str | None:
        """The event's page for readers (null until it is published in a negotiation)."""
        negotiation = event.negotiation
        if event.status != ReviewStatus.PUBLISHED or negotiation is None:
            return None
        path = reverse("timeline:event", kwargs={"slug": negotiation.slug, "pk": event.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(ParticipantSerializer(many=True))
    def get_participants(self, event: Event) -> list[dict]:
        shown = visible_participants(event, reveal=reveals_candidates(self.context))
        # One child serializer per request, not per participant: building a serializer's
        # fields (a deep copy of the declared ones) cost more than the whole query of a page.
        child = self.__dict__.get("_participant_serializer")
        if child is None:
            child = self.__dict__["_participant_serializer"] = ParticipantSerializer(
                context=self.context
            )
        return [child.to_representation(p) for p in shown]

    @extend_schema_field(DisputerSerializer(many=True))
    def get_disputed_by(self, event: Event) -> list[dict]:
        reveal = reveals_candidates(self.context)
        return [
            {
                "citation": citation.pk,
                "speaker": speaker_label(citation, reveal=reveal),
                "outlet": citation.article.outlet.name if citation.article.outlet else "",
            }
            for citation in event.citations.all()
            if citation.stance == CitationStance.DISPUTES
        ]


class ReviewEventSerializer(EventSerializer):
    source_article = ArticleRefSerializer(read_only=True, allow_null=True)
    confidence = serializers.FloatField(
        read_only=True,
        help_text="Not a probability: a fixed value per proposal path (0.5 for an extracted "
        "event, 0.3 for a quote's own statement, 1.0 entered by hand), kept for API "
        "compatibility. The admin's review screens do not show it.",
    )
    possible_duplicates = serializers.JSONField(
        read_only=True,
        help_text='The stored events the extractor found this may be ("possible duplicate of '
        '..."): [{"event": id, "score": 0..1, "summary": ...}], best first. POST '
        "attach with one of them, or keep_separate.",
    )

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "status",
            "confidence",
            "origin",
            "source_article",
            "possible_duplicates",
        ]


def _public_merge_target(event: Event) -> int | None:
    """The id an event was merged into, unless that event was never public: a published event
    retracted and then folded into a candidate must not point consumers at the candidate."""
    target = event.merged_into
    if target is None:
        return None
    if target.status == ReviewStatus.PUBLISHED or target.published_at is not None:
        return target.pk
    return None


class EventChangeSerializer(serializers.Serializer):
    """One row of the change feed: the event as it is now, or a tombstone."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ReviewStatus.IN_CHANGE_FEED)
    deleted = serializers.BooleanField(help_text="True for retracted or merged events.")
    merged_into = serializers.IntegerField(
        allow_null=True, help_text="The event that absorbed this one, once it is public."
    )
    updated_at = serializers.DateTimeField()
    event = EventSerializer(allow_null=True, help_text="The event; null on a tombstone.")

    def to_representation(self, instance: Event) -> dict:
        published = instance.status == ReviewStatus.PUBLISHED
        return {
            "id": instance.pk,
            "status": instance.status,
            "deleted": not published,
            "merged_into": _public_merge_target(instance),
            "updated_at": serializers.DateTimeField().to_representation(instance.updated_at),
            "event": EventSerializer(instance, context=self.context).data if published else None,
        }
