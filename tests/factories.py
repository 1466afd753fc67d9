"""factory-boy factories for the domain. Shared by every test package: add, don't rewrite."""

from __future__ import annotations

import datetime as dt
import hashlib

import factory
from django.utils import timezone

from timeline import models as m


class NegotiationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Negotiation

    title = factory.Sequence(lambda n: f"Ceasefire talks {n}")
    slug = factory.Sequence(lambda n: f"ceasefire-talks-{n}")
    kind = m.NegotiationKind.CEASEFIRE
    started_on = dt.date(2024, 1, 1)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Actor

    kind = m.ActorKind.STATE
    name = factory.Sequence(lambda n: f"State {n}")
    slug = factory.Sequence(lambda n: f"state-{n}")
    status = m.ReviewStatus.PUBLISHED


class PersonFactory(ActorFactory):
    kind = m.ActorKind.PERSON
    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class ActorAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ActorAlias

    actor = factory.SubFactory(ActorFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Participation

    negotiation = factory.SubFactory(NegotiationFactory)
    actor = factory.SubFactory(ActorFactory)
    role = m.ParticipationRole.PARTY


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Place

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Round

    negotiation = factory.SubFactory(NegotiationFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    venue = factory.SubFactory(PlaceFactory)
    planned_start = dt.date(2024, 5, 15)


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Delegation

    round = factory.SubFactory(RoundFactory)
    actor = factory.SubFactory(ActorFactory)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Issue

    negotiation = factory.SubFactory(NegotiationFactory)
    title = factory.Sequence(lambda n: f"Issue {n}")
    slug = factory.Sequence(lambda n: f"issue-{n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Position

    issue = factory.SubFactory(IssueFactory)
    party = factory.SubFactory(ActorFactory)
    kind = m.PositionKind.DEMAND
    stance = factory.Sequence(lambda n: f"Stance {n}")
    valid_from = dt.date(2024, 5, 1)


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.Sequence(lambda n: f"outlet-{n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Article

    url = factory.Sequence(lambda n: f"https://news.example/story-{n}")
    canonical_url = factory.SelfAttribute("url")
    outlet = factory.SubFactory(OutletFactory)
    title = factory.Sequence(lambda n: f"Talks stall, round {n}")
    published_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2024, 5, 23, 9, 0)))
    language = "en"
    text = factory.Sequence(
        lambda n: (
            f'Report {n}. The talks reached an impasse on Sunday, an official said, calling it a "crisis."'
        )
    )
    content_hash = factory.LazyAttribute(lambda a: hashlib.sha256(a.text.encode()).hexdigest())


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Event

    negotiation = factory.SubFactory(NegotiationFactory)
    kind = m.EventKind.MEETING
    summary = factory.Sequence(lambda n: f"Delegations met for session {n}.")
    date = dt.date(2024, 5, 19)
    date_text = "on Sunday"
    status = m.ReviewStatus.PUBLISHED


class EventParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.EventParticipant

    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(ActorFactory)
    role = m.ParticipantRole.ACTOR


class CitationFactory(factory.django.DjangoModelFactory):
    """Cites the whole first sentence of the article, so the span is always valid."""

    class Meta:
        model = m.Citation

    event = factory.SubFactory(EventFactory)
    article = factory.SubFactory(ArticleFactory)
    start = 0
    end = factory.LazyAttribute(lambda c: c.article.text.index(".") + 1)
    quote = factory.LazyAttribute(lambda c: c.article.text[c.start : c.end])
    attribution = m.AttributionType.OUTLET


class FeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Feed

    url = factory.Sequence(lambda n: f"https://news.example/feed-{n}.xml")


class IngestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Ingestion

    source = m.Ingestion.Source.URL
    url = factory.Sequence(lambda n: f"https://news.example/story-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"editor{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.example")
    password = factory.django.Password("correct horse battery staple")


def bulk_events(negotiation: m.Negotiation, summaries: list[str], **fields) -> list[int]:
    """Many published events in one INSERT (no history rows; PostgreSQL generates the search
    vector): enough rows to pass a bound without a factory call each. Dated across 300 days."""
    events = m.Event.objects.bulk_create(
        m.Event(
            negotiation=negotiation,
            kind=fields.get("kind", m.EventKind.MEETING),
            summary=summary,
            description=fields.get("description", ""),
            date=dt.date(2024, 1, 1) + dt.timedelta(days=i % 300),
            status=m.ReviewStatus.PUBLISHED,
        )
        for i, summary in enumerate(summaries)
    )
    return [event.pk for event in events]
