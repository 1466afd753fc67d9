"""Outlets and articles. What ingestion derived (hashes, similarity, timings) is read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from timeline.ingestion.dedupe import content_hash
from timeline.models import AnalysisStatus, Article, Citation, Outlet
from timeline.services.analysis import analysis_request

from .base import ModelAdmin, TabularInline, model_formfield


@admin.register(Outlet)
class OutletAdmin(ModelAdmin):
    list_display = ("name", "domain", "country_code", "actor", "description")
    list_filter = ("country_code",)
    list_select_related = ("actor",)
    search_fields = ("name", "slug", "domain")
    autocomplete_fields = ("actor",)
    prepopulated_fields = {"slug": ("name",)}


class ArticleCitationInline(TabularInline):
    """Which events and positions cite this report, read-only: edit them on the event."""

    model = Citation
    extra = 0
    can_delete = False
    fields = ("quote", "speaker_description", "stance", "event", "position")
    readonly_fields = fields
    verbose_name_plural = "citations of this report"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .select_related("event", "position__party", "position__issue")
        )


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = (
            "url",
            "canonical_url",
            "outlet",
            "title",
            "byline",
            "published_at",
            "published_on",
            "language",
            "text",
            "syndication_of",
        )
        formfield_callback = model_formfield

    def clean(self):
        data = super().clean()
        text = data.get("text")
        if self.instance.pk is None and text:
            twin = Article.objects.filter(content_hash=content_hash(text)).first()
            if twin is not None:
                raise forms.ValidationError(
                    f"This text is already stored as article {twin.pk} ({twin}); cite that one."
                )
        return data


class AnalysisFilter(admin.SimpleListFilter):
    """Where analysis stands: what never got analysed, and what failed (with its reason)."""

    title = "analysis"
    parameter_name = "analysis"

    def lookups(self, request: HttpRequest, model_admin):
        return (
            ("not_analysed", "Not analysed"),
            ("failed", "Analysis failed"),
            ("unfinished", "Pending or running"),
            ("done", "Analysed"),
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]):
        value = self.value()
        if value == "not_analysed":
            # Originals only: a syndicated copy is not analysed on purpose.
            return queryset.originals().exclude(analysis_status=AnalysisStatus.DONE)
        if value == "failed":
            return queryset.filter(analysis_status=AnalysisStatus.FAILED)
        if value == "unfinished":
            return queryset.analysis_unfinished()
        if value == "done":
            return queryset.filter(analysis_status=AnalysisStatus.DONE)
        return queryset


@admin.register(Article)
class ArticleAdmin(ModelAdmin):
    form = ArticleForm
    list_display = (
        "title",
        "outlet",
        "published_at",
        "language",
        "syndication_of",
        "citation_count",
        "analysis_status",
        "analysed_at",
    )
    list_filter = (
        AnalysisFilter,
        "language",
        "outlet",
        ("syndication_of", admin.EmptyFieldListFilter),
    )
    actions = ("reanalyse",)
    list_select_related = ("outlet", "syndication_of")
    search_fields = ("title", "url", "canonical_url", "byline", "outlet__name")
    autocomplete_fields = ("outlet", "syndication_of")
    date_hierarchy = "published_at"
    derived = (
        "content_hash",
        "syndication_similarity",
        "first_seen_at",
        "analysis_status",
        "analysis_attempts",
        "analysis_reason",
        "analysis_queued_at",
        "analysed_at",
        "updated_at",
    )
    inlines = (ArticleCitationInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        # A correlated count, computed for the 50 rows of the page, where a JOIN with GROUP BY
        # counted the citations of every article before paging.
        citations = (
            Citation.objects.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(n_citations=Coalesce(Subquery(citations), 0))

    @admin.display(description="citations", ordering="n_citations")
    def citation_count(self, article: Article) -> int:
        return getattr(article, "n_citations", 0)  # annotated by get_queryset

    @admin.action(description="Re-analyse the selected articles", permissions=["change"])
    def reanalyse(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        queued = analysis_request(queryset.values_list("pk", flat=True), again=True)
        messages.success(request, f"{queued} articles queued for analysis.")
        skipped = queryset.count() - queued
        if skipped:
            messages.warning(request, f"{skipped} selected articles are being analysed already.")

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None):
        # Citations index into the text: changing it would silently move every quote.
        return (*self.derived, "text") if obj is not None else self.derived

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:
        if not obj.content_hash:
            obj.content_hash = content_hash(obj.text)
        super().save_model(request, obj, form, change)
