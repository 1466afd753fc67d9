"""Event, round, actor and source pages."""

from __future__ import annotations

import pytest

from tests import factories as f
from timeline import models as m

from .pages import html_of

pytestmark = pytest.mark.django_db


def test_event_page_shows_place_round_participants_and_every_source(client, talks):
    html = html_of(client, f"/n/israel-hamas/events/{talks.breakdown.pk}/")

    assert "<h1>The Cairo talks reached an impasse.</h1>" in html
    assert '<a href="/n/israel-hamas/rounds/1/">The Cairo round</a>' in html
    assert "<strong>Disputed</strong> by two American officials" in html
    assert "First reported" in html and "20 May 2024, 09:00 UTC" in html
    assert "an Israeli official (anonymous official, Israel)</p>" in html


def test_event_page_names_each_report_once_above_its_quotes(client, talks):
    article = talks.breakdown.citations.first().article
    f.CitationFactory(event=talks.breakdown, article=article, start=0, end=5)

    html = html_of(client, f"/n/israel-hamas/events/{talks.breakdown.pk}/")
    sources = html[html.index('class="sources sources-full"') :]

    assert sources.count(f'href="/sources/{article.pk}/"') == 1
    assert sources.count('class="source-report"') == len(
        {c.article_id for c in talks.breakdown.citations.all()}
    )


def test_event_page_of_a_candidate_event_is_404(client, talks):
    candidate = f.EventFactory(negotiation=talks.negotiation, status=m.ReviewStatus.CANDIDATE)

    assert client.get(f"/n/israel-hamas/events/{candidate.pk}/").status_code == 404


def test_event_page_of_another_negotiations_event_is_404(client, talks):
    other = f.EventFactory()

    assert client.get(f"/n/israel-hamas/events/{other.pk}/").status_code == 404


def test_round_page_shows_venue_dates_delegations_and_outcome(client, talks):
    html = html_of(client, "/n/israel-hamas/rounds/1/")

    assert "<h1>The Cairo round</h1>" in html
    assert "Collapsed" in html
    assert "18\u201319 May 2024" in html
    assert "Ended without agreement." in html
    assert "Never arrived" in html
    assert 'Arrived <time class="when" datetime="2024-05-18">Saturday 18 May 2024</time>' in html
    assert f'id="event-{talks.breakdown.pk}"' in html
    assert f'id="event-{talks.strike.pk}"' not in html


def test_actor_page_shows_role_affiliation_aliases_events_and_quotes(client, talks):
    html = html_of(client, "/actors/benjamin-netanyahu/")

    assert "<h1>Benjamin Netanyahu</h1>" in html
    assert 'Prime Minister, <a href="/actors/israel/">Israel</a>' in html
    assert "Mr. Netanyahu" in html
    assert "Netanyahu rejected a complete withdrawal." in html
    quotes = html[html.index('id="quotes-heading"') :]
    assert "Report" in quotes and "(named official)" in quotes


def test_actor_page_of_a_state_lists_its_people_roles_and_positions(client, talks):
    html = html_of(client, "/actors/israel/")

    assert "Benjamin Netanyahu</a>, Prime Minister" in html
    assert 'Party in <a href="/n/israel-hamas/">Israel-Hamas ceasefire talks</a>' in html
    assert "Pause of six weeks" in html  # its current stance (since 20 May)
    assert "Netanyahu rejected a complete withdrawal." in html  # through its person


def test_actor_page_of_merged_actor_redirects_permanently_to_the_survivor(client, talks):
    f.ActorFactory(slug="hamas-movement", status=m.ReviewStatus.MERGED, merged_into=talks.hamas)

    response = client.get("/actors/hamas-movement/")

    assert (response.status_code, response["Location"]) == (301, "/actors/hamas/")
    assert "<h1>Hamas</h1>" in html_of(client, "/actors/hamas/")


def test_actor_merge_into_a_candidate_keeps_the_published_page(client, db):
    from timeline.services import actor_merge

    published = f.ActorFactory(name="Hamas", slug="hamas")
    candidate = f.ActorFactory(
        name="Hamas movement", slug="hamas-movement", status=m.ReviewStatus.CANDIDATE
    )

    actor_merge(published, candidate)

    assert client.get("/actors/hamas/")["Location"] == "/actors/hamas-movement/"
    assert client.get("/actors/hamas-movement/").status_code == 200


def test_actor_page_quotes_its_officials_not_narration_and_each_span_once(client, talks):
    article = f.ArticleFactory(
        text="A senior Hamas official said the group will not return. "
        "Hamas leaders met in Doha on Monday to weigh the offer."
    )
    official = f.CitationFactory(
        event=talks.breakdown,
        article=article,
        start=0,
        end=55,
        quote=article.text[:55],
        attribution=m.AttributionType.ANONYMOUS_OFFICIAL,
        speaker_description="a senior Hamas official",
        speaker_side=talks.hamas,
    )
    # The same words cited again by another event: shown once.
    f.CitationFactory(
        event=talks.departure,
        article=article,
        start=0,
        end=55,
        quote=article.text[:55],
        attribution=m.AttributionType.ANONYMOUS_OFFICIAL,
        speaker_side=talks.hamas,
    )
    narration = f.CitationFactory(
        event=talks.breakdown,
        article=article,
        start=56,
        end=110,
        quote=article.text[56:110],
        attribution=m.AttributionType.OUTLET,
        speaker=talks.hamas,
    )

    html = html_of(client, "/actors/hamas/")
    quotes = html[html.index('id="quotes-heading"') :]

    assert quotes.count(official.quote) == 1
    assert narration.quote not in quotes


def test_actor_page_of_candidate_actor_is_404(client, db):
    f.ActorFactory(slug="maybe", status=m.ReviewStatus.CANDIDATE)

    assert client.get("/actors/maybe/").status_code == 404


def test_source_page_shows_the_quote_in_its_context(client, talks):
    citation = talks.breakdown.citations.get(speaker_description="an Israeli official")

    html = html_of(client, f"/sources/{citation.article_id}/")

    assert "<h1>Gaza talks stall in Cairo</h1>" in html
    assert "<mark>Talks stalled.</mark> An Israeli official called it a &quot;crisis.&quot;" in html
    assert "Said by an Israeli official; cited for" in html
    assert f'href="/n/israel-hamas/events/{talks.breakdown.pk}/"' in html


def test_source_page_of_an_uncited_report_is_404(client, db):
    article = f.ArticleFactory()

    assert client.get(f"/sources/{article.pk}/").status_code == 404


def test_source_without_a_web_address_links_to_its_passages(client, talks):
    article = f.ArticleFactory(url="", canonical_url=None, title="Wire copy")
    f.CitationFactory(event=talks.strike, article=article)

    html = html_of(client, "/n/israel-hamas/")

    assert f'<a class="headline" href="/sources/{article.pk}/">Wire copy</a>' in html


def test_speaker_is_named_when_the_report_says_he(client, talks):
    citation = talks.statement.citations.get()
    citation.speaker_description = "He"
    citation.save()

    html = html_of(client, "/n/israel-hamas/")

    assert (
        '<p class="attribution"><a href="/actors/benjamin-netanyahu/">Benjamin Netanyahu</a></p>'
        in html
    )


def test_one_speaker_disputing_twice_is_named_once(client, talks):
    marzouk = f.PersonFactory(name="Musa Abu Marzouk", slug="musa-abu-marzouk")
    for description in ("Musa Abu Marzouk, a senior Hamas official", "Mr. Abu Marzouk"):
        f.CitationFactory(
            event=talks.departure,
            speaker=marzouk,
            speaker_description=description,
            stance=m.CitationStance.DISPUTES,
        )

    html = html_of(client, "/n/israel-hamas/")

    assert "by Musa Abu Marzouk, a senior Hamas official</p>" in html
