"""The whole published timeline as one JSON document, in the API's own shapes."""

from __future__ import annotations

from api.serializers import EventSerializer, NegotiationDetailSerializer
from timeline.models import Event, Negotiation

from .common import ExportContext, clean_document


def build_json(context: ExportContext, negotiation: Negotiation, events: list[Event]) -> dict:
    return clean_document(
        {
            "negotiation": NegotiationDetailSerializer(negotiation).data,
            "timeline_url": context.timeline_url(),
            "events": EventSerializer(events, many=True).data,
        }
    )
