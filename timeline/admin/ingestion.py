"""Ingestion jobs and feeds in admin: every job visible, failures filterable and retryable,
and a page to submit a URL, paste text or upload a saved page.

Everything the pipeline derived (status, reason, timings, the article) is read-only here;
actions go through ``timeline.services``.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from timeline.models import Event, Feed, Ingestion, Negotiation, ReviewStatus
from timeline.services import (
    DomainError,
    feed_check,
    feed_poll_now,
    feed_register,
    ingestion_retry,
    ingestion_submit,
)

from .base import ModelAdmin, model_formfield, run_service

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ReasonFilter(admin.SimpleListFilter):
    """Only the reason codes that occur, so the filter stays short."""

    title = "reason"
    parameter_name = "reason"

    def lookups(self, request: HttpRequest, model_admin):
        codes = (
            Ingestion.objects.exclude(reason_code="")
            .order_by("reason_code")
            .values_list("reason_code", flat=True)
            .distinct()
        )
        return [(code, code) for code in codes]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Ingestion]):
        value = self.value()
        return queryset.filter(reason_code=value) if value else queryset


@admin.register(Ingestion)
class IngestionAdmin(ModelAdmin):
    change_list_template = "admin/timeline/ingestion/change_list.html"
    list_display = (
        "id",
        "source",
        "label",
        "status",
        "reason_code",
        "attempts",
        "article_link",
        "duration",
        "created_at",
    )
    list_filter = ("status", "source", ReasonFilter, ("feed", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("article", "feed")
    search_fields = ("url", "normalized_url", "message", "article__title")
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ("retry_failed",)
    fields = (
        "source",
        "status",
        "reason_code",
        "message",
        "url",
        "normalized_url",
        "feed",
        "negotiation",
        "article_link",
        "syndication",
        "attempts",
        "timings_display",
        "submitted_by",
        "submitted_metadata",
        "created_at",
        "started_at",
        "finished_at",
        "updated_at",
        "payload",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs are created by submitting something: see the submit page

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a job is a record of what happened; retry it instead of editing it

    def has_retry_permission(self, request: HttpRequest) -> bool:
        # Retrying changes a job (attempts, status) although the form is read-only: it needs
        # the model's change permission, which "Viewers" do not have.
        return request.user.has_perm("timeline.change_ingestion")

    @admin.display(description="URL or title")
    def label(self, obj: Ingestion) -> str:
        if obj.url:
            return obj.url[:100]
        return (obj.submitted_metadata or {}).get("title") or obj.payload[:80].strip()

    @admin.display(description="article", ordering="article__title")
    def article_link(self, obj: Ingestion):
        if obj.article_id is None:
            return "—"
        url = reverse("admin:timeline_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, str(obj.article)[:80])

    @admin.display(description="syndicated copy of")
    def syndication(self, obj: Ingestion):
        article = obj.article
        if article is None or article.syndication_of_id is None:
            return "—"
        url = reverse("admin:timeline_article_change", args=[article.syndication_of_id])
        return format_html(
            '<a href="{}">article {}</a> (similarity {})',
            url,
            article.syndication_of_id,
            article.syndication_similarity,
        )

    @admin.display(description="seconds")
    def duration(self, obj: Ingestion) -> str:
        total = sum((obj.timings or {}).values())
        return f"{total:.2f}" if obj.timings else "—"

    @admin.display(description="timings (s)")
    def timings_display(self, obj: Ingestion) -> str:
        return json.dumps(obj.timings or {}, sort_keys=True)

    @admin.action(description="Retry the selected failed jobs", permissions=["retry"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Ingestion]) -> None:
        run_service(
            request,
            queryset.filter(status=Ingestion.Status.FAILED),
            ingestion_retry,
            "jobs queued again",
        )
        skipped = queryset.exclude(status=Ingestion.Status.FAILED).count()
        if skipped:
            messages.warning(
                request, f"{skipped} selected jobs had not failed and were left alone."
            )

    def get_urls(self):
        return [
            path(
                "submit/",
                self.admin_site.admin_view(self.submit_view),
                name="timeline_ingestion_submit",
            ),
            *super().get_urls(),
        ]

    def submit_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request) or not request.user.has_perm(
            "timeline.add_article"
        ):
            raise PermissionDenied
        # Bound on every POST: an empty POST must show errors, not a blank form.
        form = SubmitForm(request.POST, request.FILES) if request.method == "POST" else SubmitForm()
        if form.is_bound and form.is_valid():
            try:
                ingestion = form.submit(request.user)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                ingestion.refresh_from_db()
                level, text = submission_feedback(ingestion)
                messages.add_message(request, level, text)
                return HttpResponseRedirect(reverse("admin:timeline_ingestion_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Submit a report",
            "form": form,
        }
        return TemplateResponse(request, "admin/timeline/ingestion/submit.html", context)


def submission_feedback(ingestion: Ingestion) -> tuple[int, SafeString]:
    """What happened to a submission, as far as it got before the page answers: in-process
    (no broker) it is finished; with a worker it may still be waiting."""
    job = format_html(
        '<a href="{}">job {}</a>',
        reverse("admin:timeline_ingestion_change", args=[ingestion.pk]),
        ingestion.pk,
    )
    article = (
        format_html(
            '<a href="{}">article {}</a>',
            reverse("admin:timeline_article_change", args=[ingestion.article_id]),
            ingestion.article_id,
        )
        if ingestion.article_id
        else "an earlier article"
    )
    if ingestion.status == Ingestion.Status.DONE:
        waiting = (
            Event.objects.filter(
                source_article_id=ingestion.article_id, status=ReviewStatus.CANDIDATE
            ).count()
            if ingestion.article_id
            else 0
        )
        return messages.SUCCESS, format_html(
            'Done ({}): stored as {}; {} candidate event(s) wait in the <a href="{}">review queue</a>.',
            job,
            article,
            waiting,
            reverse("admin:timeline_event_review"),
        )
    if ingestion.status == Ingestion.Status.DUPLICATE:
        return messages.WARNING, format_html(
            "Not added ({}): a duplicate of {}. {}", job, article, ingestion.message
        )
    if ingestion.status == Ingestion.Status.FAILED:
        return messages.ERROR, format_html(
            "Failed ({}): {}", job, ingestion.message or ingestion.reason_code or "no reason given"
        )
    if ingestion.message:
        # Pending again after a transient failure: say why and that it will be tried again.
        return messages.WARNING, format_html(
            "Not fetched yet ({}): {} It will be tried again.", job, ingestion.message
        )
    return messages.INFO, format_html(
        "Queued as {}: a worker is processing it; this list shows its status.", job
    )


class SubmitForm(forms.Form):
    """One of: a URL to fetch, pasted text, or a saved HTML page."""

    url = forms.CharField(
        required=False,
        max_length=2000,
        label="URL",
        help_text="Fetched by a worker. With pasted text or a file, where the report came from.",
    )
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
        help_text="Paste the report as it is, site chrome and all; ingestion cleans it.",
    )
    html_file = forms.FileField(required=False, label="Saved HTML page")
    title = forms.CharField(required=False, max_length=500, help_text="For pasted text.")
    byline = forms.CharField(required=False, max_length=500)
    published_at = forms.DateTimeField(
        required=False, help_text="For pasted text, when the report has no date line."
    )
    negotiation = forms.ModelChoiceField(
        queryset=Negotiation.objects.all(),
        required=False,
        help_text="Extraction proposes candidates for this negotiation.",
    )

    def clean(self):
        data = super().clean()
        upload = data.get("html_file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {MAX_UPLOAD_BYTES:,}."
            )
        return data

    def submit(self, user) -> Ingestion:
        """Hand the fields to the one submission service; it decides what was submitted."""
        data = self.cleaned_data
        upload = data.get("html_file")
        return ingestion_submit(
            url=data.get("url", ""),
            text=data.get("text", ""),
            html=upload.read() if upload is not None else None,
            title=data.get("title", ""),
            byline=data.get("byline", ""),
            published_at=data.get("published_at"),
            user=user,
            negotiation=data.get("negotiation"),
        )


class FeedForm(forms.ModelForm):
    """Shows the rule ``feed_register`` applies (``feed_check``) as a form error."""

    class Meta:
        model = Feed
        formfield_callback = model_formfield
        fields = ("title", "url", "negotiation", "active", "poll_interval_minutes", "next_poll_at")

    def clean(self):
        data = super().clean()
        if data.get("url") and data.get("poll_interval_minutes") is not None:
            try:
                feed_check(data["url"], data["poll_interval_minutes"])
            except DomainError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return data


@admin.register(Feed)
class FeedAdmin(ModelAdmin):
    form = FeedForm
    list_display = (
        "__str__",
        "negotiation",
        "active",
        "poll_interval_minutes",
        "last_polled_at",
        "next_poll_at",
        "consecutive_failures",
        "short_error",
    )
    list_filter = ("active", ("negotiation", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("negotiation",)
    search_fields = ("title", "url")
    autocomplete_fields = ("negotiation",)
    readonly_fields = (
        "etag",
        "last_modified",
        "last_polled_at",
        "consecutive_failures",
        "last_error",
        "created_at",
    )
    actions = ("poll_now",)

    @admin.display(description="last error")
    def short_error(self, obj: Feed) -> str:
        return obj.last_error[:80]

    @admin.action(description="Poll the selected feeds now", permissions=["change"])
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        run_service(request, queryset, feed_poll_now, "feeds queued for polling")

    def save_model(self, request: HttpRequest, obj: Feed, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # Adding goes through the service (its checks, and the first poll), like the API's.
        feed = feed_register(
            obj.url,
            title=obj.title,
            negotiation=obj.negotiation,
            poll_interval_minutes=obj.poll_interval_minutes,
            active=obj.active,
        )
        obj.pk = feed.pk
        obj.refresh_from_db()
