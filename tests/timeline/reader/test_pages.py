"""The reader pages over the Django test client: content, filters, safety, query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from timeline import models as m

from .conftest import aware

pytestmark = pytest.mark.django_db


def event_ids(response) -> list[int]:
    return [
        int(x)
        for x in re.findall(
            r'<article class="event[^"]*" id="event-(\d+)"', response.content.decode()
        )
    ]


def html_of(client, url: str) -> str:
    """The page at ``url`` as text, after checking it answered 200 (a 404 page would otherwise
    only fail on a missing substring, hiding the cause)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_lists_negotiations_with_status_parties_and_last_event(client, talks):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Israel-Hamas ceasefire talks" in html
    assert "Stalled" in html
    assert ">Hamas</span>" in html and ">Israel</span>" in html
    assert "Netanyahu rejected a complete withdrawal." in html
    assert 'datetime="2024-06-10">Monday 10 June 2024</time>' in html


def test_timeline_lists_events_in_time_order_by_month_with_rounds_as_labels(client, talks):
    response = client.get("/n/israel-hamas/")

    html = response.content.decode()
    assert event_ids(response) == [
        talks.breakdown.pk,
        talks.departure.pk,
        talks.strike.pk,
        talks.statement.pk,
    ]
    assert html.index('id="month-2024-05-heading"') < html.index('id="month-2024-06-heading"')
    may = html[html.index('id="month-2024-05-heading"') : html.index("</h3>")]
    assert ">The Cairo round</a>" in may
    assert "week of 3 June 2024" in html
    assert "reported as “last week”" in html


def test_timeline_names_who_disputes_a_disputed_event(client, talks):
    html = html_of(client, "/n/israel-hamas/")

    breakdown = html[
        html.index(f'id="event-{talks.breakdown.pk}"') : html.index(
            f'id="event-{talks.departure.pk}"'
        )
    ]
    assert "<strong>Disputed</strong> by two American officials" in breakdown
    departure = html[
        html.index(f'id="event-{talks.departure.pk}"') : html.index(f'id="event-{talks.strike.pk}"')
    ]
    assert "Disputed" not in departure


def test_timeline_shows_sources_with_outlet_headline_link_quote_and_speaker(client, talks):
    html = html_of(client, "/n/israel-hamas/")

    assert "“Talks stalled.”" in html
    assert 'an Israeli official, in <span class="outlet">The Daily Record</span>' in html
    assert '<a class="headline" href="https://news.example/' in html
    assert ">Gaza talks stall in Cairo</a>" in html


def test_timeline_filter_by_party_keeps_only_its_events(client, talks):
    response = client.get("/n/israel-hamas/?party=hamas")

    assert event_ids(response) == [talks.breakdown.pk, talks.departure.pk]
    assert "matching your filters" in response.content.decode()


def test_timeline_filter_by_party_includes_its_own_people(client, talks):
    # Issue 14: "Israel" left out Netanyahu's statement; a party includes its affiliated people.
    response = client.get("/n/israel-hamas/?party=israel")

    assert event_ids(response) == [talks.breakdown.pk, talks.strike.pk, talks.statement.pk]


def test_timeline_filter_by_party_includes_its_delegation_members(client, talks):
    envoy = f.PersonFactory(name="An Envoy", slug="an-envoy")  # no affiliation
    delegation = m.Delegation.objects.get(round=talks.cairo_round, actor=talks.hamas)
    m.DelegationMember.objects.create(delegation=delegation, person=envoy)
    f.EventParticipantFactory(event=talks.statement, actor=envoy)

    response = client.get("/n/israel-hamas/?party=hamas")

    assert event_ids(response) == [talks.breakdown.pk, talks.departure.pk, talks.statement.pk]


def test_timeline_disputed_only_filter(client, talks):
    html = html_of(client, "/n/israel-hamas/?disputed=true")

    assert re.findall(r'<article class="event[^"]*" id="event-(\d+)"', html) == [
        str(talks.breakdown.pk)
    ]
    assert re.search(r'<input type="checkbox" name="disputed" value="true"[^>]*checked>', html)


def test_timeline_unknown_party_and_as_of_are_reported(client, talks):
    html = html_of(client, "/n/israel-hamas/?party=nobody&as_of=garbage")

    assert "Some filters could not be used" in html
    assert "Parties: There is no party &#x27;nobody&#x27;." in html
    assert "As known on: Enter a valid date." in html


def test_timeline_filters_by_kind_issue_and_dates_combine(client, talks):
    by_kind = client.get("/n/israel-hamas/?kind=statement&kind=military_action")
    by_issue = client.get("/n/israel-hamas/?issue=ceasefire-duration")
    by_dates = client.get("/n/israel-hamas/?date_from=2024-06-01&date_to=2024-06-05")

    assert event_ids(by_kind) == [talks.strike.pk, talks.statement.pk]
    assert event_ids(by_issue) == [talks.statement.pk]
    assert event_ids(by_dates) == [talks.strike.pk]


def test_timeline_filter_form_keeps_the_choices_in_the_shareable_url(client, talks):
    html = html_of(client, "/n/israel-hamas/?party=hamas&date_from=2024-05-01")

    assert re.search(r'<input type="checkbox" name="party" value="hamas"[^>]*checked>', html)
    assert not re.search(r'<input type="checkbox" name="party" value="israel"[^>]*checked>', html)
    assert 'name="date_from" value="2024-05-01"' in html
    assert '<form method="get"' in html


def test_timeline_bad_filter_values_are_reported_not_fatal(client, talks):
    response = client.get("/n/israel-hamas/?date_from=yesterday&party=atlantis&date_to=2024-06-05")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Some filters could not be used" in html
    assert "Enter a valid date." in html
    assert "There is no party &#x27;atlantis&#x27;." in html
    assert event_ids(response) == [talks.breakdown.pk, talks.departure.pk, talks.strike.pk]


def test_timeline_end_before_start_is_explained(client, talks):
    html = html_of(client, "/n/israel-hamas/?date_from=2024-06-05&date_to=2024-06-01")

    assert "The end date must not be before the start date." in html


def test_timeline_as_known_on_leaves_out_events_reported_later(client, talks):
    response = client.get("/n/israel-hamas/?as_of=2024-05-20")

    html = response.content.decode()
    assert event_ids(response) == [talks.breakdown.pk, talks.departure.pk]
    assert "as it was known on" in html
    assert 'datetime="2024-05-20">Monday 20 May 2024</time>' in html
    # The dispute was published on 21 May: on the 20th nobody had disputed it yet.
    assert "Disputed" not in html.split('id="timeline-heading"')[1]


def test_timeline_links_feed_calendar_and_exports(client, talks):
    html = html_of(client, "/n/israel-hamas/")

    assert (
        '<link rel="alternate" type="application/atom+xml" title="Israel-Hamas ceasefire talks: '
        'new events" href="/api/v1/negotiations/israel-hamas/export/atom/">'
    ) in html
    for fmt in ("atom", "ics", "csv", "json", "timelinejs"):
        assert f'href="/api/v1/negotiations/israel-hamas/export/{fmt}/"' in html


def test_timeline_has_open_graph_tags(client, talks):
    html = html_of(client, "/n/israel-hamas/")

    assert '<meta property="og:title" content="Israel-Hamas ceasefire talks: timeline">' in html
    assert '<meta property="og:url" content="http://testserver/n/israel-hamas/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:description" content="Stalled. 4 events.' in html


def test_pages_preview_with_an_absolute_png_card(client, talks):
    html = html_of(client, "/actors/hamas/")

    assert (
        '<meta property="og:image" content="http://testserver/static/timeline/og-card.png">'
    ) in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_timeline_activity_svg_has_text_alternatives(client, talks):
    html = html_of(client, "/n/israel-hamas/")

    assert 'role="img" aria-labelledby="activity-title activity-desc"' in html
    assert '<title id="activity-title">Events per week, by kind</title>' in html
    assert (
        "4 dated events over 5 weeks, from the week of 13 May 2024 to the week of 10 June 2024."
    ) in html
    assert "<title>Week of 3 June 2024: 1 event (1 military action)</title>" in html


def test_long_negotiation_url_redirects_to_short_one_keeping_filters(client, talks):
    response = client.get("/negotiations/israel-hamas/?party=hamas")

    assert response.status_code == 301
    assert response["Location"] == "/n/israel-hamas/?party=hamas"


def test_unknown_negotiation_is_404(client, db):
    assert client.get("/n/nowhere/").status_code == 404


def test_timeline_escapes_summaries_quotes_and_speakers(client, talks):
    article = f.ArticleFactory(
        title="<img src=x onerror=alert(1)>",
        text='<script>alert("q")</script> said the man.',
    )
    event = f.EventFactory(
        negotiation=talks.negotiation, summary="<b>bold</b> & <script>x()</script>"
    )
    f.CitationFactory(event=event, article=article, speaker_description="<i>someone</i>")

    html = html_of(client, "/n/israel-hamas/")

    assert "<script>x()</script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x()&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;i&gt;someone&lt;/i&gt;" in html


def test_description_html_from_sources_is_sanitised(client, talks):
    talks.negotiation.description = "<p>Talks <em>mediated</em> by Egypt<script>bad()</script></p>"
    talks.negotiation.save()

    html = html_of(client, "/n/israel-hamas/")

    assert "<p>Talks <em>mediated</em> by Egypt</p>" in html
    assert "bad()" not in html.split("<main")[1]


def test_reader_pages_have_no_inline_script_or_style_and_send_csp(client, talks):
    urls = [
        "/",
        "/n/israel-hamas/",
        "/n/israel-hamas/where-things-stand/",
        f"/n/israel-hamas/events/{talks.breakdown.pk}/",
        "/n/israel-hamas/rounds/1/",
        "/actors/hamas/",
    ]
    for url in urls:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], url
        assert "<style" not in html, url
        assert " style=" not in html, url
        assert re.findall(r"\son[a-z]+=", html) == [], url
        assert '<a class="skip-link" href="#main">' in html
        assert '<main id="main"' in html


def test_standings_show_current_stance_change_date_and_history(client, talks):
    html = html_of(client, "/n/israel-hamas/where-things-stand/")

    assert "phased ceasefire accepted" in html
    assert 'Since <time class="when" datetime="2024-06-01">Saturday 1 June 2024</time>' in html
    history = html[html.index('<details class="history">') :]
    assert "1 earlier position" in history
    assert "permanent ceasefire" in history
    assert "temporary pause only" in html
    assert "Narrowing: Hamas has made an offer or concession" in html


def test_standings_as_of_shows_the_stance_held_then(client, talks):
    html = html_of(client, "/n/israel-hamas/where-things-stand/?as_of=2024-05-20")

    assert "permanent ceasefire" in html
    assert "phased ceasefire accepted" not in html
    assert "Far apart: every side holds a demand or red line" in html


def test_standings_include_a_mediator_who_took_a_stance(client, talks):
    f.PositionFactory(
        issue=talks.ceasefire,
        party=talks.egypt,
        stance="ceasefire first",
        status=m.ReviewStatus.PUBLISHED,
    )

    html = html_of(client, "/n/israel-hamas/where-things-stand/")

    assert "ceasefire first" in html
    assert html.index('data-party="Hamas"') < html.index('data-party="Egypt"')


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
    assert "15\u201319 May 2024" in html
    assert "Ended without agreement." in html
    assert "Never arrived" in html
    assert 'Arrived <time class="when" datetime="2024-05-15">Wednesday 15 May 2024</time>' in html
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
    assert "temporary pause only" in html
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


# --- Query counts: fixed whatever the number of events ------------------------------------


def build_timeline(count: int) -> m.Negotiation:
    negotiation = f.NegotiationFactory(slug="counted")
    sides = [f.ActorFactory() for _ in range(3)]
    for actor in sides:
        f.ParticipationFactory(negotiation=negotiation, actor=actor)
    issue = f.IssueFactory(negotiation=negotiation)
    round_ = f.RoundFactory(negotiation=negotiation)
    for i in range(count):
        event = f.EventFactory(
            negotiation=negotiation,
            date=dt.date(2024, 5, 1) + dt.timedelta(days=i),
            round=round_ if i % 2 else None,
            place=round_.venue,
            issue=issue,
        )
        for actor in sides[: 1 + i % 3]:
            f.EventParticipantFactory(event=event, actor=actor)
        f.CitationFactory(event=event, speaker=sides[0])
        f.CitationFactory(
            event=event, stance=m.CitationStance.DISPUTES, speaker_description="a rival"
        )
    for actor in sides:
        f.PositionFactory(
            issue=issue, party=actor, status=m.ReviewStatus.PUBLISHED, is_current=True
        )
    return negotiation


@pytest.mark.parametrize("count", [1, 3])
def test_timeline_page_query_count_is_fixed(client, django_assert_num_queries, count):
    build_timeline(count)

    # negotiation, participations, issues, events (dated, then undated: the window is not
    # full), participants, citations, rounds, activity
    with django_assert_num_queries(9):
        response = client.get("/n/counted/?party=&kind=")

    assert len(event_ids(response)) == count


@pytest.mark.parametrize("count", [1, 3])
def test_timeline_page_with_filters_query_count_is_fixed(client, django_assert_num_queries, count):
    negotiation = build_timeline(count)
    party = negotiation.participations.first().actor.slug

    # as above, + the party's slug checked, + the unfiltered activity for the kinds on offer
    with django_assert_num_queries(11):
        response = client.get(f"/n/counted/?party={party}&date_from=2024-01-01")

    assert len(event_ids(response)) == count


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_is_fixed(client, django_assert_num_queries, count):
    for _ in range(count):
        build_timeline_for_home()

    with django_assert_num_queries(3):
        response = client.get("/")

    assert response.content.decode().count('class="negotiation-card"') == count


def build_timeline_for_home() -> None:
    negotiation = f.NegotiationFactory()
    f.ParticipationFactory(negotiation=negotiation)
    f.EventFactory(negotiation=negotiation)


@pytest.mark.parametrize("count", [1, 3])
def test_standings_query_count_is_fixed(client, django_assert_num_queries, count):
    build_timeline(count)

    # negotiation, participations, issues, positions, position citations
    with django_assert_num_queries(5):
        client.get("/n/counted/where-things-stand/")


@pytest.mark.parametrize("count", [1, 3])
def test_round_page_query_count_is_fixed(client, django_assert_num_queries, count):
    negotiation = build_timeline(count * 2)
    round_ = negotiation.rounds.get()
    f.DelegationFactory(round=round_)

    # negotiation, participations, issues, round, delegations, members, events (dated, then
    # undated: the page is not full), participants, citations
    with django_assert_num_queries(10):
        response = client.get(f"/n/counted/rounds/{round_.sequence}/")

    assert len(event_ids(response)) == count


@pytest.mark.parametrize("count", [1, 3])
def test_actor_page_query_count_is_fixed(client, django_assert_num_queries, count):
    negotiation = build_timeline(count)
    actor = negotiation.participations.first().actor

    # actor, aliases, members, participations, events, quotes (three reads: its people, its
    # delegates, its unnamed officials; then their events in bulk), positions
    with django_assert_num_queries(9):
        client.get(f"/actors/{actor.slug}/")


def test_event_page_query_count_is_fixed(client, django_assert_num_queries, talks):
    with django_assert_num_queries(6):
        client.get(f"/n/israel-hamas/events/{talks.breakdown.pk}/")


def test_as_known_on_query_count_is_fixed(client, talks):
    with CaptureQueriesContext(connection) as few:
        client.get("/n/israel-hamas/?as_of=2024-06-30")
    for i in range(3):
        event = f.EventFactory(negotiation=talks.negotiation, date=dt.date(2024, 6, 20 + i))
        f.EventParticipantFactory(event=event, actor=talks.hamas)
        f.CitationFactory(event=event, article=f.ArticleFactory(published_at=aware(2024, 6, 25)))

    with CaptureQueriesContext(connection) as more:
        client.get("/n/israel-hamas/?as_of=2024-06-30")

    assert len(more.captured_queries) == len(few.captured_queries)


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

    assert '<a href="/actors/benjamin-netanyahu/">Benjamin Netanyahu</a>, in' in html


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


def test_timeline_page_shows_a_bounded_window_with_links_both_ways(client):
    from timeline.management.commands.bench_timeline import build_bench_timeline
    from timeline.selectors.timeline_page import WINDOW

    build_bench_timeline("five-hundred", 250)

    first = client.get("/n/five-hundred/")
    ids = event_ids(first)
    later = re.search(r'<a href="(\?[^"]*after=[^"]+)" rel="next"', first.content.decode())
    second = client.get("/n/five-hundred/" + later.group(1).replace("&amp;", "&"))
    back = re.search(r'<a href="(\?[^"]*before=[^"]+)" rel="prev"', second.content.decode())
    again = client.get("/n/five-hundred/" + back.group(1).replace("&amp;", "&"))

    assert len(ids) == WINDOW
    assert len(event_ids(second)) == WINDOW
    assert not set(ids) & set(event_ids(second))
    assert event_ids(again) == ids
    assert 'rel="prev"' not in first.content.decode()


def test_bench_timeline_reports_times_and_leaves_nothing_behind(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("bench_timeline", "--events", "20", "--runs", "2", stdout=out)

    lines = out.getvalue().splitlines()
    assert re.fullmatch(r"empty timeline: [\d.]+ ms median, 6 queries", lines[0])
    assert re.fullmatch(
        r"20 events: [\d.]+ ms median \(min [\d.]+, max [\d.]+\), 8 queries, \d+ KiB of HTML",
        lines[1],
    )
    assert m.Negotiation.objects.filter(slug__startswith="bench-").count() == 0


def test_timeline_export_links_answer_with_their_formats(client, talks):
    html = html_of(client, "/n/israel-hamas/")
    links = dict(re.findall(r'<a href="([^"]+/export/[^"]+)" type="([^"]+)"', html))

    answers = {url: client.get(url) for url in links}

    assert len(answers) == 5
    for url, response in answers.items():
        assert response.status_code == 200, url
        assert response["Content-Type"].split(";")[0] in (links[url], "application/json"), url


def test_script_addresses_of_reports_are_never_links(client, talks):
    article = f.ArticleFactory(url="javascript:alert(1)", canonical_url=None, title="Trap")
    f.CitationFactory(event=talks.strike, article=article)

    timeline = html_of(client, "/n/israel-hamas/")
    event = html_of(client, f"/n/israel-hamas/events/{talks.strike.pk}/")
    source = html_of(client, f"/sources/{article.pk}/")

    for html in (timeline, event, source):
        assert "javascript:" not in html
    assert f'<a class="headline" href="/sources/{article.pk}/">Trap</a>' in timeline


def test_standings_bad_as_of_is_reported_and_today_shown(client, talks):
    response = client.get("/n/israel-hamas/where-things-stand/?as_of=someday")

    html = response.content.decode()
    assert response.status_code == 200
    assert "As of: Enter a valid date. Showing positions as they stand today." in html
    assert "phased ceasefire accepted" in html


def test_kind_filter_offers_only_kinds_that_occur_or_are_chosen(client, talks):
    html = html_of(client, "/n/israel-hamas/?kind=agreement")

    offered = re.findall(r'<input type="checkbox" name="kind" value="([a-z_]+)"', html)
    assert offered == [
        "delegation_departure",
        "agreement",
        "breakdown",
        "statement",
        "military_action",
    ]


def test_timeline_as_known_before_the_first_report_names_its_day(client, talks):
    html = html_of(client, "/n/israel-hamas/?as_of=2024-05-01")

    assert "Nothing had been reported by" in html
    assert "the first report on these talks came out on" in html
    assert 'datetime="2024-05-19">' in html
    assert "as our editors curate it today" in html
