"""Events: the list, the change feed with tombstones, and a negotiation's timeline."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api import filters
from api.pagination import (
    CHANGES_ORDER,
    ID_ORDER,
    SEARCH_ORDER,
    TIMELINE_ORDER,
    KeysetPagination,
    SearchInfo,
)
from api.serializers import EventChangeSerializer, EventSerializer
from timeline.models import Event, EventKind, Modality, Negotiation
from timeline.selectors import TimelineFilters, catalog
from timeline.selectors.search import RankedSearch, ranked_search

from .base import ApiViewMixin, ReadOnlyViewSet
from .catalog import ID_PATTERN


class EventViewSet(ReadOnlyViewSet):
    """Published events across negotiations, and the change feed for consumers who sync."""

    lookup_value_regex = ID_PATTERN
    serializer_class = EventSerializer

    @property
    def filterset_class(self):
        return filters.EventChangeFilter if self.action == "changes" else filters.EventFilter

    @property
    def pagination_keys(self):
        if self.action == "changes":
            return CHANGES_ORDER
        return SEARCH_ORDER if self._search_text() else ID_ORDER

    def _search_text(self) -> str:
        return self.request.query_params.get("q", "").strip() if self.action == "list" else ""

    def get_queryset(self) -> QuerySet:
        if self.action == "changes":
            return catalog.event_changes()
        return catalog.event_list()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # The filters (q= among them) pick the matches; a search then ranks and bounds them,
        # after every filter, so the bound is over what the client asked for.
        events = super().filter_queryset(queryset)
        text = self._search_text()
        if not text:
            return events
        return _ranked(self, ranked_search(events, text))

    @extend_schema(
        responses=EventChangeSerializer(many=True),
        description=(
            "Everything changed since `updated_since`, oldest change first: published events in "
            "full, and tombstones (`deleted: true`) for events retracted or merged, with the id "
            "they were merged into. Keep the newest `updated_at` you saw and ask again from it."
        ),
    )
    @action(detail=False, methods=["get"])
    def changes(self, request: Request, *args, **kwargs) -> Response:
        events = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(events)
        return self.get_paginated_response(
            EventChangeSerializer(page, many=True, context=self.get_serializer_context()).data
        )


def _ranked(view: Any, search: RankedSearch) -> QuerySet:
    """The ranked rows of a search, and what the page will say about its bound."""
    paginator = view.paginator
    assert isinstance(paginator, KeysetPagination)
    paginator.search = SearchInfo(
        limit=search.limit, truncated=search.truncated, bounded=search.bounded, bound=search.bound
    )
    return search.rows


class TimelineQuerySerializer(serializers.Serializer):
    """The timeline's query parameters for the OpenAPI schema only: ``TimelineFilters.parse``
    reads and validates them, for the API, the reader page and the exports alike."""

    party = serializers.CharField(
        required=False, max_length=1000, help_text="Actor slugs, comma-separated."
    )
    kind = serializers.MultipleChoiceField(choices=EventKind.choices, required=False)
    modality = serializers.ChoiceField(choices=Modality.choices, required=False)
    issue = serializers.SlugField(required=False, help_text="Issue slug.")
    round = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="Round sequence number."
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    disputed = serializers.ChoiceField(choices=["true", "false"], required=False)
    min_sources = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Only events reported by at least this many independent outlets (a "
        "syndicated copy counts as its original; an outlet counts once).",
    )
    as_of = serializers.DateField(
        required=False,
        help_text="The timeline as it was known at the end of this day (UTC): what had been "
        "reported by then, in the state it had then.",
    )
    q = serializers.CharField(required=False, max_length=200, help_text=filters.SEARCH_HELP)
    sort = serializers.ChoiceField(
        choices=["relevance", "date"],
        required=False,
        help_text="With q=: `relevance` (the default: the best matches, bounded) or `date` "
        "(every match, in time order, unbounded).",
    )


@extend_schema(
    parameters=[
        TimelineQuerySerializer,
        OpenApiParameter("negotiation_slug", str, OpenApiParameter.PATH),
    ]
)
class TimelineViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A negotiation's published events in time order (undated ones last), with participants,
    citations and who disputes them. With q=, the best 1,000 matches, best first (the body's
    `search` says whether more matched); add sort=date for every match in time order."""

    serializer_class = EventSerializer
    pagination_keys = TIMELINE_ORDER
    conditional_actions = ("list",)
    address_kept_actions = ("list",)
    negotiation: Negotiation

    def get_queryset(self) -> QuerySet:
        return Negotiation.objects.none()  # the schema generator's placeholder; list() reads

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kept_here = self.kept_by_address(request)
        if kept_here is not None:
            return kept_here  # type: ignore[return-value]  # a 304 or a plain HttpResponse
        self.negotiation = get_object_or_404(Negotiation, slug=kwargs["negotiation_slug"])
        query = TimelineFilters.parse(request.query_params, self.negotiation)
        if query.errors:
            raise ValidationError(query.errors)
        # The version first: a client that holds it gets its 304 before any event is loaded.
        version = catalog.timeline_version(self.negotiation)
        unchanged = self.not_modified(request, version.fingerprint, version.last_modified)
        if unchanged is not None:
            return unchanged
        kept = self.kept_response()
        if kept is not None:
            return kept  # type: ignore[return-value]  # DRF passes a plain HttpResponse through
        paginator = self.paginator
        assert isinstance(paginator, KeysetPagination)
        page: list[Event]
        if query.ranked:
            self.pagination_keys = SEARCH_ORDER
        if query.as_of is not None:
            # The timeline as known on a day pages by the same keyset.
            known = catalog.timeline_as_of(self.negotiation, query.as_of, query.filters)
            if query.ranked:
                known = _ranked(self, ranked_search(known, query.filters.q, every_match=True))
            rows = paginator.paginate_queryset(known, request, view=self)
            page = catalog.timeline_details_as_of(self.negotiation, rows, query.as_of)
        else:
            events = catalog.timeline_events(self.negotiation, query.filters)
            if query.ranked:
                events = _ranked(self, ranked_search(events, query.filters.q))
            page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(self.get_serializer(page, many=True).data)
