"""The timeline's change stamp: every service that changes what the timeline shows moves it in
its own transaction; what the public never sees does not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction

from tests import factories as f
from timeline import models as m
from timeline.services import (
    actor_merge,
    citation_create,
    event_merge,
    event_publish,
    event_reject,
    event_retract,
)

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    negotiation: m.Negotiation
    other: m.Negotiation
    published: m.Event
    second: m.Event
    candidate: m.Event
    article: m.Article
    speaker: m.Actor
    stray: m.Actor


@pytest.fixture
def scene() -> Scene:
    negotiation, other = f.NegotiationFactory(), f.NegotiationFactory()
    published = f.EventFactory(negotiation=negotiation)
    second = f.EventFactory(negotiation=negotiation)
    candidate = f.EventFactory(negotiation=negotiation, status=m.ReviewStatus.CANDIDATE)
    speaker = f.PersonFactory()
    f.EventParticipantFactory(event=published, actor=speaker)
    article = f.ArticleFactory(text="Talks resumed in Cairo on Sunday.")
    f.CitationFactory(event=second, article=f.ArticleFactory(title="Cited"))
    return Scene(
        negotiation=negotiation,
        other=other,
        published=published,
        second=second,
        candidate=candidate,
        article=article,
        speaker=speaker,
        stray=f.PersonFactory(),
    )


def _version(negotiation: m.Negotiation) -> int:
    return m.Negotiation.objects.get(pk=negotiation.pk).content_version


MOVES: dict[str, Callable[[Scene], object]] = {
    "publish": lambda s: event_publish(s.candidate),
    "retract": lambda s: event_retract(s.published),
    "merge": lambda s: event_merge(s.second, s.published),
    "cite": lambda s: citation_create(article=s.article, start=0, end=5, event=s.published),
    "merge_actor": lambda s: actor_merge(s.speaker, s.stray),
    "edit_event": lambda s: setattr(s.published, "summary", "Edited") or s.published.save(),
    "move_event": lambda s: setattr(s.published, "negotiation", s.other) or s.published.save(),
    "rename_actor": lambda s: setattr(s.speaker, "name", "Renamed") or s.speaker.save(),
    "retitle_article": lambda s: (
        setattr(article := s.second.citations.get().article, "title", "New") or article.save()
    ),
}


@pytest.mark.parametrize("move", MOVES.values(), ids=MOVES.keys())
def test_every_change_the_timeline_shows_moves_the_stamp_in_its_transaction(scene, move):
    before = _version(scene.negotiation)
    seen_inside: list[int] = []

    with transaction.atomic():
        move(scene)
        seen_inside.append(_version(scene.negotiation))

    assert seen_inside[0] > before


def test_moving_an_event_away_moves_both_negotiations(scene):
    before = (_version(scene.negotiation), _version(scene.other))

    scene.published.negotiation = scene.other
    scene.published.save()

    assert _version(scene.negotiation) > before[0]
    assert _version(scene.other) > before[1]


def test_candidates_do_not_move_the_stamp(scene):
    before = _version(scene.negotiation)

    citation_create(article=scene.article, start=0, end=5, event=scene.candidate)
    scene.candidate.summary = "Reworded by the extractor"
    scene.candidate.save()
    event_reject(scene.candidate)
    f.EventFactory(negotiation=scene.negotiation, status=m.ReviewStatus.CANDIDATE)

    assert _version(scene.negotiation) == before


def test_a_rolled_back_change_leaves_the_stamp(scene):
    before = _version(scene.negotiation)

    with pytest.raises(RuntimeError), transaction.atomic():
        event_retract(scene.published)
        raise RuntimeError

    assert _version(scene.negotiation) == before
