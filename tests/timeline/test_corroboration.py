"""Issue 13: one event, many reports. The matcher, candidate citations instead of duplicate
candidates, source counts, retraction, disputes across outlets; the labelled pairs' figures."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import (
    ActorFactory,
    ArticleFactory,
    CitationFactory,
    EventFactory,
    EventParticipantFactory,
    NegotiationFactory,
    OutletFactory,
    PlaceFactory,
)
from timeline.models import (
    Actor,
    Citation,
    CitationProposal,
    CitationStance,
    Event,
    Place,
    ProposalStatus,
    ReviewStatus,
)
from timeline.selectors.matching import (
    Happening,
    Knowledge,
    actor_overlap,
    decide,
    find_matches,
    known_about,
    score,
)
from timeline.selectors.matching_eval import CHECK, FRESH, FRESH2, PAIRS, WORLD, evaluate
from timeline.selectors.timeline import TimelineFilters, timeline_for_negotiation
from timeline.services import candidates_propose
from timeline.services.corroboration import (
    article_retract,
    citation_proposal_attach,
    duplicate_attach,
)

SEED_CHROME = "Westside People\n\nComplete News World"


def _seed(gold_dir: Path) -> dict:
    return json.loads((gold_dir / "seed-cairo-impasse.json").read_text(encoding="utf-8"))


def _when(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day + "T09:00"))


# --- the labelled pairs --------------------------------------------------------------------


# Floors per file: (file, pairs, "same" pairs, "different" pairs, precision, recall).
# tune (pairs.json): the weights were chosen on it; measured 0.950 / 0.974 (0.949 / 0.949
#   before parties and day outweighed the summary; 0.946 / 0.897 before containment and
#   affiliations): floors just under, so losing one decision fails.
# check (pairs_check.json): held out, never tuned on; 0.929 / 0.907 (0.967 / 0.674 at the start
#   of 2026-12-06; affiliations cost one wrong "same": US-Iran talks and the White House's
#   denial of them now share the United States).
# fresh (pairs_fresh.json): held out until its misses were read, since then a second tune set;
#   1.000 / 0.684, recall under the 0.7 (not met), so the floor is the measured value.
#   Precision floor 0.9: one wrong "same" in 9 would be 0.889.
# fresh2 (pairs_fresh2.json): written and measured before revision 3 (1.000 / 0.304), never
#   used to choose it; 1.000 / 0.913 once after. Its "different" pairs are mostly another day,
#   which the date gate drops, so its precision says less about same-day neighbours.
FLOORS = [
    pytest.param(PAIRS, 60, 25, 25, 0.94, 0.97, id="tune"),
    pytest.param(CHECK, 55, 25, 25, 0.92, 0.9, id="check"),
    pytest.param(FRESH, 30, 15, 15, 0.9, 0.68, id="fresh"),
    pytest.param(FRESH2, 40, 20, 20, 0.9, 0.9, id="fresh2"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "pairs", "same", "different", "precision", "recall"), FLOORS)
def test_labelled_pairs_meet_their_floors(path, pairs, same, different, precision, recall):
    """Each pair file, scored with the actor and place tables of world.json, keeps its floors
    (both labels well represented, precision and recall)."""
    figures = evaluate(path)
    print(
        f"{path.name} pairs={figures.pairs} precision={figures.precision:.3f} "
        f"recall={figures.recall:.3f}"
    )
    assert figures.pairs >= pairs
    assert figures.true_positive + figures.false_negative >= same
    assert figures.false_positive + figures.true_negative >= different
    assert figures.precision >= precision
    assert figures.recall >= recall


@pytest.mark.django_db
def test_world_file_knows_every_name_of_every_pair_file_and_leaves_no_rows(tmp_path):
    """Every actor and place name of the four files is in world.json (the same rules for
    every name, not only the missed ones), and evaluating leaves the database as it was."""
    actors, places = Actor.objects.count(), Place.objects.count()
    for path in (PAIRS, CHECK, FRESH, FRESH2):
        assert evaluate(path).unknown == ()
    assert (Actor.objects.count(), Place.objects.count()) == (actors, places)
    # A name the world file lacks is still scored (a row of its own) and reported.
    empty = tmp_path / "empty.json"
    empty.write_text('{"places": [], "actors": []}', encoding="utf-8")
    unknown = evaluate(FRESH, world=empty).unknown
    assert "actor Putin" in unknown and "place Stormont" in unknown
    world = json.loads(WORLD.read_text(encoding="utf-8"))
    assert sum(1 for p in world["places"] if p["within"]) >= 50
    assert sum(1 for a in world["actors"] if a["kind"] == "person" and a["affiliation"]) >= 50


def test_check_pairs_are_new():
    """No two labelled files share a pair (held out means not seen)."""

    def sides(path) -> set[str]:
        return {
            json.dumps([p["a"], p["b"]], sort_keys=True)
            for p in json.loads(path.read_text(encoding="utf-8"))
        }

    assert not sides(PAIRS) & sides(CHECK)
    assert not sides(FRESH) & (sides(PAIRS) | sides(CHECK))
    assert not sides(FRESH2) & (sides(PAIRS) | sides(CHECK) | sides(FRESH))


@pytest.mark.django_db
def test_corroboration_eval_command_prints_the_figures_per_file():
    out = StringIO()
    call_command("corroboration_eval", stdout=out)
    text = out.getvalue()
    for name in ("tune", "check", "fresh"):
        assert f"{name}: precision=" in text and "recall=" in text


# --- the score's gates ---------------------------------------------------------------------

CAIRO_IMPASSE = {
    "kind": "breakdown",
    "date": dt.date(2024, 5, 19),
    "place_id": 1,
    "actor_ids": [1, 2],
    "summary": "The latest round of ceasefire talks in Cairo reached an impasse.",
}


def test_score_gates_kind_date_and_place():
    base = Happening.of(**CAIRO_IMPASSE)
    assert score(base, Happening.of(**{**CAIRO_IMPASSE, "kind": "agreement"})) is None
    later = {**CAIRO_IMPASSE, "date": dt.date(2024, 5, 23)}
    assert score(base, Happening.of(**later)) is None  # four days off a day-precise date
    assert score(base, Happening.of(**{**CAIRO_IMPASSE, "place_id": 2})) is None
    # A month-precise account of the same breakdown is within its precision.
    month = {**CAIRO_IMPASSE, "date": dt.date(2024, 5, 1), "date_precision": "month"}
    assert score(base, Happening.of(**month)) is not None
    # Scheduled talks and the meeting once the day came are one happening.
    talks = Happening.of(kind="scheduled", date=dt.date(2024, 5, 19), summary="Cairo talks")
    assert score(talks, Happening.of(kind="meeting", date=dt.date(2024, 5, 19))) is not None


# --- places within places, people as their state -----------------------------------------

# Stormont (10) in Belfast (11) in Britain (12); Dublin (13) in Ireland (14).
_KNOWN = Knowledge(
    lines={10: (10, 11, 12), 11: (11, 12), 13: (13, 14)},
    reach={1: frozenset({1, 2}), 4: frozenset({4, 5})},  # Blair (1) for Britain (2), ...
)
_ACCORD = {
    "kind": "agreement",
    "date": dt.date(1998, 4, 10),
    "summary": "Negotiators reached the Good Friday agreement after talks ran past midnight.",
}


def test_a_venue_and_the_place_it_lies_in_agree_with_partial_credit():
    venue = Happening.of(**_ACCORD, place_id=10, actor_ids=[2])
    city = Happening.of(**_ACCORD, place_id=11, actor_ids=[2])
    country = Happening.of(**_ACCORD, place_id=12, actor_ids=[2])
    # Without the place table they are two places, and the gate drops the pair.
    assert score(venue, city) is None
    in_city = score(venue, city, _KNOWN)
    assert in_city is not None and in_city.parts["place"] == 0.5
    assert score(city, venue, _KNOWN) == in_city  # whichever report names the venue
    assert score(venue, country, _KNOWN).parts["place"] == 0.25  # two levels up
    # Between silence and the same venue: containment is agreement, only weaker (another
    # outlet's wording, so the other parts are short of 1).
    other = {**_ACCORD, "summary": "The Good Friday accord was struck.", "actor_ids": [2]}
    silent = score(venue, Happening.of(**other), _KNOWN)
    in_city = score(venue, Happening.of(**other, place_id=11), _KNOWN)
    same = score(venue, Happening.of(**other, place_id=10), _KNOWN)
    assert silent.score < in_city.score < same.score
    # Places with no containment either way stay a conflict, however close (another city
    # of another country; a country and a city of another one).
    assert score(venue, Happening.of(**_ACCORD, place_id=13), _KNOWN) is None
    assert score(city, Happening.of(**_ACCORD, place_id=14), _KNOWN) is None


def test_a_person_counts_as_the_state_they_act_for():
    states = Happening.of(**_ACCORD, actor_ids=[2, 5])  # Britain, Ireland
    leaders = Happening.of(**_ACCORD, actor_ids=[1, 4])  # Blair, Ahern
    assert actor_overlap(states, leaders) == 0.0  # rows alone: four different parties
    assert actor_overlap(states, leaders, _KNOWN) == 1.0
    assert actor_overlap(leaders, states, _KNOWN) == 1.0
    # One leader of two states named: the leader's side matches fully (overlap coefficient).
    assert actor_overlap(Happening.of(**_ACCORD, actor_ids=[1]), states, _KNOWN) == 1.0
    # A party of its own (3) stays itself: half of a two-party list.
    assert actor_overlap(Happening.of(**_ACCORD, actor_ids=[1, 3]), leaders, _KNOWN) == 0.5
    assert score(states, leaders, _KNOWN).score > score(states, leaders).score


@pytest.mark.django_db
def test_known_about_reads_both_chains_from_the_tables_in_one_query(
    django_assert_num_queries,
):
    britain = PlaceFactory(name="Britain")
    belfast = PlaceFactory(name="Belfast", within=PlaceFactory(name="NI", within=britain))
    stormont = PlaceFactory(name="Stormont", within=belfast)
    uk = ActorFactory(name="United Kingdom")
    blair = ActorFactory(name="Tony Blair", kind="person", affiliation=uk)
    loop_a = PlaceFactory(name="A")
    loop_b = PlaceFactory(name="B", within=loop_a)
    Place.objects.filter(pk=loop_a.pk).update(within=loop_b)  # a loop written past clean()
    with django_assert_num_queries(1):
        known = known_about([stormont.pk, None, loop_a.pk], [blair.pk, uk.pk])
    assert known.line(stormont.pk) == (stormont.pk, belfast.pk, belfast.within_id, britain.pk)
    assert known.line(britain.pk) == (britain.pk,)
    assert known.line(loop_a.pk) == (loop_a.pk, loop_b.pk)  # the cap ends the loop
    assert known.reach_of(blair.pk) == {blair.pk, uk.pk}
    assert known.reach_of(uk.pk) == {uk.pk}


@pytest.mark.django_db
def test_find_matches_uses_containment_and_affiliation_in_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    negotiation = NegotiationFactory()
    belfast = PlaceFactory(name="Belfast")
    stormont = PlaceFactory(name="Stormont", within=belfast)
    uk, ireland = ActorFactory(name="United Kingdom"), ActorFactory(name="Ireland")
    blair = ActorFactory(name="Tony Blair", kind="person", affiliation=uk)
    ahern = ActorFactory(name="Bertie Ahern", kind="person", affiliation=ireland)
    stored = EventFactory(
        negotiation=negotiation,
        kind="agreement",
        date=_ACCORD["date"],
        summary="The Good Friday agreement was reached at Stormont after talks ran past midnight.",
        place=stormont,
    )
    for actor in (blair, ahern):
        EventParticipantFactory(event=stored, actor=actor)
    report = Happening.of(**_ACCORD, place_id=belfast.pk, actor_ids=[uk.pk, ireland.pk])
    with django_assert_num_queries(2):
        found = find_matches(report, negotiation.pk)
    assert [m.event_id for m in found] == [stored.pk]
    assert found[0].parts["actors"] == 1.0 and found[0].parts["place"] == 0.5
    assert decide(found).action == "cite"
    # Two more candidates (another venue in another city, with other people): still two
    # queries (as before place and actor chains), not a lookup per candidate.
    elsewhere = PlaceFactory(name="Dublin")
    for n in range(2):
        other = EventFactory(
            negotiation=negotiation,
            kind="agreement",
            date=_ACCORD["date"],
            summary=f"Side deal {n}",
            place=PlaceFactory(name=f"Venue {n}", within=elsewhere),
        )
        EventParticipantFactory(
            event=other, actor=ActorFactory(kind="person", affiliation=ActorFactory())
        )
    with django_assert_num_queries(2):
        again = find_matches(report, negotiation.pk)
    assert [m.event_id for m in again] == [stored.pk]


@pytest.mark.django_db
def test_find_matches_reads_the_affiliation_of_the_proposals_own_people():
    """The report names the leaders, the stored event the states: the chain of the report's
    own actors is read too, not only the stored participants'."""
    negotiation = NegotiationFactory()
    russia, ukraine = ActorFactory(name="Russia"), ActorFactory(name="Ukraine")
    putin = ActorFactory(name="Vladimir Putin", kind="person", affiliation=russia)
    poroshenko = ActorFactory(name="Petro Poroshenko", kind="person", affiliation=ukraine)
    stored = EventFactory(
        negotiation=negotiation,
        kind="agreement",
        date=dt.date(2015, 2, 12),
        summary="Russia and Ukraine agreed a ceasefire deal in Minsk after all-night talks.",
    )
    for actor in (russia, ukraine):
        EventParticipantFactory(event=stored, actor=actor)
    report = Happening.of(
        kind="agreement",
        date=dt.date(2015, 2, 12),
        actor_ids=[putin.pk, poroshenko.pk],
        summary="The leaders reached a ceasefire accord after all-night talks in Minsk.",
    )
    found = find_matches(report, negotiation.pk)
    assert [m.event_id for m in found] == [stored.pk]
    assert found[0].parts["actors"] == 1.0


def test_decide_cites_one_confident_match_and_marks_the_rest(settings):
    from timeline.selectors.matching import Match

    high, other = settings.MATCH_CITE_SCORE + 0.1, settings.MATCH_GREY_SCORE + 0.01
    assert decide([]).action == "new"
    assert decide([Match(1, high)]).action == "cite"
    assert decide([Match(1, high), Match(2, high)]).action == "possible_duplicate"
    assert decide([Match(1, other)]).action == "possible_duplicate"
    # One confident match well ahead of a grey runner-up is cited; a close runner-up is not.
    assert decide([Match(1, high), Match(2, high - 0.2)]).action == "cite"
    assert decide([Match(1, high), Match(2, high - 0.05)]).action == "possible_duplicate"


@pytest.mark.django_db
def test_find_matches_only_looks_at_the_negotiations_window():
    negotiation = NegotiationFactory()
    cairo = PlaceFactory(name="Cairo")
    summary = "The latest round of ceasefire talks in Cairo reached an impasse."
    same = EventFactory(negotiation=negotiation, kind="breakdown", summary=summary, place=cairo)
    EventFactory(negotiation=NegotiationFactory(), kind="breakdown", summary=summary)
    EventFactory(
        negotiation=negotiation, kind="breakdown", summary=summary, date=dt.date(2024, 6, 30)
    )
    EventFactory(
        negotiation=negotiation, kind="breakdown", summary=summary, status=ReviewStatus.REJECTED
    )
    found = find_matches(
        Happening.of(
            kind="walkout",
            date=dt.date(2024, 5, 19),
            place_id=cairo.pk,
            summary="Talks in Cairo reached an impasse as Hamas walked out.",
        ),
        negotiation.pk,
    )
    assert [m.event_id for m in found] == [same.pk]


# --- the extractor: variants of the seed ---------------------------------------------------


@pytest.fixture
def seed_negotiation(db, gold_dir):
    """The seed proposed and its events published, as an editor would have left them."""
    seed = _seed(gold_dir)
    negotiation = NegotiationFactory()
    original = ArticleFactory(
        text=seed["text"],
        title=seed["title"],
        published_at=_when("2024-05-23"),
        outlet=OutletFactory(name="The New York Times"),
    )
    candidates_propose(original, negotiation)
    for event in Event.objects.filter(source_article=original, status=ReviewStatus.CANDIDATE):
        event.status = ReviewStatus.PUBLISHED
        event.save()
    return negotiation, original, seed


def _proposals(article):
    return CitationProposal.objects.filter(article=article)


def _snapshot(article):
    return (
        sorted(Event.objects.filter(source_article=article).values_list("id", "extraction_key")),
        sorted(Citation.objects.filter(article=article).values_list("id", "event_id")),
        sorted(_proposals(article).values_list("id", "event_id", "start", "end", "status")),
    )


def test_another_outlets_copy_of_the_seed_cites_its_events_instead_of_new_ones(
    seed_negotiation,
):
    negotiation, original, seed = seed_negotiation
    dated = set(
        Event.objects.filter(source_article=original, date__isnull=False).values_list(
            "pk", flat=True
        )
    )
    assert dated, "the seed has dated events to match"
    copy = ArticleFactory(
        text=seed["text"].replace(SEED_CHROME, "Gulf Wire Service\n\nMiddle East | World"),
        title=seed["title"],
        published_at=_when("2024-05-23"),
        outlet=OutletFactory(name="Gulf Wire"),
    )
    summary = candidates_propose(copy, negotiation)
    proposed = _proposals(copy)
    # Every dated event of the seed is cited by the copy, not proposed again.
    assert dated <= set(proposed.values_list("event_id", flat=True))
    assert not Event.objects.filter(source_article=copy, date__isnull=False).exists()
    assert summary["events_matched"] >= len(dated)
    for proposal in proposed:
        assert copy.text[proposal.start : proposal.end] == proposal.quote
        assert proposal.status == ProposalStatus.PENDING
    # Nothing reaches readers before an editor attaches it.
    cited = Citation.objects.filter(article=copy, event__isnull=False)
    assert not cited.exclude(event__source_article=copy).exists()


def test_rerunning_extraction_on_the_copy_changes_nothing(seed_negotiation):
    negotiation, _original, seed = seed_negotiation
    copy = ArticleFactory(
        text=seed["text"].replace(SEED_CHROME, "Gulf Wire Service"),
        published_at=_when("2024-05-23"),
    )
    candidates_propose(copy, negotiation)
    before = _snapshot(copy)
    candidates_propose(copy, negotiation)
    assert _snapshot(copy) == before


def test_reworded_report_of_the_impasse_is_matched(seed_negotiation):
    negotiation, original, _seed_doc = seed_negotiation
    impasse = Event.objects.get(source_article=original, kind="breakdown", date__isnull=False)
    text = (
        "CAIRO, May 20 (Gulf Wire) - Gaza ceasefire negotiations between Israel and Hamas "
        "reached an impasse in Cairo on Sunday, as mediators struggled to close the remaining "
        "gaps, officials said.\n"
    )
    report = ArticleFactory(text=text, published_at=_when("2024-05-20"))
    candidates_propose(report, negotiation)
    assert impasse.pk in set(_proposals(report).values_list("event_id", flat=True)), list(
        Event.objects.filter(source_article=report).values("kind", "date", "summary")
    )


def test_re_dated_seed_is_another_happening(seed_negotiation):
    """The same words printed a month later resolve "on Sunday" to another Sunday."""
    negotiation, original, seed = seed_negotiation
    later = ArticleFactory(
        text=seed["text"].replace("May 23, 2024", "June 20, 2024").replace(SEED_CHROME, "X"),
        published_at=_when("2024-06-20"),
    )
    candidates_propose(later, negotiation)
    dated = Event.objects.filter(source_article=original, date__isnull=False)
    assert not _proposals(later).filter(event__in=dated).exists()
    assert Event.objects.filter(source_article=later, date__isnull=False).exists()


# --- source counts -------------------------------------------------------------------------


@pytest.mark.django_db
def test_source_count_counts_outlets_once_and_syndicated_copies_as_their_original():
    event = EventFactory()
    wire = OutletFactory(name="Wire")
    original = ArticleFactory(outlet=wire, published_at=_when("2024-05-19"))
    CitationFactory(event=event, article=original)
    event.refresh_from_db()
    assert (event.source_count, event.first_report_at) == (1, original.published_at)
    # The wire's second story, and a copy on another site: still one outlet.
    CitationFactory(
        event=event, article=ArticleFactory(outlet=wire, published_at=_when("2024-05-19"))
    )
    copy = ArticleFactory(
        outlet=OutletFactory(name="MSN"), syndication_of=original, published_at=_when("2024-05-21")
    )
    CitationFactory(event=event, article=copy)
    event.refresh_from_db()
    assert event.source_count == 1
    assert event.latest_report_at == copy.published_at
    other = ArticleFactory(outlet=OutletFactory(name="Other"), published_at=_when("2024-05-20"))
    citation = CitationFactory(event=event, article=other)
    event.refresh_from_db()
    assert event.source_count == 2
    citation.delete()
    event.refresh_from_db()
    assert event.source_count == 1


@pytest.mark.django_db
def test_a_stale_event_save_does_not_overwrite_the_count():
    event = EventFactory()
    stale = Event.objects.get(pk=event.pk)
    CitationFactory(event=event)
    stale.summary = "Edited by an editor"
    stale.save()
    stale.refresh_from_db()
    assert (stale.summary, stale.source_count) == ("Edited by an editor", 1)


@pytest.mark.django_db
def test_min_sources_filter_and_parse():
    negotiation = NegotiationFactory()
    single = EventFactory(negotiation=negotiation)
    CitationFactory(event=single)
    double = EventFactory(negotiation=negotiation)
    CitationFactory(event=double)
    CitationFactory(event=double)
    query = TimelineFilters.parse({"min_sources": "2"}, negotiation)
    assert query.errors == {}
    assert [e.pk for e in timeline_for_negotiation(negotiation, query.filters)] == [double.pk]
    assert ("min_sources", "2") in query.filters.as_params()
    assert "min_sources" in TimelineFilters.parse({"min_sources": "zero"}).errors


# --- attaching, retracting, disputes -------------------------------------------------------


def test_attaching_a_proposal_publishes_the_citation_and_retracting_recounts(
    seed_negotiation,
):
    negotiation, _original, seed = seed_negotiation
    copy = ArticleFactory(
        text=seed["text"].replace(SEED_CHROME, "Gulf Wire Service"),
        published_at=_when("2024-05-24"),
        outlet=OutletFactory(name="Gulf Wire"),
    )
    candidates_propose(copy, negotiation)
    proposal = _proposals(copy).filter(event__date__isnull=False).first()
    event = proposal.event
    assert Event.objects.get(pk=event.pk).source_count == 1
    citation = citation_proposal_attach(proposal)
    event.refresh_from_db()
    assert citation.event_id == event.pk and citation.quote == proposal.quote
    assert event.source_count == 2 and event.latest_report_at == copy.published_at
    assert event in timeline_for_negotiation(negotiation, TimelineFilters(min_sources=2))
    summary = article_retract(copy)
    event.refresh_from_db()
    assert summary["citations_removed"] >= 1
    assert event.source_count == 1
    assert not _proposals(copy).exists() and not Citation.objects.filter(article=copy).exists()
    # A retracted report is never read again.
    candidates_propose(copy, negotiation)
    assert not _proposals(copy).exists()


@pytest.mark.django_db
def test_a_denial_from_another_outlet_becomes_a_disputing_citation():
    negotiation = NegotiationFactory()
    cairo = PlaceFactory(name="Cairo")
    text_a = "Israeli and Hamas delegations met in Cairo on Sunday for ceasefire talks.\n"
    first = ArticleFactory(text=text_a, published_at=_when("2024-05-20"))
    candidates_propose(first, negotiation)
    event = Event.objects.get(source_article=first, kind="meeting")
    event.place = cairo
    event.status = ReviewStatus.PUBLISHED
    event.save()
    text_b = (
        "Israeli and Hamas delegations met in Cairo on Sunday for ceasefire talks, Egyptian "
        "officials said, but a Hamas official denied that the delegations had met.\n"
    )
    second = ArticleFactory(
        text=text_b, published_at=_when("2024-05-20"), outlet=OutletFactory(name="Other outlet")
    )
    candidates_propose(second, negotiation)
    proposals = _proposals(second).filter(event=event)
    assert proposals.exists(), list(Event.objects.filter(source_article=second).values())
    disputing = proposals.filter(stance=CitationStance.DISPUTES)
    if not disputing.exists():
        pytest.fail(
            "the extractor's denial did not reach the matched event: "
            f"{list(proposals.values('quote', 'stance'))}"
        )
    citation_proposal_attach(disputing.get())
    event.refresh_from_db()
    assert event.has_dispute


@pytest.mark.django_db
def test_possible_duplicate_keeps_scores_and_attaches_with_one_call():
    negotiation = NegotiationFactory()
    summary = "Israeli and Hamas delegations met in Cairo for ceasefire talks."
    cairo = PlaceFactory(name="Cairo")
    first, second = (
        EventFactory(negotiation=negotiation, summary=summary, place=cairo) for _ in range(2)
    )
    text = "Israeli and Hamas delegations met in Cairo on Sunday for ceasefire talks.\n"
    report = ArticleFactory(text=text, published_at=_when("2024-05-20"))
    candidates_propose(report, negotiation)
    candidate = Event.objects.get(source_article=report, kind="meeting")
    marked = {d["event"] for d in candidate.possible_duplicates}
    assert marked == {first.pk, second.pk}
    assert all(d["score"] > 0 for d in candidate.possible_duplicates)
    duplicate_attach(candidate, first)
    candidate.refresh_from_db()
    first.refresh_from_db()
    assert candidate.status == ReviewStatus.MERGED
    assert Citation.objects.filter(event=first, article=report).exists()
    assert first.source_count == 1


# --- the admin's queue ---------------------------------------------------------------------


def _editor(client):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_admin_card_shows_possible_duplicates_and_attaches_in_one_click(client):
    from django.urls import reverse

    _editor(client)
    published = EventFactory(summary="Delegations met in Cairo for ceasefire talks")
    article = ArticleFactory()
    candidate = EventFactory(
        negotiation=published.negotiation,
        status=ReviewStatus.CANDIDATE,
        summary="The delegations met in Cairo",
        possible_duplicates=[{"event": published.pk, "score": 0.57, "summary": "x"}],
        source_article=article,
    )
    CitationFactory(event=candidate, article=article)
    queue = reverse("admin:timeline_event_review")
    html = client.get(queue).content.decode()
    assert "Possible duplicate of" in html and "score 0.57" in html
    url = reverse("admin:timeline_event_review_attach", args=[candidate.pk, published.pk])
    response = client.post(f"{url}?next={queue}")
    assert response.status_code == 302
    candidate.refresh_from_db()
    published.refresh_from_db()
    assert candidate.status == ReviewStatus.MERGED
    assert Citation.objects.filter(event=published, article=article).exists()
    assert published.source_count == 1


@pytest.mark.django_db
def test_admin_citation_queue_attaches_pending_proposals(client):
    from django.urls import reverse

    _editor(client)
    event = EventFactory()
    article = ArticleFactory()
    end = article.text.index(".") + 1
    proposal = CitationProposal.objects.create(
        event=event, article=article, start=0, end=end, quote=article.text[:end], score=0.9
    )
    changelist = reverse("admin:timeline_citationproposal_changelist")
    assert proposal.quote[:20] in client.get(changelist).content.decode()
    client.post(changelist, {"action": "attach_proposals", "_selected_action": [proposal.pk]})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ATTACHED
    assert Citation.objects.filter(event=event, article=article).exists()


# --- the corpus's syndicated pages ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", ["019-msn.com.html", "043-nationalpost.com.html", "045-inquirer.com.html"]
)
def test_syndicated_corpus_pages_count_once_and_cite_instead_of_duplicating(corpus_dir, page):
    """A wire story and its copy on another site under that site's chrome: the near-duplicate
    step links them, the copy counts as the wire's outlet, and the copy's sentences are
    proposed as citations of the wire story's events, not as new candidates."""
    from timeline.ingestion.dedupe import content_hash, find_duplicate, fingerprint
    from timeline.ingestion.extract_text import extract_html

    extracted = extract_html((corpus_dir / "html" / page).read_bytes())
    text = extracted.text
    wire = OutletFactory(name="Wire agency")
    original = ArticleFactory(
        text=text, title=extracted.title, minhash=fingerprint(text)[1], outlet=wire
    )
    copy_text = f"Republished by Another Site\nShare this article\n\n{text}\n\nMore from us"
    near = find_duplicate(
        canonical_url=None,
        digest=content_hash(copy_text),
        signature=fingerprint(copy_text)[1],
    )
    assert near is not None and near.original.pk == original.pk
    copy = ArticleFactory(
        text=copy_text,
        title=extracted.title,
        outlet=OutletFactory(name="Another Site"),
        syndication_of=near.original,
        # The copy prints the wire's date line: "on Friday" is the same Friday.
        published_at=original.published_at,
    )
    negotiation = NegotiationFactory()
    candidates_propose(original, negotiation)
    candidates_propose(copy, negotiation)
    originals = Event.objects.filter(source_article=original, date__isnull=False)
    copies = Event.objects.filter(source_article=copy, date__isnull=False)
    # Every dated event of the copy that the wire story also has is a proposal, not an event.
    assert not set(copies.values_list("summary", flat=True)) & set(
        originals.values_list("summary", flat=True)
    )
    event = EventFactory(negotiation=negotiation)
    for article in (original, copy):
        CitationFactory(event=event, article=article, end=article.text.index(".") + 1)
    event.refresh_from_db()
    assert event.source_count == 1  # the copy is the wire's report
    CitationFactory(event=event, article=ArticleFactory(outlet=OutletFactory(name="Third")))
    event.refresh_from_db()
    assert event.source_count == 2


@pytest.mark.django_db
def test_reader_page_marks_single_source_and_filters_by_min_sources(client):
    negotiation = NegotiationFactory(slug="corroborated-talks")
    single = EventFactory(negotiation=negotiation, summary="Reported by one outlet only")
    CitationFactory(event=single)
    double = EventFactory(negotiation=negotiation, summary="Reported by two outlets")
    CitationFactory(event=double)
    CitationFactory(event=double)
    page = client.get("/n/corroborated-talks/").content.decode()
    assert "Single source" in page and "2 independent outlets" in page
    filtered = client.get("/n/corroborated-talks/?min_sources=2").content.decode()
    assert "Reported by two outlets" in filtered
    assert "Reported by one outlet only" not in filtered
