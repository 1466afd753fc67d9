"""Events, their participants and citations, and the review queue of candidate events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString

from timeline.models import (
    Citation,
    DatePrecision,
    Event,
    EventKind,
    EventParticipant,
    Negotiation,
    ReviewStatus,
)
from timeline.selectors import catalog
from timeline.selectors.look_alikes import (
    possible_duplicates,
    published_look_alikes,
    same_sentence,
    sentence_key,
)
from timeline.services import DomainError, event_merge, event_publish, event_reject, event_retract
from timeline.services.corroboration import duplicate_attach, duplicate_keep_separate
from timeline.services.events import event_merge_gains, event_revise

from .base import (
    CitationForm,
    CitationInline,
    HistoryAdmin,
    ModelAdmin,
    TabularInline,
    action_form_response,
    highlighted_excerpt,
    highlighted_reports,
    quoted_excerpts,
    redirect_to_next,
    require_view_permission,
    run_service,
)
from .review_queue import Decided, QueueSpec, ReviewQueueMixin


class EventParticipantInline(TabularInline):
    model = EventParticipant
    extra = 1
    autocomplete_fields = ("actor",)
    fields = ("actor", "role")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("actor")


class EventCitationInline(CitationInline):
    fk_name = "event"


def _merge_target_widget() -> AutocompleteSelect:
    return AutocompleteSelect(Event._meta.get_field("merged_into"), admin.site)


class EventMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Event.objects.merge_targets(),
        label="Merge into",
        help_text="The event that stays: it receives the citations and participants; the "
        "selected events become tombstones pointing at it.",
        widget=_merge_target_widget(),
    )


class NegotiationChoiceForm(forms.Form):
    negotiation = forms.ModelChoiceField(
        queryset=Negotiation.objects.all(),
        required=False,
        help_text="For events that do not know their negotiation yet.",
    )


@dataclass
class ReviewCard:
    """One candidate as the queue shows it."""

    event: Event
    excerpts: list[tuple[Citation, SafeString]]
    look_alikes: list[Event]
    # Other candidates proposed from the same words (another reading of the sentence).
    siblings: list[Event] = field(default_factory=list)
    # The stored events the matcher found this may be (issue 13), each with its score and
    # its own quoted words highlighted, to read beside the candidate's.
    duplicates: list[tuple[Event, float, SafeString | None]] = field(default_factory=list)


def review_cards(candidates: list[Event]) -> list[ReviewCard]:
    """A page of candidate events as cards: the page's look-alike and duplicate reads once."""
    look_alikes = published_look_alikes(candidates)
    siblings = same_sentence(candidates)
    duplicates = possible_duplicates(candidates)
    return [
        ReviewCard(
            event=event,
            excerpts=quoted_excerpts(event.citations.all()),
            look_alikes=look_alikes.get(event.pk, []),
            siblings=siblings.get(event.pk, []),
            duplicates=[
                (other, score, _first_quote(other)) for other, score in duplicates.get(event.pk, [])
            ],
        )
        for event in candidates
    ]


def _first_quote(event: Event) -> SafeString | None:
    """The words a matched event was first cited for, highlighted (prefetched citations)."""
    for citation in event.citations.all():
        return highlighted_excerpt(citation.article.text, citation.start, citation.end, 160)
    return None


def by_sentence(cards: list[ReviewCard]) -> list[list[ReviewCard]]:
    """Cards of one sentence together (its readings as alternatives), in queue order."""
    groups: dict[object, list[ReviewCard]] = {}
    for card in cards:
        key = sentence_key(card.event) or ("single", card.event.pk)
        groups.setdefault(key, []).append(card)
    return list(groups.values())


def refuse_possible_duplicates(event: Event) -> None:
    """Publishing a candidate the matcher thinks is an event already stored is refused until
    the editor resolves it (attach, keep separate) or says it is not a duplicate: the same
    rule as the API's publish."""
    found = possible_duplicates([event]).get(event.pk, [])
    if found:
        named = "; ".join(
            f"event {other.pk} ({score:.2f}): {other.summary}" for other, score in found
        )
        raise DomainError(
            f"Possibly the same happening as {named}. Attach it as a citation, keep it "
            "separate, or publish it as not a duplicate."
        )


@admin.register(Event)
class EventAdmin(ReviewQueueMixin, HistoryAdmin):
    list_display = (
        "summary",
        "kind",
        "date",
        "date_text",
        "modality",
        "status",
        "negotiation",
        "place",
        "disputed",
        "origin",
    )
    list_display_links = ("summary",)
    list_filter = (
        "status",
        "kind",
        "modality",
        "origin",
        "date_precision",
        "negotiation",
    )
    list_select_related = ("negotiation", "place")
    search_fields = ("summary", "description", "date_text", "participants__actor__name")
    autocomplete_fields = ("negotiation", "place", "round", "issue")
    # State changes go through the actions (services); what the extractor derived is shown only.
    readonly_fields = (
        "status",
        "merged_into",
        "published_at",
        "origin",
        "source_article",
        "extraction_key",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("negotiation", ("kind", "modality"), "summary", "description")}),
        ("When", {"fields": (("date", "date_precision", "date_text"), "end_date")}),
        ("Where and what", {"fields": ("place", "round", "issue")}),
        (
            "Review",
            {
                "fields": (
                    ("status", "published_at", "merged_into"),
                    # No "confidence": the candidate service stores a fixed 0.5 (0.3 for a
                    # quote's own statement), not a measure; on the gold files about 6 in 10
                    # extracted events are right whatever it says (issue 14), so it is not shown.
                    "origin",
                    ("source_article", "extraction_key"),
                    ("created_at", "updated_at"),
                )
            },
        ),
    )
    inlines = (EventParticipantInline, EventCitationInline)
    actions = ("publish_events", "reject_events", "retract_events", "merge_events")
    change_list_template = "admin/timeline/event/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return super().get_queryset(request).with_disputed()

    @admin.display(description="disputed", boolean=True, ordering="is_disputed")
    def disputed(self, event: Event) -> bool:
        return getattr(event, "is_disputed", False)  # annotated by get_queryset

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("field_name") == "merged_into":
            # Choosing a merge target: only events that can receive one.
            queryset = queryset.merge_targets()
        return queryset, may_have_duplicates

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "candidate_count": Event.objects.candidates().count(),
        }
        return super().changelist_view(request, extra_context)

    # --- actions: each one calls a service per event --------------------------------------

    @admin.action(description="Publish selected events", permissions=["change"])
    def publish_events(self, request: HttpRequest, queryset: QuerySet[Event]):
        needs_negotiation = queryset.filter(negotiation__isnull=True).exists()
        if needs_negotiation and "apply" not in request.POST:
            return action_form_response(
                self,
                request,
                queryset,
                NegotiationChoiceForm(),
                "publish_events",
                "Publish events: choose the negotiation",
                "Publish",
            )
        form = NegotiationChoiceForm(request.POST if "apply" in request.POST else None)
        negotiation = form.cleaned_data["negotiation"] if form.is_valid() else None
        run_service(
            request,
            queryset,
            self._logged(request, partial(_publish, negotiation=negotiation), "Published."),
            "event(s) published",
        )
        return None

    def _logged(self, request: HttpRequest, service, message: str):
        """``service`` that also records the decision in the admin's Recent actions."""

        def run(event: Event):
            result = service(event)
            self.log_change(request, event, message)
            return result

        return run

    @admin.action(description="Reject selected candidates", permissions=["change"])
    def reject_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        run_service(
            request, queryset, self._logged(request, event_reject, "Rejected."), "event(s) rejected"
        )

    @admin.action(description="Retract selected published events", permissions=["change"])
    def retract_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        run_service(
            request,
            queryset,
            self._logged(request, event_retract, "Retracted."),
            "event(s) retracted",
        )

    @admin.action(description="Merge selected events into another…", permissions=["change"])
    def merge_events(self, request: HttpRequest, queryset: QuerySet[Event]):
        form = EventMergeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            target = form.cleaned_data["target"]
            run_service(
                request,
                queryset.exclude(pk=target.pk),
                self._logged(
                    request,
                    partial(_merge_into, target=target),
                    f"Merged into event {target.pk} ({target.summary}).",
                ),
                f"event(s) merged into “{target.summary}”",
            )
            return None
        return action_form_response(
            self, request, queryset, form, "merge_events", "Merge events", "Merge"
        )

    # --- the review queue -----------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            *self.review_queue_urls(self.review_event_view),
            path("review/bulk/", view(self.review_bulk_view), name="timeline_event_review_bulk"),
            path(
                "review/<int:pk>/merge/<int:target>/",
                view(self.review_merge_view),
                name="timeline_event_review_merge",
            ),
            path(
                "review/<int:pk>/attach/<int:target>/",
                view(self.review_attach_view),
                name="timeline_event_review_attach",
            ),
            path(
                "review/<int:pk>/separate/",
                view(self.review_separate_view),
                name="timeline_event_review_separate",
            ),
            *super().get_urls(),
        ]

    def review_event_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """One candidate beside the full text of every report it cites."""
        require_view_permission(self, request)
        event = get_object_or_404(
            Event.objects.select_related("negotiation", "source_article__outlet"), pk=pk
        )
        can_change = self.has_change_permission(request, event)
        merge_form = EventMergeForm(prefix="merge")
        publish_form = NegotiationChoiceForm(
            prefix="publish", initial={"negotiation": event.negotiation_id}
        )
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            decision = request.POST.get("decision")
            if decision == "publish":
                publish_form = NegotiationChoiceForm(request.POST, prefix="publish")
            elif decision == "merge":
                merge_form = EventMergeForm(request.POST, prefix="merge")
            response = self.review_decide(request, event)
            if response is not None:
                return response
        citations = list(
            event.citations.select_related("article__outlet", "speaker", "speaker_side").order_by(
                "article_id", "start"
            )
        )
        similar = (
            Event.objects.published()
            .filter(negotiation_id=event.negotiation_id, kind=event.kind)
            .exclude(pk=event.pk)
            .select_related("place")
            .order_by("date", "id")[:10]
            if event.negotiation_id
            else []
        )
        return TemplateResponse(
            request,
            "admin/timeline/event/review_event.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Review: {event.summary}",
                "opts": self.model._meta,
                "event": event,
                "participants": event.participants.select_related("actor"),
                "citations": citations,
                "articles": highlighted_reports(citations, event.source_article),
                "similar": similar,
                "duplicates": [
                    (other, score, _first_quote(other))
                    for other, score in possible_duplicates([event]).get(event.pk, [])
                ],
                "merge_form": merge_form,
                "publish_form": publish_form,
                "media": self.media + merge_form.media,
                "can_change": can_change and event.status == ReviewStatus.CANDIDATE,
            },
        )

    def review_bulk_view(self, request: HttpRequest) -> HttpResponse:
        """Publish or reject the ticked cards at once; each one on its own, so a refusal for
        one (no negotiation yet) leaves the others decided."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        decision = request.POST.get("decision")
        ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
        events = list(Event.objects.candidates().filter(pk__in=ids).order_by("pk"))
        service = {"publish": _publish_unless_duplicate, "reject": event_reject}.get(decision or "")
        if service is None or not events:
            messages.error(request, "Tick some cards, then choose publish or reject.")
        else:
            verb = "published" if decision == "publish" else "rejected"
            done = run_service(request, events, service, f"event(s) {verb}")
            if done:
                for event in Event.objects.filter(pk__in=ids).exclude(
                    status=ReviewStatus.CANDIDATE
                ):
                    self.log_change(request, event, f"{verb.capitalize()} in bulk from the queue.")
        return redirect_to_next(request, "admin:timeline_event_review")

    def response_change(self, request: HttpRequest, obj: Event) -> HttpResponse:
        # Opened from a review card ("Edit"): back to that card, not to the list of all events.
        next_url = request.GET.get("next", "")
        if "_continue" not in request.POST and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}
        ):
            return HttpResponseRedirect(f"{next_url}#event-{obj.pk}")
        return super().response_change(request, obj)

    def review_attach_view(self, request: HttpRequest, pk: int, target: int) -> HttpResponse:
        """One click: the candidate is the chosen event; its citations move there (published
        with it if it is published) and the candidate becomes a merged tombstone."""
        candidate = get_object_or_404(Event, pk=pk)
        kept = get_object_or_404(Event, pk=target)
        if request.method != "POST" or not self.has_change_permission(request, candidate):
            raise PermissionDenied
        try:
            duplicate_attach(candidate, kept)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            self.log_change(request, candidate, f"Attached as a citation to event {kept.pk}.")
            messages.success(request, f"Attached to: {kept.summary}")
        return HttpResponseRedirect(_next(request))

    def review_separate_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Another happening after all: forget its possible duplicates."""
        candidate = get_object_or_404(Event, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, candidate):
            raise PermissionDenied
        duplicate_keep_separate(candidate)
        self.log_change(request, candidate, "Kept separate from its possible duplicates.")
        return HttpResponseRedirect(_next(request))

    def review_merge_view(self, request: HttpRequest, pk: int, target: int) -> HttpResponse:
        """What merging ``pk`` into ``target`` would change on the kept event, each item
        ticked; the editor unticks what should not move (issue 18.4), then merges."""
        require_view_permission(self, request)
        source = get_object_or_404(Event.objects.select_related("negotiation"), pk=pk)
        kept = get_object_or_404(
            Event.objects.select_related("negotiation", "place", "round", "issue"), pk=target
        )
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        gains = event_merge_gains(source, kept)
        if request.method == "POST":
            try:
                event_merge(
                    source,
                    kept,
                    participants=[int(v) for v in request.POST.getlist("participant")],
                    citations=[int(v) for v in request.POST.getlist("citation")],
                    fields=request.POST.getlist("field"),
                )
            except (DomainError, ValueError) as exc:
                messages.error(request, str(exc))
            else:
                self.log_change(request, source, f"Merged into event {kept.pk} ({kept.summary}).")
                self.log_change(request, kept, f"Received the merge of event {source.pk}.")
                messages.success(request, f"Merged into: {kept.summary}")
                return HttpResponseRedirect(_next(request))
        return TemplateResponse(
            request,
            "admin/timeline/event/merge_confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge: what the kept event gains",
                "opts": self.model._meta,
                "source": source,
                "kept": kept,
                "gains": gains,
                "next": _next(request),
            },
        )


def _decide_publish(admin: EventAdmin, request: HttpRequest, event: Event) -> Decided | None:
    form = NegotiationChoiceForm(request.POST, prefix="publish")
    if not form.is_valid():
        return None
    if not request.POST.get("not-a-duplicate"):
        refuse_possible_duplicates(event)
    with transaction.atomic():
        if request.POST.get("card-edit"):
            event = event_revise(event, **_card_changes(request, event))
        event = event_publish(event, negotiation=form.cleaned_data["negotiation"])
    return Decided(f"Published: {event.summary}", "Published from the review queue.", event)


def _decide_reject(admin: EventAdmin, request: HttpRequest, event: Event) -> Decided:
    event_reject(event)
    return Decided(f"Rejected: {event.summary}", "Rejected in the review queue.")


def _decide_merge(admin: EventAdmin, request: HttpRequest, event: Event) -> HttpResponse | None:
    form = EventMergeForm(request.POST, prefix="merge")
    if not form.is_valid():
        return None
    # The merge itself happens on the next page, once the editor has seen (and may untick)
    # what the kept event would gain.
    target = form.cleaned_data["target"]
    url = reverse("admin:timeline_event_review_merge", args=[event.pk, target.pk])
    return HttpResponseRedirect(f"{url}?{urlencode({'next': _next(request)})}")


def _publish_unless_duplicate(event: Event) -> Event:
    # Ticked in bulk: a possible duplicate waits for its own card's decision.
    refuse_possible_duplicates(event)
    return event_publish(event)


EventAdmin.review_queue = QueueSpec(
    selector=catalog.review_queue,
    cards=review_cards,
    card_template="admin/timeline/event/_card.html",
    decisions={"publish": _decide_publish, "reject": _decide_reject, "merge": _decide_merge},
    intro="Correct the headline, kind, date and who took part on the card, then publish.",
    other_queue=("admin:timeline_position_review", "Candidate positions"),
    group=by_sentence,
    bulk=True,
    extra_context=lambda: {
        "kinds": EventKind.choices,
        "precisions": DatePrecision.choices,
        "negotiations": list(Negotiation.objects.only("pk", "title")),
    },
)


def _card_changes(request: HttpRequest, event: Event) -> dict:
    """The corrections typed on a review card: headline, kind, date, and the participants
    left ticked (the others are dropped)."""
    post = request.POST
    changes: dict = {"summary": post.get("card-summary", event.summary).strip()[:500]}
    if post.get("card-kind") in EventKind.values:
        changes["kind"] = post["card-kind"]
    if post.get("card-date_precision") in DatePrecision.values:
        changes["date_precision"] = post["card-date_precision"]
    raw_date = post.get("card-date", "").strip()
    try:
        changes["date"] = dt.date.fromisoformat(raw_date) if raw_date else None
    except ValueError as exc:
        raise DomainError(f"“{raw_date}” is not a date (YYYY-MM-DD).") from exc
    kept = {int(v) for v in post.getlist("card-participant") if v.isdigit()}
    present = {p.pk for p in event.participants.all()}
    return {**changes, "drop_participants": present - kept}


def _next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return next_url
    return reverse("admin:timeline_event_review")


def _publish(event: Event, *, negotiation: Negotiation | None) -> Event:
    # Only fill a missing negotiation: never move an event between negotiations in bulk.
    refuse_possible_duplicates(event)
    return event_publish(event, negotiation=negotiation if event.negotiation_id is None else None)


def _merge_into(source: Event, *, target: Event) -> Event:
    return event_merge(source, target)


@admin.register(EventParticipant)
class EventParticipantAdmin(ModelAdmin):
    list_display = ("actor", "role", "event")
    list_filter = ("role",)
    list_select_related = ("actor", "event")
    search_fields = ("actor__name", "event__summary")
    autocomplete_fields = ("event", "actor")


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    form = CitationForm
    list_display = ("short_quote", "speaker_label", "attribution", "stance", "article", "event")
    list_filter = ("stance", "attribution")
    list_select_related = ("article", "event", "speaker")
    search_fields = ("quote", "speaker_description", "speaker__name", "article__title")
    autocomplete_fields = ("event", "position", "article", "speaker", "speaker_side")
    fields = (
        ("event", "position"),
        ("article", "stance", "attribution"),
        "quote",
        ("start", "end"),
        ("speaker", "speaker_description", "speaker_side"),
        "in_the_article",
        ("created_at", "updated_at"),
    )
    readonly_fields = ("in_the_article", "created_at", "updated_at")

    @admin.display(description="quote")
    def short_quote(self, citation: Citation) -> str:
        return citation.quote if len(citation.quote) <= 80 else citation.quote[:79] + "…"

    @admin.display(description="in the article")
    def in_the_article(self, citation: Citation) -> SafeString | str:
        if not citation.pk:
            return "-"
        return highlighted_excerpt(citation.article.text, citation.start, citation.end, 400)
