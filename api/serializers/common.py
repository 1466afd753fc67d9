"""Small nested shapes shared by several endpoints, and the rule for who may see an actor."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from timeline.models import (
    Actor,
    Article,
    Citation,
    Event,
    EventParticipant,
    Issue,
    Outlet,
    Place,
    Round,
)

# Serializer context key: the editors' review endpoints show the candidates they review.
REVEAL_CANDIDATES = "reveal_candidates"


def visible_actor(actor: Actor | None, *, reveal: bool = False) -> Actor | None:
    """The actor if the caller may see it: only published actors are public.

    The extractor proposes actors as candidates and links them from published rows (a speaker
    on a citation, a participant added to a published event); those links must not show.
    """
    if actor is None or reveal or actor.is_visible:
        return actor
    return None


def speaker_label(citation: Citation, *, reveal: bool = False) -> str:
    """How the report names its source: its own words, else the speaker's name if visible."""
    if citation.speaker_description:
        return citation.speaker_description
    speaker = visible_actor(citation.speaker, reveal=reveal) if citation.speaker_id else None
    return speaker.name if speaker is not None else ""


def visible_participants(event: Event, *, reveal: bool = False) -> list[EventParticipant]:
    """The event's (prefetched) participants the caller may see."""
    return [p for p in event.participants.all() if visible_actor(p.actor, reveal=reveal)]


def reveals_candidates(context: dict[str, Any]) -> bool:
    return bool(context.get(REVEAL_CANDIDATES, False))


class ActorRefSerializer(serializers.ModelSerializer):
    """An actor by slug and name; null for an unpublished actor unless the caller reviews them."""

    class Meta:
        model = Actor
        fields = ["slug", "name", "kind"]

    def to_representation(self, instance: Actor) -> Any:
        if visible_actor(instance, reveal=reveals_candidates(self.context)) is None:
            return None
        return super().to_representation(instance)


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["slug", "name", "country_code", "latitude", "longitude"]


class RoundRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Round
        fields = ["id", "sequence", "name"]


class IssueRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Issue
        fields = ["id", "slug", "title"]


class OutletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["slug", "name", "domain", "description", "country_code"]


class ArticleRefSerializer(serializers.ModelSerializer):
    outlet = OutletSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = ["id", "title", "url", "outlet", "published_at"]
