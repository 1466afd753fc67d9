"""Editors' endpoints: submit reports for ingestion, follow the jobs, review candidates."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api import filters
from api.permissions import CanReview, CanReviewPositions, IngestionAccess
from api.serializers import (
    CitationProposalSerializer,
    IngestionCreateSerializer,
    IngestionSerializer,
    MergeSerializer,
    PublishSerializer,
    ReviewEventSerializer,
    ReviewPositionSerializer,
)
from api.serializers.common import REVEAL_CANDIDATES
from timeline.models import CitationProposal, Event, Position, ProposalStatus
from timeline.selectors import catalog
from timeline.selectors.look_alikes import possible_duplicates, published_look_alikes
from timeline.services import (
    event_merge,
    event_publish,
    event_reject,
    ingestion_submit,
    position_publish,
    position_reject,
)
from timeline.services.corroboration import (
    citation_proposal_attach,
    citation_proposal_dismiss,
    duplicate_attach,
    duplicate_keep_separate,
)

from .base import ApiViewMixin, ReadOnlyViewSet
from .catalog import ID_PATTERN


class IngestionViewSet(
    ApiViewMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Ingestion jobs. POST a URL or a report's text: 202 with the job, whose status you poll."""

    permission_classes = [IngestionAccess]
    lookup_value_regex = ID_PATTERN
    queryset = catalog.ingestion_list()
    filterset_class = filters.IngestionFilter

    def get_serializer_class(self):
        return IngestionCreateSerializer if self.action == "create" else IngestionSerializer

    @extend_schema(request=IngestionCreateSerializer, responses={202: IngestionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        submitted = IngestionCreateSerializer(data=request.data)
        submitted.is_valid(raise_exception=True)
        # The one submission service decides what was sent, as it does for the admin's page.
        job = ingestion_submit(**submitted.validated_data, user=request.user)
        return Response(IngestionSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class _ReviewQueueViewSet(ReadOnlyViewSet):
    """What the editors' review queues share: rows by id, candidate actors shown."""

    lookup_value_regex = ID_PATTERN

    def get_serializer_context(self) -> dict[str, Any]:
        # Editors review the candidate actors the extractor linked: show them.
        return {**super().get_serializer_context(), REVEAL_CANDIDATES: True}


class ReviewViewSet(_ReviewQueueViewSet):
    """The editors' review queue: candidate events proposed by the extractor or entered by hand."""

    permission_classes = [CanReview]
    serializer_class = ReviewEventSerializer
    filterset_class = filters.ReviewFilter

    def get_queryset(self) -> QuerySet:
        return catalog.review_queue()

    def _done(self, event: Event) -> Response:
        fresh = catalog.event_for_editor(event.pk)
        return Response(ReviewEventSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=PublishSerializer, responses=ReviewEventSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        candidate = self.get_object()
        if not body.validated_data["not_a_duplicate"]:
            # The same look-alike check as the admin's queue: a duplicate goes public by no road.
            if body.validated_data.get("negotiation") and candidate.negotiation_id is None:
                candidate.negotiation = body.validated_data["negotiation"]
            alike = published_look_alikes([candidate]).get(candidate.pk, [])
            # And the matcher's "possible duplicate of ...", as the admin's card refuses it.
            duplicates = possible_duplicates([candidate]).get(candidate.pk, [])
            if alike or duplicates:
                errors: dict[str, list[str]] = {}
                if alike:
                    errors["look_alikes"] = [
                        f"Event {other.pk} ({other.date or 'undated'}): {other.summary}"
                        for other in alike
                    ]
                if duplicates:
                    errors["possible_duplicates"] = [
                        f"Event {other.pk} (score {score:.2f}): {other.summary}"
                        for other, score in duplicates
                    ]
                errors["non_field_errors"] = [
                    "Stored events look like this one: attach or merge it into one of them, "
                    "keep it separate, or publish with not_a_duplicate=true."
                ]
                raise ValidationError(errors, code="look_alikes")
        event = event_publish(candidate, negotiation=body.validated_data.get("negotiation"))
        return self._done(event)

    @extend_schema(request=None, responses=ReviewEventSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._done(event_reject(self.get_object()))

    @extend_schema(request=MergeSerializer, responses=ReviewEventSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = MergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        target = event_merge(self.get_object(), body.validated_data["into"])
        return self._done(target)

    @extend_schema(request=MergeSerializer, responses=ReviewEventSerializer)
    @action(detail=True, methods=["post"])
    def attach(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """This candidate is the chosen event: its citations move there (on a published
        event they are published at once) and the candidate becomes a merged tombstone."""
        body = MergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(duplicate_attach(self.get_object(), body.validated_data["into"]))

    @extend_schema(request=None, responses=ReviewEventSerializer)
    @action(detail=True, methods=["post"], url_path="keep-separate")
    def keep_separate(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Another happening after all: forget its possible duplicates."""
        return self._done(duplicate_keep_separate(self.get_object()))


class CitationProposalReviewViewSet(_ReviewQueueViewSet):
    """Candidate citations of stored events: another report's sentence about an event that
    already exists. Pending ones only; attach publishes the citation, dismiss drops it."""

    permission_classes = [CanReview]
    serializer_class = CitationProposalSerializer

    def get_queryset(self) -> QuerySet:
        return (
            CitationProposal.objects.filter(status=ProposalStatus.PENDING)
            .select_related("event", "article__outlet", "speaker")
            .order_by("created_at", "id")
        )

    def _done(self, proposal: CitationProposal) -> Response:
        proposal.refresh_from_db()
        return Response(CitationProposalSerializer(proposal).data)

    @extend_schema(request=None, responses=CitationProposalSerializer)
    @action(detail=True, methods=["post"])
    def attach(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        proposal = self.get_object()
        citation_proposal_attach(proposal)
        return self._done(proposal)

    @extend_schema(request=None, responses=CitationProposalSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._done(citation_proposal_dismiss(self.get_object()))


class PositionReviewViewSet(_ReviewQueueViewSet):
    """The editors' review queue of stances: candidate positions with the quotes behind them.

    Publishing makes a stance part of its issue's ledger (current if it is the newest for its
    party); rejecting keeps it out. Either answers with the position as it now is.
    """

    permission_classes = [CanReviewPositions]
    serializer_class = ReviewPositionSerializer
    filterset_class = filters.PositionReviewFilter

    def get_queryset(self) -> QuerySet:
        if self.action == "list":
            return catalog.position_review_queue()
        # Any status by id, so that publishing a rejected stance works and rejecting a
        # published one is the service's clear refusal rather than a 404.
        return catalog.positions_for_editor()

    def _done(self, position: Position) -> Response:
        fresh = catalog.positions_for_editor().get(pk=position.pk)
        return Response(ReviewPositionSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=ReviewPositionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._done(position_publish(self.get_object()))

    @extend_schema(request=None, responses=ReviewPositionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._done(position_reject(self.get_object()))
