"""Actors, their aliases and places; merging duplicate actors."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import HttpRequest

from timeline.models import (
    Actor,
    ActorAlias,
    ActorKind,
    Participation,
    Place,
    ReviewStatus,
    normalize_name,
)
from timeline.services import actor_merge

from .base import HistoryAdmin, ModelAdmin, TabularInline, action_form_response, run_service


class ActorAliasInline(TabularInline):
    model = ActorAlias
    extra = 1
    fields = ("name", "kind")


class ActorParticipationInline(TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ("negotiation",)
    fields = ("negotiation", "role", "side")
    verbose_name_plural = "roles in negotiations"

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("negotiation")


class ActorMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Actor.objects.exclude(status=ReviewStatus.MERGED),
        label="Merge into",
        help_text="The actor that stays. The selected ones become its aliases; every event, "
        "quote, position, delegation and role moves to it.",
        widget=AutocompleteSelect(Actor._meta.get_field("merged_into"), admin.site),
    )


def _ranked(queryset: QuerySet[Actor], term: str) -> QuerySet[Actor]:
    """Typing "Israel" offers Israel before Benjamin Netanyahu: the exact name (or alias)
    first, then states and organisations, then people."""
    key = normalize_name(term)
    exact = Q(normalized_name=key) | Exists(
        ActorAlias.objects.filter(actor=OuterRef("pk"), normalized=key)
    )
    return queryset.annotate(
        rank=Case(
            When(exact, then=Value(0)),
            When(~Q(kind=ActorKind.PERSON), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("rank", "name")


@admin.register(Actor)
class ActorAdmin(HistoryAdmin):
    list_display = ("name", "kind", "affiliation", "role", "status", "alias_names")
    list_filter = ("kind", "status")
    list_select_related = ("affiliation",)
    search_fields = ("name", "slug", "role", "wikidata_id", "aliases__name")
    autocomplete_fields = ("affiliation",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("normalized_name", "merged_into", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "status")}),
        ("Who", {"fields": ("affiliation", "role", "wikidata_id", "description")}),
        (
            "Derived",
            {
                "classes": ("collapse",),
                "fields": ("normalized_name", "merged_into", "created_at", "updated_at"),
            },
        ),
    )
    inlines = (ActorAliasInline, ActorParticipationInline)
    actions = ("merge_actors",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Actor]:
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description="aliases")
    def alias_names(self, actor: Actor) -> str:
        return ", ".join(alias.name for alias in actor.aliases.all())

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Autocomplete for a merge target or an actor on a new row: never a merged tombstone.
        if request.GET.get("app_label") == "timeline" and request.GET.get("field_name"):
            queryset = queryset.exclude(status=ReviewStatus.MERGED)
            if search_term.strip():
                queryset = _ranked(queryset, search_term.strip())
        return queryset, may_have_duplicates

    @admin.action(description="Merge selected actors into another…", permissions=["change"])
    def merge_actors(self, request: HttpRequest, queryset: QuerySet[Actor]):
        form = ActorMergeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            target = form.cleaned_data["target"]

            def merge_and_record(source: Actor) -> Actor:
                kept = actor_merge(source, target)
                # Recent actions says what moved, not a bare "Changed".
                self.log_change(request, kept, getattr(kept, "merge_summary", "Merged."))
                return kept

            run_service(
                request,
                queryset.exclude(pk=target.pk),
                merge_and_record,
                f"actor(s) merged into {target}",
            )
            return None
        return action_form_response(
            self, request, queryset, form, "merge_actors", "Merge actors", "Merge"
        )


@admin.register(ActorAlias)
class ActorAliasAdmin(ModelAdmin):
    list_display = ("name", "kind", "actor")
    list_filter = ("kind",)
    list_select_related = ("actor",)
    search_fields = ("name", "actor__name")
    autocomplete_fields = ("actor",)
    readonly_fields = ("normalized",)


@admin.register(Place)
class PlaceAdmin(ModelAdmin):
    list_display = ("name", "within", "country_code", "latitude", "longitude", "geonames_id")
    list_filter = ("country_code",)
    list_select_related = ("within",)
    search_fields = ("name", "slug")
    # A venue's city, a city's country: the matcher reads it (a venue and its city agree).
    autocomplete_fields = ("within",)
    prepopulated_fields = {"slug": ("name",)}
