"""Position services: publish, supersede, reject."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tests import factories as f
from timeline.models import (
    Position,
    ReviewStatus,
)
from timeline.services import (
    DomainError,
    position_publish,
    position_reject,
)

pytestmark = pytest.mark.django_db


# --- positions ----------------------------------------------------------------------------


def test_position_publish_first_stance_becomes_current():
    position = f.PositionFactory()

    position_publish(position)

    position.refresh_from_db()
    assert (position.status, position.is_current, position.supersedes) == (
        ReviewStatus.PUBLISHED,
        True,
        None,
    )


def test_position_publish_newer_stance_supersedes_current():
    old = position_publish(f.PositionFactory(valid_from=dt.date(2024, 5, 1)))
    new = f.PositionFactory(issue=old.issue, party=old.party, valid_from=dt.date(2024, 5, 19))

    position_publish(new)

    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.is_current, new.is_current) == (False, True)
    assert new.supersedes == old
    assert old.superseded_by == new
    assert list(Position.objects.current()) == [new]
    assert list(Position.objects.ledger()) == [old, new]


def test_position_publish_older_stance_enters_ledger_without_becoming_current():
    current = position_publish(f.PositionFactory(valid_from=dt.date(2024, 5, 19)))
    late = f.PositionFactory(
        issue=current.issue, party=current.party, valid_from=dt.date(2024, 4, 1)
    )

    position_publish(late)

    late.refresh_from_db()
    current.refresh_from_db()
    assert (late.status, late.is_current, current.is_current) == (
        ReviewStatus.PUBLISHED,
        False,
        True,
    )
    assert list(Position.objects.ledger()) == [late, current]


def test_position_publish_other_party_keeps_its_own_current():
    mine = position_publish(f.PositionFactory())
    theirs = position_publish(f.PositionFactory(issue=mine.issue))

    mine.refresh_from_db()
    assert (mine.is_current, theirs.is_current) == (True, True)


def test_position_one_current_constraint_holds_in_the_database():
    first = position_publish(f.PositionFactory())
    second = f.PositionFactory(issue=first.issue, party=first.party, status=ReviewStatus.PUBLISHED)

    second.is_current = True
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_position_current_must_be_published():
    position = f.PositionFactory(status=ReviewStatus.CANDIDATE)

    position.is_current = True
    with pytest.raises(IntegrityError), transaction.atomic():
        position.save()


def test_position_reject_candidate_and_refuse_published():
    candidate = f.PositionFactory()
    published = position_publish(f.PositionFactory())

    position_reject(candidate)

    candidate.refresh_from_db()
    assert candidate.status == ReviewStatus.REJECTED
    with pytest.raises(DomainError):
        position_reject(published)
