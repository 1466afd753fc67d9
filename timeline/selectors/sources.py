"""The page of one report: the passages that published events and positions cite."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from timeline.models import Article, Citation, ReviewStatus

from .event_rows import hide_unseen_actors

CONTEXT_CHARS = 240


@dataclass
class Passage:
    """A cited span with some of the text around it, so a reader can judge the quote."""

    before: str
    quote: str
    after: str
    citations: list[Citation]


@dataclass
class SourcePage:
    article: Article
    passages: list[Passage]


def _snap_back(text: str, index: int) -> int:
    """Start context at a word boundary rather than mid-word."""
    if index <= 0:
        return 0
    space = text.find(" ", index)
    return space + 1 if 0 <= space < index + 30 else index


def _snap_forward(text: str, index: int) -> int:
    if index >= len(text):
        return len(text)
    space = text.rfind(" ", index - 30, index)
    return space if space > 0 else index


def source_page(pk: int) -> SourcePage:
    """A report with the passages cited by published events and positions (2 queries), or 404.

    Only the cited passages and their surroundings are shown, not the whole report: the
    reader checks the quote in context and follows the link to the publisher for the rest.
    """
    article = (
        Article.objects.select_related("outlet", "syndication_of__outlet").filter(pk=pk).first()
    )
    if article is None:
        raise Http404("No report with that number.")
    citations = hide_unseen_actors(
        article.citations.filter(
            Q(event__status=ReviewStatus.PUBLISHED) | Q(position__status=ReviewStatus.PUBLISHED)
        )
        .select_related(
            "speaker", "speaker_side", "event__negotiation", "position__issue__negotiation"
        )
        .order_by("start", "end", "id")
    )
    if not citations:
        raise Http404("That report is not cited by anything published.")
    text = article.text
    passages: list[Passage] = []
    for citation in citations:
        last = passages[-1] if passages else None
        if (
            last is not None
            and last.citations[-1].start == citation.start
            and last.citations[-1].end == citation.end
        ):
            last.citations.append(citation)
            continue
        start, end = citation.start, min(citation.end, len(text))
        before_from = _snap_back(text, start - CONTEXT_CHARS)
        after_to = _snap_forward(text, end + CONTEXT_CHARS)
        passages.append(
            Passage(
                before=("…" if before_from > 0 else "") + text[before_from:start],
                quote=text[start:end],
                after=text[end:after_to] + ("…" if after_to < len(text) else ""),
                citations=[citation],
            )
        )
    return SourcePage(article=article, passages=passages)
