"""GET /api/v1/negotiations/{slug}/export/{format}/: the whole published timeline as a file."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from api import exports
from api.throttling import AnonThrottle, ExportThrottle, UserThrottle
from timeline.models import Negotiation, ReviewStatus
from timeline.selectors import catalog

from .base import ApiViewMixin


class _FileRenderer(BaseRenderer):
    """Lets a client ask for the export's own media type; errors still come out as JSON text."""

    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if isinstance(data, bytes | str):
            return data
        return json.dumps(data, cls=DjangoJSONEncoder)


class CSVRenderer(_FileRenderer):
    media_type, format = "text/csv", "csv"


class ICalendarRenderer(_FileRenderer):
    media_type, format = "text/calendar", "ics"


class AtomRenderer(_FileRenderer):
    media_type, format = "application/atom+xml", "atom"


class ExportQuerySerializer(serializers.Serializer):
    group = serializers.ChoiceField(
        choices=exports.GROUP_BY,
        required=False,
        default="party",
        help_text="TimelineJS only: group slides by the acting party or by round.",
    )


class ExportView(ApiViewMixin, GenericAPIView):
    """Download a negotiation's whole published timeline."""

    action = "export"
    conditional_actions = ("export",)
    renderer_classes = [JSONRenderer, CSVRenderer, ICalendarRenderer, AtomRenderer]
    pagination_class = None
    filter_backends: list = []
    throttle_classes = [AnonThrottle, UserThrottle, ExportThrottle]
    negotiation: Negotiation

    def get_queryset(self):
        return Negotiation.objects.all()

    @extend_schema(
        operation_id="negotiations_export",
        parameters=[
            OpenApiParameter(
                "export_format",
                str,
                OpenApiParameter.PATH,
                enum=list(exports.CONTENT_TYPES),
                description="csv (one row per event), excel (the same CSV with a UTF-8 byte "
                "order mark for Excel), positions (CSV of every published stance), json (the "
                "API's shapes), timelinejs "
                "(TimelineJS 3 JSON), ics (iCalendar of rounds and scheduled events), atom "
                "(feed of newly published or changed events).",
            ),
            OpenApiParameter("slug", str, OpenApiParameter.PATH),
            ExportQuerySerializer,
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "text/calendar"): OpenApiTypes.STR,
            (200, "application/atom+xml"): OpenApiTypes.STR,
        },
    )
    def get(self, request: Request, slug: str, export_format: str, **kwargs: Any) -> HttpResponse:
        if export_format not in exports.CONTENT_TYPES:
            raise NotFound(
                f"There is no {export_format!r} export; use one of "
                f"{', '.join(exports.CONTENT_TYPES)}."
            )
        self.negotiation = get_object_or_404(Negotiation, slug=slug)
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        version = catalog.timeline_version(self.negotiation)
        unchanged = self.not_modified(request, version.fingerprint, version.last_modified)
        if unchanged is not None:
            return unchanged
        context = exports.ExportContext(negotiation=self.negotiation, request=request)
        if export_format == "ics":
            body: str | bytes = exports.build_ical(
                context,
                list(catalog.rounds_for_calendar(self.negotiation)),
                list(catalog.scheduled_events(self.negotiation)),
            )
        elif export_format == "positions":
            positions = list(
                catalog.public_positions()
                .ledger()
                .filter(issue__negotiation=self.negotiation, issue__status=ReviewStatus.PUBLISHED)
                .select_related("issue", "party")
                .prefetch_related("citations__article")
            )
            body = exports.build_positions_csv(context, positions)
        elif export_format == "atom":
            body = exports.build_atom(context, catalog.recently_changed_events(self.negotiation))
        else:
            events = list(catalog.timeline_events(self.negotiation))
            if export_format in ("csv", "excel"):
                body = exports.build_csv(context, events, excel=export_format == "excel")
            elif export_format == "timelinejs":
                rounds = list(catalog.rounds_for_calendar(self.negotiation))
                document = exports.build_timelinejs(
                    context, events, rounds, query.validated_data["group"]
                )
                body = json.dumps(document, cls=DjangoJSONEncoder)
            else:
                # Only this export repeats the negotiation's detail (parties, rounds, issues).
                catalog.negotiation_load_detail(self.negotiation)
                document = exports.build_json(context, self.negotiation, events)
                body = json.dumps(document, cls=DjangoJSONEncoder)
        response = HttpResponse(body, content_type=exports.CONTENT_TYPES[export_format])
        # Each format its own name: the JSON and TimelineJS files both end in .json.
        kind = {"timelinejs": "timelinejs", "positions": "positions"}.get(export_format, "timeline")
        filename = f"{self.negotiation.slug}-{kind}.{exports.EXTENSIONS[export_format]}"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
