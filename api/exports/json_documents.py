"""``EventSerializer``'s shape for the JSON export, built from ``EventValues`` directly.

DRF's serializer tree (a field object per attribute, per nested actor, article and outlet)
was two thirds of the JSON export's time once the model instances were gone. The shape is
the serializer's own: the nested references (actor, place, round, issue, article with its
outlet) still come from the serializers, once per distinct row and then reused, and the
dates from DRF's own fields, so time zones and formats are the API's. The export test
(``tests/api/test_export_values.py``) compares the result with ``EventSerializer``'s.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from api.serializers.common import (
    ActorRefSerializer,
    ArticleRefSerializer,
    IssueRefSerializer,
    PlaceSerializer,
    RoundRefSerializer,
    speaker_label,
    visible_actor,
)
from timeline.models import CitationStance, ReviewStatus

from .event_values import ActorValues, ArticleValues, EventValues

_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()


def _datetime(value: Any) -> str | None:
    return None if value is None else _DATETIME.to_representation(value)


def _date(value: Any) -> str | None:
    return None if value is None else _DATE.to_representation(value)


class EventDocuments:
    """Turns ``EventValues`` into ``EventSerializer`` dicts, remembering each nested
    reference by id (a chunk names the same few actors, places and outlets many times)."""

    def __init__(self) -> None:
        self._actor = ActorRefSerializer()
        self._article = ArticleRefSerializer()
        self._place = PlaceSerializer()
        self._round = RoundRefSerializer()
        self._issue = IssueRefSerializer()
        self._seen: dict[tuple[str, Any], Any] = {}

    def _once(self, kind: str, key: Any, build: Any) -> Any:
        found = self._seen.get((kind, key))
        if found is None:
            found = self._seen[kind, key] = build()
        return found

    def actor(self, actor: ActorValues | None) -> dict | None:
        if actor is None:
            return None
        return self._once("actor", actor.pk, lambda: self._actor.to_representation(actor))  # type: ignore[arg-type]

    def article(self, article: ArticleValues) -> dict:
        return self._once("article", article.id, lambda: self._article.to_representation(article))

    def event(self, event: EventValues) -> dict:
        place, round_, issue = event.place, event.round, event.issue
        citations = event.citations
        return {
            "id": event.id,
            "negotiation": event.negotiation.slug,
            "kind": event.kind,
            "plover_category": event.plover_category,
            "modality": event.modality,
            "summary": event.summary,
            "description": event.description,
            "date": _date(event.date),
            "date_precision": event.date_precision,
            "date_text": event.date_text,
            "end_date": _date(event.end_date),
            "place": (
                None
                if place is None
                else self._once("place", place.id, lambda: self._place.to_representation(place))
            ),
            "round": (
                None
                if round_ is None
                else self._once("round", round_.id, lambda: self._round.to_representation(round_))
            ),
            "issue": (
                None
                if issue is None
                else self._once("issue", issue.id, lambda: self._issue.to_representation(issue))
            ),
            "participants": [
                {"actor": self.actor(p.actor), "role": p.role}
                for p in event.participants
                if visible_actor(p.actor)  # type: ignore[arg-type]  # an Actor's attributes
            ],
            "disputed": bool(event.is_disputed),
            "disputed_by": [
                {
                    "citation": c.id,
                    "speaker": speaker_label(c),  # type: ignore[arg-type]
                    "outlet": c.article.outlet.name if c.article.outlet else "",
                }
                for c in citations
                if c.stance == CitationStance.DISPUTES
            ],
            "citations": [
                {
                    "id": c.id,
                    "article": self.article(c.article),
                    "quote": c.quote,
                    "speaker": self.actor(c.speaker),
                    "speaker_description": c.speaker_description,
                    "speaker_label": speaker_label(c),  # type: ignore[arg-type]
                    "speaker_side": self.actor(c.speaker_side),
                    "attribution": c.attribution,
                    "stance": c.stance,
                }
                for c in citations
            ],
            "source_count": event.source_count,
            "single_source": event.source_count <= 1,
            "first_report_at": _datetime(event.first_report_at),
            "latest_report_at": _datetime(event.latest_report_at),
            "published_at": _datetime(event.published_at),
            "updated_at": _datetime(event.updated_at),
            # EventSerializer without a request in its context: the path alone.
            "public_url": (
                reverse("timeline:event", kwargs={"slug": event.negotiation.slug, "pk": event.id})
                if event.status == ReviewStatus.PUBLISHED
                else None
            ),
        }
