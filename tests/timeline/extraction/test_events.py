"""Event kinds and their dates on sentences from real reports."""

from __future__ import annotations

import datetime as dt


def _events(result):
    return [(e.kind, e.date) for e in result.events]


def test_events_meeting_with_date_and_venue(run):
    result = run(
        "One of the officials said that CIA Director Bill Burns met with Qatari Prime Minister "
        "Mohammed bin Abdulrahman Al Thani in Doha on Sunday to discuss the talks."
    )

    assert ("meeting", dt.date(2024, 5, 19)) in _events(result)
    assert result.events[0].venue == "Doha"
    assert {"Bill Burns", "Mohammed bin Abdulrahman Al Thani"} <= set(result.events[0].people)


def test_events_future_meeting_is_scheduled_on_the_next_weekday(run):
    result = run("Hamas' political leadership meets on Monday in Doha to discuss what happened.")

    assert _events(result) == [("scheduled", dt.date(2024, 5, 27))]


def test_events_delegation_departure_and_breakdown(run):
    result = run(
        "The latest round of negotiations between Israel and Hamas reached an impasse on Sunday, "
        "as mediators struggled and a Hamas delegation left the talks in Cairo."
    )

    kinds = dict(_events(result))
    assert kinds["breakdown"] == dt.date(2024, 5, 19)
    assert kinds["delegation_departure"] == dt.date(2024, 5, 19)


def test_events_military_action_needs_a_date(run):
    dated = run("On Sunday, Hamas fired approximately 10 rockets from the Rafah border area.")
    undated = run("Israel followed up with airstrikes and a ground invasion.")

    assert _events(dated) == [("military_action", dt.date(2024, 5, 19))]
    assert _events(undated) == []


def test_events_threat_is_not_a_military_action(run):
    result = run(
        "Mr. Netanyahu pledged again in recent days that the Israeli army would invade Rafah."
    )

    assert [e.kind for e in result.events] == ["threat"]
    assert result.events[0].date is None
    assert result.events[0].date_text == "in recent days"


def test_events_negated_arrival_is_not_an_arrival(run):
    result = run("An Israeli delegation was never able to reach Cairo to attend the final round.")

    assert "delegation_arrival" not in [e.kind for e in result.events]


def test_events_dated_statement_by_a_named_person(run):
    result = run("Netanyahu said on Sunday that he would not agree to a complete withdrawal.")

    assert ("statement", dt.date(2024, 5, 19)) in _events(result)


def test_events_a_speakers_undated_remarks_after_a_dated_statement_are_the_same_statement(run):
    # A report gives the day once, then quotes the same remarks further down without it.
    text = (
        "Mediator Ingrid Solberg said on Sunday that she was hopeful about the fisheries talks. "
        "Solberg said both delegations needed time to consult their governments on the quotas."
    )
    assert [k for k, _ in _events(run(text))].count("statement") == 1
    text = (
        "Mediator Ingrid Solberg apologized to the fishermen on Sunday for the delay in the talks. "
        "Solberg said both delegations needed time to consult their governments on the quotas."
    )
    assert [k for k, _ in _events(run(text))].count("statement") == 1


def test_events_timeline_lines_use_the_publication_year(run):
    result = run(
        "March 5: The first round of trade talks between the UK and the EU conclude.",
        published="2020-09-08",
    )

    assert _events(result) == [("meeting", dt.date(2020, 3, 5))]


def test_positions_party_and_stance(run):
    result = run(
        "The main obstacle in the talks was the duration of the ceasefire, with Hamas demanding "
        "that it be permanent."
    )

    assert [(p.party, p.stance) for p in result.positions] == [("Hamas", "it be permanent")]


def test_conflicting_reports_keep_both_sources_and_spans(run):
    text = (
        "A report in Cairo News, an Egyptian state-owned television channel, said that a Hamas "
        "delegation would return to Cairo on Tuesday, but a senior Hamas official said the group "
        "had not yet made a decision."
    )

    result = run(text)

    assert len(result.conflicts) == 1
    conflict = result.conflicts[0]
    assert (
        conflict.claim.source
        == "A report in Cairo News, an Egyptian state-owned television channel"
    )
    assert conflict.denial.source == "a senior Hamas official"
    assert text[conflict.denial.start : conflict.denial.end] == (
        "a senior Hamas official said the group had not yet made a decision"
    )


def test_conflicting_reports_need_disagreement_not_addition(run):
    result = run("Officials said the talks resumed, but mediators said they would last a week.")

    assert result.conflicts == []


def test_events_paragraphs_one_a_line_and_collapsed_buildings_are_not_talks(run):
    result = run(
        "Images of collapsed buildings have become commonplace.\n"
        "On Monday, the talks in Cairo collapsed without a deal.",
        published="2023-11-09",
    )

    assert _events(result) == [("breakdown", dt.date(2023, 11, 6))]
    assert result.venues == ["Cairo"]


def test_events_talks_referred_to_are_not_a_meeting(run):
    result = run("The opposition remained skeptical of talks with the government, said Juan Perez.")

    assert "meeting" not in [kind for kind, _ in _events(result)]


def test_events_response_asked_for_or_to_an_attack_is_no_response(run):
    asked = run("Hamas requested a written response to the proposal before sending a delegation.")
    attack = run("Israel launched a campaign in Gaza in response to the attack on Sunday.")
    answered = run("Hamas delivered its response to the Egyptian proposal on Sunday.")

    assert "response" not in [kind for kind, _ in _events(asked)]
    assert "response" not in [kind for kind, _ in _events(attack)]
    assert ("response", dt.date(2024, 5, 19)) in _events(answered)


def test_events_denied_breakdown_is_no_breakdown(run):
    result = run("Two American officials rejected the idea that the talks had reached a dead end.")

    assert [kind for kind, _ in _events(result) if kind in ("breakdown", "response")] == []


def test_events_opinion_polls_are_no_demand(run):
    result = run(
        "Polls show that 70% of Israelis want the war to end in exchange for the hostages."
    )

    assert _events(result) == []


def test_events_undated_remarks_off_the_talks_are_no_statement(run):
    casualties = run("Egyptian Foreign Minister Sameh Shoukry said 40 people had died in strikes.")
    talks = run("Egyptian Foreign Minister Sameh Shoukry said the talks would go on.")
    dated = run("Egyptian Foreign Minister Sameh Shoukry said on Sunday that 40 people had died.")

    assert "statement" not in [kind for kind, _ in _events(casualties)]
    assert _events(talks) == [("statement", None)]
    assert ("statement", dt.date(2024, 5, 19)) in _events(dated)


def test_events_passive_threat_and_commemorated_attack_are_no_events(run):
    passive = run("The truce, already threatened by deep disagreements, held on Sunday in Gaza.")
    anniversary = run(
        "Israelis marked on Sunday the second anniversary of the attacks on southern Israel."
    )

    assert "threat" not in [kind for kind, _ in _events(passive)]
    assert "military_action" not in [kind for kind, _ in _events(anniversary)]


def test_events_talks_resumed_as_part_of_an_agreement_are_no_round_of_their_own(run):
    result = run(
        "Colombia's government and the rebels agreed on a new truce in March and to resume the "
        "talks mediated by Cuba and Norway."
    )

    kinds = [kind for kind, _ in _events(result)]
    assert "agreement" in kinds
    assert "scheduled" not in kinds


def test_events_attacks_a_party_must_halt_are_no_military_action(run):
    result = run(
        "Hamas said on Sunday that the talks could go on only if Israel halts attacks on Rafah."
    )

    assert "military_action" not in [kind for kind, _ in _events(result)]


def test_events_talks_that_cannot_begin_unless_are_a_demand(run):
    result = run(
        "Hamas warned on Sunday that the negotiations cannot begin unless Israel withdraws its "
        "troops from the crossing."
    )

    assert ("demand", dt.date(2024, 5, 19)) in _events(result)


def test_events_what_the_two_sides_agreed_is_an_agreement(run):
    result = run(
        "Colombia's government and the rebels issued a joint statement in Havana.\n\n"
        "The two sides agreed to extend the truce into the rainy season."
    )

    kinds = [kind for kind, _ in _events(result)]
    assert "agreement" in kinds
    assert "response" not in kinds


def test_events_an_agreement_listed_clause_by_clause_is_one_agreement(run):
    result = run(
        "Colombia's government and the rebels issued a joint statement in Havana.\n\n"
        "The two sides agreed on the need to extend the truce. The two sides agreed to free "
        "prisoners. The two sides agreed to meet again."
    )

    assert [kind for kind, _ in _events(result)].count("agreement") == 1


def test_events_a_gathering_and_its_day_is_a_meeting_or_a_scheduled_round(run):
    held = run(
        "Sudan's government and the rebels thanked Kenya for workshops in Nairobi May 20-21 "
        "regarding power-sharing."
    )
    planned = run("Sudan's government and the rebels will attend talks in Nairobi on Monday.")
    modal = run("Sudan's government said the talks may resume soon.")

    assert ("meeting", dt.date(2024, 5, 20)) in _events(held)
    assert ("scheduled", dt.date(2024, 5, 27)) in _events(planned)
    assert "meeting" not in [kind for kind, _ in _events(modal)]


def test_events_aircraft_and_troops_moving_are_no_delegation(run):
    result = run(
        "Russian warplanes flew home from Syria on Sunday as Moscow began to withdraw. As the "
        "first aircraft touched down in Russia, Putin said the talks would go on."
    )

    kinds = [kind for kind, _ in _events(result)]
    assert "delegation_departure" not in kinds
    assert "delegation_arrival" not in kinds


def test_events_people_seeking_refuge_make_no_demand(run):
    result = run("Hamas said a million Palestinians are seeking refuge in Rafah.")

    assert "demand" not in [kind for kind, _ in _events(result)]
    assert not result.positions


def test_events_a_negated_walkout_is_no_breakdown_but_an_unbroken_deadlock_is(run):
    negated = run("The union said on Sunday its technicians are not involved in the walkout.")
    deadlock = run("The union said on Sunday negotiators were unable to break the deadlock.")

    assert "breakdown" not in [kind for kind, _ in _events(negated)]
    assert "breakdown" in [kind for kind, _ in _events(deadlock)]


def test_events_conceding_that_a_deal_is_unlikely_is_no_concession(run):
    admission = run("Britain and the EU concede a deal appears unlikely, Barnier said on Sunday.")
    yielding = run("Britain backed down on Sunday on the fishing quotas the EU had opposed.")

    assert "concession" not in [kind for kind, _ in _events(admission)]
    assert "concession" in [kind for kind, _ in _events(yielding)]


def test_events_a_delegation_never_able_to_attend_the_talks_held_no_meeting(run):
    result = run(
        "Hamas said on Sunday an Israeli delegation was never able to reach Cairo to attend the "
        "final round of talks."
    )

    assert "meeting" not in [kind for kind, _ in _events(result)]


def test_events_a_reply_in_its_own_clause_is_not_the_later_speakers_statement(run):
    result = run(
        "Ukraine has publicly agreed to a 30-day ceasefire but Putin has only said Russia will "
        "work on a memorandum for the talks."
    )

    assert ("response", None) in _events(result)


def test_events_a_sentence_about_the_talks_themselves_is_read_without_named_parties(run):
    result = run(
        "The first round of talks two weeks ago in Istanbul brought no breakthrough, but "
        "achieved a prisoner swap."
    )

    kinds = [kind for kind, _ in _events(result)]
    assert "meeting" in kinds
    assert "agreement" in kinds


def test_events_a_readouts_emphasis_on_what_must_happen_is_no_demand_event(run):
    result = run(
        "Secretary of State Antony Blinken met Egyptian Foreign Minister Sameh Shoukry. The "
        "Secretary discussed aid deliveries to Gaza and emphasized that the increase must be "
        "sustained."
    )

    assert "demand" not in [kind for kind, _ in _events(result)]


def test_events_a_pluperfect_stance_makes_its_whole_clause_background(run):
    result = run(
        "Previously, Washington had insisted that Tehran stop its enrichment program as a "
        "precondition to face-to-face talks."
    )

    assert "demand" not in [kind for kind, _ in _events(result)]


def test_events_an_offer_being_discussed_or_studied_is_no_new_proposal(run):
    result = run(
        "The union's committee discussed the offer on Sunday but did not reach a decision, and "
        "Hamas said it was studying the latest Israeli offer."
    )

    assert "proposal" not in [kind for kind, _ in _events(result)]


def test_events_an_undated_demand_is_a_position_not_a_timeline_event(run):
    undated = run("Israel wants the Lebanese government to disarm Hezbollah.")
    dated = run("Israel demanded on Sunday that the Lebanese government disarm Hezbollah.")

    assert "demand" not in [kind for kind, _ in _events(undated)]
    assert [p.party for p in undated.positions] == ["Israel"]
    assert ("demand", dt.date(2024, 5, 19)) in _events(dated)


def test_events_a_plan_for_this_week_told_by_its_day_later_is_one_scheduled_event(run):
    result = run(
        "Representatives of the Taliban are set to return to the negotiating table in Qatar "
        "this week.\n\nThe Taliban said the meeting will take place in Doha on Saturday."
    )

    assert [e for e in _events(result) if e[0] == "scheduled"] == [
        ("scheduled", dt.date(2024, 5, 25))
    ]


def test_events_a_breakdown_confirmed_again_is_the_same_breakdown(run):
    result = run(
        "Talks between Israel and Hamas reached an impasse on Sunday. An Israeli official also "
        "confirmed that the negotiations had faltered, describing them as in a crisis."
    )

    assert [kind for kind, _ in _events(result)].count("breakdown") == 1
