"""The editors' review queues: one view and one page, parameterised by model.

Events and positions are reviewed the same way (a page of cards, oldest report first, each
with the words it was proposed from highlighted, publish or reject per card); what differs
is said once per model in a ``QueueSpec``: which read lists the candidates, how a page of
them becomes cards, which fragment draws a card and which decisions a card offers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from timeline.services import DomainError

from .base import redirect_to_next, require_view_permission

PAGE_SIZE = 20


@dataclass(frozen=True)
class Decided:
    """What a decision did: the editor's message, and the line for Recent actions."""

    message: str
    log: str
    #: The row the log line is about, when the decision returned a fresher copy.
    logged: Model | None = None


# A card's decision: ``Decided`` when done, a response to send instead (another page to
# confirm on), or None when the editor's form needs another look.
Decision = Callable[[Any, HttpRequest, Any], "Decided | HttpResponse | None"]


def _one_per_group(cards: list[Any]) -> list[list[Any]]:
    return [[card] for card in cards]


@dataclass(frozen=True)
class QueueSpec:
    """What one model's review queue needs to say; the rest is ``ReviewQueueMixin``'s."""

    #: The one read listing the candidates, with what the cards show (a catalog selector).
    selector: Callable[[], QuerySet]
    #: A page of candidates → its cards (the page's other reads happen here, once per page).
    cards: Callable[[list[Any]], list[Any]]
    #: The fragment that draws one card (``card`` in its context).
    card_template: str
    #: The decisions a card posts as ``decision=...``, in the order the refusal names them.
    decisions: Mapping[str, Decision]
    #: Says what publishing does, under the count of waiting candidates.
    intro: str
    #: The other queue: (URL name, label).
    other_queue: tuple[str, str]
    #: Cards that belong together (readings of one sentence); one card each by default.
    group: Callable[[list[Any]], list[list[Any]]] = _one_per_group
    #: Whether the page offers "publish ticked" / "reject ticked".
    bulk: bool = False
    #: More context for the page (choices the card forms offer).
    extra_context: Callable[[], dict[str, Any]] = field(default=dict)


class ReviewQueueMixin:
    """The queue page and a card's decisions, for a ``ModelAdmin`` with a ``review_queue``."""

    review_queue: ClassVar[QueueSpec]

    # Provided by ModelAdmin (and HistoryAdmin's log_change).
    model: type[Model]
    admin_site: Any
    has_change_permission: Callable[..., bool]
    log_change: Callable[..., Any]

    def _review_url_name(self, suffix: str = "") -> str:
        meta = self.model._meta
        return f"{meta.app_label}_{meta.model_name}_review{suffix}"

    def review_queue_urls(self, item_view: Callable[..., HttpResponse]) -> list[URLPattern]:
        """``review/`` (the queue) and ``review/<pk>/`` (one candidate, ``item_view``), named
        ``<app>_<model>_review`` and ``<app>_<model>_review_<model>``."""
        view = self.admin_site.admin_view
        return [
            path("review/", view(self.review_queue_view), name=self._review_url_name()),
            path(
                "review/<int:pk>/",
                view(item_view),
                name=self._review_url_name(f"_{self.model._meta.model_name}"),
            ),
        ]

    def review_queue_view(self, request: HttpRequest) -> HttpResponse:
        """Candidates with the words they were proposed from, highlighted in context."""
        require_view_permission(self, request)  # type: ignore[arg-type]
        spec = self.review_queue
        page = Paginator(spec.selector(), PAGE_SIZE).get_page(request.GET.get("page"))
        cards = spec.cards(list(page.object_list))
        meta = self.model._meta
        return TemplateResponse(
            request,
            "admin/timeline/review_queue.html",
            {
                **self.admin_site.each_context(request),
                **spec.extra_context(),
                "title": f"Review queue: candidate {meta.verbose_name_plural}",
                "opts": meta,
                "noun": meta.verbose_name,
                "page": page,
                "cards": cards,
                "groups": spec.group(cards),
                "card_template": spec.card_template,
                "intro": spec.intro,
                "other_queue": spec.other_queue,
                "bulk": spec.bulk,
                "can_change": self.has_change_permission(request),
            },
        )

    def review_decide(self, request: HttpRequest, obj: Model) -> HttpResponse | None:
        """Apply the card's ``decision``, record it in Recent actions, and go back to the
        queue (or to ``next``); None when a form on the page needs another look."""
        spec = self.review_queue
        decision = spec.decisions.get(request.POST.get("decision") or "")
        if decision is None:
            *first, last = spec.decisions
            messages.error(request, f"Choose {', '.join(first)} or {last}.")
            return HttpResponseRedirect(request.path)
        try:
            outcome = decision(self, request, obj)
        except DomainError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(request.path)
        if not isinstance(outcome, Decided):
            return outcome
        self.log_change(request, outcome.logged or obj, outcome.log)
        messages.success(request, outcome.message)
        return redirect_to_next(request, f"admin:{self._review_url_name()}")
