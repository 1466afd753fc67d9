"""The timeline page and the home page: content, filters, links, windows."""

from __future__ import annotations

import re

import pytest

from tests import factories as f
from timeline import models as m

from .pages import event_ids, html_of

pytestmark = pytest.mark.django_db


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
    assert event_ids(response) == talks.in_time_order
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
        html.index(f'id="event-{talks.departure.pk}"') : html.index(f'id="event-{talks.crisis.pk}"')
    ]
    assert "Disputed" not in departure


def test_timeline_shows_sources_with_outlet_headline_link_quote_and_speaker(client, talks):
    html = html_of(client, "/n/israel-hamas/")

    assert "“Talks stalled.”" in html
    assert '<p class="attribution report-head"><span class="outlet">The Daily Record</span>' in html
    assert '</blockquote><p class="attribution">an Israeli official</p>' in html
    assert '<a class="headline" href="https://news.example/' in html
    assert ">Gaza talks stall in Cairo</a>" in html


def test_timeline_card_names_a_report_once_above_all_its_quotes(client, talks):
    article = talks.statement.citations.get().article
    f.CitationFactory(event=talks.statement, article=article, speaker_description="an aide")

    html = html_of(client, "/n/israel-hamas/")
    card = html[html.index(f'id="event-{talks.statement.pk}"') :]
    card = card[: card.index("</article>")]

    assert card.count('class="source-report"') == 1
    assert card.count('class="headline"') == 1
    assert len(re.findall(r'<li class="source( source-disputes)?">', card)) == 2


def test_timeline_filter_by_party_keeps_only_its_events(client, talks):
    response = client.get("/n/israel-hamas/?party=hamas")

    assert event_ids(response) == [
        talks.meeting.pk,
        talks.breakdown.pk,
        talks.departure.pk,
        talks.return_trip.pk,
    ]
    assert "matching your filters" in response.content.decode()


def test_timeline_filter_by_party_includes_its_own_people(client, talks):
    # Issue 14: "Israel" left out Netanyahu's statement; a party includes its affiliated people.
    response = client.get("/n/israel-hamas/?party=israel")

    assert event_ids(response) == [
        talks.breakdown.pk,
        talks.crisis.pk,
        talks.strike.pk,
        talks.statement.pk,
    ]


def test_timeline_filter_by_party_includes_its_delegation_members(client, talks):
    envoy = f.PersonFactory(name="An Envoy", slug="an-envoy")  # no affiliation
    delegation = m.Delegation.objects.get(round=talks.cairo_round, actor=talks.hamas)
    m.DelegationMember.objects.create(delegation=delegation, person=envoy)
    f.EventParticipantFactory(event=talks.statement, actor=envoy)

    response = client.get("/n/israel-hamas/?party=hamas")

    assert event_ids(response) == [
        talks.meeting.pk,
        talks.breakdown.pk,
        talks.departure.pk,
        talks.return_trip.pk,
        talks.statement.pk,
    ]


def test_timeline_disputed_only_filter(client, talks):
    html = html_of(client, "/n/israel-hamas/?disputed=true")

    assert re.findall(r'<article class="event[^"]*" id="event-(\d+)"', html) == [
        str(talks.breakdown.pk),
        str(talks.crisis.pk),
    ]
    assert re.search(r'<input type="checkbox" name="disputed" value="true"[^>]*checked>', html)


def test_timeline_unknown_party_and_as_of_are_reported(client, talks):
    html = html_of(client, "/n/israel-hamas/?party=nobody&as_of=garbage")

    assert "Some filters could not be used" in html
    assert "Parties: There is no party &#x27;nobody&#x27;." in html
    assert "As known on: Enter a valid date." in html


def test_timeline_filters_by_kind_issue_and_dates_combine(client, talks):
    by_kind = client.get("/n/israel-hamas/?kind=statement&kind=military_action")
    by_issue = client.get("/n/israel-hamas/?issue=duration")
    by_dates = client.get("/n/israel-hamas/?date_from=2024-06-01&date_to=2024-06-05")

    assert event_ids(by_kind) == [talks.crisis.pk, talks.strike.pk, talks.statement.pk]
    assert event_ids(by_issue) == [talks.meeting.pk, talks.statement.pk]
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
    assert event_ids(response) == [
        talks.meeting.pk,
        talks.breakdown.pk,
        talks.departure.pk,
        talks.crisis.pk,
        talks.return_trip.pk,
        talks.strike.pk,
    ]


def test_timeline_end_before_start_is_explained(client, talks):
    html = html_of(client, "/n/israel-hamas/?date_from=2024-06-05&date_to=2024-06-01")

    assert "The end date must not be before the start date." in html


def test_timeline_as_known_on_leaves_out_events_reported_later(client, talks):
    response = client.get("/n/israel-hamas/?as_of=2024-05-20")

    html = response.content.decode()
    assert event_ids(response) == [
        talks.meeting.pk,
        talks.breakdown.pk,
        talks.departure.pk,
        talks.crisis.pk,
    ]
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
    assert '<meta property="og:description" content="Stalled. 7 events.' in html


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
        "7 dated events over 5 weeks, from the week of 13 May 2024 to the week of 10 June 2024."
    ) in html
    assert "<title>Week of 3 June 2024: 1 event (1 military action)</title>" in html


def test_long_negotiation_url_redirects_to_short_one_keeping_filters(client, talks):
    response = client.get("/negotiations/israel-hamas/?party=hamas")

    assert response.status_code == 301
    assert response["Location"] == "/n/israel-hamas/?party=hamas"


def test_unknown_negotiation_is_404(client, db):
    assert client.get("/n/nowhere/").status_code == 404


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


def test_timeline_export_links_answer_with_their_formats(client, talks):
    html = html_of(client, "/n/israel-hamas/")
    links = dict(re.findall(r'<a href="([^"]+/export/[^"]+)" type="([^"]+)"', html))

    answers = {url: client.get(url) for url in links}

    assert len(answers) == 5
    for url, response in answers.items():
        assert response.status_code == 200, url
        assert response["Content-Type"].split(";")[0] in (links[url], "application/json"), url


def test_kind_filter_offers_only_kinds_that_occur_or_are_chosen(client, talks):
    html = html_of(client, "/n/israel-hamas/?kind=agreement")

    offered = re.findall(r'<input type="checkbox" name="kind" value="([a-z_]+)"', html)
    assert offered == [
        "meeting",
        "delegation_departure",
        "agreement",
        "breakdown",
        "statement",
        "military_action",
        "scheduled",
    ]


def test_timeline_as_known_before_the_first_report_names_its_day(client, talks):
    html = html_of(client, "/n/israel-hamas/?as_of=2024-05-01")

    assert "Nothing had been reported by" in html
    assert "the first report on these talks came out on" in html
    assert 'datetime="2024-05-19">' in html
    assert "as our editors curate it today" in html
