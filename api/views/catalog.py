"""Read-only catalogue endpoints: each is a selector, a serializer and a filter."""

from __future__ import annotations

from django.db.models import QuerySet

from api import filters, serializers
from api.permissions import can_review
from timeline.selectors import catalog

from .base import ReadOnlyViewSet

# Anything up to the next slash reaches the view, so a malformed id is a JSON 404, not HTML.
SLUG_PATTERN = r"[^/]+"
ID_PATTERN = r"[^/]+"


class NegotiationViewSet(ReadOnlyViewSet):
    """Negotiations with their parties and mediators; the detail adds rounds and issues."""

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    filterset_class = filters.NegotiationFilter

    def get_queryset(self) -> QuerySet:
        if self.action == "retrieve":
            return catalog.negotiation_detail()
        return catalog.negotiation_list()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.NegotiationDetailSerializer
        return serializers.NegotiationSerializer


class RoundViewSet(ReadOnlyViewSet):
    """Rounds of talks with each party's delegation."""

    lookup_value_regex = ID_PATTERN
    queryset = catalog.round_list()
    serializer_class = serializers.RoundSerializer
    filterset_class = filters.RoundFilter


class ActorViewSet(ReadOnlyViewSet):
    """Published actors with their aliases and affiliation."""

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    queryset = catalog.actor_list()
    serializer_class = serializers.ActorSerializer
    filterset_class = filters.ActorFilter


class IssueViewSet(ReadOnlyViewSet):
    """Issues with the position ledger: each party's published stances over time."""

    lookup_value_regex = ID_PATTERN
    queryset = catalog.issue_list()
    serializer_class = serializers.IssueSerializer
    filterset_class = filters.IssueFilter


class ArticleViewSet(ReadOnlyViewSet):
    """Reports cited by the published record, with their syndicated copies."""

    lookup_value_regex = ID_PATTERN
    serializer_class = serializers.ArticleSerializer
    filterset_class = filters.ArticleFilter

    def get_queryset(self) -> QuerySet:
        return catalog.article_list(include_uncited=can_review(self.request.user))


class CitationViewSet(ReadOnlyViewSet):
    """Quoted spans backing published events and positions."""

    lookup_value_regex = ID_PATTERN
    queryset = catalog.citation_list()
    serializer_class = serializers.CitationSerializer
    filterset_class = filters.CitationFilter
