"""Negotiations, who takes part, rounds, delegations and issues (positions: ``positions``)."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from timeline.models import (
    Delegation,
    DelegationMember,
    Issue,
    Negotiation,
    Participation,
    Round,
)
from timeline.services import issue_merge, issue_publish, issue_reject
from timeline.services.events import place_publish_for
from timeline.services.rounds import round_adopt_events

from .base import HistoryAdmin, ModelAdmin, TabularInline, action_form_response, run_service


class ParticipationInline(TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ("actor",)
    fields = ("actor", "role", "side", "notes")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("actor")


class IssueInline(TabularInline):
    model = Issue
    extra = 0
    fields = ("title", "slug", "order")
    prepopulated_fields = {"slug": ("title",)}
    show_change_link = True


class RoundInline(TabularInline):
    model = Round
    extra = 0
    fields = ("sequence", "name", "venue", "status", "actual_start", "actual_end")
    autocomplete_fields = ("venue",)
    show_change_link = True

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("venue")


@admin.register(Negotiation)
class NegotiationAdmin(HistoryAdmin):
    list_display = ("title", "kind", "status", "started_on", "ended_on")
    list_filter = ("kind", "status")
    search_fields = ("title", "slug", "description")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (ParticipationInline, IssueInline, RoundInline)


@admin.register(Participation)
class ParticipationAdmin(ModelAdmin):
    list_display = ("actor", "negotiation", "role", "side")
    list_filter = ("role", "negotiation")
    list_select_related = ("actor", "negotiation")
    search_fields = ("actor__name", "negotiation__title", "side")
    autocomplete_fields = ("actor", "negotiation")


class DelegationInline(TabularInline):
    model = Delegation
    extra = 0
    autocomplete_fields = ("actor", "head")
    fields = ("actor", "head", "arrived_on", "departed_on", "never_arrived", "notes")
    show_change_link = True

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("actor", "head")


@admin.register(Round)
class RoundAdmin(HistoryAdmin):
    list_display = ("__str__", "negotiation", "sequence", "venue", "status", "start", "end")
    list_filter = ("status", "format", "negotiation")
    list_select_related = ("negotiation", "venue")
    search_fields = ("name", "negotiation__title", "venue__name")
    autocomplete_fields = ("negotiation", "venue")
    inlines = (DelegationInline,)

    def save_model(self, request: HttpRequest, obj: Round, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # A round is public as soon as it is saved: so is the venue an editor picked for it.
        place_publish_for(obj.venue_id)
        adopted = round_adopt_events(obj)
        if adopted:
            messages.info(
                request,
                f"{adopted} event(s) at {obj.venue or 'the round'} in its dates now belong to {obj}.",
            )


class DelegationMemberInline(TabularInline):
    model = DelegationMember
    extra = 1
    autocomplete_fields = ("person",)
    fields = ("person", "role")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("person")


@admin.register(Delegation)
class DelegationAdmin(HistoryAdmin):
    list_display = ("__str__", "head", "arrived_on", "departed_on", "never_arrived")
    list_filter = ("never_arrived", "round__negotiation")
    list_select_related = ("actor", "round", "head")
    search_fields = ("actor__name", "round__name", "head__name")
    autocomplete_fields = ("round", "actor", "head")
    inlines = (DelegationMemberInline,)


@admin.register(DelegationMember)
class DelegationMemberAdmin(ModelAdmin):
    list_display = ("person", "role", "delegation")
    list_select_related = ("person", "delegation__actor", "delegation__round")
    search_fields = ("person__name", "role", "delegation__actor__name")
    autocomplete_fields = ("delegation", "person")


class IssueMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Issue.objects.merge_targets(),
        label="Merge into",
        help_text="The issue that stays: every stance and event of the selected ones moves to it.",
    )

    def __init__(self, *args, selected: QuerySet[Issue], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        negotiations = selected.values("negotiation_id")
        field = self.fields["target"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = field.queryset.filter(negotiation_id__in=negotiations).exclude(
            pk__in=selected.values("pk")
        )


@admin.register(Issue)
class IssueAdmin(HistoryAdmin):
    list_display = ("title", "negotiation", "status", "order")
    list_filter = ("status", "negotiation")
    list_select_related = ("negotiation",)
    search_fields = ("title", "slug", "description", "negotiation__title")
    autocomplete_fields = ("negotiation",)
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("merged_into", "created_at", "updated_at")
    actions = ("publish_issues", "hide_issues", "merge_issues")

    @admin.action(description="Publish selected issues", permissions=["change"])
    def publish_issues(self, request: HttpRequest, queryset: QuerySet[Issue]) -> None:
        run_service(request, queryset, issue_publish, "issue(s) published")

    @admin.action(description="Hide selected issues from readers", permissions=["change"])
    def hide_issues(self, request: HttpRequest, queryset: QuerySet[Issue]) -> None:
        run_service(request, queryset, issue_reject, "issue(s) hidden")

    @admin.action(description="Merge selected issues into another…", permissions=["change"])
    def merge_issues(self, request: HttpRequest, queryset: QuerySet[Issue]):
        form = IssueMergeForm(request.POST if "apply" in request.POST else None, selected=queryset)
        if form.is_valid():
            target = form.cleaned_data["target"]
            run_service(
                request,
                queryset.exclude(pk=target.pk),
                partial(issue_merge, target=target),
                f"issue(s) merged into “{target}”",
            )
            return None
        return action_form_response(
            self, request, queryset, form, "merge_issues", "Merge issues", "Merge"
        )
