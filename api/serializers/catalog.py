"""Negotiations, rounds with delegations, actors, issues with their ledger, articles, citations."""

from __future__ import annotations

from itertools import groupby

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from timeline.models import (
    Actor,
    ActorAlias,
    Article,
    Delegation,
    DelegationMember,
    Issue,
    Negotiation,
    Participation,
    ParticipationRole,
    Position,
    Round,
)

from .common import (
    ActorRefSerializer,
    ArticleRefSerializer,
    OutletSerializer,
    PlaceSerializer,
    visible_actor,
)
from .events import EventCitationSerializer


class ParticipationSerializer(serializers.ModelSerializer):
    actor = ActorRefSerializer(read_only=True)

    class Meta:
        model = Participation
        fields = ["actor", "role", "side"]


class NegotiationSerializer(serializers.ModelSerializer):
    parties = serializers.SerializerMethodField()
    mediators = serializers.SerializerMethodField()
    participants = ParticipationSerializer(source="participations", many=True, read_only=True)

    class Meta:
        model = Negotiation
        fields = [
            "slug",
            "title",
            "kind",
            "status",
            "started_on",
            "ended_on",
            "description",
            "parties",
            "mediators",
            "participants",
            "updated_at",
        ]

    def _with_role(self, negotiation: Negotiation, role: str) -> list[dict]:
        # The selector leaves out unpublished actors; checked again so a caller that forgot
        # cannot leak one.
        return [
            ActorRefSerializer(p.actor).data
            for p in negotiation.participations.all()
            if p.role == role and visible_actor(p.actor)
        ]

    @extend_schema_field(ActorRefSerializer(many=True))
    def get_parties(self, negotiation: Negotiation) -> list[dict]:
        return self._with_role(negotiation, ParticipationRole.PARTY)

    @extend_schema_field(ActorRefSerializer(many=True))
    def get_mediators(self, negotiation: Negotiation) -> list[dict]:
        return self._with_role(negotiation, ParticipationRole.MEDIATOR)


class RoundSummarySerializer(serializers.ModelSerializer):
    venue = PlaceSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "sequence",
            "name",
            "format",
            "status",
            "venue",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "outcome",
        ]


class IssueSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Issue
        fields = ["id", "slug", "title", "description", "order"]


class NegotiationDetailSerializer(NegotiationSerializer):
    rounds = RoundSummarySerializer(many=True, read_only=True)
    issues = IssueSummarySerializer(many=True, read_only=True)

    class Meta(NegotiationSerializer.Meta):
        fields = [*NegotiationSerializer.Meta.fields, "rounds", "issues"]


class DelegationMemberSerializer(serializers.ModelSerializer):
    person = ActorRefSerializer(read_only=True)

    class Meta:
        model = DelegationMember
        fields = ["person", "role"]


class DelegationSerializer(serializers.ModelSerializer):
    actor = ActorRefSerializer(read_only=True)
    head = ActorRefSerializer(read_only=True, allow_null=True)
    members = DelegationMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Delegation
        fields = [
            "id",
            "actor",
            "head",
            "members",
            "arrived_on",
            "departed_on",
            "never_arrived",
            "notes",
        ]


class RoundSerializer(RoundSummarySerializer):
    negotiation: serializers.SlugRelatedField[Negotiation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    delegations = DelegationSerializer(many=True, read_only=True)

    class Meta(RoundSummarySerializer.Meta):
        fields = [
            "id",
            "negotiation",
            *RoundSummarySerializer.Meta.fields[1:],
            "delegations",
            "updated_at",
        ]


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActorAlias
        fields = ["name", "kind"]


class ActorSerializer(serializers.ModelSerializer):
    affiliation = ActorRefSerializer(read_only=True, allow_null=True)
    aliases = AliasSerializer(many=True, read_only=True)

    class Meta:
        model = Actor
        fields = [
            "slug",
            "name",
            "kind",
            "role",
            "affiliation",
            "aliases",
            "wikidata_id",
            "description",
            "updated_at",
        ]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = [
            "id",
            "kind",
            "stance",
            "detail",
            "valid_from",
            "date_precision",
            "date_text",
            "is_current",
            "supersedes",
        ]


class LedgerEntrySerializer(serializers.Serializer):
    party = ActorRefSerializer()
    positions = PositionSerializer(many=True, help_text="Oldest first; the last is current.")


class IssueSerializer(serializers.ModelSerializer):
    negotiation: serializers.SlugRelatedField[Negotiation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    ledger = serializers.SerializerMethodField(
        help_text="Each party's published stances on this issue over time."
    )

    class Meta:
        model = Issue
        fields = ["id", "negotiation", "slug", "title", "description", "order", "ledger"]

    @extend_schema_field(LedgerEntrySerializer(many=True))
    def get_ledger(self, issue: Issue) -> list[dict]:
        positions = sorted(
            (p for p in issue.positions.all() if visible_actor(p.party)),
            key=lambda p: (p.party.name, p.party_id),
        )
        return [
            {
                "party": ActorRefSerializer(party).data,
                "positions": PositionSerializer(list(rows), many=True).data,
            }
            for party, rows in groupby(positions, key=lambda p: p.party)
        ]


class ArticleSerializer(serializers.ModelSerializer):
    outlet = OutletSerializer(read_only=True, allow_null=True)
    syndicated_copies = ArticleRefSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "canonical_url",
            "title",
            "byline",
            "outlet",
            "published_at",
            "first_seen_at",
            "language",
            "syndicated_copies",
            "updated_at",
        ]


class CitationSerializer(EventCitationSerializer):
    """A citation on its own: the event citation's shape, plus what it backs and where."""

    class Meta(EventCitationSerializer.Meta):
        fields = [
            "id",
            "event",
            "position",
            "article",
            "quote",
            "start",
            "end",
            "speaker",
            "speaker_description",
            "speaker_label",
            "speaker_side",
            "attribution",
            "stance",
            "updated_at",
        ]
