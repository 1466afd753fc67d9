# ruff: noqa: RUF001 - typographic quotation marks are what these tests are about.
"""Quotes and who said them: named, pronouns, anonymous descriptors, institutions, partial."""

from __future__ import annotations

SEED = (
    "An Israeli official also confirmed that the negotiations had faltered, describing them as "
    "being in a “crisis.”\n\n"
    "Musa Abu Marzouk, a senior Hamas official, said in a phone interview: “We were very close, "
    "but Netanyahu’s narrow-mindedness aborted reaching an agreement.”\n\n"
    "Netanyahu said on Sunday that he would not agree to a complete withdrawal of Israeli forces "
    "from Gaza. He said that supporting such demands would allow Hamas to regain control.\n\n"
    "He said: “It is Hamas that is obstructing the release of our hostages.” “We are working in "
    "every possible way to free the hostages. This is our top priority.”\n\n"
    "Abu Marzouk said that Hamas believes that Mr. Netanyahu wants to invade Rafah.\n\n"
    "“This is Netanyahu’s plan,” he said.\n\n"
    "The movement intends to continue participating in the negotiations “positively,” said a "
    "senior Hamas official, who spoke on the condition of anonymity."
)


def _by_text(result):
    return {q.text: q for q in result.quotes}


def test_quotes_spans_point_at_the_quoted_characters(run):
    result = run(SEED)

    assert result.quotes
    for quote in result.quotes:
        assert SEED[quote.start : quote.end] == quote.text
        assert SEED[quote.start - 1] in "“\"'‘ "


def test_quotes_named_speaker_with_apposition(run):
    quote = _by_text(run(SEED))[
        "We were very close, but Netanyahu’s narrow-mindedness aborted reaching an agreement."
    ]

    assert quote.speaker.name == "Musa Abu Marzouk"
    assert quote.anonymous is False
    assert quote.affiliation == "Hamas"


def test_quotes_pronoun_chain_resolves_to_the_last_speaker(run):
    quotes = _by_text(run(SEED))

    assert quotes["It is Hamas that is obstructing the release of our hostages."].speaker.name == (
        "Benjamin Netanyahu"
    ) or quotes["It is Hamas that is obstructing the release of our hostages."].speaker.name == (
        "Netanyahu"
    )
    # A second quoted sentence in the same paragraph keeps the speaker.
    follow = quotes[
        "We are working in every possible way to free the hostages. This is our top priority."
    ]
    assert (
        follow.speaker
        is quotes["It is Hamas that is obstructing the release of our hostages."].speaker
    )
    # "he" after "Abu Marzouk said ... Mr. Netanyahu wants": the last speaker, not the last name.
    assert quotes["This is Netanyahu’s plan"].speaker.name == "Musa Abu Marzouk"


def test_quotes_anonymous_descriptors_have_no_person_but_a_side(run):
    quotes = _by_text(run(SEED))

    crisis = quotes["crisis."]
    assert (crisis.speaker, crisis.anonymous, crisis.affiliation) == (None, True, "Israel")
    positively = quotes["positively"]
    assert positively.speaker is None
    assert positively.anonymous is True
    assert positively.speaker_description == "a senior Hamas official"


def test_quotes_institutions_are_recorded_without_a_person(run):
    result = run(
        'NBC said its proposal "contains assurances that there is no intention to replace '
        'regular employees." "These points were taken to the ruling party," the coalition said '
        "in a statement."
    )

    assert [(q.speaker, q.anonymous) for q in result.quotes] == [(None, False), (None, False)]


def test_quotes_scare_quotes_without_a_speaker_are_skipped(run):
    result = run(
        "Legislation would unilaterally 'clarify' key parts of the settlement, including customs "
        "rules for Northern Ireland, that the EU insists should be resolved by a committee. "
        "Mr Johnson said there was 'still an agreement to be had' but he 'cannot and will not "
        "compromise'."
    )

    assert [q.text for q in result.quotes] == [
        "still an agreement to be had",
        "cannot and will not compromise",
    ]
    assert [q.speaker.name for q in result.quotes] == ["Johnson", "Johnson"]


def test_quotes_multi_paragraph_single_quotes_keep_the_speaker(run):
    text = (
        "But a No10 source said: 'The protocol is contradictory in some respects. You can't have "
        "both.\n\n'Without a trade deal, goods would be classed as being 'at risk' of being sold "
        "on to the EU market.\n\n'Even though traders could claim back the money, the costs would "
        "be considerable.'"
    )

    result = run(text)

    assert len(result.quotes) == 3
    assert all(q.anonymous and q.speaker is None for q in result.quotes)
    assert "'at risk'" in result.quotes[1].text


def test_quotes_title_reference_resolves_to_the_person_with_that_title(run):
    result = run(
        "U.S. Vice President JD Vance arrived. U.S. President Donald Trump said the talks "
        'were good. Iran "is doing a very poor job," the president wrote in a follow-up post.'
    )

    assert result.quotes[0].speaker.name == "Donald Trump"


def test_quotes_headlines_and_link_spam_are_not_quotes(run):
    result = run(
        'See also  In St Barts, islanders say "they don\'t want to end it."\n\n'
        "- [Xi invokes 'threat' of Taiwan independence](https://example.org/x)\n\n"
        '"15 hours and counting!" a senior White House official told a pool of reporters.'
    )

    assert [q.text for q in result.quotes] == ["15 hours and counting!"]


def test_quotes_quoted_sentence_after_an_attribution_takes_its_speaker(run):
    result = run(
        "In the evening, the priorities would reverse, Mr. Barrios said. “The bus rapid transit "
        "service is in the direction of rush hour.”"
    )

    assert [(q.text, q.speaker.name) for q in result.quotes] == [
        ("The bus rapid transit service is in the direction of rush hour.", "Barrios")
    ]


def test_quotes_speaker_after_the_verb_following_a_comma(run):
    result = run(
        "But the telescope’s “impressive sensitivity” will be useful for following up on sources, "
        "says Laura Spitler, an astronomer at the Max Planck Institute."
    )

    assert [(q.text, q.speaker.name) for q in result.quotes] == [
        ("impressive sensitivity", "Laura Spitler")
    ]


def test_quotes_german_and_french_quotation_marks(run):
    result = run(
        "„Wir verhandeln weiter“, sagte er. The minister said: «We will not sign this text»."
    )

    assert [q.text for q in result.quotes] == ["We will not sign this text"]
