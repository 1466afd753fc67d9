"""Pieces the editors' admin classes share: history, highlighting, running services."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from simple_history.admin import SimpleHistoryAdmin

from timeline.models import Article, Citation
from timeline.services import DomainError

from .paging import EstimatedCountPaginator

# Django 6 assumes https for a URL typed without a scheme; 5.2 warns on every URLField form
# field built without ``assume_scheme``. Editors paste links from news sites, which are https.
URL_FORMFIELD_OVERRIDES: Mapping[type[models.Field], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"},
}


def model_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """``formfield_callback`` for the module-level ModelForms: the admin's defaults, so a form
    class built outside an admin (at import, in a test) is the same as the admin's."""
    for field_class, overrides in URL_FORMFIELD_OVERRIDES.items():
        if isinstance(db_field, field_class):
            kwargs = {**overrides, **kwargs}
    return db_field.formfield(**kwargs)


class AdminFormDefaults:
    """Mixed into every admin and inline of the project, so their forms share the defaults.

    A subclass that sets its own ``formfield_overrides`` should start from
    ``URL_FORMFIELD_OVERRIDES``.
    """

    formfield_overrides: ClassVar[Mapping[type[models.Field], Mapping[str, Any]]] = (
        URL_FORMFIELD_OVERRIDES
    )


class ModelAdmin(AdminFormDefaults, admin.ModelAdmin):
    """The project's plain admin (for link rows and job records without edit history)."""

    # Large tables: no second COUNT of the whole table, and an estimate for the first.
    show_full_result_count = False
    paginator = EstimatedCountPaginator


class TabularInline(AdminFormDefaults, admin.TabularInline):
    pass


class StackedInline(AdminFormDefaults, admin.StackedInline):
    pass


class HistoryAdmin(AdminFormDefaults, SimpleHistoryAdmin):
    """Every change an editor makes is kept with who made it (the History button)."""

    list_per_page = 50
    # The unfiltered total costs a second COUNT on every filtered page; editors do not need it.
    show_full_result_count = False
    paginator = EstimatedCountPaginator  # an unfiltered million-row list is not COUNTed
    readonly_fields: tuple[str, ...] = ("created_at", "updated_at")

    # Reverting saves the old row whole, status and "current" flags included, bypassing the
    # services that guard them (a second current position is an IntegrityError). Old versions
    # are shown; editors copy back what they need through the ordinary form.
    def revert_disabled(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return True

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        # The change form saves the whole row, read-only fields included. Locked while the
        # form is saved (the admin runs it in one transaction), so a publish, merge or
        # superseding that commits meanwhile is read, not overwritten by the form's stale copy.
        if request.method == "POST":
            queryset = self.get_queryset(request).select_for_update(no_key=True, of=("self",))
            model = queryset.model
            field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
            try:
                return queryset.get(**{field.name: field.to_python(object_id)})
            except (model.DoesNotExist, ValidationError, ValueError):
                return None
        return super().get_object(request, object_id, from_field)

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def highlight(text: str, spans: Iterable[tuple[int, int]]) -> SafeString:
    """``text`` escaped, with every ``(start, end)`` span wrapped in ``<mark>``.

    Overlapping or touching spans are joined, so the markup always nests correctly.
    """
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    position = 0
    for start, end in merged:
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    # Safe: every piece of text above went through escape().
    return mark_safe("".join(parts))


def context_window(text: str, start: int, end: int, radius: int = 240) -> tuple[int, int]:
    """Bounds of the text around a span, widened to word boundaries."""
    left = max(0, start - radius)
    right = min(len(text), end + radius)
    if left > 0:
        space = text.find(" ", left)
        left = space + 1 if 0 <= space < start else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space > end else right
    return left, right


def highlighted_excerpt(text: str, start: int, end: int, radius: int = 240) -> SafeString:
    left, right = context_window(text, start, end, radius)
    body = highlight(text[left:right], [(start - left, end - left)])
    return format_html("{}{}{}", "… " if left > 0 else "", body, " …" if right < len(text) else "")


def run_service(
    request: HttpRequest,
    objects: Iterable[models.Model],
    service: Callable[[Any], Any],
    done: str,
) -> int:
    """Call ``service`` on each object, one transaction each, and tell the editor what
    happened; a refusal for one object does not undo the others."""
    succeeded = 0
    for obj in objects:
        try:
            service(obj)
        except DomainError as exc:
            messages.error(request, f"{obj}: {exc}")
        else:
            succeeded += 1
    if succeeded:
        messages.success(request, f"{succeeded} {done}.")
    return succeeded


def action_form_response(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    form: forms.Form,
    action: str,
    title: str,
    submit: str,
) -> TemplateResponse:
    """The intermediate page an action shows when it needs one more answer (a target, a
    negotiation); it posts the same selection back with ``apply``."""
    return TemplateResponse(
        request,
        "admin/timeline/action_form.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": model_admin.model._meta,
            "objects": queryset,
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": model_admin.media + form.media,
            "submit_label": submit,
        },
    )


def quoted_excerpts(citations: Iterable[Citation]) -> list[tuple[Citation, SafeString]]:
    """Each citation with the words around it, its quote highlighted: a review card's body."""
    return [(c, highlighted_excerpt(c.article.text, c.start, c.end)) for c in citations]


def highlighted_reports(
    citations: Iterable[Citation], source: Article | None
) -> list[tuple[Article, SafeString]]:
    """Every report the citations quote, in full, with all their quotes marked; the report a
    candidate came from is shown even when nothing in it was quoted."""
    spans: dict[int, tuple[Article, list[tuple[int, int]]]] = {}
    for citation in citations:
        spans.setdefault(citation.article_id, (citation.article, []))[1].append(
            (citation.start, citation.end)
        )
    if source is not None and source.pk not in spans:
        spans[source.pk] = (source, [])
    return [(article, highlight(article.text, marks)) for article, marks in spans.values()]


def require_view_permission(model_admin: admin.ModelAdmin, request: HttpRequest) -> None:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied


def redirect_to_next(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Back to the page the decision was made on (``next``) when it is ours, else ``fallback``."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse(fallback)
    return HttpResponseRedirect(next_url)


class CitationForm(forms.ModelForm):
    """Editors paste the quoted words; the offsets into the article are found for them."""

    class Meta:
        model = Citation
        fields = (
            "article",
            "quote",
            "start",
            "end",
            "speaker",
            "speaker_description",
            "speaker_side",
            "attribution",
            "stance",
        )
        widgets = {"quote": forms.Textarea(attrs={"rows": 2, "cols": 60})}
        formfield_callback = model_formfield

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            self.fields[name].required = False
            self.fields[name].help_text = "Leave empty to find the quote in the article."
        if "quote" in self.fields:
            self.fields["quote"].required = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        article: Article | None = data.get("article")
        if article is None:
            return data
        quote, start, end = data.get("quote") or "", data.get("start"), data.get("end")
        text = article.text
        if start is not None and end is not None:
            if not 0 <= start < end <= len(text):
                raise forms.ValidationError(
                    f"The span {start}:{end} is outside the article's text (length {len(text)})."
                )
            if quote and text[start:end] != quote:
                raise forms.ValidationError(
                    "The quote is not the article's text between start and end; "
                    "clear start and end to find the quote instead."
                )
            data["quote"] = text[start:end]
        elif quote:
            found = text.find(quote)
            if found == -1:
                raise forms.ValidationError(
                    {"quote": "These words are not in the article's text: copy them exactly."}
                )
            if text.find(quote, found + 1) != -1:
                raise forms.ValidationError(
                    {
                        "quote": "These words appear more than once in the article: "
                        "quote more of the sentence, or give start and end."
                    }
                )
            data["start"], data["end"] = found, found + len(quote)
        else:
            raise forms.ValidationError({"quote": "Give the quoted words, or start and end."})
        return data


class CitationInline(StackedInline):
    model = Citation
    form = CitationForm
    extra = 0
    autocomplete_fields = ("article", "speaker", "speaker_side")
    fields = (
        ("article", "stance", "attribution"),
        "quote",
        ("start", "end"),
        ("speaker", "speaker_description", "speaker_side"),
        "in_the_article",
    )
    readonly_fields = ("in_the_article",)

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("article", "speaker", "speaker_side")

    @admin.display(description="in the article")
    def in_the_article(self, citation: Citation) -> SafeString | str:
        if not citation.pk:
            return "-"
        return highlighted_excerpt(citation.article.text, citation.start, citation.end)
