"""Citation services: create from a quote, stances."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests import factories as f
from timeline.models import (
    Citation,
    CitationStance,
    Position,
    ReviewStatus,
)
from timeline.services import (
    DomainError,
    citation_create,
    event_merge,
    event_publish,
    position_publish,
)

pytestmark = pytest.mark.django_db


# --- citations ----------------------------------------------------------------------------


def test_citation_create_takes_quote_from_article_span():
    article = f.ArticleFactory(text="The talks collapsed on Sunday, an official said.")
    event = f.EventFactory()

    citation = citation_create(
        article=article, start=4, end=20, event=event, stance=CitationStance.DISPUTES
    )

    assert citation.quote == "talks collapsed "[:16]
    assert citation.quote == article.text[4:20]
    citation.full_clean()


@pytest.mark.parametrize(("start", "end"), [(-1, 5), (5, 5), (10, 4), (0, 999)])
def test_citation_create_span_outside_text_is_refused(start, end):
    article = f.ArticleFactory(text="Short text.")
    event = f.EventFactory()

    with pytest.raises(DomainError, match="outside"):
        citation_create(article=article, start=start, end=end, event=event)

    assert Citation.objects.count() == 0


def test_citation_create_needs_exactly_one_target():
    article = f.ArticleFactory()

    with pytest.raises(DomainError, match="exactly one"):
        citation_create(article=article, start=0, end=3)
    with pytest.raises(DomainError, match="exactly one"):
        citation_create(
            article=article, start=0, end=3, event=f.EventFactory(), position=f.PositionFactory()
        )


def test_citation_clean_quote_not_matching_span_is_invalid():
    citation = f.CitationFactory()

    citation.quote = "something the article never said"
    with pytest.raises(ValidationError, match="exactly"):
        citation.full_clean()


def test_position_ledger_puts_undated_superseded_stance_before_its_successor():
    old = position_publish(f.PositionFactory(valid_from=None, date_text="long-standing"))
    new = position_publish(
        f.PositionFactory(issue=old.issue, party=old.party, valid_from=dt.date(2024, 5, 13))
    )

    assert list(Position.objects.ledger()) == [old, new]
    assert new.supersedes == old


def test_event_merge_published_into_candidate_is_refused():
    candidate = f.EventFactory(status=ReviewStatus.CANDIDATE)
    published = f.EventFactory(negotiation=candidate.negotiation)

    with pytest.raises(DomainError, match="published event into an unpublished"):
        event_merge(published, candidate)

    published.refresh_from_db()
    assert published.status == ReviewStatus.PUBLISHED


def test_event_merge_across_negotiations_is_refused():
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE)

    with pytest.raises(DomainError, match="different negotiations"):
        event_merge(source, target)


def test_event_merge_moves_are_in_citation_history():
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)
    citation = f.CitationFactory(event=source)

    event_merge(source, target)

    assert [h.event_id for h in citation.history.all()] == [target.pk, source.pk]


def test_event_publish_promoted_actor_change_is_in_history():
    event = f.EventFactory(status=ReviewStatus.CANDIDATE)
    proposed = f.ActorFactory(status=ReviewStatus.CANDIDATE)
    f.EventParticipantFactory(event=event, actor=proposed, role="actor")
    f.EventParticipantFactory(event=event, actor=proposed, role="recipient")

    event_publish(event)

    assert [h.status for h in proposed.history.all()] == [
        ReviewStatus.PUBLISHED,
        ReviewStatus.CANDIDATE,
    ]
