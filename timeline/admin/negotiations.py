"""Negotiations, who takes part, rounds, delegations and issues (positions: ``positions``)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from timeline.models import (
    Delegation,
    DelegationMember,
    Issue,
    Negotiation,
    Participation,
    Round,
)

from .base import HistoryAdmin, ModelAdmin, TabularInline


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


@admin.register(Issue)
class IssueAdmin(HistoryAdmin):
    list_display = ("title", "negotiation", "order")
    list_filter = ("negotiation",)
    list_select_related = ("negotiation",)
    search_fields = ("title", "slug", "description", "negotiation__title")
    autocomplete_fields = ("negotiation",)
    prepopulated_fields = {"slug": ("title",)}
