"""Reader page fixtures: a small but realistic negotiation built with the shared factories."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests import factories as f
from timeline import models as m
from timeline.services.positions import position_publish


def aware(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


@dataclass
class Talks:
    negotiation: m.Negotiation
    israel: m.Actor
    hamas: m.Actor
    egypt: m.Actor
    qatar: m.Actor
    netanyahu: m.Actor
    cairo_round: m.Round
    breakdown: m.Event
    departure: m.Event
    strike: m.Event
    statement: m.Event
    ceasefire: m.Issue
    cairo_news: m.Outlet


@pytest.fixture
def talks(db) -> Talks:
    negotiation = f.NegotiationFactory(
        title="Israel-Hamas ceasefire talks", slug="israel-hamas", status="stalled"
    )
    israel = f.ActorFactory(name="Israel", slug="israel")
    hamas = f.ActorFactory(name="Hamas", slug="hamas", kind=m.ActorKind.ARMED_GROUP)
    egypt = f.ActorFactory(name="Egypt", slug="egypt")
    qatar = f.ActorFactory(name="Qatar", slug="qatar")
    netanyahu = f.PersonFactory(
        name="Benjamin Netanyahu",
        slug="benjamin-netanyahu",
        affiliation=israel,
        role="Prime Minister",
    )
    f.ActorAliasFactory(actor=netanyahu, name="Mr. Netanyahu")
    for actor, role in [
        (israel, m.ParticipationRole.PARTY),
        (hamas, m.ParticipationRole.PARTY),
        (egypt, m.ParticipationRole.MEDIATOR),
        (qatar, m.ParticipationRole.MEDIATOR),
    ]:
        f.ParticipationFactory(negotiation=negotiation, actor=actor, role=role)
    cairo = f.PlaceFactory(name="Cairo", slug="cairo")
    cairo_round = f.RoundFactory(
        negotiation=negotiation,
        sequence=1,
        name="The Cairo round",
        venue=cairo,
        status=m.RoundStatus.COLLAPSED,
        actual_start=dt.date(2024, 5, 15),
        actual_end=dt.date(2024, 5, 19),
        outcome="Ended without agreement.",
    )
    f.DelegationFactory(
        round=cairo_round,
        actor=hamas,
        arrived_on=dt.date(2024, 5, 15),
        departed_on=dt.date(2024, 5, 19),
    )
    f.DelegationFactory(round=cairo_round, actor=israel, never_arrived=True)
    ceasefire = f.IssueFactory(
        negotiation=negotiation, title="Ceasefire duration", slug="ceasefire-duration"
    )
    cairo_news = f.OutletFactory(
        name="Cairo News",
        slug="cairo-news",
        description="an Egyptian state-owned television channel",
    )
    times = f.OutletFactory(name="The Daily Record", slug="daily-record")

    def event(**kwargs) -> m.Event:
        participants = kwargs.pop("participants", [])
        e = f.EventFactory(negotiation=negotiation, **kwargs)
        for actor in participants:
            f.EventParticipantFactory(event=e, actor=actor)
        return e

    breakdown = event(
        kind=m.EventKind.BREAKDOWN,
        date=dt.date(2024, 5, 19),
        place=cairo,
        round=cairo_round,
        summary="The Cairo talks reached an impasse.",
        participants=[israel, hamas, egypt],
    )
    departure = event(
        kind=m.EventKind.DELEGATION_DEPARTURE,
        date=dt.date(2024, 5, 19),
        place=cairo,
        round=cairo_round,
        summary="The Hamas delegation left Cairo.",
        participants=[hamas],
    )
    strike = event(
        kind=m.EventKind.MILITARY_ACTION,
        date=dt.date(2024, 6, 3),
        date_precision=m.DatePrecision.WEEK,
        date_text="last week",
        summary="Rockets and air strikes near Rafah.",
        participants=[israel],
    )
    statement = event(
        kind=m.EventKind.STATEMENT,
        date=dt.date(2024, 6, 10),
        summary="Netanyahu rejected a complete withdrawal.",
        participants=[netanyahu],
        issue=ceasefire,
    )
    report = f.ArticleFactory(
        outlet=times,
        title="Gaza talks stall in Cairo",
        published_at=aware(2024, 5, 20),
        text='Talks stalled. An Israeli official called it a "crisis." More text.',
    )
    f.CitationFactory(
        event=breakdown,
        article=report,
        speaker_description="an Israeli official",
        attribution=m.AttributionType.ANONYMOUS_OFFICIAL,
        speaker_side=israel,
    )
    rebuttal = f.ArticleFactory(
        outlet=f.OutletFactory(name="Wire Service", slug="wire"),
        title="US officials say talks are not dead",
        published_at=aware(2024, 5, 21),
        text="No dead end, say officials. They spoke on condition of anonymity.",
    )
    f.CitationFactory(
        event=breakdown,
        article=rebuttal,
        speaker_description="two American officials",
        attribution=m.AttributionType.ANONYMOUS_OFFICIAL,
        stance=m.CitationStance.DISPUTES,
    )
    tv = f.ArticleFactory(
        outlet=cairo_news, title="Delegation leaves", published_at=aware(2024, 5, 19, 20)
    )
    f.CitationFactory(event=departure, article=tv)
    f.CitationFactory(event=strike, article=f.ArticleFactory(published_at=aware(2024, 6, 5)))
    f.CitationFactory(
        event=statement,
        article=f.ArticleFactory(published_at=aware(2024, 6, 11)),
        speaker=netanyahu,
        attribution=m.AttributionType.NAMED_OFFICIAL,
    )
    old = f.PositionFactory(
        issue=ceasefire,
        party=hamas,
        kind=m.PositionKind.DEMAND,
        stance="permanent ceasefire",
        valid_from=dt.date(2024, 5, 1),
    )
    position_publish(old)
    new = f.PositionFactory(
        issue=ceasefire,
        party=hamas,
        kind=m.PositionKind.CONCESSION,
        stance="phased ceasefire accepted",
        valid_from=dt.date(2024, 6, 1),
    )
    position_publish(new)
    position_publish(
        f.PositionFactory(
            issue=ceasefire,
            party=israel,
            kind=m.PositionKind.RED_LINE,
            stance="temporary pause only",
            valid_from=dt.date(2024, 5, 12),
        )
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
        cairo_round=cairo_round,
        breakdown=breakdown,
        departure=departure,
        strike=strike,
        statement=statement,
        ceasefire=ceasefire,
        cairo_news=cairo_news,
    )
