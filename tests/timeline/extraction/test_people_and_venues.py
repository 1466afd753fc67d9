"""People (with titles, appositions and short forms) and venues, on sentences from real reports."""

from __future__ import annotations


def _names(result):
    return [p.name for p in result.people]


def test_people_titles_are_stripped_and_kept_as_role(run):
    result = run(
        "One of the officials said that CIA Director Bill Burns met with Qatari Prime Minister "
        "Mohammed bin Abdulrahman Al Thani in Doha on Sunday."
    )

    people = {p.name: p for p in result.people}
    assert list(people) == ["Bill Burns", "Mohammed bin Abdulrahman Al Thani"]
    assert people["Bill Burns"].role == "CIA Director"
    assert people["Mohammed bin Abdulrahman Al Thani"].affiliation == "Qatar"


def test_people_short_forms_fold_into_the_full_name(run):
    result = run(
        "The main obstacle was the duration of the ceasefire, and Israeli Prime Minister "
        "Benjamin Netanyahu expressed his openness to only a temporary cessation.\n\n"
        "Hamas blamed the lack of progress on Mr. Netanyahu. Netanyahu said on Sunday that he "
        "would not agree.\n\nMusa Abu Marzouk, a senior Hamas official, said the talks failed. "
        "Mr. Abu Marzouk said that Hamas wanted Israel to be present."
    )

    people = {p.name: p for p in result.people}
    assert list(people) == ["Benjamin Netanyahu", "Musa Abu Marzouk"]
    assert people["Benjamin Netanyahu"].affiliation == "Israel"
    assert "Mr. Netanyahu" in people["Benjamin Netanyahu"].aliases
    assert people["Musa Abu Marzouk"].affiliation == "Hamas"
    assert people["Musa Abu Marzouk"].role == "senior Hamas official"


def test_people_organisations_places_and_ships_are_not_people(run):
    result = run(
        "The USS Michael Murphy transited the Strait of Hormuz, U.S. Central Command said. "
        "Rockets were fired near the Kerem Shalom crossing. The Internal Market Bill will be "
        "tabled, and the Writers Guild of America has been on strike. Saudi Arabia agreed."
    )

    assert _names(result) == []


def test_people_bylines_and_photo_credits_are_not_news_actors(run):
    result = run(
        "Vance arrived for talks. (Photo by Jacquelyn Martin - Pool/Getty Images)\n\n"
        "Laurence Tisch became the largest shareholder in CBS.\n\n"
        "Peter Baker And Michael Crowley He contributed reporting to this article.",
        byline="Peter Baker And Michael Crowley",
    )

    assert _names(result) == ["Laurence Tisch"]


def test_people_a_titled_surname_alone_is_a_person(run):
    result = run("Gen Kellogg said Ukraine joining the alliance was not on the table.")

    assert _names(result) == ["Kellogg"]


def test_venues_are_where_talks_happen_not_places_mentioned(run):
    result = run(
        "A Hamas delegation left the talks in Cairo on Sunday. Rockets were fired from Rafah. "
        "Palestinians living in miserable conditions in Gaza will wait longer. Hamas' political "
        "leadership meets on Monday in Doha."
    )

    assert result.venues == ["Cairo", "Doha"]


def test_venues_country_is_dropped_when_a_city_in_it_is_a_venue(run):
    result = run(
        "The negotiations, held in Stockholm, Sweden, ended. Officials met in Sweden again "
        "for talks in Stockholm."
    )

    assert result.venues == ["Stockholm"]


def test_venues_travel_to_a_place_counts_but_proposals_sent_to_a_state_do_not(run):
    result = run(
        "Kerry said he planned to visit Moscow next week. Russia is yet to send its negotiating "
        "proposals to Ukraine. An Israeli delegation was never able to reach Cairo."
    )

    assert result.venues == ["Moscow", "Cairo"]


def test_venues_small_towns_and_facilities_need_talks_right_before_them(run):
    held = run(
        "Negotiators met at Camp David on Sunday. The talks in Montreux resumed. Leaders "
        "gathered at Lancaster House for talks."
    )
    mentioned = run("He grew up in Montreux and talks to reporters often. He lives in March.")

    assert held.venues == ["Camp David", "Montreux", "Lancaster House"]
    assert mentioned.venues == []


def test_people_titled_surname_that_is_also_a_town_or_after_secretary_of_state(run):
    result = run("President Bush named a new envoy, and Secretary of State Kerry met both sides.")

    assert {"Bush", "Kerry"} <= set(_names(result))


def test_people_surname_before_administration_is_no_mention_of_the_person(run):
    result = run(
        "President Bush named a new envoy.\n\n"
        "They would not say who will represent the Bush administration, but say diplomats will "
        "take part in the talks."
    )

    assert all("Bush" not in e.people for e in result.events)


def test_venues_dateline_of_a_statement_about_the_talks_is_no_venue(run):
    about = run(
        "Brussels, Belgium - The EU trade commissioner today issued the following statement "
        "regarding the status of trade negotiations with Japan:"
    )
    sitting = run(
        "Brussels, Belgium - EU and Japanese negotiators met today for a new round of talks."
    )

    assert "Brussels" not in about.venues
    assert "Brussels" in sitting.venues


def test_people_a_run_ending_in_a_title_word_is_no_person(run):
    result = run(
        "Joining the meeting were Bruneian Permanent Secretary of Ministry of Foreign Affairs "
        "Lim Jock Hoi and New Zealand Minister of Trade Todd McClay."
    )

    names = _names(result)
    assert not any(name.endswith(("Secretary", "Minister")) for name in names)
    assert "Todd McClay" in names


def test_people_a_portfolio_after_of_is_title_not_name(run):
    result = run(
        "The talks were joined by Canadian Minister of International Trade Chrystia Freeland."
    )

    assert "Chrystia Freeland" in _names(result)
