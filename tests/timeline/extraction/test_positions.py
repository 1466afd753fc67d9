"""Positions: who demands, offers, refuses or concedes what, on sentences in the way reports
word them across trade talks, labour disputes and peace processes (written for these tests,
not taken from the gold articles)."""

from __future__ import annotations

import pytest

from timeline.extraction import positions as pos


def _positions(run, text: str) -> list[tuple[str, str, str]]:
    return [(p.party, p.kind, p.stance) for p in run(text).positions]


def test_positions_owned_noun_states_the_demand(run):
    found = _positions(run, "Japan's insistence on keeping tariffs on rice has stalled the talks.")

    assert found == [
        ("Japan", "demand", "insistence keeping tariffs on rice has stalled the talks")
    ]


def test_positions_owned_noun_named_without_content_is_no_stance(run):
    found = _positions(run, "Israel backed away from some of its demands, officials said.")

    # A concession that names the demands; "its demands" alone states none of them.
    assert found == [("Israel", "concession", "some of its demands")]


def test_positions_under_the_proposal_is_the_offer_of_its_owner(run):
    found = _positions(
        run, "Steel tariffs would fall to 10 percent by 2027, under the Canadian proposal."
    )

    assert found == [("Canada", "offer", "Steel tariffs would fall to 10 percent by 2027")]


def test_positions_called_on_others_to_is_a_demand(run):
    found = _positions(
        run, "The United Nations called on both sides to observe the truce in Yemen."
    )

    assert found == [("United Nations", "demand", "observe the truce in Yemen")]


def test_positions_a_named_union_refusing_an_offer_holds_a_red_line(run):
    found = _positions(
        run,
        "The Teamsters union has refused to accept the company's final offer of a 3 percent raise.",
    )

    assert found == [
        ("Teamsters", "red_line", "accept the company's final offer of a 3 percent raise")
    ]


def test_positions_negated_wish_keeps_its_negation(run):
    found = _positions(
        run, "Downing Street has said it does not want the talks to drag into the autumn."
    )

    assert found == [("United Kingdom", "demand", "not want the talks to drag into the autumn")]


def test_positions_compound_subject_gives_both_sides_the_stance(run):
    found = _positions(
        run, "Beijing and Washington have agreed to extend the tariff truce by 90 days."
    )

    assert {party for party, _, _ in found} == {"China", "United States"}
    assert {kind for _, kind, _ in found} == {"concession"}


def test_positions_denial_of_a_report_is_no_stance(run):
    assert (
        _positions(run, "Mexican officials rejected the idea that the talks had collapsed.") == []
    )


def test_positions_public_opinion_is_not_a_party(run):
    assert (
        _positions(run, "Polls show that 60% of Britons want a second referendum on the deal.")
        == []
    )


def test_positions_a_place_in_the_subject_is_not_the_party(run):
    found = _positions(
        run, "The negotiations that began in Islamabad seek to cement a two-week ceasefire."
    )

    assert found == []


def test_positions_restated_stance_is_one_position_citing_both_sentences(run):
    text = (
        "Colombia demands a bilateral ceasefire with the rebels.\n\n"
        "Colombia also wants the ceasefire to be monitored by the United Nations."
    )

    result = run(text)

    assert [(p.party, p.issue) for p in result.positions] == [("Colombia", "ceasefire")]
    position = result.positions[0]
    assert position.stance == (
        "a bilateral ceasefire with the rebels; the ceasefire to be monitored by the United Nations"
    )
    second = text.index("Colombia also")
    assert position.more == [(second, len(text))]


@pytest.mark.parametrize(
    ("stance", "issue"),
    [
        ("an end to tariffs on steel and aluminium", "tariffs and trade"),
        ("guarantees that Israel will not resume fighting", "guarantees"),
        ("a 5 percent pay rise for nurses", "wages and benefits"),
        ("the right to hire workers on a daily basis", "jobs and staffing"),
        ("the release of all political prisoners", "hostages and prisoners"),
        ("a referendum on the new constitution", "elections and referendums"),
        ("he said the aid convoy was fine", "humanitarian aid"),
        ("she said it was fine", "said fine"),  # "aid" inside "said" is no issue
        ("the future of the port of Hodeidah", "future port hodeidah"),
        ("", "general"),
    ],
)
def test_positions_issue_labels_are_general_and_whole_word(stance, issue):
    assert pos.issue_for(stance) == issue


def test_positions_the_body_named_before_owns_its_insistence(run):
    found = _positions(
        run,
        "The main obstacle in the talks with CBS is the network's insistence on a ten-year "
        "contract for writers.",
    )

    assert found == [("CBS", "demand", "insistence a ten-year contract for writers")]


def test_positions_an_offer_made_is_an_offer(run):
    found = _positions(run, "NBC offered a 4 percent raise over two years, the union said.")

    assert found == [("NBC", "offer", "a 4 percent raise over two years")]


def test_positions_in_need_of_is_no_demand(run):
    found = _positions(
        run, "Britain will admit workers in sectors in need of workers, such as care."
    )

    assert found == []


def test_positions_reported_words_of_a_side_s_spokesman_are_its_stance(run):
    found = _positions(
        run, "Kremlin spokesman Dmitry Peskov said talks in Istanbul must be properly prepared."
    )

    assert found == [("Russia", "demand", "be properly prepared")]


def test_positions_a_person_inside_a_relative_clause_is_not_the_speaker(run):
    found = _positions(
        run,
        "U.N. envoy Staffan de Mistura opened the talks. The opposition, which was due to meet "
        "de Mistura on Tuesday, said it was not against a direct meeting with the government.",
    )

    assert [party for party, _, _ in found if party == "United Nations"] == []


def test_positions_an_organ_speaks_for_its_organisation(run):
    council = _positions(run, "The Security Council calls for a ceasefire across Libya.")
    commission = _positions(run, "The European Commission insists on a level playing field.")

    assert [party for party, _, _ in council] == ["United Nations"]
    assert [party for party, _, _ in commission] == ["European Union"]


def test_positions_a_whose_clause_describing_a_speaker_states_no_stance(run):
    found = _positions(
        run,
        "British Foreign Secretary Philip Hammond, whose government supports the opposition, "
        "said he had no insight into the decision.",
    )

    assert not any("supports the opposition" in stance for _, _, stance in found)


def test_positions_a_capitalised_name_with_a_lower_case_body_head_is_a_party(run):
    found = _positions(
        run,
        "The opposition's National Renewal alliance said any talks would have to include "
        "the release of jailed opposition leaders.",
    )

    assert [party for party, _, _ in found] == ["National Renewal alliance"]


def test_positions_a_fact_box_bullet_saying_states_a_standing_position(run):
    result = run(
        "Key issues:\n\n• Serbia says Kosovo is an inseparable part of its territory\n\n"
        "Serbia said on Monday the talks would go on."
    )

    assert ("Serbia", "stance") in [(p.party, p.kind) for p in result.positions]
    assert any("inseparable part" in p.stance for p in result.positions)


def test_positions_a_threat_to_walk_away_is_a_red_line(run):
    found = _positions(
        run, "Britain will walk away from the trade talks unless Brussels drops its demands."
    )

    assert ("United Kingdom", "red_line") in [(party, kind) for party, kind, _ in found]
