"""Positions, and the review queue of candidate positions the extractor proposed.

Like events, each candidate is shown with the words it was proposed from, highlighted in its
report, beside the stance it would supersede; publishing goes through ``position_publish``,
which keeps one current stance per party and issue.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString

from timeline.models import Citation, Position, ReviewStatus
from timeline.selectors import catalog
from timeline.selectors.current_stances import current_stance, current_stances
from timeline.services import DomainError, position_publish, position_reject

from .base import (
    CitationInline,
    HistoryAdmin,
    highlighted_reports,
    quoted_excerpts,
    require_view_permission,
    run_service,
)
from .review_queue import Decided, QueueSpec, ReviewQueueMixin


class PositionCitationInline(CitationInline):
    fk_name = "position"


@dataclass
class PositionCard:
    """One candidate position as the queue shows it."""

    position: Position
    excerpts: list[tuple[Citation, SafeString]]
    current: Position | None  # the party's current stance on the issue, if any

    @property
    def would_supersede(self) -> bool:
        return self.position.would_supersede(self.current)


def position_cards(candidates: list[Position]) -> list[PositionCard]:
    """A page of candidate positions as cards, with the stances they would supersede."""
    current = current_stances(candidates)
    return [
        PositionCard(
            position=position,
            excerpts=quoted_excerpts(position.citations.all()),
            current=current.get((position.issue_id, position.party_id)),
        )
        for position in candidates
    ]


@admin.register(Position)
class PositionAdmin(ReviewQueueMixin, HistoryAdmin):
    list_display = (
        "party",
        "issue",
        "kind",
        "stance",
        "valid_from",
        "date_text",
        "status",
        "is_current",
    )
    list_filter = ("status", "kind", "is_current", "issue__negotiation")
    list_select_related = ("party", "issue")
    search_fields = ("stance", "detail", "party__name", "issue__title")
    autocomplete_fields = ("issue", "party", "source_article")
    # Status and superseding change only through publish/reject, which keep one current stance.
    readonly_fields = (
        "status",
        "is_current",
        "supersedes",
        "extraction_key",
        "created_at",
        "updated_at",
    )
    fields = (
        ("issue", "party"),
        ("kind", "stance"),
        "detail",
        ("valid_from", "date_precision", "date_text"),
        "source_article",
        ("status", "is_current", "supersedes"),
        ("extraction_key", "created_at", "updated_at"),
    )
    inlines = (PositionCitationInline,)
    actions = ("publish_positions", "reject_positions")
    change_list_template = "admin/timeline/position/change_list.html"

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change and not form.instance.extraction_key:
            # An editor's own entry is their decision already: it is published (superseding
            # as any publish does), not sent to the queue they would then have to work.
            try:
                position_publish(form.instance)
            except DomainError as exc:
                messages.error(request, f"Saved but not published: {exc}")

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "candidate_count": Position.objects.candidates().count(),
        }
        return super().changelist_view(request, extra_context)

    @admin.action(description="Publish selected positions", permissions=["change"])
    def publish_positions(self, request: HttpRequest, queryset: QuerySet[Position]) -> None:
        # Oldest first, so each newer stance supersedes the one before it.
        ordered = queryset.order_by("valid_from", "id")
        run_service(request, ordered, position_publish, "position(s) published")

    @admin.action(description="Reject selected positions", permissions=["change"])
    def reject_positions(self, request: HttpRequest, queryset: QuerySet[Position]) -> None:
        run_service(request, queryset, position_reject, "position(s) rejected")

    # --- the review queue -----------------------------------------------------------------

    def get_urls(self):
        return [*self.review_queue_urls(self.review_position_view), *super().get_urls()]

    def review_position_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """One candidate position beside the full text of every report it cites."""
        require_view_permission(self, request)
        position = get_object_or_404(
            Position.objects.select_related(
                "issue__negotiation", "party", "source_article__outlet", "supersedes"
            ),
            pk=pk,
        )
        can_change = self.has_change_permission(request, position)
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            return self.review_decide(request, position) or HttpResponseRedirect(request.path)
        citations = list(
            position.citations.select_related("article__outlet", "speaker", "speaker_side")
        )
        citations.sort(key=lambda c: (c.article_id, c.start, c.pk))
        current = current_stance(position)
        ledger = (
            Position.objects.ledger()
            .filter(issue_id=position.issue_id, party_id=position.party_id)
            .exclude(pk=position.pk)
        )
        return TemplateResponse(
            request,
            "admin/timeline/position/review_position.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Review: {position}",
                "opts": self.model._meta,
                "position": position,
                "citations": citations,
                "articles": highlighted_reports(citations, position.source_article),
                "current": current,
                "would_supersede": position.would_supersede(current),
                "ledger": list(ledger),
                "can_change": can_change and position.status == ReviewStatus.CANDIDATE,
            },
        )


def _decide_publish(admin: PositionAdmin, request: HttpRequest, position: Position) -> Decided:
    published = position_publish(position)
    if published.is_current and published.supersedes is not None:
        outcome = f"now current, superseding “{published.supersedes.stance}”"
    elif published.is_current:
        outcome = "now current"
    else:
        outcome = "older than the current stance, so it joins the history"
    return Decided(
        f"Published: {published} ({outcome}).", "Published from the review queue.", published
    )


def _decide_reject(admin: PositionAdmin, request: HttpRequest, position: Position) -> Decided:
    position_reject(position)
    return Decided(f"Rejected: {position}", "Rejected in the review queue.")


PositionAdmin.review_queue = QueueSpec(
    selector=catalog.position_review_queue,
    cards=position_cards,
    card_template="admin/timeline/position/_card.html",
    decisions={"publish": _decide_publish, "reject": _decide_reject},
    intro="Publishing a stance newer than the party's current one supersedes it.",
    other_queue=("admin:timeline_event_review", "Candidate events"),
)
