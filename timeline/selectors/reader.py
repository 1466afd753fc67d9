"""Reads for the public reader pages: each function serves one screen with a fixed query count."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from timeline.models import (
    Actor,
    Article,
    Citation,
    CitationStance,
    Delegation,
    DelegationMember,
    Event,
    EventKind,
    EventParticipant,
    Issue,
    Negotiation,
    Participation,
    ParticipationRole,
    Position,
    PositionKind,
    ReviewStatus,
    Round,
)

from .timeline import TimelineFilters, negotiation_timeline, timeline_for_negotiation

# Keyed by the stored string: a row's ``role`` is a plain str, not the enum.
ROLE_ORDER: dict[str, int] = {
    ParticipationRole.PARTY: 0,
    ParticipationRole.MEDIATOR: 1,
    ParticipationRole.GUARANTOR: 2,
    ParticipationRole.OBSERVER: 3,
}


# --- Home ---------------------------------------------------------------------------------


@dataclass
class NegotiationSummary:
    negotiation: Negotiation
    parties: list[Actor]
    mediators: list[Actor]
    others: list[Actor]
    last_event: Event | None
    event_count: int
    colours: dict[int, int] = field(default_factory=dict)  # set by the page


def _participations() -> Prefetch:
    return Prefetch(
        "participations",
        queryset=Participation.objects.select_related("actor").order_by("role", "actor__name"),
    )


def home_summary() -> list[NegotiationSummary]:
    """Every negotiation with its sides and its latest published event (3 queries)."""
    published = Event.objects.published().filter(negotiation=OuterRef("pk"))
    negotiations = list(
        Negotiation.objects.annotate(
            published_events=Count("events", filter=Q(events__status=ReviewStatus.PUBLISHED)),
            last_event_id=Subquery(
                published.filter(date__isnull=False).order_by("-date", "-id").values("id")[:1]
            ),
        )
        .prefetch_related(_participations())
        .order_by("title")
    )
    last_ids = [n.last_event_id for n in negotiations if n.last_event_id]
    last_events = Event.objects.select_related("place").in_bulk(last_ids) if last_ids else {}
    summaries = []
    for negotiation in negotiations:
        by_role: dict[str, list[Actor]] = defaultdict(list)
        for participation in negotiation.participations.all():
            by_role[participation.role].append(participation.actor)
        summaries.append(
            NegotiationSummary(
                negotiation=negotiation,
                parties=by_role[ParticipationRole.PARTY],
                mediators=by_role[ParticipationRole.MEDIATOR],
                others=by_role[ParticipationRole.GUARANTOR] + by_role[ParticipationRole.OBSERVER],
                last_event=last_events.get(negotiation.last_event_id),
                event_count=negotiation.published_events,
            )
        )
    return summaries


# --- One negotiation ----------------------------------------------------------------------


@dataclass
class NegotiationContext:
    """What every page of a negotiation needs: the row, its sides, its issues."""

    negotiation: Negotiation
    participations: list[Participation]
    issues: list[Issue]

    @property
    def actors_in_order(self) -> list[Actor]:
        ordered = sorted(
            self.participations, key=lambda p: (ROLE_ORDER.get(p.role, 9), p.actor.name)
        )
        return [p.actor for p in ordered]

    @property
    def sides(self) -> list[tuple[str, list[Actor]]]:
        """Participants by role, parties first: [("Parties", [...]), ("Mediators", [...])]."""
        labels: dict[str, tuple[str, str]] = {
            ParticipationRole.PARTY: ("Party", "Parties"),
            ParticipationRole.MEDIATOR: ("Mediator", "Mediators"),
            ParticipationRole.GUARANTOR: ("Guarantor", "Guarantors"),
            ParticipationRole.OBSERVER: ("Observer", "Observers"),
        }
        by_role: dict[str, list[Actor]] = defaultdict(list)
        for participation in self.participations:
            by_role[participation.role].append(participation.actor)
        return [
            (labels[role][0 if len(by_role[role]) == 1 else 1], by_role[role])
            for role in sorted(by_role, key=lambda r: ROLE_ORDER.get(r, 9))
            if role in labels
        ]

    @property
    def parties(self) -> list[Actor]:
        return [p.actor for p in self.participations if p.role == ParticipationRole.PARTY]


def negotiation_context(slug: str) -> NegotiationContext:
    """The negotiation with its participations and issues (2 queries), or 404."""
    negotiation = (
        Negotiation.objects.filter(slug=slug)
        .prefetch_related(_participations(), Prefetch("issues", queryset=Issue.objects.all()))
        .first()
    )
    if negotiation is None:
        raise Http404("No negotiation with that address.")
    return NegotiationContext(
        negotiation=negotiation,
        participations=list(negotiation.participations.all()),
        issues=list(negotiation.issues.all()),
    )


def web_address(canonical_url: str | None, url: str | None) -> str:
    """A report's address if it is safe to link to: http(s) only, never ``javascript:``."""
    for candidate in (canonical_url, url):
        if candidate and candidate.strip().lower().startswith(("https://", "http://")):
            return candidate.strip()
    return ""


def speaker_name(citation: Citation) -> str:
    """Who said it, readable out of context: a linked speaker's name unless the printed
    description already names them ("He" or "Mr. Abu Marzouk" becomes "Musa Abu Marzouk")."""
    speaker = citation.speaker.name if citation.speaker is not None else None
    return _who(citation.speaker_description, speaker)


@dataclass
class TimelineEntry:
    event: Event
    sources: list[Citation]
    disputed_by: list[str]


def timeline_entry(event: Event) -> TimelineEntry:
    """An event with its sources and who disputes it (participants and citations prefetched)."""
    row = _row_from_event(event)
    return TimelineEntry(
        event=event, sources=list(event.citations.all()), disputed_by=row.disputed_by
    )


@dataclass(slots=True)
class ActorRef:
    """An actor as a timeline row needs it: enough for a name, a link and a colour."""

    pk: int
    name: str
    slug: str
    affiliation_id: int | None


@dataclass(slots=True)
class ParticipantRow:
    actor: ActorRef
    role: str


@dataclass(slots=True)
class SourceRow:
    """One citation of an event, flattened: the quote, who said it, and the report."""

    quote: str
    disputes: bool
    who: str
    speaker_id: int | None
    speaker_slug: str
    outlet: str
    outlet_description: str
    title: str
    url: str  # the publisher's address, "" when unknown
    article_id: int
    published_at: dt.datetime | None


@dataclass(slots=True)
class EventRow:
    """One event on the timeline page: plain values, no lazy relations, so rendering a
    long timeline can never issue a query and costs no model instances."""

    pk: int
    kind: str
    modality: str
    summary: str
    date: dt.date | None
    date_precision: str
    date_text: str
    end_date: dt.date | None
    place: str
    round_id: int | None
    participants: list[ParticipantRow] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)
    disputed_by: list[str] = field(default_factory=list)


def _who(description: str, speaker: str | None) -> str:
    description = description.strip()
    if speaker:
        if description and speaker.casefold() in description.casefold():
            return description
        return speaker
    return description


def _disputers(sources: list[SourceRow]) -> list[str]:
    labels: list[str] = []
    speakers: set[int] = set()
    for source in sources:
        if not source.disputes:
            continue
        # One person disputing in two quotes is one disputer.
        if source.speaker_id is not None:
            if source.speaker_id in speakers:
                continue
            speakers.add(source.speaker_id)
        if source.who:
            label = source.who
        elif source.outlet:
            label = (
                f"{source.outlet}, {source.outlet_description}"
                if source.outlet_description
                else source.outlet
            )
        else:
            label = "another report"
        if label not in labels:
            labels.append(label)
    return labels


def _row_from_event(event: Event) -> EventRow:
    """The same row from a model instance (the "as known on" path reads history rows)."""
    row = EventRow(
        pk=event.pk,
        kind=event.kind,
        modality=event.modality,
        summary=event.summary,
        date=event.date,
        date_precision=event.date_precision,
        date_text=event.date_text,
        end_date=event.end_date,
        place=event.place.name if event.place_id and event.place else "",
        round_id=event.round_id,
        participants=[
            ParticipantRow(
                actor=ActorRef(p.actor.pk, p.actor.name, p.actor.slug, p.actor.affiliation_id),
                role=p.role,
            )
            for p in event.participants.all()
        ],
        sources=[
            SourceRow(
                quote=c.quote,
                disputes=c.stance == CitationStance.DISPUTES,
                who=speaker_name(c),
                speaker_id=c.speaker_id,
                speaker_slug=c.speaker.slug if c.speaker is not None else "",
                outlet=c.article.outlet.name if c.article.outlet is not None else "",
                outlet_description=(
                    c.article.outlet.description if c.article.outlet is not None else ""
                ),
                title=c.article.title,
                url=web_address(c.article.canonical_url, c.article.url),
                article_id=c.article_id,
                published_at=c.article.published_at,
            )
            for c in event.citations.all()
        ],
    )
    row.disputed_by = _disputers(row.sources)
    return row


EVENT_COLUMNS = (
    "id",
    "kind",
    "modality",
    "summary",
    "date",
    "date_precision",
    "date_text",
    "end_date",
    "round_id",
    "place__name",
)
PARTICIPANT_COLUMNS = (
    "event_id",
    "role",
    "actor_id",
    "actor__name",
    "actor__slug",
    "actor__affiliation_id",
)
CITATION_COLUMNS = (
    "event_id",
    "quote",
    "stance",
    "speaker_description",
    "speaker_id",
    "speaker__name",
    "speaker__slug",
    "article_id",
    "article__title",
    "article__url",
    "article__canonical_url",
    "article__published_at",
    "article__outlet__name",
    "article__outlet__description",
)


def timeline_rows(
    negotiation: Negotiation, filters: TimelineFilters | None = None
) -> list[EventRow]:
    """The events of the shared ``timeline_for_negotiation`` selector (same filters and order
    as the API) read as plain rows: 3 queries, and no model instances, which is what keeps a
    500-event page fast."""
    events = timeline_for_negotiation(negotiation, filters).prefetch_related(None)
    rows: dict[int, EventRow] = {}
    for values in events.values_list(*EVENT_COLUMNS):
        pk, kind, modality, summary, day, precision, words, end, round_id, place = values
        rows[pk] = EventRow(
            pk, kind, modality, summary, day, precision, words, end, place or "", round_id
        )
    if not rows:
        return []
    ids = events.values("pk")
    actors: dict[int, ActorRef] = {}
    for event_id, role, actor_id, name, slug, affiliation_id in (
        EventParticipant.objects.filter(event_id__in=ids)
        .order_by("role", "actor__name")
        .values_list(*PARTICIPANT_COLUMNS)
    ):
        actor = actors.get(actor_id)
        if actor is None:
            actor = actors[actor_id] = ActorRef(actor_id, name, slug, affiliation_id)
        rows[event_id].participants.append(ParticipantRow(actor, role))
    for (
        event_id,
        quote,
        stance,
        description,
        speaker_id,
        speaker,
        speaker_slug,
        article_id,
        title,
        url,
        canonical_url,
        published_at,
        outlet,
        outlet_description,
    ) in (
        Citation.objects.filter(event_id__in=ids)
        .order_by("article__published_at", "start", "id")
        .values_list(*CITATION_COLUMNS)
    ):
        rows[event_id].sources.append(
            SourceRow(
                quote=quote,
                disputes=stance == CitationStance.DISPUTES,
                who=_who(description, speaker),
                speaker_id=speaker_id,
                speaker_slug=speaker_slug or "",
                outlet=outlet or "",
                outlet_description=outlet_description or "",
                title=title,
                url=web_address(canonical_url, url),
                article_id=article_id,
                published_at=published_at,
            )
        )
    for row in rows.values():
        row.disputed_by = _disputers(row.sources)
    return list(rows.values())


@dataclass
class TimelineGroup:
    title: str
    round: Round | None = None
    month: dt.date | None = None
    continued: bool = False
    anchor: str = ""
    entries: list[EventRow] = field(default_factory=list)


def group_timeline(rows: list[EventRow], rounds: dict[int, Round]) -> list[TimelineGroup]:
    """Consecutive events of one round form a group; events between rounds group by month."""
    groups: list[TimelineGroup] = []
    seen: dict[tuple, int] = {}
    current_key: tuple | None = None
    for row in rows:
        round_ = rounds.get(row.round_id) if row.round_id is not None else None
        if round_ is not None:
            key: tuple = ("round", round_.pk)
        elif row.date is not None:
            key = ("month", row.date.year, row.date.month)
        else:
            key = ("undated",)
        if key != current_key:
            current_key = key
            # Rounds and months interleave (a meeting elsewhere during a round): a heading
            # seen before says "continued", and every group keeps a unique anchor.
            times = seen[key] = seen.get(key, 0) + 1
            continued = times > 1
            suffix = f"-{times}" if continued else ""
            if round_ is not None:
                group = TimelineGroup(
                    title=str(round_) + (" (continued)" if continued else ""),
                    round=round_,
                    continued=continued,
                    anchor=f"round-{round_.sequence}{suffix}",
                )
            elif key[0] == "month":
                month = dt.date(key[1], key[2], 1)
                group = TimelineGroup(
                    title=f"{month:%B} {month.year}" + (" (continued)" if continued else ""),
                    month=month,
                    continued=continued,
                    anchor=f"month-{month:%Y-%m}{suffix}",
                )
            else:
                group = TimelineGroup(title="Date not known", anchor=f"undated{suffix}")
            groups.append(group)
        groups[-1].entries.append(row)
    return groups


def reader_timeline(
    negotiation: Negotiation,
    *,
    as_of: dt.date | None = None,
    filters: TimelineFilters | None = None,
) -> list[TimelineGroup]:
    """The grouped timeline page: 4 queries without ``as_of`` (events, participants,
    citations, and the rounds with their venues for the group headings)."""
    if as_of is None:
        rows = timeline_rows(negotiation, filters)
    else:
        events = negotiation_timeline(negotiation, as_of=as_of, filters=filters)
        rows = [_row_from_event(event) for event in events]
    rounds = Round.objects.filter(negotiation=negotiation).select_related("venue").in_bulk()
    return group_timeline(rows, rounds)


# --- Activity -----------------------------------------------------------------------------

ACTIVITY_GROUPS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "talks",
        "Talks and delegations",
        (
            EventKind.MEETING,
            EventKind.DELEGATION_ARRIVAL,
            EventKind.DELEGATION_DEPARTURE,
            EventKind.SCHEDULED,
        ),
    ),
    (
        "offers",
        "Proposals, responses and agreements",
        (EventKind.PROPOSAL, EventKind.RESPONSE, EventKind.AGREEMENT, EventKind.CONCESSION),
    ),
    ("statements", "Statements and demands", (EventKind.STATEMENT, EventKind.DEMAND)),
    (
        "friction",
        "Threats, walkouts and breakdowns",
        (
            EventKind.BREAKDOWN,
            EventKind.THREAT,
            EventKind.ULTIMATUM,
            EventKind.WALKOUT,
            EventKind.POSTPONEMENT,
        ),
    ),
    ("military", "Military action", (EventKind.MILITARY_ACTION,)),
]
GROUP_OF_KIND = {kind: key for key, _label, kinds in ACTIVITY_GROUPS for kind in kinds}


@dataclass
class ActivityWeek:
    start: dt.date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Activity:
    weeks: list[ActivityWeek]
    totals: dict[str, int]
    undated: int
    kinds: set[str] = field(default_factory=set)  # every event kind that occurs

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def busiest(self) -> ActivityWeek | None:
        return max(self.weeks, key=lambda w: w.total, default=None)


def negotiation_activity(negotiation: Negotiation, as_of: dt.date | None = None) -> Activity:
    """Published events per week (weeks start on Monday) and kind group, over the whole life
    of the negotiation: one aggregate query, gaps filled with empty weeks."""
    rows = (
        Event.objects.published()
        .for_negotiation(negotiation)
        .values("date", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    if as_of is not None:
        rows = rows.filter(Q(date__lte=as_of) | Q(date__isnull=True))
    per_week: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = {key: 0 for key, _label, _kinds in ACTIVITY_GROUPS}
    undated = 0
    kinds: set[str] = set()
    for row in rows:
        kinds.add(row["kind"])
        group = GROUP_OF_KIND.get(row["kind"], "statements")
        if row["date"] is None:
            undated += row["n"]
            continue
        monday = row["date"] - dt.timedelta(days=row["date"].weekday())
        per_week[monday][group] += row["n"]
        totals[group] += row["n"]
    weeks: list[ActivityWeek] = []
    if per_week:
        week = min(per_week)
        last = max(per_week)
        while week <= last:
            counts = per_week.get(week, {})
            weeks.append(ActivityWeek(start=week, counts={k: counts.get(k, 0) for k in totals}))
            week += dt.timedelta(days=7)
    return Activity(weeks=weeks, totals=totals, undated=undated, kinds=kinds)


# --- Where things stand -------------------------------------------------------------------

MOVING_KINDS: frozenset[str] = frozenset({PositionKind.CONCESSION, PositionKind.OFFER})
HARD_KINDS: frozenset[str] = frozenset({PositionKind.RED_LINE, PositionKind.DEMAND})


@dataclass
class StanceCell:
    party: Actor
    current: Position | None
    history: list[Position]  # earlier stances, newest first

    @property
    def changed_on(self) -> dt.date | None:
        return self.current.valid_from if self.current else None


@dataclass
class IssueRow:
    issue: Issue
    cells: list[StanceCell]
    gap: str  # "apart", "narrowing", "one-sided", "open"
    gap_label: str


@dataclass
class Standings:
    parties: list[Actor]
    rows: list[IssueRow]


def _gap(cells: list[StanceCell]) -> tuple[str, str]:
    stated = [(c, c.current) for c in cells if c.current is not None]
    if not stated:
        return "open", "No stated positions yet"
    if len(stated) == 1:
        return "one-sided", f"Only {stated[0][0].party.name} has stated a position"
    movers = [c for c, current in stated if current.kind in MOVING_KINDS]
    if movers:
        newest = max(movers, key=lambda c: c.changed_on or dt.date.min)
        return "narrowing", f"Narrowing: {newest.party.name} has made an offer or concession"
    hard = [c for c, current in stated if current.kind in HARD_KINDS]
    if len(hard) == len(stated):
        return "apart", "Far apart: every side holds a demand or red line"
    return "apart", "Apart: the sides state different positions"


def negotiation_standings(context: NegotiationContext, as_of: dt.date | None = None) -> Standings:
    """Issues by parties: each side's current stance, when it changed, and its history
    (2 queries: positions with parties, and their citations).

    Columns are the parties, then anyone else (a mediator) who took a stance. With ``as_of``,
    the current stance is the newest one valid by that day.
    """
    positions = (
        Position.objects.published()
        .filter(issue__negotiation=context.negotiation)
        .select_related("party", "source_article__outlet")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("article__outlet", "speaker"),
            )
        )
        .order_by("issue_id", "party_id", "valid_from", "id")
    )
    if as_of is not None:
        positions = positions.filter(Q(valid_from__lte=as_of) | Q(valid_from__isnull=True))
    ledger: dict[tuple[int, int], list[Position]] = defaultdict(list)
    extra: dict[int, Actor] = {}
    for position in positions:
        ledger[(position.issue_id, position.party_id)].append(position)
        extra.setdefault(position.party_id, position.party)
    parties = list(context.parties)
    known = {p.pk for p in parties}
    order = {a.pk: i for i, a in enumerate(context.actors_in_order)}
    others = sorted(
        (a for pk, a in extra.items() if pk not in known),
        key=lambda a: (order.get(a.pk, len(order)), a.name),
    )
    parties += others
    rows = []
    for issue in context.issues:
        cells = []
        for party in parties:
            stances = ledger.get((issue.pk, party.pk), [])
            if as_of is None:
                current = next((p for p in stances if p.is_current), None)
                if current is None and stances:
                    current = stances[-1]
            else:
                current = stances[-1] if stances else None
            history = [p for p in reversed(stances) if p is not current]
            cells.append(StanceCell(party=party, current=current, history=history))
        gap, gap_label = _gap(cells)
        rows.append(IssueRow(issue=issue, cells=cells, gap=gap, gap_label=gap_label))
    return Standings(parties=parties, rows=rows)


# --- Event, actor, round ------------------------------------------------------------------


def _citations_for_reader() -> QuerySet[Citation]:
    return Citation.objects.select_related("article__outlet", "speaker", "speaker_side").order_by(
        "article__published_at", "start", "id"
    )


def event_detail(negotiation: Negotiation, pk: int) -> TimelineEntry:
    """One published event with participants and sources (3 queries), or 404."""
    event = (
        Event.objects.published()
        .for_negotiation(negotiation)
        .with_disputed()
        .with_first_reported()
        .select_related("place", "round__venue", "issue")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=EventParticipant.objects.select_related("actor").order_by(
                    "role", "actor__name"
                ),
            ),
            Prefetch("citations", queryset=_citations_for_reader()),
        )
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404("No published event with that number in this negotiation.")
    return timeline_entry(event)


@dataclass
class ActorPage:
    actor: Actor
    aliases: list[str]
    members: list[Actor]
    participations: list[Participation]
    events: list[Event]
    quotes: list[Citation]
    positions: list[Position]


ACTOR_PAGE_LIMIT = 100


def actor_page(slug: str) -> ActorPage:
    """An actor with role, affiliation, aliases, events and quotes (7 queries), or 404.

    A merged actor's old address shows the actor it was merged into, so shared links keep
    working.
    """
    actor = (
        Actor.objects.filter(slug=slug, status__in=[ReviewStatus.PUBLISHED, ReviewStatus.MERGED])
        .select_related("affiliation", "merged_into")
        .first()
    )
    if actor is None:
        raise Http404("No actor with that address.")
    if actor.status == ReviewStatus.MERGED and actor.merged_into is not None:
        actor = Actor.objects.select_related("affiliation").get(pk=actor.merged_into.pk)
    aliases = list(actor.aliases.order_by("name").values_list("name", flat=True))
    members = list(actor.members.published().order_by("name"))
    participations = list(
        actor.participations.select_related("negotiation").order_by("negotiation__title")
    )
    people = [actor.pk] + [m.pk for m in members]
    events = list(
        Event.objects.published()
        .filter(participants__actor_id__in=people)
        .distinct()
        .with_disputed()
        .select_related("negotiation", "place")
        .order_by("-date", "-id")[:ACTOR_PAGE_LIMIT]
    )
    quotes = list(
        _citations_for_reader()
        .filter(speaker=actor)
        .filter(
            Q(event__status=ReviewStatus.PUBLISHED) | Q(position__status=ReviewStatus.PUBLISHED)
        )
        .select_related("event__negotiation", "position__issue__negotiation")
        .order_by("-article__published_at", "-id")[:ACTOR_PAGE_LIMIT]
    )
    positions = list(
        Position.objects.current()
        .filter(party=actor)
        .select_related("issue__negotiation")
        .order_by("issue__negotiation__title", "issue__order", "issue__title")
    )
    return ActorPage(
        actor=actor,
        aliases=aliases,
        members=members,
        participations=participations,
        events=events,
        quotes=quotes,
        positions=positions,
    )


@dataclass
class RoundPage:
    round: Round
    delegations: list[Delegation]
    entries: list[EventRow]


def round_page(negotiation: Negotiation, sequence: int) -> RoundPage:
    """A round with venue, dates, delegations and its events (6 queries), or 404."""
    round_ = (
        Round.objects.filter(negotiation=negotiation, sequence=sequence)
        .select_related("venue")
        .first()
    )
    if round_ is None:
        raise Http404("No round with that number in this negotiation.")
    delegations = list(
        round_.delegations.select_related("actor", "head")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=DelegationMember.objects.select_related("person").order_by("person__name"),
            )
        )
        .order_by("actor__name")
    )
    rows = timeline_rows(negotiation, TimelineFilters(round=sequence))
    return RoundPage(round=round_, delegations=delegations, entries=rows)


# --- Source -------------------------------------------------------------------------------

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
    citations = list(
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
