"""The published timeline of a negotiation, now or as it was known on a given day.

This module owns the timeline read: the filters (``TimelineFilters``: parse, validate, apply),
the live queryset and the "as known on" queryset over the edit history. The reader page, the
API and the exports all go through it, so a filter means the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import (
    BooleanField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.query import prefetch_related_objects

from timeline.models import (
    Actor,
    Article,
    Citation,
    Delegation,
    DelegationMember,
    Event,
    EventKind,
    EventParticipant,
    Issue,
    Modality,
    Negotiation,
    ReviewStatus,
    independent_source,
)
from timeline.models.events import EventQuerySet

from .search import event_matches

MAX_PARTIES = 20
# More outlets than any event has is a typo, not a question worth a query.
MAX_MIN_SOURCES = 1000
MAX_SEARCH_CHARS = 200
SORT_RELEVANCE, SORT_DATE = "relevance", "date"
SORTS = (SORT_RELEVANCE, SORT_DATE)


def query_list(data: Mapping[str, Any], name: str) -> list[str]:
    """Every value of ``name``: repeated (``?party=a&party=b``, the reader's checkboxes) or
    comma-separated (``?party=a,b``), blanks dropped. The one list convention of the reader
    and the API (``api.filters.ListWidget`` reads every list parameter with it)."""
    getlist = getattr(data, "getlist", None)
    raw = getlist(name) if getlist is not None else [data.get(name) or ""]
    return [part.strip() for value in raw for part in str(value).split(",") if part.strip()]


def _one(data: Mapping[str, Any], name: str) -> str:
    values = query_list(data, name)
    return values[-1] if values else ""


@dataclass(frozen=True)
class TimelineFilters:
    """What a reader or a client narrows the timeline to. ``parse`` reads and validates query
    parameters; ``apply`` filters a queryset of events (live rows or history snapshots)."""

    parties: list[str] = field(default_factory=list)  # actor slugs
    kinds: list[str] = field(default_factory=list)
    issue: str | None = None  # issue slug
    round: int | None = None  # round sequence
    modality: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    disputed: bool | None = None
    # At least this many independent outlets (Event.source_count, issue 13).
    min_sources: int | None = None
    # Full-text search over summaries and descriptions (a filter here: which events; the
    # relevance order and its bound are ``timeline.selectors.search``'s).
    q: str = ""

    NAMES = (
        "party",
        "kind",
        "issue",
        "round",
        "modality",
        "date_from",
        "date_to",
        "disputed",
        "min_sources",
        "q",
    )

    @property
    def active(self) -> bool:
        return self != TimelineFilters()

    # --- parsing --------------------------------------------------------------------------
    @classmethod
    def parse(
        cls, data: Mapping[str, Any], negotiation: Negotiation | None = None
    ) -> TimelineQuery:
        """The filters and ``as_of`` of a query string, and a message per value that could not
        be used. A bad value is reported and left out, never silently ignored; unknown party
        and issue slugs are errors too (a candidate actor's slug is as unknown as a made-up
        one, so the answer tells nothing about unpublished rows)."""
        errors: dict[str, list[str]] = {}

        def fail(name: str, message: str) -> None:
            errors.setdefault(name, []).append(message)

        def day(name: str) -> dt.date | None:
            raw = _one(data, name)
            if not raw:
                return None
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                fail(name, "Enter a valid date.")
                return None

        parties = query_list(data, "party")[: MAX_PARTIES + 1]
        if len(parties) > MAX_PARTIES:
            fail("party", f"At most {MAX_PARTIES} parties at a time.")
            parties = parties[:MAX_PARTIES]
        if parties:
            known = set(
                Actor.objects.filter(slug__in=parties, status__in=ReviewStatus.PUBLIC).values_list(
                    "slug", flat=True
                )
            )
            for slug in parties:
                if slug not in known:
                    fail("party", f"There is no party {slug!r}.")
            parties = [slug for slug in parties if slug in known]
        kinds = query_list(data, "kind")
        for kind in kinds:
            if kind not in EventKind.values:
                fail("kind", f"There is no kind of event {kind!r}.")
        kinds = sorted({kind for kind in kinds if kind in EventKind.values})
        issue = _one(data, "issue") or None
        if (
            issue is not None
            and negotiation is not None
            and not Issue.objects.filter(negotiation=negotiation, slug=issue).exists()
        ):
            fail("issue", f"This negotiation has no issue {issue!r}.")
            issue = None
        round_ = None
        if raw_round := _one(data, "round"):
            if raw_round.isdigit() and 1 <= int(raw_round) < 2**31:
                round_ = int(raw_round)
            else:
                fail("round", "A round is its sequence number, e.g. 2.")
        modality = _one(data, "modality") or None
        if modality is not None and modality not in Modality.values:
            fail("modality", f"There is no modality {modality!r}.")
            modality = None
        disputed = None
        if raw_disputed := _one(data, "disputed"):
            if raw_disputed in ("true", "false"):
                disputed = raw_disputed == "true"
            else:
                fail("disputed", "Use true or false.")
        min_sources = None
        if raw_min := _one(data, "min_sources"):
            if raw_min.isdigit() and 1 <= int(raw_min) <= MAX_MIN_SOURCES:
                min_sources = int(raw_min)
            else:
                fail("min_sources", f"A number of outlets from 1 to {MAX_MIN_SOURCES}, e.g. 2.")
        # The words as typed: a comma is part of a search, not a list separator.
        q = " ".join(str(data.get("q") or "").split())
        if len(q) > MAX_SEARCH_CHARS:
            fail("q", f"At most {MAX_SEARCH_CHARS} characters.")
            q = ""
        elif "\x00" in q:  # PostgreSQL text cannot hold it: a 400, not a 500
            fail("q", "Null characters are not allowed.")
            q = ""
        sort = _one(data, "sort") or SORT_RELEVANCE
        if sort not in SORTS:
            fail("sort", "Use relevance or date.")
            sort = SORT_RELEVANCE
        date_from, date_to, as_of = day("date_from"), day("date_to"), day("as_of")
        if date_from and date_to and date_to < date_from:
            fail("date_to", "The end date must not be before the start date.")
            date_to = None
        filters = cls(
            parties=parties,
            kinds=kinds,
            issue=issue,
            round=round_,
            modality=modality,
            date_from=date_from,
            date_to=date_to,
            disputed=disputed,
            min_sources=min_sources,
            q=q,
        )
        return TimelineQuery(filters=filters, as_of=as_of, errors=errors, sort=sort)

    def as_params(self) -> list[tuple[str, str]]:
        """The filters as query parameters (links to earlier and later windows, exports)."""
        params: list[tuple[str, str]] = [("party", slug) for slug in self.parties]
        params += [("kind", kind) for kind in self.kinds]
        for name, value in (
            ("issue", self.issue),
            ("round", self.round),
            ("modality", self.modality),
            ("date_from", self.date_from),
            ("date_to", self.date_to),
        ):
            if value is not None:
                params.append((name, str(value)))
        if self.disputed is not None:
            params.append(("disputed", "true" if self.disputed else "false"))
        if self.min_sources is not None:
            params.append(("min_sources", str(self.min_sources)))
        if self.q:
            params.append(("q", self.q))
        return params

    # --- applying -------------------------------------------------------------------------
    @cached_property
    def party_people_ids(self) -> list[int]:
        """The ids of ``party_people(self.parties)``: one small query, once per filters (the
        timeline and its chart both apply them). A list, not a subquery: the planner guesses
        that a subquery of ORs matches one actor, and so hashes every participant of the party
        before sorting (1.5 s for a window of 100 at 200,000 events); with the ids it walks
        the timeline's index and probes each event's participants (2-90 ms)."""
        return list(party_people(self.parties).values_list("pk", flat=True))

    def apply(self, events: QuerySet) -> QuerySet:
        """These filters on a queryset of events: ``Event`` rows, or historical snapshots of
        them (same columns; ``id`` is the event's id in both). Disputed needs the queryset to
        carry ``is_disputed`` (``with_disputed()`` or ``events_reported_by``)."""
        if self.parties:
            events = events.filter(
                Exists(
                    EventParticipant.objects.filter(
                        event_id=OuterRef("id"), actor_id__in=self.party_people_ids
                    )
                )
            )
        if self.kinds:
            events = events.filter(kind__in=self.kinds)
        if self.issue:
            events = events.filter(issue__slug=self.issue)
        if self.round is not None:
            events = events.filter(round__sequence=self.round)
        if self.modality:
            events = events.filter(modality=self.modality)
        if self.date_from:
            events = events.filter(Q(date__gte=self.date_from) | Q(end_date__gte=self.date_from))
        if self.date_to:
            events = events.filter(date__lte=self.date_to)
        if self.disputed is not None:
            events = events.filter(is_disputed=self.disputed)
        if self.min_sources is not None:
            # A column of the row (kept as citations come and go), not a count per event.
            events = events.filter(source_count__gte=self.min_sources)
        if self.q:
            events = event_matches(events, self.q)
        return events


@dataclass(frozen=True)
class TimelineQuery:
    """A parsed query string: the filters, the "as known on" day, and what could not be used."""

    filters: TimelineFilters
    as_of: dt.date | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    # With a search: best matches first (the default) or in time order.
    sort: str = "relevance"

    @property
    def ranked(self) -> bool:
        """Whether the events come best match first (bounded) rather than in time order."""
        return bool(self.filters.q) and self.sort == SORT_RELEVANCE


def party_people(slugs: Iterable[str]) -> QuerySet:
    """The ids of the published actors that speak or act for these parties: the parties
    themselves, their people (affiliated persons) and their delegations' heads and members.
    The one meaning of the party filter: "Israel" includes Netanyahu, "United States" the CIA
    director. Published actors only, so a candidate's slug reveals nothing."""
    public = ReviewStatus.PUBLIC
    parties = Actor.objects.filter(slug__in=list(slugs), status__in=public).values("pk")
    members = DelegationMember.objects.filter(delegation__actor__in=parties).values("person_id")
    heads = Delegation.objects.filter(actor__in=parties, head__isnull=False).values("head_id")
    return (
        Actor.objects.filter(status__in=public)
        .filter(
            Q(pk__in=parties) | Q(affiliation__in=parties) | Q(pk__in=members) | Q(pk__in=heads)
        )
        .values("pk")
    )


def _end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)


# A cited report's full text and MinHash signature are read by the extractor and the
# near-duplicate step, never to show a citation (which stores its own quote): a page of 50
# events cites ~100 reports, several KB of text each, that the database would send for nothing.
UNSHOWN_ARTICLE_FIELDS = ("article__text", "article__minhash")


def _citation_prefetch(cutoff: dt.datetime | None) -> Prefetch:
    citations = (
        Citation.objects.select_related("article__outlet", "speaker", "speaker_side")
        .defer(*UNSHOWN_ARTICLE_FIELDS)
        .order_by("article__published_at", "start", "id")
    )
    if cutoff is not None:
        # The original of a syndicated copy, for the source count as it stood
        # (_count_sources_known): its outlet is all that is read.
        citations = citations.select_related("article__syndication_of").defer(
            "article__syndication_of__text", "article__syndication_of__minhash"
        )
        citations = citations.filter(
            Q(article__published_at__lte=cutoff)
            | Q(article__published_at__isnull=True, article__first_seen_at__lte=cutoff)
        )
    return Prefetch("citations", queryset=citations)


def _participant_prefetch() -> Prefetch:
    return Prefetch(
        "participants",
        queryset=EventParticipant.objects.select_related("actor").order_by("role", "actor__name"),
    )


def timeline_for_negotiation(
    negotiation: Negotiation, filters: TimelineFilters | None = None
) -> QuerySet[Event]:
    """Published events of ``negotiation`` in time order, with everything a timeline shows.

    A queryset, so the API and the reader page can page it by keyset; evaluating a page costs a
    fixed number of queries (events, participants, citations).
    """
    events: EventQuerySet = (
        Event.objects.published()
        .for_negotiation(negotiation)
        .with_disputed()
        .select_related("place", "round", "issue")
        .prefetch_related(_participant_prefetch(), _citation_prefetch(None))
    )
    filtered: EventQuerySet = (filters or TimelineFilters()).apply(events)  # type: ignore[assignment]
    return filtered.in_timeline_order()


def events_reported_by(
    negotiation: Negotiation, as_of: dt.date, filters: TimelineFilters | None = None
) -> QuerySet[Event]:
    """The timeline as known on ``as_of``, as a queryset of live events in timeline order: it
    pages like the live timeline (keyset on date and id), with no history replay.

    "As known on D" means what the reports published up to the end of D (UTC) said, as curated
    now: today's published events that some report published by then mentioned, with only those
    reports' citations (so "disputed" counts only the denials printed by then). When an
    editor got round to publishing an event does not matter: an event from a 23 May report
    is in the timeline as known on 30 June even if it was published in July. Events first
    reported later are left out even if they happened earlier.
    """
    cutoff = _end_of_day(as_of)
    reported_articles = Article.objects.filter(pk=OuterRef("article_id")).reported_by(cutoff)
    reported = Citation.objects.filter(event_id=OuterRef("id")).filter(Exists(reported_articles))
    events = (
        Event.objects.published()
        .for_negotiation(negotiation)
        .filter(Exists(reported))
        .select_related("place", "round", "issue")
        .annotate(
            is_disputed=Exists(
                Citation.objects.disputing()
                .filter(event_id=OuterRef("id"))
                .filter(Exists(reported_articles)),
                output_field=BooleanField(),
            )
        )
    )
    filtered: QuerySet[Event] = (filters or TimelineFilters()).apply(events)
    return filtered.order_by(F("date").asc(nulls_last=True), "id")


def with_details_as_of(events: Iterable[Event], as_of: dt.date) -> list[Event]:
    """One page of ``events_reported_by`` with what a timeline shows: participants and the
    citations of the reports published by then, loaded in bulk."""
    found = list(events)
    prefetch_related_objects(found, _participant_prefetch(), _citation_prefetch(_end_of_day(as_of)))
    for event in found:
        _count_sources_known(event)
    return found


def _count_sources_known(event: Event) -> None:
    """The event's source count, first and latest report as they stood: from the citations of
    the reports published by then (prefetched), not the stored count of today's reports."""
    sources = set()
    moments = []
    for citation in event.citations.all():
        article = citation.article
        original = article.syndication_of
        sources.add(
            independent_source(
                article.outlet_id,
                article.pk,
                article.syndication_of_id,
                original.outlet_id if original is not None else None,
            )
        )
        moments.append(article.reported_at)
    event.source_count = len(sources)
    event.first_report_at = min(moments, default=None)
    event.latest_report_at = max(moments, default=None)


def negotiation_timeline(
    negotiation: Negotiation,
    *,
    as_of: dt.date | None = None,
    filters: TimelineFilters | None = None,
) -> list[Event]:
    """The whole timeline as a list; with ``as_of``, as it was known at the end of that day.
    For small negotiations and tests: pages and exports use the querysets above."""
    if as_of is None:
        return list(timeline_for_negotiation(negotiation, filters))
    return with_details_as_of(events_reported_by(negotiation, as_of, filters), as_of)


__all__ = [
    "TimelineFilters",
    "TimelineQuery",
    "events_reported_by",
    "negotiation_timeline",
    "party_people",
    "timeline_for_negotiation",
    "with_details_as_of",
]
