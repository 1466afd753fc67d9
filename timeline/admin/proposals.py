"""The small queue of candidate citations (issue 13): another report's sentence about an event
that already exists, proposed by the extractor instead of a duplicate candidate event."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from timeline.models import CitationProposal, ProposalStatus
from timeline.services.corroboration import citation_proposal_attach, citation_proposal_dismiss

from .base import ModelAdmin, run_service


@admin.register(CitationProposal)
class CitationProposalAdmin(ModelAdmin):
    list_display = ("quoted", "event", "outlet", "score", "stance", "status", "created_at")
    list_filter = ("status", "stance")
    list_select_related = ("event", "article__outlet")
    search_fields = ("quote", "event__summary")
    readonly_fields = (
        "event",
        "article",
        "quote",
        "start",
        "end",
        "speaker",
        "speaker_description",
        "speaker_side",
        "attribution",
        "stance",
        "score",
        "status",
        "citation",
    )
    actions = ("attach_proposals", "dismiss_proposals")

    def get_queryset(self, request: HttpRequest) -> QuerySet[CitationProposal]:
        queryset = super().get_queryset(request)
        # The queue: pending ones unless the editor filters on a status.
        if "status__exact" not in request.GET:
            queryset = queryset.filter(status=ProposalStatus.PENDING)
        return queryset

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Quote")
    def quoted(self, proposal: CitationProposal) -> SafeString:
        return format_html("<mark>{}</mark>", proposal.quote[:160])

    @admin.display(description="Outlet")
    def outlet(self, proposal: CitationProposal) -> str:
        outlet = proposal.article.outlet
        return outlet.name if outlet is not None else ""

    @admin.action(
        description="Attach as citations (publish them on their events)",
        permissions=["change"],
    )
    def attach_proposals(self, request: HttpRequest, queryset: QuerySet[CitationProposal]):
        run_service(request, list(queryset), citation_proposal_attach, "citation(s) attached")

    @admin.action(description="Dismiss", permissions=["change"])
    def dismiss_proposals(self, request: HttpRequest, queryset: QuerySet[CitationProposal]):
        run_service(request, list(queryset), citation_proposal_dismiss, "proposal(s) dismissed")
