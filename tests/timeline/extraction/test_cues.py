"""The cue tables (timeline/extraction/cues.py) and the generic matchers that read them.

Each test names a construction of negotiation reporting that a row of a table exists for;
the snippets are written for the test, not taken from any gold article.
"""

from __future__ import annotations

import re

import pytest

from timeline.extraction import cues, to_gold_dict
from timeline.extraction import events as ev
from timeline.extraction import positions as pos


def _positions(result):
    return [(p.party, p.stance) for p in result.positions]


def test_every_table_row_compiles_on_its_own():
    for kind, rows, tail, _ in cues.EVENT_TRIGGERS:
        for row in rows:
            re.compile(rf"\b(?:{row}){tail}")
        assert kind in {k for k, _ in ev.TRIGGERS}
    for kind, rows, tail in cues.POSITION_CUES:
        for row in rows:
            re.compile(rf"\b(?:{row}){tail}")
        assert kind in {k for k, _ in pos.PATTERNS}


@pytest.mark.parametrize(
    ("sentence", "party", "words"),
    [
        (
            "Russia underscored the need to avoid further escalation in the region.",
            "Russia",
            "avoid further escalation",
        ),
        (
            "China emphasized that any deal must respect sovereignty.",
            "China",
            "must respect sovereignty",
        ),
        (
            "Egypt is keen to continue mediating between the two sides.",
            "Egypt",
            "continue mediating",
        ),
        (
            "The Secretary reiterated the United States' rejection of any forced displacement.",
            "United States",
            "forced displacement",
        ),
    ],
)
def test_readout_cues_state_the_speakers_side_stance(run, sentence, party, words):
    found = _positions(run(f"{sentence} The talks continue."))
    assert any(p == party and words in s for p, s in found), found


def test_a_bullet_that_states_a_stance_is_read_but_a_short_bullet_is_not(run):
    text = (
        "Key issues in the talks\n\n"
        "• Israel rejects the right of return for refugees and descendants\n\n"
        "• Refugees\n\n"
        "Talks resume on Monday."
    )
    found = _positions(run(text))
    assert ("Israel", "the right of return for refugees and descendants") in found
    assert all(s != "Refugees" for _, s in found)


def test_gold_dict_shape_is_unchanged_for_the_candidates_service(run):
    # services.candidates reads these keys; the move to positions.py keeps them.
    out = to_gold_dict(run("Hamas demanded a permanent ceasefire on Monday."))
    assert set(out) >= {"people", "venues", "events", "quotes", "positions"}
    assert set(out["positions"][0]) == {"party", "issue", "stance"}


def test_a_body_named_by_its_head_noun_holds_a_position(run):
    # No table knows this committee; "Committee" (cues.BODY_HEADS) makes it a body, and the
    # "Negotiations" in its name does not make it the non-agent "negotiations".
    found = _positions(run("The High Negotiations Committee demanded that Assad leave power."))
    assert ("High Negotiations Committee", "Assad leave power") in found


def test_an_obligation_in_reported_speech_is_the_speakers_demand(run):
    found = _positions(run("The Yemeni government said the Houthis should withdraw from Hodeidah."))
    assert any(p == "Yemeni government" and "withdraw from Hodeidah" in s for p, s in found), found
    # Narrated consequence, not a demand: "will have to wait" is not in the table.
    found = _positions(run("Families of hostages will have to wait longer for a release."))
    assert found == []


def _events(result):
    return [(e.kind, e.date.isoformat() if e.date else None) for e in result.events]


@pytest.mark.parametrize(
    "sentence",
    [
        "The sides reached a tentative agreement on Sunday.",
        "The union and the company signed a six-year contract on Sunday.",
    ],
)
def test_an_agreement_noun_after_modifiers_is_an_agreement(run, sentence):
    assert ("agreement", "2024-05-19") in _events(run(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "They discussed efforts to resume negotiations under the Jeddah platform.",
        "The President notified Congress of his intent to sign a trade agreement with Mexico.",
        "Officials said Israel and Hamas were closer to reaching an agreement.",
    ],
)
def test_an_aim_is_not_an_event(run, sentence):
    kinds = [k for k, _ in _events(run(sentence))]
    assert "scheduled" not in kinds and "agreement" not in kinds, kinds


def test_a_date_opening_the_sentence_dates_a_far_trigger(run):
    text = (
        "Tonight the International Longshoremen's Association and the United States Maritime "
        "Alliance came together to reach a tentative agreement that reopens the ports."
    )
    assert ("agreement", "2024-05-23") in _events(run(text))
    # A timeline entry's heading date is not the date of every clause after the colon.
    entry = (
        "October 22, 2019: MPs approve the deal at second reading stage in a major breakthrough "
        "but they vote down his proposed timetable and vow to try to amend the Bill later."
    )
    assert ("threat", "2019-10-22") not in _events(run(entry, published="2020-09-08"))


@pytest.mark.parametrize(
    ("text", "venues"),
    [
        # A place the talks are about is not where they sit (cues.VENUE_SUBJECT_NOUNS).
        ("Blinken met Faisal and discussed efforts to reach a ceasefire in Gaza.", []),
        ("They discussed talks aimed at ending the conflict in Sudan.", []),
        # "the <adjective> town of X" (cues.VENUE_PLACE_OF).
        ("The peace talks in the Kenyan town of Machakos recessed last week.", ["Machakos"]),
        # A gathering noun and a verb of inviting (cues.VENUE_GATHERINGS, VENUE_TRAVEL_VERBS).
        ("The parties met at a workshop held here in Washington.", ["Washington"]),
        ("The United States is inviting the two sides to Washington for talks.", ["Washington"]),
        # "hostilities subject to Iran" is not a trip to Iran.
        ("Trump agreed to a suspension of hostilities subject to Iran reopening the strait.", []),
        # The dateline is the venue when the first sentence reports a sitting there ...
        ("Arequipa, Peru - Trade ministers met today on the margins of a summit.", ["Arequipa"]),
        # ... and not when it names another place for the talks, or reports no sitting.
        ("ISLAMABAD - The two sides return to the negotiating table in Doha this week.", ["Doha"]),
        ("WASHINGTON - The Secretary of Labor issued the following statement today.", []),
        # Wire copy dates its dateline.
        ("VIENNA, March 4 (Reuters) - Envoys of the two states met on Monday.", ["Vienna"]),
        ("KABUL, Afghanistan, March 4, 2021 - Envoys met again on Monday.", ["Kabul"]),
        # A town no table knows, placed by the country after it ("<town>, <country>").
        ("The rival governments held talks in Zorbatown, Morocco, on Tuesday.", ["Zorbatown"]),
        # ... but not after a word that is no sitting.
        ("Refugees in Zorbatown, Morocco, said they wanted peace.", []),
        # Where the talks sit in a named city, a country is a party or subject, not a venue.
        ("The Kenyan delegation returned to Kenya after the talks in Vienna ended.", ["Vienna"]),
    ],
)
def test_venue_tables(run, text, venues):
    assert run(text).venues == venues


def test_a_readout_describes_its_meeting_once(run):
    text = (
        "US Secretary of State Antony Blinken met Egypt's foreign minister on Monday. "
        "Blinken and the Egyptian minister discussed efforts toward a ceasefire in Gaza. "
        "Blinken also discussed with Egypt the humanitarian situation."
    )
    assert [k for k, _ in _events(run(text))].count("meeting") == 1


def test_an_american_title_gives_its_holder_a_side(run):
    text = (
        "Secretary of State Antony J. Blinken met the Saudi foreign minister today. "
        "Secretary Blinken underscored the need to avoid further escalation in the region."
    )
    result = run(text)
    assert {p.name: p.affiliation for p in result.people}["Antony J. Blinken"] == "United States"
    assert any(p == "United States" for p, _ in _positions(result))


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # A past plan in a "before ... were to" clause schedules nothing.
        (
            "Just hours before the negotiations were to begin, Kerry named Martin Indyk his envoy.",
            "scheduled",
        ),
        # "allowed to return" is a demand's content, not a planned return (cues.UNREALISED).
        ("Palestinians demand that refugees be allowed to return to their homes.", "scheduled"),
        # An infinitive of purpose is an aim: "processes to approve the agreement".
        ("Ministers met to review their processes to approve the TPP Agreement.", "agreement"),
        # A pluperfect saying is background, not a statement made that day.
        (
            "Previously, Washington had insisted that Tehran stop enrichment before talks.",
            "statement",
        ),
    ],
)
def test_constructions_that_report_no_event(run, text, absent):
    assert absent not in [k for k, _ in _events(run(text))]


def test_a_planned_meeting_is_scheduled_not_held(run):
    text = (
        "State Department officials say they expect the meetings to be held in Washington "
        "on Monday, before the talks resume in Kenya."
    )
    kinds = [k for k, _ in _events(run(text))]
    assert "scheduled" in kinds and "meeting" not in kinds, kinds


def test_a_statement_lead_in_is_a_dated_statement(run):
    text = (
        "Washington, DC - U.S. Trade Representative Robert Lighthizer today issued the following "
        "statement regarding the status of trade negotiations with Mexico and Canada:\n\n"
        "'We have also been negotiating with Canada throughout this year-long process.'"
    )
    assert ("statement", "2024-05-23") in _events(run(text))


def test_non_negotiable_states_what_comes_before_it(run):
    found = _positions(run("The Houthis said the lifting of the blockade was non-negotiable."))
    assert any(p == "Houthis" and "lifting of the blockade" in s for p, s in found), found


def test_an_obligation_with_a_trailing_speaker_is_the_speakers_demand(run):
    found = _positions(
        run("Russia should withdraw its troops from Ukraine, the European Union said.")
    )
    assert ("European Union", "withdraw its troops from Ukraine") in found


def test_portfolio_words_belong_to_the_title_not_the_name(run):
    text = (
        "Joining the meeting were Malaysian Minister of International Trade and Industry "
        "Mustapa Mohamed and FMCS Director Nominee Richard Giacolone."
    )
    names = {p.name for p in run(text).people}
    assert {"Mustapa Mohamed", "Richard Giacolone"} <= names, names


def test_a_hedged_trigger_is_not_an_event(run):
    text = "Blinken discussed a ceasefire in Gaza that would secure the release of the hostages."
    assert "concession" not in [k for k, _ in _events(run(text))]


def test_quoted_paragraphs_after_a_lead_in_are_the_lead_in_speakers(run):
    text = (
        "WASHINGTON, DC - FMCS Director Nominee Richard Giacolone praised the parties in the "
        "following statement:\n\n"
        "\u201cI am very happy to hear the parties were able to reach a fair agreement.\u201d"
    )
    quotes = run(text).quotes
    assert [(q.speaker.name if q.speaker else None) for q in quotes] == ["Richard Giacolone"]


def test_a_dateline_glued_to_a_title_is_not_a_person(run):
    text = "WASHINGTON\u2014U.S. Secretary of Labor Elaine L. Chao issued a statement today."
    names = {p.name for p in run(text).people}
    assert not any("WASHINGTON" in n for n in names), names


@pytest.mark.parametrize(
    "sentence",
    [
        "Consultations on the border were held in Oslo on Tuesday between the two sides.",
        "The talks between the union and the port operators recessed on Tuesday.",
        "On Tuesday, the delegates began debating a new draft of the final declaration.",
    ],
)
def test_a_sitting_reported_by_its_gathering_or_its_recess_is_a_meeting(run, sentence):
    assert ("meeting", "2024-05-21") in _events(run(sentence)), _events(run(sentence))


def test_a_government_facing_its_own_opponents_is_a_party_of_its_own(run):
    text = (
        "Talks between the Yemeni government and the Houthi rebels resumed on Monday. "
        "The Yemeni government wants control of the port of Hodeidah. "
        "The main opposition delegation wants the blockade lifted before any deal."
    )
    found = _positions(run(text))
    assert any(p == "Yemeni government" and "control of the port" in s for p, s in found), found
    assert any(p == "Yemeni opposition" and "blockade" in s for p, s in found), found
    # Between states, the government is its state (cues.INTERNAL_ADVERSARIES names no one).
    interstate = "The Iranian government wants sanctions lifted before the talks on Monday."
    assert ("Iran", "sanctions lifted before the talks on Monday") in _positions(run(interstate))


def test_talks_put_off_to_a_date_are_scheduled_and_put_off_alone_broke_down(run):
    later = _events(run("The talks between the union and the company were postponed until June 3."))
    assert ("scheduled", "2024-06-03") in later, later
    assert "breakdown" not in [k for k, _ in later]
    off = _events(run("The talks between the union and the company were postponed on Tuesday."))
    assert ("breakdown", "2024-05-21") in off, off


def test_the_state_facing_its_own_opposition_is_its_government(run):
    text = (
        "Talks between Venezuela's government and the opposition resumed on Monday. "
        "Venezuela demands that sanctions be lifted before any election."
    )
    found = _positions(run(text))
    assert any(p == "Venezuelan government" and "sanctions" in s for p, s in found), found


def test_a_dated_demand_in_reported_speech_is_a_demand_not_a_statement(run):
    text = (
        "On Friday, Ukraine's foreign minister Andrii Sybiha said Moscow must accept an "
        "unconditional ceasefire to pave the way for talks."
    )
    assert _events(run(text)) == [("demand", "2024-05-17")]
    # Remarks with no demand or offer in them stay a statement.
    assert _events(run("Sybiha said on Tuesday the talks were useful.")) == [
        ("statement", "2024-05-21")
    ]


def test_praise_for_the_parties_is_a_statement(run):
    text = "Labor Secretary Julie Su praised the union and the company on Tuesday."
    assert _events(run(text)) == [("statement", "2024-05-21")]


def test_a_notice_to_the_legislature_is_a_statement_not_an_agreement(run):
    text = "On Tuesday the President notified Congress of his intent to sign a trade agreement."
    assert _events(run(text)) == [("statement", "2024-05-21")]


def test_a_fact_box_bullet_states_a_position_but_no_event(run):
    text = (
        "Key issues in the talks\n\n"
        "• Palestinians demand a total freeze on settlement activity in the West Bank\n\n"
        "Hamas demanded a permanent ceasefire on Monday."
    )
    result = run(text)
    assert _events(result) == [("demand", "2024-05-20")]
    assert any("settlement activity" in s for _, s in _positions(result))


def test_the_secretary_of_a_readout_holds_the_positions_of_the_side_of_its_holder(run):
    text = (
        "Secretary of State Antony Blinken met Saudi Foreign Minister Prince Faisal bin Farhan "
        "today in Riyadh. The Secretary discussed the delivery of humanitarian assistance to "
        "Gaza and emphasized that the increase must be sustained. The Secretary stressed that "
        "a ceasefire must be reached."
    )
    found = _positions(run(text))
    assert ("United States", "the increase must be sustained") in found, found
    assert ("United States", "a ceasefire must be reached") in found, found
    # The readout's further sentences report no new meeting.
    assert [k for k, _ in _events(run(text))].count("meeting") == 1


def test_courtesy_after_a_verb_of_wanting_is_no_stance(run):
    text = (
        "The union and the alliance reached a tentative agreement on Tuesday, and Labor Secretary "
        "Julie Su said she wants to applaud all involved for their efforts."
    )
    assert _positions(run(text)) == []
    assert _events(run(text)) == [("agreement", "2024-05-21")]
    wanted = "The Teamsters union wants to reopen the contract on wages and benefits."
    assert ("Teamsters", "to reopen the contract on wages and benefits") in _positions(run(wanted))


def test_a_date_after_since_dates_the_event_it_names_not_the_trigger_before(run):
    text = (
        "Trade ministers Justin Brown and Lim Jock Hoi met for the first time since the 12 "
        "countries signed the pact on February 4, 2016 in Auckland."
    )
    found = _events(run(text))
    assert ("meeting", None) in found and ("meeting", "2016-02-04") not in found, found


def test_a_date_of_the_talks_span_does_not_date_the_trigger(run):
    text = (
        "Negotiators at the conference have reached a tentative agreement on a draft accord "
        "for the talks ending Sunday in Hong Kong."
    )
    assert _events(run(text)) == [("agreement", None)]
    assert _events(run("Negotiators reached a tentative agreement on Sunday.")) == [
        ("agreement", "2024-05-19")
    ]


def test_a_pluperfect_demand_or_offer_is_background_but_still_a_position(run):
    text = "Earlier, Hamas had offered to release ten hostages in the talks."
    result = run(text)
    assert _events(result) == []
    assert ("Hamas", "release ten hostages in the talks") in _positions(result)
    assert _events(run("Hamas offered to release ten hostages on Monday.")) == [
        ("proposal", "2024-05-20")
    ]


def test_a_side_inside_a_longer_role_gives_the_person_a_side(run):
    text = (
        "Senior Iranian official Ali Larijani said after talks in Tehran with a Syrian "
        "delegation that his country would keep up its support for the government."
    )
    result = run(text)
    assert [p.affiliation for p in result.people] == ["Iran"]
    assert ("Iran", "would keep up its support for the government") in _positions(result)


def test_talks_that_closed_and_will_resume_are_a_meeting_and_a_plan(run):
    # "The <subject> talks" are the subject of their sentence (cues.TALK_QUALIFIERS), and a
    # closing verb (cues.SITTING_CLOSED) reports the sitting beside the planned resumption.
    text = (
        "The trade talks in the Norwegian city of Bergen adjourned last week and are expected "
        "to resume next month."
    )
    kinds = [k for k, _ in _events(run(text))]
    assert "meeting" in kinds and "scheduled" in kinds, kinds
    # How the process began is background to the round it plans: no meeting of its own.
    text = "Border talks began in March, and the fourth round is due to open in Oslo tomorrow."
    kinds = [k for k, _ in _events(run(text))]
    assert kinds == ["scheduled"], kinds


def test_a_breakdown_word_describing_the_talks_is_no_breakdown(run):
    # "the stalled negotiations" names the talks' state; "the negotiations stalled" reports it.
    text = "Envoys of the two states met on Monday to revive the stalled fisheries negotiations."
    assert "breakdown" not in [k for k, _ in _events(run(text))]
    text = "The fisheries negotiations between the two states stalled on Monday."
    assert "breakdown" in [k for k, _ in _events(run(text))]


def test_a_public_apology_over_the_talks_is_a_statement(run):
    text = "The Norwegian mediator apologized to the fishermen on Sunday as the talks ended."
    assert ("statement", "2024-05-19") in _events(run(text))


@pytest.mark.parametrize(
    "sentence",
    [
        "The dockworkers' union refused to sign the draft contract on Monday.",
        "The junta's refusal to accept the mediators' compromise on Monday left the talks idle.",
    ],
)
def test_a_refusal_of_what_was_put_forward_is_a_response(run, sentence):
    assert ("response", "2024-05-20") in _events(run(sentence))


@pytest.mark.parametrize(
    ("sentence", "party", "words"),
    [
        (
            "The European Union is pressing for a fisheries deal by the end of June.",
            "European Union",
            "fisheries deal",
        ),
        (
            "The Houthis are holding out for guarantees of an amnesty.",
            "Houthis",
            "guarantees of an amnesty",
        ),
    ],
)
def test_pressure_towards_an_outcome_is_a_demand(run, sentence, party, words):
    found = _positions(run(sentence))
    assert any(p == party and words in s for p, s in found), found
