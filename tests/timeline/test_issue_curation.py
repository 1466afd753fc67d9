"""Issues can be curated like events and actors: published, hidden, merged (issue 18.7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories as f
from timeline import models as m
from timeline.services import (
    DomainError,
    event_publish,
    issue_merge,
    issue_reject,
    position_publish,
)

pytestmark = pytest.mark.django_db


def _candidate_issue(negotiation=None, title="ready return cairo") -> m.Issue:
    return f.IssueFactory(
        negotiation=negotiation or f.NegotiationFactory(),
        title=title,
        status=m.ReviewStatus.CANDIDATE,
    )


def test_issue_candidate_goes_public_with_the_first_published_stance():
    issue = _candidate_issue()
    position = f.PositionFactory(issue=issue)

    position_publish(position)

    issue.refresh_from_db()
    assert issue.status == m.ReviewStatus.PUBLISHED


def test_event_publish_publishes_its_candidate_issue_and_place():
    issue = _candidate_issue()
    place = m.Place.objects.create(name="Giza", slug="giza", status=m.ReviewStatus.CANDIDATE)
    event = f.EventFactory(
        negotiation=issue.negotiation, issue=issue, place=place, status=m.ReviewStatus.CANDIDATE
    )

    event_publish(event)

    issue.refresh_from_db()
    place.refresh_from_db()
    assert (issue.status, place.status) == (m.ReviewStatus.PUBLISHED, m.ReviewStatus.PUBLISHED)


def test_issue_merge_moves_positions_and_events_and_keeps_one_current_stance():
    target = f.IssueFactory(title="Ceasefire duration")
    source = _candidate_issue(target.negotiation, "ceasefire")
    party = f.ActorFactory(name="Hamas")
    old = position_publish(
        f.PositionFactory(issue=target, party=party, valid_from=dt.date(2024, 5, 1))
    )
    newer = position_publish(
        f.PositionFactory(issue=source, party=party, valid_from=dt.date(2024, 5, 19))
    )
    event = f.EventFactory(negotiation=target.negotiation, issue=source)

    issue_merge(source, target)

    source.refresh_from_db()
    old.refresh_from_db()
    newer.refresh_from_db()
    event.refresh_from_db()
    assert (source.status, source.merged_into) == (m.ReviewStatus.MERGED, target)
    assert (newer.issue, event.issue) == (target, target)
    assert (old.is_current, newer.is_current) == (False, True)


def test_issue_merge_across_negotiations_is_refused():
    with pytest.raises(DomainError, match="different negotiations"):
        issue_merge(f.IssueFactory(), f.IssueFactory())


@pytest.mark.parametrize(
    "status", [m.ReviewStatus.RETRACTED, m.ReviewStatus.MERGED, m.ReviewStatus.REJECTED]
)
def test_issue_decided_for_good_cannot_receive_a_merge(status):
    negotiation = f.NegotiationFactory()
    source = f.IssueFactory(negotiation=negotiation, title="hostages")
    target = f.IssueFactory(negotiation=negotiation, title="prisoners", status=status)

    with pytest.raises(DomainError, match="Cannot merge into an issue"):
        issue_merge(source, target)

    assert not target.can_receive_merge
    assert list(m.Issue.objects.merge_targets()) == [source]
    source.refresh_from_db()
    assert source.status == m.ReviewStatus.PUBLISHED


def test_issue_reject_refused_while_published_stances_use_it():
    issue = f.IssueFactory()
    position_publish(f.PositionFactory(issue=issue))

    with pytest.raises(DomainError, match="merge it into another issue"):
        issue_reject(issue)


def test_issue_hidden_is_gone_from_reader_filter_and_api():
    issue = _candidate_issue()
    negotiation = issue.negotiation
    published = f.IssueFactory(negotiation=negotiation, title="Hostages", slug="hostages")
    issue_reject(issue)

    page = Client().get(f"/n/{negotiation.slug}/").content.decode()
    api = Client().get("/api/v1/issues/").json()

    assert 'value="hostages"' in page and f'value="{issue.slug}"' not in page
    assert [row["slug"] for row in api["results"]] == [published.slug]


def test_admin_issue_actions_hide_and_merge(client):
    from django.contrib.auth.models import Group

    user = f.UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    target = f.IssueFactory(title="Withdrawal")
    source = _candidate_issue(target.negotiation, "withdrawal")
    junk = _candidate_issue(target.negotiation, "called demands hamas")
    url = reverse("admin:timeline_issue_changelist")

    client.post(url, {"action": "hide_issues", "_selected_action": [junk.pk]})
    asked = client.post(url, {"action": "merge_issues", "_selected_action": [source.pk]})
    client.post(
        url,
        {
            "action": "merge_issues",
            "_selected_action": [source.pk],
            "apply": "1",
            "target": target.pk,
        },
    )

    junk.refresh_from_db()
    source.refresh_from_db()
    assert b"Merge into" in asked.content
    assert junk.status == m.ReviewStatus.REJECTED
    assert (source.status, source.merged_into) == (m.ReviewStatus.MERGED, target)
