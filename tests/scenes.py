"""One factory-built scene of one negotiation, shared by the API and reader tests (issue 15).

The Israel-Hamas ceasefire talks as reported in May and June 2024: one cast (three states and
an armed group, two people), one negotiation with two parties and two mediators, its Cairo
round (delegations, outcome), one issue with each party's ledger of positions, the events of
the round and after (meeting, statement in crisis, breakdown, departure, a planned return, a
strike, a statement by a named official, a candidate the extractor found), and the articles
that report them (a report and its syndicated copy, a rebuttal that disputes, television).

``tests/api/conftest.py`` and ``tests/timeline/reader/conftest.py`` both return ``talks()``;
everything is made with the factories of ``tests/factories.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tests import factories as f
from timeline import models as m
from timeline.services.positions import position_publish


def aware(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


@dataclass
class Talks:
    negotiation: m.Negotiation
    # The cast
    israel: m.Actor
    hamas: m.Actor
    egypt: m.Actor
    qatar: m.Actor
    netanyahu: m.Actor
    # The round and the issue
    round: m.Round
    issue: m.Issue
    # Published events, then the candidate
    meeting: m.Event
    crisis: m.Event
    breakdown: m.Event
    departure: m.Event
    return_trip: m.Event
    strike: m.Event
    statement: m.Event
    candidate: m.Event
    # Reports
    article: m.Article
    copy: m.Article
    disputing_article: m.Article
    report: m.Article
    rebuttal: m.Article
    tv: m.Article
    strike_report: m.Article
    statement_report: m.Article
    cairo_news: m.Outlet

    @property
    def in_time_order(self) -> list[int]:
        """The published events' ids as every timeline lists them, by date (then id)."""
        return [
            event.pk
            for event in (
                self.meeting,
                self.breakdown,
                self.departure,
                self.crisis,
                self.return_trip,
                self.strike,
                self.statement,
            )
        ]

    @property
    def cairo_round(self) -> m.Round:
        return self.round

    @property
    def ceasefire(self) -> m.Issue:
        return self.issue


def talks() -> Talks:
    """Build the scene (needs the database)."""
    # --- the cast and the negotiation ---------------------------------------------------
    negotiation = f.NegotiationFactory(
        title="Israel-Hamas ceasefire talks", slug="israel-hamas", status="stalled"
    )
    israel = f.ActorFactory(name="Israel", slug="israel")
    hamas = f.ActorFactory(name="Hamas", slug="hamas", kind=m.ActorKind.ARMED_GROUP)
    egypt = f.ActorFactory(name="Egypt", slug="egypt")
    qatar = f.ActorFactory(name="Qatar", slug="qatar")
    f.ActorAliasFactory(actor=israel, name="Israeli", kind=m.AliasKind.DEMONYM)
    netanyahu = f.PersonFactory(
        name="Benjamin Netanyahu",
        slug="benjamin-netanyahu",
        affiliation=israel,
        role="Prime Minister",
    )
    f.ActorAliasFactory(actor=netanyahu, name="Mr. Netanyahu")
    al_hayya = f.PersonFactory(name="Khalil al-Hayya", slug="khalil-al-hayya", affiliation=hamas)
    for actor, role in [
        (israel, m.ParticipationRole.PARTY),
        (hamas, m.ParticipationRole.PARTY),
        (egypt, m.ParticipationRole.MEDIATOR),
        (qatar, m.ParticipationRole.MEDIATOR),
    ]:
        f.ParticipationFactory(negotiation=negotiation, actor=actor, role=role)

    # --- the Cairo round ------------------------------------------------------------------
    cairo = f.PlaceFactory(name="Cairo", slug="cairo", country_code="EG")
    round_ = f.RoundFactory(
        negotiation=negotiation,
        sequence=1,
        name="The Cairo round",
        venue=cairo,
        planned_start=dt.date(2024, 5, 18),
        planned_end=dt.date(2024, 5, 21),
        actual_start=dt.date(2024, 5, 18),
        actual_end=dt.date(2024, 5, 19),
        status=m.RoundStatus.COLLAPSED,
        outcome="Ended without agreement.",
    )
    delegation = f.DelegationFactory(
        round=round_,
        actor=hamas,
        head=al_hayya,
        arrived_on=dt.date(2024, 5, 18),
        departed_on=dt.date(2024, 5, 19),
    )
    m.DelegationMember.objects.create(delegation=delegation, person=al_hayya, role="Head")
    f.DelegationFactory(round=round_, actor=israel, never_arrived=True)

    # --- the issue and the parties' ledgers ---------------------------------------------------
    issue = f.IssueFactory(negotiation=negotiation, title="Ceasefire duration", slug="duration")
    for party, kind, stance, valid_from in [
        (hamas, m.PositionKind.DEMAND, "permanent ceasefire", dt.date(2024, 5, 1)),
        (israel, m.PositionKind.RED_LINE, "temporary pause only", dt.date(2024, 5, 12)),
        (israel, m.PositionKind.DEMAND, "Pause of six weeks", dt.date(2024, 5, 20)),
        (hamas, m.PositionKind.CONCESSION, "phased ceasefire accepted", dt.date(2024, 6, 1)),
    ]:
        position_publish(
            f.PositionFactory(
                issue=issue, party=party, kind=kind, stance=stance, valid_from=valid_from
            )
        )
    f.PositionFactory(issue=issue, party=israel, stance="A candidate stance")

    # --- the reports ----------------------------------------------------------------------
    times = f.OutletFactory(name="The Daily Record", slug="daily-record")
    cairo_news = f.OutletFactory(
        name="Cairo News",
        slug="cairo-news",
        description="an Egyptian state-owned television channel",
    )
    wire = f.OutletFactory(name="Wire Service", slug="wire")
    article = f.ArticleFactory(
        title="Talks in Cairo reach an impasse", published_at=aware(2024, 5, 20, 9)
    )
    copy = f.ArticleFactory(
        title="Talks in Cairo reach an impasse (republished)",
        syndication_of=article,
        published_at=aware(2024, 5, 23, 9),
    )
    disputing_article = f.ArticleFactory(
        title="US officials reject talk of a dead end", published_at=aware(2024, 5, 22, 9)
    )
    report = f.ArticleFactory(
        outlet=times,
        title="Gaza talks stall in Cairo",
        published_at=aware(2024, 5, 20),
        text='Talks stalled. An Israeli official called it a "crisis." More text.',
    )
    rebuttal = f.ArticleFactory(
        outlet=wire,
        title="US officials say talks are not dead",
        published_at=aware(2024, 5, 21),
        text="No dead end, say officials. They spoke on condition of anonymity.",
    )
    tv = f.ArticleFactory(
        outlet=cairo_news, title="Delegation leaves", published_at=aware(2024, 5, 19, 20)
    )

    # --- the events and what cites them ----------------------------------------------------
    def event(**kwargs) -> m.Event:
        participants = kwargs.pop("participants", [])
        e = f.EventFactory(negotiation=negotiation, **kwargs)
        for actor, role in participants:
            f.EventParticipantFactory(event=e, actor=actor, role=role)
        return e

    actor, mediator = m.ParticipantRole.ACTOR, m.ParticipantRole.MEDIATOR
    meeting = event(
        kind=m.EventKind.MEETING,
        summary="Delegations met in Cairo with Egyptian mediators.",
        date=dt.date(2024, 5, 19),
        place=cairo,
        round=round_,
        issue=issue,
        published_at=aware(2024, 5, 20, 10),
        participants=[(hamas, actor), (egypt, mediator)],
    )
    f.CitationFactory(event=meeting, article=article)
    crisis = event(
        kind=m.EventKind.STATEMENT,
        summary="An Israeli official said the talks were in crisis.",
        date=dt.date(2024, 5, 20),
        date_precision=m.DatePrecision.WEEK,
        date_text="in recent days",
        published_at=aware(2024, 5, 20, 10),
        participants=[(israel, actor)],
    )
    f.CitationFactory(
        event=crisis,
        article=article,
        speaker_description="an Israeli official",
        speaker_side=israel,
        attribution=m.AttributionType.ANONYMOUS_OFFICIAL,
    )
    f.CitationFactory(
        event=crisis,
        article=disputing_article,
        speaker_description="two American officials",
        attribution=m.AttributionType.ANONYMOUS_OFFICIAL,
        stance=m.CitationStance.DISPUTES,
    )
    breakdown = event(
        kind=m.EventKind.BREAKDOWN,
        date=dt.date(2024, 5, 19),
        place=cairo,
        round=round_,
        summary="The Cairo talks reached an impasse.",
        participants=[(israel, actor), (hamas, actor), (egypt, actor)],
    )
    f.CitationFactory(
        event=breakdown,
        article=report,
        speaker_description="an Israeli official",
        attribution=m.AttributionType.ANONYMOUS_OFFICIAL,
        speaker_side=israel,
    )
    f.CitationFactory(
        event=breakdown,
        article=rebuttal,
        speaker_description="two American officials",
        attribution=m.AttributionType.ANONYMOUS_OFFICIAL,
        stance=m.CitationStance.DISPUTES,
    )
    departure = event(
        kind=m.EventKind.DELEGATION_DEPARTURE,
        date=dt.date(2024, 5, 19),
        place=cairo,
        round=round_,
        summary="The Hamas delegation left Cairo.",
        participants=[(hamas, actor)],
    )
    f.CitationFactory(event=departure, article=tv)
    return_trip = event(
        kind=m.EventKind.SCHEDULED,
        modality=m.Modality.PLANNED,
        summary="A Hamas delegation is expected back in Cairo.",
        date=dt.date(2024, 5, 28),
        date_text="on Tuesday",
        place=cairo,
        published_at=aware(2024, 5, 23, 10),
        participants=[(hamas, actor)],
    )
    f.CitationFactory(event=return_trip, article=copy)
    strike = event(
        kind=m.EventKind.MILITARY_ACTION,
        date=dt.date(2024, 6, 3),
        date_precision=m.DatePrecision.WEEK,
        date_text="last week",
        summary="Rockets and air strikes near Rafah.",
        participants=[(israel, actor)],
    )
    strike_report = f.ArticleFactory(published_at=aware(2024, 6, 5))
    f.CitationFactory(event=strike, article=strike_report)
    statement = event(
        kind=m.EventKind.STATEMENT,
        date=dt.date(2024, 6, 10),
        summary="Netanyahu rejected a complete withdrawal.",
        issue=issue,
        participants=[(netanyahu, actor)],
    )
    statement_report = f.ArticleFactory(published_at=aware(2024, 6, 11))
    f.CitationFactory(
        event=statement,
        article=statement_report,
        speaker=netanyahu,
        attribution=m.AttributionType.NAMED_OFFICIAL,
    )
    candidate = event(
        kind=m.EventKind.PROPOSAL,  # what it says it is; not a look-alike of the meeting
        summary="A proposal the extractor found.",
        status=m.ReviewStatus.CANDIDATE,
        source_article=article,
        origin=m.EventOrigin.EXTRACTOR,
    )
    # The events were "published" in May and June 2024, not today: "as known on" reads history.
    m.Event.history.filter(id__in=[breakdown.pk, departure.pk]).update(
        history_date=aware(2024, 5, 19, 21)
    )
    m.Event.history.filter(id__in=[strike.pk, statement.pk]).update(
        history_date=aware(2024, 6, 11, 12)
    )
    return Talks(
        negotiation=negotiation,
        israel=israel,
        hamas=hamas,
        egypt=egypt,
        qatar=qatar,
        netanyahu=netanyahu,
        round=round_,
        issue=issue,
        meeting=meeting,
        crisis=crisis,
        breakdown=breakdown,
        departure=departure,
        return_trip=return_trip,
        strike=strike,
        statement=statement,
        candidate=candidate,
        article=article,
        copy=copy,
        disputing_article=disputing_article,
        report=report,
        rebuttal=rebuttal,
        tv=tv,
        strike_report=strike_report,
        statement_report=statement_report,
        cairo_news=cairo_news,
    )


def ranked_search() -> tuple[m.Negotiation, m.Event, m.Event]:
    """Search's scene: a summary match dated last and created last, a description-only match
    dated first (that says "ceasefire" three times), and an event that does not match. Time
    order and id order both put the weaker match first; ranking must not."""
    negotiation = f.NegotiationFactory(slug="ranked-talks")
    body_only = f.EventFactory(
        negotiation=negotiation,
        summary="Delegations met in Doha.",
        description="The ceasefire was discussed; a ceasefire text, a ceasefire map.",
        date=dt.date(2024, 1, 1),
    )
    heading = f.EventFactory(
        negotiation=negotiation, summary="Ceasefire agreed in Doha.", date=dt.date(2024, 6, 1)
    )
    f.EventFactory(negotiation=negotiation, summary="Prisoners released.", date=dt.date(2024, 3, 1))
    return negotiation, heading, body_only


def kept_talks() -> m.Negotiation:
    """A small negotiation whose timeline page the response-cache tests keep and invalidate:
    three dated events, each with a participant and a citation by a named speaker."""
    negotiation = f.NegotiationFactory(slug="kept-talks")
    for day in (1, 2, 3):
        event = f.EventFactory(negotiation=negotiation, date=dt.date(2024, 5, day))
        f.EventParticipantFactory(event=event)
        f.CitationFactory(event=event, speaker=f.PersonFactory())
    return negotiation
