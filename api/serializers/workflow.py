"""Editors' side: ingestion jobs and the review queue's actions."""

from __future__ import annotations

from rest_framework import serializers

from timeline.models import CitationProposal, Event, Ingestion, Negotiation, Position

from .common import ActorRefSerializer, ArticleRefSerializer, IssueRefSerializer
from .events import EventCitationSerializer

# Long enough for any news report; a body bigger than this is a mistake, not an article.
MAX_TEXT_CHARS = 500_000


class IngestionSerializer(serializers.ModelSerializer):
    negotiation: serializers.SlugRelatedField[Negotiation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    is_final = serializers.BooleanField(read_only=True)

    class Meta:
        model = Ingestion
        fields = [
            "id",
            "source",
            "status",
            "is_final",
            "url",
            "negotiation",
            "reason_code",
            "message",
            "attempts",
            "article",
            "created_at",
            "updated_at",
            "started_at",
            "finished_at",
        ]


class IngestionCreateSerializer(serializers.Serializer):
    """A URL to fetch, or the text of a report pasted in (``url`` is then where it came from)."""

    url = serializers.URLField(required=False, max_length=2000)
    text = serializers.CharField(required=False, max_length=MAX_TEXT_CHARS)
    title = serializers.CharField(required=False, max_length=500, allow_blank=True)
    byline = serializers.CharField(required=False, max_length=500, allow_blank=True)
    published_at = serializers.DateTimeField(required=False)
    negotiation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Negotiation.objects.all(),
        required=False,
        help_text="The negotiation the report's events are proposed for.",
    )

    TEXT_ONLY = ("title", "byline", "published_at")

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("url") and not attrs.get("text"):
            raise serializers.ValidationError("Send a url to fetch or the text of a report.")
        if not attrs.get("text"):
            given = [name for name in self.TEXT_ONLY if name in attrs]
            if given:
                raise serializers.ValidationError(
                    {
                        name: ["Only used with pasted text; a fetched page has its own."]
                        for name in given
                    }
                )
        return attrs


class PublishSerializer(serializers.Serializer):
    negotiation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Negotiation.objects.all(),
        required=False,
        help_text="Needed when the candidate does not know its negotiation yet.",
    )
    not_a_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Publish although published events look alike (same negotiation, kind and "
        "date) or the matcher found possible duplicates it was not resolved against (attach "
        "or keep-separate). Without it such a publish is refused with both listed "
        "(look_alikes, possible_duplicates), as the admin's card refuses it.",
    )


class MergeSerializer(serializers.Serializer):
    into = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.all(), help_text="The id of the event that absorbs this one."
    )


class ReviewPositionSerializer(serializers.ModelSerializer):
    """A stance as an editor reviews it: who, on what, since when, and the words behind it."""

    negotiation: serializers.SlugRelatedField[Negotiation] = serializers.SlugRelatedField(
        source="issue.negotiation", slug_field="slug", read_only=True
    )
    issue = IssueRefSerializer(read_only=True)
    party = ActorRefSerializer(read_only=True, help_text="May itself be a candidate actor.")
    party_status = serializers.CharField(source="party.status", read_only=True)
    source_article = ArticleRefSerializer(read_only=True, allow_null=True)
    citations = EventCitationSerializer(many=True, read_only=True)

    class Meta:
        model = Position
        fields = [
            "id",
            "negotiation",
            "issue",
            "party",
            "party_status",
            "kind",
            "stance",
            "detail",
            "valid_from",
            "date_precision",
            "date_text",
            "status",
            "is_current",
            "supersedes",
            "source_article",
            "citations",
            "created_at",
            "updated_at",
        ]


class CitationProposalSerializer(serializers.ModelSerializer):
    """Another report's sentence the extractor found about a stored event (issue 13): pending
    until an editor attaches it as a citation or dismisses it."""

    article = ArticleRefSerializer(read_only=True)
    event_summary = serializers.CharField(source="event.summary", read_only=True)
    event_status = serializers.CharField(source="event.status", read_only=True)
    speaker = ActorRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CitationProposal
        fields = [
            "id",
            "event",
            "event_summary",
            "event_status",
            "article",
            "quote",
            "start",
            "end",
            "speaker",
            "speaker_description",
            "attribution",
            "stance",
            "score",
            "status",
            "citation",
            "created_at",
        ]
        read_only_fields = fields
