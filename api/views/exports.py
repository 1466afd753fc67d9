"""GET /api/v1/negotiations/{slug}/export/{format}/: the whole published timeline as a file.

CSV, JSON and iCalendar stream in constant memory (a keyset chunk of events at a time);
TimelineJS is bounded at ``TIMELINEJS_LIMIT`` events, Atom at the 50 latest changes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from api import exports
from api.exports.event_values import event_value_chunks
from api.exports.json_documents import EventDocuments
from api.throttling import AnonThrottle, ExportThrottle, UserThrottle
from timeline.models import Event, Negotiation, ReviewStatus, Round
from timeline.selectors import TimelineFilters, catalog

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
    def get(
        self, request: Request, slug: str, export_format: str, **kwargs: Any
    ) -> HttpResponseBase:
        if export_format not in exports.CONTENT_TYPES:
            raise NotFound(
                f"There is no {export_format!r} export; use one of "
                f"{', '.join(exports.CONTENT_TYPES)}."
            )
        self.negotiation = get_object_or_404(Negotiation, slug=slug)
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        # The reader page's filters, so its export links export what the page shows.
        timeline_query = TimelineFilters.parse(request.query_params, self.negotiation)
        if timeline_query.errors:
            raise ValidationError(timeline_query.errors)
        filters = timeline_query.filters
        version = catalog.timeline_version(self.negotiation)
        unchanged = self.not_modified(request, version.fingerprint, version.last_modified)
        if unchanged is not None:
            return unchanged
        context = exports.ExportContext(negotiation=self.negotiation, request=request)
        body: Iterable[str | bytes]
        if export_format == "ics":
            rounds = list(catalog.rounds_for_calendar(self.negotiation))
            body = _ical_stream(context, rounds, catalog.scheduled_events(self.negotiation))
        elif export_format == "positions":
            positions = list(
                catalog.public_positions()
                .ledger()
                .filter(issue__negotiation=self.negotiation, issue__status=ReviewStatus.PUBLISHED)
                .select_related("issue", "party")
                .prefetch_related("citations__article")
            )
            body = [exports.build_positions_csv(context, positions)]
        elif export_format == "atom":
            # Bounded by the feed itself: the 50 most recently changed events.
            body = [exports.build_atom(context, catalog.recently_changed_events(self.negotiation))]
        elif export_format in ("csv", "excel"):
            body = _csv_stream(
                context,
                catalog.timeline_events(self.negotiation, filters),
                excel=export_format == "excel",
            )
        elif export_format == "timelinejs":
            # TimelineJS shows slides, not a database: the first TIMELINEJS_LIMIT events in time
            # order (documented in the README); the CSV and JSON exports hold everything.
            events = list(catalog.timeline_events(self.negotiation, filters)[:TIMELINEJS_LIMIT])
            rounds = list(catalog.rounds_for_calendar(self.negotiation))
            document = exports.build_timelinejs(
                context, events, rounds, query.validated_data["group"]
            )
            body = [json.dumps(document, cls=DjangoJSONEncoder)]
        else:
            # Only this export repeats the negotiation's detail (parties, rounds, issues).
            catalog.negotiation_load_detail(self.negotiation)
            events_qs = catalog.timeline_events(self.negotiation, filters)
            body = _json_stream(context, self.negotiation, events_qs)
        response = StreamingHttpResponse(body, content_type=exports.CONTENT_TYPES[export_format])
        # Each format its own name: the JSON and TimelineJS files both end in .json.
        kind = {"timelinejs": "timelinejs", "positions": "positions"}.get(export_format, "timeline")
        filename = f"{self.negotiation.slug}-{kind}.{exports.EXTENSIONS[export_format]}"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


# --- streaming: a chunk of events at a time, paged by keyset, so memory stays flat ----------
CHUNK = 1000
TIMELINEJS_LIMIT = 2000


def _chunks(
    context: exports.ExportContext, events: QuerySet[Event], *, details: bool = True
) -> Iterator[list]:
    """The events in timeline order, ``CHUNK`` at a time, as plain values (``event_values``):
    a keyset page per chunk, so memory holds one chunk whatever the size of the timeline."""
    return event_value_chunks(context.negotiation, events, CHUNK, details=details)


def _csv_stream(
    context: exports.ExportContext, events: QuerySet[Event], *, excel: bool = False
) -> Iterator[str]:
    first = True
    for chunk in _chunks(context, events):
        # Each chunk is written with the header row (and, for Excel, the byte order mark);
        # the file has them once.
        text = exports.build_csv(context, chunk, excel=excel and first)
        yield text if first else text.split("\r\n", 1)[1]
        first = False
    if first:
        yield exports.build_csv(context, [], excel=excel)


def _json_stream(
    context: exports.ExportContext, negotiation: Negotiation, events: QuerySet[Event]
) -> Iterator[str]:
    head = exports.build_json(context, negotiation, [])
    head.pop("events")
    opening = json.dumps(head, cls=DjangoJSONEncoder)
    yield opening[:-1] + (', "events": [' if head else '"events": [')
    separator = ""
    for chunk in _chunks(context, events):
        # Nested references remembered for one chunk only, so memory stays flat.
        documents = EventDocuments()
        items = exports.clean_document([documents.event(event) for event in chunk])
        text = json.dumps(items, cls=DjangoJSONEncoder)[1:-1]
        if text:
            yield separator + text
            separator = ", "
    yield "]}"


def _ical_stream(
    context: exports.ExportContext, rounds: list[Round], events: QuerySet[Event]
) -> Iterator[bytes]:
    """The calendar with its rounds, then the scheduled events chunk by chunk: each chunk's
    VEVENTs cut from a calendar built for it."""
    head = exports.build_ical(context, rounds, [])
    end = head.rindex(b"END:VCALENDAR")
    yield head[:end]
    for chunk in _chunks(context, events, details=False):  # no participant or source shown
        body = exports.build_ical(context, [], chunk)
        start = body.find(b"BEGIN:VEVENT")
        if start != -1:
            yield body[start : body.rindex(b"END:VCALENDAR")]
    yield head[end:]
