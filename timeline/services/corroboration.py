"""Corroboration (issue 13): source counts, candidate citations, retracted reports.

``events_recount_sources`` keeps ``Event.source_count`` / ``first_report_at`` /
``latest_report_at``: one UPDATE over the citations of the events concerned, run by the
receivers below in the transaction of every citation save or delete (like the dispute flag in
``flags``). An outlet counts once; a syndicated copy counts as its original (the copy on MSN of
an AP story is AP's report), and a report without an outlet counts as itself.

``citation_proposal_attach`` turns the extractor's candidate citation into a real one; the
``duplicate_attach`` of a candidate marked "possible duplicate" folds it into the chosen event
(its citations move there, which publishes them on a published event); ``article_retract``
removes a withdrawn report's citations and proposals and so recounts its events.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from timeline.models import (
    Article,
    Citation,
    CitationProposal,
    Event,
    EventOrigin,
    ProposalStatus,
    ReviewStatus,
    independent_source,
)

from .errors import DomainError
from .events import citation_create, event_merge


def events_recount_sources(event_ids: Iterable[int | None]) -> None:
    """One read of the events' citations with their articles, one UPDATE per event. Plain
    ORM, so it runs on SQLite (``make run``) as on PostgreSQL."""
    ids = sorted({pk for pk in event_ids if pk is not None})
    if not ids:
        return
    sources: dict[int, set[str]] = {pk: set() for pk in ids}
    moments: dict[int, list] = {pk: [] for pk in ids}
    rows = Citation.objects.filter(event_id__in=ids).values_list(
        "event_id",
        "article_id",
        "article__outlet_id",
        "article__syndication_of_id",
        "article__syndication_of__outlet_id",
        "article__published_at",
        "article__first_seen_at",
    )
    for event_id, article_id, outlet_id, original_id, original_outlet, published, seen in rows:
        sources[event_id].add(
            independent_source(outlet_id, article_id, original_id, original_outlet)
        )
        moments[event_id].append(published or seen)
    for pk in ids:
        when = [m for m in moments[pk] if m is not None]
        Event.objects.filter(pk=pk).update(
            source_count=len(sources[pk]),
            first_report_at=min(when) if when else None,
            latest_report_at=max(when) if when else None,
        )


def _after_save(sender: type, instance: Citation, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    before = getattr(instance, "_loaded_sources", None)
    events_recount_sources([instance.event_id, before])
    instance._loaded_sources = instance.event_id  # type: ignore[attr-defined]


def _after_delete(sender: type, instance: Citation, **kwargs: Any) -> None:
    events_recount_sources([instance.event_id])


def _after_article_save(sender: type, instance: Article, raw: bool = False, **kwargs: Any) -> None:
    """A report re-marked as a copy (or its outlet or date corrected) after its citations exist
    changes the count of every event citing it or one of its copies."""
    if raw:
        return
    before = getattr(instance, "_loaded_sourcing", None)
    now = tuple(getattr(instance, name) for name in Article.SOURCING_FIELDS)
    instance._loaded_sourcing = now  # type: ignore[attr-defined]
    if before is None or before == now:
        return  # a new report has no citations yet; an unchanged one changes no count
    reports = Article.objects.filter(Q(pk=instance.pk) | Q(syndication_of_id=instance.pk))
    events_recount_sources(
        Citation.objects.filter(article__in=reports, event__isnull=False)
        .values_list("event_id", flat=True)
        .distinct()
    )


def connect() -> None:
    post_save.connect(_after_save, sender=Citation, dispatch_uid="timeline.sources.save")
    post_delete.connect(_after_delete, sender=Citation, dispatch_uid="timeline.sources.delete")
    post_save.connect(
        _after_article_save, sender=Article, dispatch_uid="timeline.sources.article_save"
    )


@transaction.atomic
def citation_proposal_attach(proposal: CitationProposal) -> Citation:
    """Make the candidate citation evidence of its event (a disputing one stays disputing)."""
    proposal = (
        CitationProposal.objects.select_for_update().select_related("article").get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.PENDING:
        raise DomainError(f"This citation was already {proposal.get_status_display().lower()}.")
    if proposal.article.retracted_at is not None:
        raise DomainError("The report was retracted; it cannot be cited.")
    event = proposal.event
    while event.status == ReviewStatus.MERGED and event.merged_into_id:
        event = event.merged_into  # type: ignore[assignment]
    existing = Citation.objects.filter(
        article=proposal.article, event=event, start=proposal.start, end=proposal.end
    ).first()
    citation = existing or citation_create(
        article=proposal.article,
        event=event,
        start=proposal.start,
        end=proposal.end,
        speaker=proposal.speaker,
        speaker_description=proposal.speaker_description,
        speaker_side=proposal.speaker_side,
        attribution=proposal.attribution,
        stance=proposal.stance,
    )
    proposal.status = ProposalStatus.ATTACHED
    proposal.citation = citation
    proposal.save(update_fields=["status", "citation", "updated_at"])
    return citation


@transaction.atomic
def citation_proposal_dismiss(proposal: CitationProposal) -> CitationProposal:
    updated = CitationProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(
        status=ProposalStatus.DISMISSED, updated_at=timezone.now()
    )
    if not updated:
        raise DomainError("This citation is no longer pending.")
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def duplicate_attach(candidate: Event, target: Event) -> Event:
    """The candidate is the chosen event: its citations move there (evidence of it at once if
    it is published) and the candidate becomes a merged tombstone."""
    if candidate.status != ReviewStatus.CANDIDATE:
        raise DomainError("Only a candidate can be attached to another event.")
    if candidate.negotiation_id != target.negotiation_id:
        raise DomainError("The events belong to different negotiations.")
    return event_merge(candidate, target, fields=())


@transaction.atomic
def duplicate_keep_separate(candidate: Event) -> Event:
    """The editor says it is another happening: forget the possible duplicates."""
    Event.objects.filter(pk=candidate.pk).update(possible_duplicates=[])
    candidate.refresh_from_db()
    return candidate


@transaction.atomic
def article_retract(article: Article) -> dict[str, int]:
    """The outlet withdrew the report: its citations and proposals go, the events it supported
    are recounted, and its untouched extractor candidates go too. Events an editor published
    stay (with their other reports); one left with no citation keeps a count of 0, which the
    "single source" mark and ``min_sources`` then show."""
    given = article
    article = Article.objects.select_for_update().get(pk=article.pk)
    article.retracted_at = article.retracted_at or timezone.now()
    article.save(update_fields=["retracted_at", "updated_at"])
    given.retracted_at = article.retracted_at  # the caller's copy says so too
    citations = list(Citation.objects.filter(article=article))
    touched = {c.event_id for c in citations}
    for citation in citations:
        citation.delete()  # one by one: the receivers re-flag disputes and recount sources
    proposals, _ = CitationProposal.objects.filter(article=article).delete()
    candidates = Event.objects.filter(
        source_article=article, origin=EventOrigin.EXTRACTOR, status=ReviewStatus.CANDIDATE
    )
    removed = 0
    for event in candidates:
        if not event.citations.exists() and not event.merged_events.exists():
            event.delete()
            removed += 1
    events_recount_sources(touched)
    return {
        "citations_removed": len(citations),
        "proposals_removed": proposals,
        "events_removed": removed,
    }
