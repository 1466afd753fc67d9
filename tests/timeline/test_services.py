import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from tests import factories as f
from timeline.models import (
    Actor,
    ActorAlias,
    AliasKind,
    Citation,
    CitationStance,
    Event,
    EventParticipant,
    Participation,
    ParticipationRole,
    Position,
    ReviewStatus,
)
from timeline.services import (
    DomainError,
    actor_merge,
    citation_create,
    event_merge,
    event_publish,
    event_reject,
    event_retract,
    position_publish,
    position_reject,
)

pytestmark = pytest.mark.django_db


# --- events -------------------------------------------------------------------------------


def test_event_publish_candidate_becomes_published_with_timestamp():
    event = f.EventFactory(status=ReviewStatus.CANDIDATE)

    published = event_publish(event)

    assert published.status == ReviewStatus.PUBLISHED
    assert published.published_at is not None
    assert Event.objects.published().get() == event


def test_event_publish_without_negotiation_is_refused():
    event = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=None)

    with pytest.raises(DomainError, match="negotiation"):
        event_publish(event)

    event.refresh_from_db()
    assert event.status == ReviewStatus.CANDIDATE


def test_event_publish_with_chosen_negotiation_sets_it():
    event = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=None)
    negotiation = f.NegotiationFactory()

    published = event_publish(event, negotiation=negotiation)

    assert published.negotiation == negotiation
    assert published.status == ReviewStatus.PUBLISHED


def test_event_publish_promotes_candidate_actors_it_names():
    event = f.EventFactory(status=ReviewStatus.CANDIDATE)
    proposed = f.ActorFactory(status=ReviewStatus.CANDIDATE)
    f.EventParticipantFactory(event=event, actor=proposed)

    event_publish(event)

    proposed.refresh_from_db()
    assert proposed.status == ReviewStatus.PUBLISHED


def test_event_publish_merged_event_is_refused():
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)
    event_merge(source, target)

    with pytest.raises(DomainError, match="merged"):
        event_publish(source)


def test_event_reject_candidate_becomes_rejected():
    event = f.EventFactory(status=ReviewStatus.CANDIDATE)

    event_reject(event)

    event.refresh_from_db()
    assert event.status == ReviewStatus.REJECTED


def test_event_reject_published_event_is_refused():
    event = f.EventFactory(status=ReviewStatus.PUBLISHED)

    with pytest.raises(DomainError, match="Retract"):
        event_reject(event)


def test_event_retract_published_event_leaves_a_tombstone():
    event = f.EventFactory(status=ReviewStatus.PUBLISHED)

    event_retract(event)

    event.refresh_from_db()
    assert event.status == ReviewStatus.RETRACTED
    assert list(Event.objects.tombstones()) == [event]
    assert Event.objects.published().count() == 0


def test_event_retract_candidate_is_refused():
    event = f.EventFactory(status=ReviewStatus.CANDIDATE)

    with pytest.raises(DomainError):
        event_retract(event)


def test_event_merge_moves_citations_and_participants_and_leaves_tombstone():
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)
    shared_actor = f.ActorFactory()
    f.EventParticipantFactory(event=target, actor=shared_actor)
    f.EventParticipantFactory(event=source, actor=shared_actor)
    other_actor = f.ActorFactory()
    f.EventParticipantFactory(event=source, actor=other_actor)
    citation = f.CitationFactory(event=source)

    result = event_merge(source, target)

    source.refresh_from_db()
    assert result == target
    assert source.status == ReviewStatus.MERGED
    assert source.merged_into == target
    citation.refresh_from_db()
    assert citation.event == target
    assert sorted(target.participants.values_list("actor__name", flat=True)) == sorted(
        [shared_actor.name, other_actor.name]
    )
    assert EventParticipant.objects.filter(event=source).count() == 0
    assert list(Event.objects.tombstones()) == [source]


def test_event_merge_fills_missing_date_and_place_from_source():
    target = f.EventFactory(date=None, date_text="", place=None)
    place = f.PlaceFactory()
    source = f.EventFactory(
        status=ReviewStatus.CANDIDATE,
        negotiation=target.negotiation,
        date=dt.date(2024, 5, 19),
        date_text="on Sunday",
        place=place,
    )

    event_merge(source, target)

    target.refresh_from_db()
    assert (target.date, target.date_text, target.place) == (
        dt.date(2024, 5, 19),
        "on Sunday",
        place,
    )


def test_event_merge_repoints_earlier_tombstones_to_the_new_target():
    final = f.EventFactory()
    middle = f.EventFactory(negotiation=final.negotiation)
    first = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=final.negotiation)
    event_merge(first, middle)

    event_merge(middle, final)

    first.refresh_from_db()
    assert first.merged_into == final


def test_event_merge_into_itself_is_refused():
    event = f.EventFactory()

    with pytest.raises(DomainError, match="itself"):
        event_merge(event, event)


def test_event_merge_into_rejected_event_is_refused():
    target = f.EventFactory(status=ReviewStatus.REJECTED)
    source = f.EventFactory(status=ReviewStatus.CANDIDATE)

    with pytest.raises(DomainError, match="rejected"):
        event_merge(source, target)


def test_event_merge_already_merged_source_is_refused():
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)
    event_merge(source, target)
    other = f.EventFactory(negotiation=target.negotiation)

    with pytest.raises(DomainError, match="already merged"):
        event_merge(source, other)


def test_event_merge_history_records_the_tombstone():
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)

    event_merge(source, target)

    assert source.history.first().status == ReviewStatus.MERGED
    assert source.history.first().merged_into_id == target.pk


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


# --- concurrency: two writers at once on PostgreSQL ------------------------------------------
# The test's own transaction holds the locks of a first service call while a second call runs
# in a thread on its own connection; once the thread is seen waiting on a lock, the first
# transaction commits and the second must finish correctly on what it then finds.


@pytest.fixture
def concurrent_db(postgres_required, transactional_db):
    return None


def _in_thread(call) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = call()
        except Exception as exc:  # handed to the test, which asserts on it
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _wait_until_another_session_waits_on_a_lock(timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Statistics views are a snapshot held for the whole transaction unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    pytest.fail("the second writer never waited on the first one's lock")


def _finish(thread: threading.Thread, outcome: dict):
    thread.join(timeout=20)
    assert not thread.is_alive()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def test_position_publish_concurrent_stances_of_one_party_supersede_in_turn(concurrent_db):
    first = f.PositionFactory(valid_from=dt.date(2024, 5, 1))
    second = f.PositionFactory(
        issue=first.issue, party=first.party, valid_from=dt.date(2024, 5, 19)
    )

    with transaction.atomic():
        position_publish(first)
        thread, outcome = _in_thread(lambda: position_publish(second))
        _wait_until_another_session_waits_on_a_lock()
    _finish(thread, outcome)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_current, second.is_current, second.supersedes_id) == (False, True, first.pk)


def test_event_publish_during_actor_merge_leaves_the_merged_actor_a_tombstone(concurrent_db):
    proposed = f.ActorFactory(status=ReviewStatus.CANDIDATE)
    survivor = f.ActorFactory()
    event = f.EventFactory(status=ReviewStatus.CANDIDATE)
    f.EventParticipantFactory(event=event, actor=proposed)

    with transaction.atomic():
        actor_merge(proposed, survivor)
        thread, outcome = _in_thread(lambda: event_publish(event))
        _wait_until_another_session_waits_on_a_lock()
    _finish(thread, outcome)

    proposed.refresh_from_db()
    event.refresh_from_db()
    assert (proposed.status, proposed.merged_into) == (ReviewStatus.MERGED, survivor)
    assert event.status == ReviewStatus.PUBLISHED
    assert list(event.participants.values_list("actor", flat=True)) == [survivor.pk]


def test_event_merge_during_actor_merge_moves_the_surviving_actor(concurrent_db):
    merged_away, survivor = f.ActorFactory(), f.ActorFactory()
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)
    f.EventParticipantFactory(event=source, actor=merged_away)

    with transaction.atomic():
        actor_merge(merged_away, survivor)
        thread, outcome = _in_thread(lambda: event_merge(source, target))
        _wait_until_another_session_waits_on_a_lock()
    _finish(thread, outcome)

    assert list(target.participants.values_list("actor", flat=True)) == [survivor.pk]
    assert not EventParticipant.objects.filter(actor=merged_away).exists()


def test_citation_create_during_event_merge_refuses_the_tombstone(concurrent_db):
    target = f.EventFactory()
    source = f.EventFactory(status=ReviewStatus.CANDIDATE, negotiation=target.negotiation)
    article = f.ArticleFactory(text="The talks collapsed.")

    with transaction.atomic():
        event_merge(source, target)
        thread, outcome = _in_thread(
            lambda: citation_create(article=article, start=0, end=9, event=source)
        )
        _wait_until_another_session_waits_on_a_lock()

    with pytest.raises(DomainError, match="cite that one"):
        _finish(thread, outcome)
    assert not Citation.objects.filter(event=source).exists()


def test_position_publish_during_actor_merge_publishes_under_the_surviving_party(concurrent_db):
    merged_away, survivor = f.ActorFactory(), f.ActorFactory()
    held = position_publish(
        f.PositionFactory(party=survivor, valid_from=dt.date(2024, 5, 1), stance="truce")
    )
    newer = f.PositionFactory(
        party=merged_away, issue=held.issue, valid_from=dt.date(2024, 5, 19), stance="peace"
    )

    with transaction.atomic():
        actor_merge(merged_away, survivor)
        thread, outcome = _in_thread(lambda: position_publish(newer))
        _wait_until_another_session_waits_on_a_lock()
    _finish(thread, outcome)

    current = Position.objects.current().get(issue=held.issue)
    assert (current.pk, current.party, current.supersedes_id) == (newer.pk, survivor, held.pk)
