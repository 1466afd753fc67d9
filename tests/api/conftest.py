"""API clients for the three kinds of caller, and a small curated negotiation to read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories as f
from timeline import models as m
from timeline.services import position_publish

EDITOR_PERMISSIONS = [
    "view_event",
    "add_event",
    "change_event",
    "view_ingestion",
    "add_ingestion",
    "view_article",
    "view_citation",
]
VIEWER_PERMISSIONS = ["view_event", "view_ingestion", "view_article", "view_citation"]


@pytest.fixture(autouse=True)
def _api_test_settings(settings):
    """Rates far above what a test sends (tests/api/test_errors.py checks the limiter itself),
    and a fast password hasher: PBKDF2's deliberate slowness is not under test here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }


def _group(name: str, codenames: list[str]) -> Group:
    # get_or_create: the data migration may already have made the group with its permissions.
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="timeline", codename__in=codenames)
    )
    return group


class ReadingClient(APIClient):
    """An API client that reads a streamed body whole, as a download would, so tests can look
    at ``response.content`` of the exports (which stream) like any other response."""

    def request(self, **kwargs):
        response = super().request(**kwargs)
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)  # the client closes it at the end
            response.__class__ = type(
                "ReadStreamingResponse",
                (response.__class__,),
                {
                    "content": property(lambda _: body),
                    "text": property(lambda r: body.decode(r.charset)),
                },
            )
        return response


def _token_client(user) -> APIClient:
    client = ReadingClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="editor-pass-123")
    user.groups.add(_group("Editors", EDITOR_PERMISSIONS))
    return user


@pytest.fixture
def viewer(django_user_model):
    user = django_user_model.objects.create_user("viewer", password="viewer-pass-123")
    user.groups.add(_group("Viewers", VIEWER_PERMISSIONS))
    return user


@pytest.fixture
def anon_client() -> APIClient:
    return ReadingClient()


@pytest.fixture
def viewer_client(viewer) -> APIClient:
    return _token_client(viewer)


@pytest.fixture
def editor_client(editor) -> APIClient:
    return _token_client(editor)


@pytest.fixture
def clients(anon_client, viewer_client, editor_client) -> dict[str, APIClient]:
    return {"anonymous": anon_client, "viewer": viewer_client, "editor": editor_client}


def aware(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@dataclass
class Talks:
    negotiation: m.Negotiation
    israel: m.Actor
    hamas: m.Actor
    egypt: m.Actor
    round: m.Round
    issue: m.Issue
    meeting: m.Event
    crisis: m.Event
    return_trip: m.Event
    candidate: m.Event
    article: m.Article
    copy: m.Article
    disputing_article: m.Article


@pytest.fixture
def talks(db) -> Talks:
    """A negotiation with two parties and a mediator, one round, one issue with a ledger,
    three published events (one disputed), a candidate, and a syndicated copy of a report."""
    negotiation = f.NegotiationFactory(title="Cairo talks", slug="cairo-talks")
    israel = f.ActorFactory(name="Israel", slug="israel")
    hamas = f.ActorFactory(name="Hamas", slug="hamas", kind=m.ActorKind.ARMED_GROUP)
    egypt = f.ActorFactory(name="Egypt", slug="egypt")
    f.ActorAliasFactory(actor=israel, name="Israeli", kind=m.AliasKind.DEMONYM)
    f.ParticipationFactory(negotiation=negotiation, actor=israel)
    f.ParticipationFactory(negotiation=negotiation, actor=hamas)
    f.ParticipationFactory(negotiation=negotiation, actor=egypt, role=m.ParticipationRole.MEDIATOR)
    cairo = f.PlaceFactory(name="Cairo", slug="cairo", country_code="EG")
    round_ = f.RoundFactory(
        negotiation=negotiation,
        sequence=1,
        name="The Cairo round",
        venue=cairo,
        planned_start=dt.date(2024, 5, 18),
        planned_end=dt.date(2024, 5, 21),
        status=m.RoundStatus.CONCLUDED,
    )
    head = f.PersonFactory(name="Khalil al-Hayya", slug="khalil-al-hayya", affiliation=hamas)
    delegation = f.DelegationFactory(
        round=round_, actor=hamas, head=head, arrived_on=dt.date(2024, 5, 18)
    )
    m.DelegationMember.objects.create(delegation=delegation, person=head, role="Head")
    f.DelegationFactory(round=round_, actor=israel, never_arrived=True)
    issue = f.IssueFactory(negotiation=negotiation, title="Ceasefire duration", slug="duration")
    for party, stance, valid_from in [
        (hamas, "Permanent ceasefire", dt.date(2024, 5, 1)),
        (israel, "Temporary pause", dt.date(2024, 5, 1)),
        (israel, "Pause of six weeks", dt.date(2024, 5, 20)),
    ]:
        position_publish(
            f.PositionFactory(issue=issue, party=party, stance=stance, valid_from=valid_from)
        )
    f.PositionFactory(issue=issue, party=israel, stance="A candidate stance")

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
    meeting = f.EventFactory(
        negotiation=negotiation,
        kind=m.EventKind.MEETING,
        summary="Delegations met in Cairo with Egyptian mediators.",
        date=dt.date(2024, 5, 19),
        place=cairo,
        round=round_,
        issue=issue,
        published_at=aware(2024, 5, 20, 10),
    )
    f.EventParticipantFactory(event=meeting, actor=hamas)
    f.EventParticipantFactory(event=meeting, actor=egypt, role=m.ParticipantRole.MEDIATOR)
    f.CitationFactory(event=meeting, article=article)
    crisis = f.EventFactory(
        negotiation=negotiation,
        kind=m.EventKind.STATEMENT,
        summary="An Israeli official said the talks were in crisis.",
        date=dt.date(2024, 5, 20),
        date_precision=m.DatePrecision.WEEK,
        date_text="in recent days",
        published_at=aware(2024, 5, 20, 10),
    )
    f.EventParticipantFactory(event=crisis, actor=israel)
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
    return_trip = f.EventFactory(
        negotiation=negotiation,
        kind=m.EventKind.SCHEDULED,
        modality=m.Modality.PLANNED,
        summary="A Hamas delegation is expected back in Cairo.",
        date=dt.date(2024, 5, 28),
        date_text="on Tuesday",
        place=cairo,
        published_at=aware(2024, 5, 23, 10),
    )
    f.EventParticipantFactory(event=return_trip, actor=hamas)
    f.CitationFactory(event=return_trip, article=copy)
    candidate = f.EventFactory(
        negotiation=negotiation,
        kind=m.EventKind.PROPOSAL,  # what it says it is; not a look-alike of the meeting
        summary="A proposal the extractor found.",
        status=m.ReviewStatus.CANDIDATE,
        source_article=article,
        origin=m.EventOrigin.EXTRACTOR,
    )
    return Talks(
        negotiation=negotiation,
        israel=israel,
        hamas=hamas,
        egypt=egypt,
        round=round_,
        issue=issue,
        meeting=meeting,
        crisis=crisis,
        return_trip=return_trip,
        candidate=candidate,
        article=article,
        copy=copy,
        disputing_article=disputing_article,
    )
