"""Refusals that guard tombstones (rows merged or rejected away)."""

import pytest

from tests import factories as f
from timeline.models import (
    Citation,
    ReviewStatus,
)
from timeline.services import (
    DomainError,
    actor_merge,
    citation_create,
    event_merge,
    position_publish,
)

pytestmark = pytest.mark.django_db


# --- refusals that guard tombstones ----------------------------------------------------------


def test_citation_create_on_merged_event_is_refused():
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)
    event_merge(source, target)
    article = f.ArticleFactory(text="The talks collapsed.")

    with pytest.raises(DomainError, match=f"merged into event {target.pk}"):
        citation_create(article=article, start=0, end=4, event=source)

    assert Citation.objects.count() == 0


def test_actor_merge_already_merged_source_is_refused_and_keeps_its_pointer():
    first, second = f.ActorFactory(name="Qatar"), f.ActorFactory(name="Egypt")
    source = f.ActorFactory(name="State of Qatar")
    actor_merge(source, first)

    with pytest.raises(DomainError, match="already merged"):
        actor_merge(source, second)

    source.refresh_from_db()
    assert (source.status, source.merged_into) == (ReviewStatus.MERGED, first)


def test_position_publish_promotes_a_proposed_party_in_history():
    party = f.ActorFactory(status=ReviewStatus.CANDIDATE)
    position = f.PositionFactory(party=party)

    published = position_publish(position)

    party.refresh_from_db()
    assert (published.party.status, party.status) == (ReviewStatus.PUBLISHED,) * 2
    assert [h.status for h in party.history.all()] == [
        ReviewStatus.PUBLISHED,
        ReviewStatus.CANDIDATE,
    ]
