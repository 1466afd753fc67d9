"""Actor services: merge and its aliases, participations, links."""

import datetime as dt

import pytest

from tests import factories as f
from timeline.models import (
    Actor,
    ActorAlias,
    AliasKind,
    Participation,
    ParticipationRole,
    ReviewStatus,
)
from timeline.services import (
    DomainError,
    actor_merge,
    position_publish,
)

pytestmark = pytest.mark.django_db


# --- actors -------------------------------------------------------------------------------


def test_actor_merge_keeps_every_alias_and_the_source_name():
    target = f.ActorFactory(name="Qatar", slug="qatar")
    f.ActorAliasFactory(actor=target, name="Qatari", kind=AliasKind.DEMONYM)
    source = f.ActorFactory(name="State of Qatar", slug="state-of-qatar")
    f.ActorAliasFactory(actor=source, name="Doha government")
    f.ActorAliasFactory(actor=source, name="qatari")  # same as the target's, normalised

    actor_merge(source, target)

    names = sorted(target.aliases.values_list("name", flat=True))
    assert names == ["Doha government", "Qatari", "State of Qatar"]
    assert ActorAlias.objects.filter(actor=source).count() == 0
    assert list(Actor.objects.matching_name("State of Qatar")) == [target]


def test_actor_merge_repoints_every_reference():
    target = f.ActorFactory()
    source = f.ActorFactory()
    negotiation = f.NegotiationFactory()
    f.ParticipationFactory(negotiation=negotiation, actor=source, role=ParticipationRole.MEDIATOR)
    participant = f.EventParticipantFactory(actor=source)
    citation = f.CitationFactory(speaker=source, speaker_side=source)
    delegation = f.DelegationFactory(actor=source, head=source)
    member = delegation.members.create(person=source, role="negotiator")
    position = f.PositionFactory(party=source)
    person = f.PersonFactory(affiliation=source)
    outlet = f.OutletFactory(actor=source)

    actor_merge(source, target)

    for row in (participant, citation, delegation, member, position, person, outlet):
        row.refresh_from_db()
    assert participant.actor == target
    assert (citation.speaker, citation.speaker_side) == (target, target)
    assert (delegation.actor, delegation.head) == (target, target)
    assert member.person == target
    assert position.party == target
    assert person.affiliation == target
    assert outlet.actor == target
    assert Participation.objects.get(negotiation=negotiation).actor == target
    source.refresh_from_db()
    assert (source.status, source.merged_into) == (ReviewStatus.MERGED, target)


def test_actor_merge_drops_duplicate_participation_and_event_role():
    target = f.ActorFactory()
    source = f.ActorFactory()
    negotiation = f.NegotiationFactory()
    f.ParticipationFactory(negotiation=negotiation, actor=target)
    f.ParticipationFactory(negotiation=negotiation, actor=source)
    event = f.EventFactory(negotiation=negotiation)
    f.EventParticipantFactory(event=event, actor=target)
    f.EventParticipantFactory(event=event, actor=source)

    actor_merge(source, target)

    assert list(Participation.objects.values_list("actor", flat=True)) == [target.pk]
    assert list(event.participants.values_list("actor", flat=True)) == [target.pk]


def test_actor_merge_target_member_of_source_loses_nothing():
    source = f.ActorFactory(name="Hamas political bureau")
    target = f.PersonFactory(affiliation=source)
    f.EventParticipantFactory(actor=target)

    actor_merge(source, target)

    target.refresh_from_db()
    assert target.affiliation is None
    assert target.status == ReviewStatus.PUBLISHED
    assert target.event_participations.count() == 1


def test_actor_merge_both_current_positions_on_one_issue_keeps_both_newest_current():
    issue = f.IssueFactory()
    target = f.ActorFactory()
    source = f.ActorFactory()
    older = position_publish(
        f.PositionFactory(issue=issue, party=target, valid_from=dt.date(2024, 5, 1))
    )
    newer = position_publish(
        f.PositionFactory(issue=issue, party=source, valid_from=dt.date(2024, 5, 9))
    )
    f.CitationFactory(event=None, position=newer)

    actor_merge(source, target)

    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.party, newer.party) == (target, target)
    assert (older.is_current, newer.is_current) == (False, True)
    assert newer.citations.count() == 1


def test_actor_merge_both_with_delegation_at_one_round_is_refused_without_loss():
    round_ = f.RoundFactory()
    target = f.ActorFactory()
    source = f.ActorFactory()
    f.DelegationFactory(round=round_, actor=target)
    kept = f.DelegationFactory(round=round_, actor=source)

    with pytest.raises(DomainError, match="delegation"):
        actor_merge(source, target)

    kept.refresh_from_db()
    assert kept.actor == source
    source.refresh_from_db()
    assert source.status == ReviewStatus.PUBLISHED


def test_actor_merge_moves_wikidata_id_and_role():
    target = f.PersonFactory(role="")
    source = f.PersonFactory(role="CIA Director", wikidata_id="Q123")

    actor_merge(source, target)

    target.refresh_from_db()
    assert (target.role, target.wikidata_id) == ("CIA Director", "Q123")


def test_actor_merge_into_itself_is_refused():
    actor = f.ActorFactory()

    with pytest.raises(DomainError, match="itself"):
        actor_merge(actor, actor)


def test_actor_merge_into_merged_actor_is_refused():
    final = f.ActorFactory()
    merged = f.ActorFactory()
    actor_merge(merged, final)

    with pytest.raises(DomainError, match="merge into"):
        actor_merge(f.ActorFactory(), merged)
