import datetime as dt
import os
import re
import subprocess
import sys
import threading
import time
import warnings

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from timeline import models as m
from timeline.demo.loader import load_curated, propose_candidates
from timeline.ingestion.dedupe import content_hash
from timeline.services import position_publish

URL_SCHEME_WARNING = "The default scheme will be changed"

pytestmark = [
    pytest.mark.django_db,
    # Every admin page and action below fails if a form still builds a URLField without
    # ``assume_scheme`` (Django 5.2 warns; 6.0 changes the default).
    pytest.mark.filterwarnings(f"error:{URL_SCHEME_WARNING}:DeprecationWarning"),
]

TIMELINE_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "timeline"]
DOMAIN_MODELS = [
    m.Actor,
    m.ActorAlias,
    m.Place,
    m.Outlet,
    m.Article,
    m.Negotiation,
    m.Participation,
    m.Round,
    m.Delegation,
    m.DelegationMember,
    m.Issue,
    m.Position,
    m.Event,
    m.EventParticipant,
    m.Citation,
]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:timeline_{model._meta.model_name}_{view}", args=args)


def _login(client, group: str):
    user = f.UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    return _login(client, "Editors")


def _run_action(client, model, action: str, objects, **extra):
    data = {"action": action, "_selected_action": [obj.pk for obj in objects], **extra}
    return client.post(_url(model, "changelist"), data, follow=True)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- every page renders ---------------------------------------------------------------------


def test_every_domain_model_is_registered():
    assert set(DOMAIN_MODELS) <= set(TIMELINE_ADMINS)


def test_admin_every_page_renders_on_demo_data(admin_client):
    report = load_curated()
    propose_candidates(report.article, report.negotiation)
    candidate = m.Event.objects.candidates().order_by("pk").first()
    position = m.Position.objects.filter(status=m.ReviewStatus.CANDIDATE).order_by("pk").first()
    failures = []
    for page in (
        reverse("admin:timeline_event_review"),
        reverse("admin:timeline_event_review_event", args=[candidate.pk]),
        reverse("admin:timeline_position_review"),
        reverse("admin:timeline_position_review_position", args=[position.pk]),
    ):
        response = admin_client.get(page)
        if response.status_code != 200 or b"<mark>" not in response.content:
            failures.append((page, response.status_code))

    for model in TIMELINE_ADMINS:
        model_admin = admin.site._registry[model]
        pages = [_url(model, "changelist"), _url(model, "changelist") + "?q=Hamas"]
        if model_admin.has_add_permission(admin_client.get("/").wsgi_request):
            pages.append(_url(model, "add"))
        obj = model.objects.order_by("pk").first()
        if obj is not None:
            pages += [_url(model, "change", obj.pk), _url(model, "history", obj.pk)]
        for page in pages:
            status = admin_client.get(page).status_code
            if status != 200:
                failures.append((page, status))

    assert failures == []


def test_admin_autocomplete_for_merge_target_leaves_out_tombstones(admin_client):
    kept = f.ActorFactory(name="Qatar")
    f.ActorFactory(name="Qatar (old)", status=m.ReviewStatus.MERGED, merged_into=kept)

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "timeline",
            "model_name": "actor",
            "field_name": "merged_into",
            "term": "Qat",
        },
    )

    assert [r["text"] for r in response.json()["results"]] == ["Qatar"]


# --- query-count guards ---------------------------------------------------------------------


def _full_event() -> m.Event:
    event = f.EventFactory(place=f.PlaceFactory())
    f.EventParticipantFactory(event=event)
    f.CitationFactory(event=event, stance=m.CitationStance.DISPUTES)
    return event


def _delegation_member() -> m.DelegationMember:
    return f.DelegationFactory(head=f.PersonFactory()).members.create(person=f.PersonFactory())


def _actor() -> m.Actor:
    actor = f.PersonFactory(affiliation=f.ActorFactory())
    f.ActorAliasFactory(actor=actor)
    return actor


ROW_BUILDERS = {
    m.Actor: _actor,
    m.ActorAlias: f.ActorAliasFactory,
    m.Place: f.PlaceFactory,
    m.Outlet: lambda: f.OutletFactory(actor=f.ActorFactory()),
    m.Article: lambda: f.CitationFactory().article,
    m.Negotiation: f.NegotiationFactory,
    m.Participation: f.ParticipationFactory,
    m.Round: f.RoundFactory,
    m.Delegation: lambda: f.DelegationFactory(head=f.PersonFactory()),
    m.DelegationMember: _delegation_member,
    m.Issue: f.IssueFactory,
    m.Position: f.PositionFactory,
    m.Event: _full_event,
    m.EventParticipant: f.EventParticipantFactory,
    m.Citation: lambda: f.CitationFactory(speaker=f.PersonFactory()),
}


def _changelist_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model.__name__)
def test_admin_changelist_query_count_same_for_one_and_three_rows(admin_client, model):
    build = ROW_BUILDERS[model]
    build()
    one = _changelist_queries(admin_client, model)
    build()
    build()

    three = _changelist_queries(admin_client, model)

    assert model.objects.count() >= 3
    assert three == one


@pytest.mark.parametrize("n_events", [1, 3])
def test_admin_event_changelist_query_count_pinned(
    admin_client, django_assert_num_queries, n_events
):
    for _ in range(n_events):
        _full_event()

    # session, user, candidate count, filter choices (negotiation), count, rows
    with django_assert_num_queries(6):
        response = admin_client.get(_url(m.Event, "changelist"))

    assert len(response.context["cl"].result_list) == n_events


# --- actions call the services ----------------------------------------------------------------


def test_admin_action_publish_events(client, editor):
    events = [f.EventFactory(status=m.ReviewStatus.CANDIDATE) for _ in range(2)]

    response = _run_action(client, m.Event, "publish_events", events)

    assert response.status_code == 200
    assert m.Event.objects.published().count() == 2
    assert "2 event(s) published." in _messages(response)


def test_admin_action_publish_asks_for_missing_negotiation(client, editor):
    event = f.EventFactory(status=m.ReviewStatus.CANDIDATE, negotiation=None)
    negotiation = f.NegotiationFactory()

    asked = _run_action(client, m.Event, "publish_events", [event])
    done = _run_action(
        client, m.Event, "publish_events", [event], apply="1", negotiation=negotiation.pk
    )

    assert b"choose the negotiation" in asked.content
    event.refresh_from_db()
    assert (event.status, event.negotiation) == (m.ReviewStatus.PUBLISHED, negotiation)
    assert "1 event(s) published." in _messages(done)


def test_admin_action_records_who_made_the_change(client, editor):
    event = f.EventFactory(status=m.ReviewStatus.CANDIDATE)

    _run_action(client, m.Event, "publish_events", [event])

    assert event.history.first().history_user == editor


def test_admin_action_reject_refusal_is_reported_and_changes_nothing(client, editor):
    candidate = f.EventFactory(status=m.ReviewStatus.CANDIDATE)
    published = f.EventFactory(status=m.ReviewStatus.PUBLISHED)

    response = _run_action(client, m.Event, "reject_events", [candidate, published])

    candidate.refresh_from_db()
    published.refresh_from_db()
    assert (candidate.status, published.status) == (
        m.ReviewStatus.REJECTED,
        m.ReviewStatus.PUBLISHED,
    )
    assert any("Retract a published event instead" in text for text in _messages(response))


def test_admin_action_retract_events(client, editor):
    event = f.EventFactory(status=m.ReviewStatus.PUBLISHED)

    _run_action(client, m.Event, "retract_events", [event])

    event.refresh_from_db()
    assert event.status == m.ReviewStatus.RETRACTED


def test_admin_action_merge_events_through_intermediate_form(client, editor):
    target = f.EventFactory()
    sources = [
        f.EventFactory(status=m.ReviewStatus.CANDIDATE, negotiation=target.negotiation)
        for _ in range(2)
    ]
    citation = f.CitationFactory(event=sources[0])

    asked = _run_action(client, m.Event, "merge_events", sources)
    _run_action(client, m.Event, "merge_events", sources, apply="1", target=target.pk)

    assert asked.status_code == 200
    assert b"Merge into" in asked.content
    for source in sources:
        source.refresh_from_db()
        assert (source.status, source.merged_into) == (m.ReviewStatus.MERGED, target)
    citation.refresh_from_db()
    assert citation.event == target


def test_admin_action_merge_actors_through_intermediate_form(client, editor):
    target = f.ActorFactory(name="Qatar")
    source = f.ActorFactory(name="State of Qatar")
    f.ActorAliasFactory(actor=source, name="Qatari")
    participant = f.EventParticipantFactory(actor=source)

    asked = _run_action(client, m.Actor, "merge_actors", [source])
    done = _run_action(client, m.Actor, "merge_actors", [source], apply="1", target=target.pk)

    assert b"Merge into" in asked.content
    participant.refresh_from_db()
    assert participant.actor == target
    assert sorted(target.aliases.values_list("name", flat=True)) == ["Qatari", "State of Qatar"]
    assert "1 actor(s) merged into Qatar." in _messages(done)


def test_admin_action_publish_positions_supersedes_in_date_order(client, editor):
    old = f.PositionFactory(valid_from=dt.date(2024, 5, 1))
    new = f.PositionFactory(issue=old.issue, party=old.party, valid_from=dt.date(2024, 5, 19))

    _run_action(client, m.Position, "publish_positions", [new, old])

    new.refresh_from_db()
    assert (new.is_current, new.supersedes) == (True, old)


def test_admin_viewer_sees_but_cannot_act(client):
    _login(client, "Viewers")
    event = f.EventFactory(status=m.ReviewStatus.CANDIDATE)

    page = client.get(_url(m.Event, "changelist"))
    _run_action(client, m.Event, "publish_events", [event])
    queue = client.get(reverse("admin:timeline_event_review"))
    decide = client.post(
        reverse("admin:timeline_event_review_event", args=[event.pk]), {"decision": "reject"}
    )

    assert (page.status_code, queue.status_code, decide.status_code) == (200, 200, 403)
    assert b'name="decision"' not in queue.content
    event.refresh_from_db()
    assert event.status == m.ReviewStatus.CANDIDATE


# --- citations by quote ---------------------------------------------------------------------


def _add_citation(client, article_text: str, quote: str, **fields):
    """Posts the admin's add-citation form for a new event and article; returns (article, response)."""
    article = f.ArticleFactory(text=article_text)
    event = f.EventFactory()
    data = {
        "event": event.pk,
        "article": article.pk,
        "quote": quote,
        "stance": m.CitationStance.SUPPORTS,
        **fields,
    }
    return article, client.post(_url(m.Citation, "add"), data)


def test_admin_citation_add_finds_offsets_from_quote(client, editor):
    article, response = _add_citation(
        client,
        "Talks stalled. A senior official called it a “crisis.”",
        "crisis.",
        attribution=m.AttributionType.ANONYMOUS_OFFICIAL,
        speaker_description="A senior official",
    )

    assert response.status_code == 302
    citation = m.Citation.objects.get()
    assert article.text[citation.start : citation.end] == "crisis."


def test_admin_citation_add_quote_not_in_text_is_refused(client, editor):
    _, response = _add_citation(
        client, "Talks stalled.", "Talks collapsed.", attribution=m.AttributionType.OUTLET
    )

    assert response.status_code == 200
    assert b"not in the article" in response.content
    assert m.Citation.objects.count() == 0


def test_admin_article_add_stores_ingestion_hash_and_refuses_the_same_text_twice(client, editor):
    outlet = f.OutletFactory()
    text = "Talks stalled in Cairo on Sunday, officials said."
    data = {
        "url": "https://news.example/pasted",
        "outlet": outlet.pk,
        "title": "Pasted report",
        "language": "en",
        "text": text,
        "citations-TOTAL_FORMS": 0,
        "citations-INITIAL_FORMS": 0,
    }

    first = client.post(_url(m.Article, "add"), data)
    again = client.post(_url(m.Article, "add"), {**data, "url": "https://news.example/copy"})

    assert first.status_code == 302
    article = m.Article.objects.get()
    assert article.content_hash == content_hash(text)
    assert again.status_code == 200
    assert f"This text is already stored as article {article.pk}" in again.content.decode()
    assert m.Article.objects.count() == 1


# --- the review queue ------------------------------------------------------------------------


def _candidate(text: str, quote: str, **kwargs) -> m.Event:
    article = f.ArticleFactory(text=text)
    event = f.EventFactory(status=m.ReviewStatus.CANDIDATE, source_article=article, **kwargs)
    start = text.index(quote)
    f.CitationFactory(event=event, article=article, start=start, end=start + len(quote))
    f.EventParticipantFactory(event=event)
    return event


def test_review_queue_highlights_quoted_span_and_escapes_text(client, editor):
    _candidate(
        "Before <b>bold</b>. The delegation left Cairo on Sunday. After.",
        "The delegation left Cairo on Sunday.",
    )
    f.EventFactory(status=m.ReviewStatus.PUBLISHED, summary="Already on the timeline")

    response = client.get(reverse("admin:timeline_event_review"))

    html = response.content.decode()
    assert "<mark>The delegation left Cairo on Sunday.</mark>" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>bold</b>" not in html
    assert "Already on the timeline" not in html


@pytest.mark.parametrize(
    ("factory", "queue", "noun"),
    [
        (f.EventFactory, "admin:timeline_event_review", "event"),
        (f.PositionFactory, "admin:timeline_position_review", "position"),
    ],
)
def test_review_queue_card_without_quote_says_to_open_its_report(
    client, editor, factory, queue, noun
):
    factory(status=m.ReviewStatus.CANDIDATE)

    html = client.get(reverse(queue)).content.decode()

    assert f"No quoted words: open the {noun} to see its report." in html


def test_review_event_page_shows_full_article_with_mark(client, editor):
    event = _candidate("One. Two <i>x</i>. The talks collapsed. Three.", "The talks collapsed.")

    response = client.get(reverse("admin:timeline_event_review_event", args=[event.pk]))

    html = response.content.decode()
    assert "One. Two &lt;i&gt;x&lt;/i&gt;. <mark>The talks collapsed.</mark> Three." in html


@pytest.mark.parametrize("n_candidates", [1, 3])
def test_review_queue_query_count_is_fixed(client, editor, django_assert_num_queries, n_candidates):
    for i in range(n_candidates):
        _candidate(f"Report {i}. The talks collapsed on Sunday.", "The talks collapsed")

    # session, user, user and group permissions, count, candidates, citations,
    # participants, published look-alikes, negotiations for the publish menu
    with django_assert_num_queries(10):
        response = client.get(reverse("admin:timeline_event_review"))

    assert response.content.count(b"<mark>The talks collapsed</mark>") == n_candidates


def test_review_publish_with_chosen_negotiation(client, editor):
    event = _candidate("The talks collapsed.", "The talks collapsed.", negotiation=None)
    negotiation = f.NegotiationFactory()
    url = reverse("admin:timeline_event_review_event", args=[event.pk])

    response = client.post(url, {"decision": "publish", "publish-negotiation": negotiation.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:timeline_event_review")
    event.refresh_from_db()
    assert (event.status, event.negotiation) == (m.ReviewStatus.PUBLISHED, negotiation)


def test_review_publish_without_negotiation_reports_the_refusal(client, editor):
    event = _candidate("The talks collapsed.", "The talks collapsed.", negotiation=None)
    url = reverse("admin:timeline_event_review_event", args=[event.pk])

    response = client.post(url, {"decision": "publish"}, follow=True)

    assert any("Choose the negotiation" in text for text in _messages(response))
    event.refresh_from_db()
    assert event.status == m.ReviewStatus.CANDIDATE


def test_review_reject_and_merge(client, editor):
    rejected = _candidate("Rumour of a deal.", "Rumour of a deal.")
    duplicate = _candidate("Delegation left.", "Delegation left.")
    target = f.EventFactory(negotiation=duplicate.negotiation, kind=duplicate.kind)

    client.post(
        reverse("admin:timeline_event_review_event", args=[rejected.pk]), {"decision": "reject"}
    )
    page = client.get(reverse("admin:timeline_event_review_event", args=[duplicate.pk]))
    asked = client.post(
        reverse("admin:timeline_event_review_event", args=[duplicate.pk]),
        {"decision": "merge", "merge-target": target.pk},
        follow=True,
    )
    # The merge waits for the editor to see what the kept event gains, every item ticked.
    duplicate.refresh_from_db()
    assert duplicate.status == m.ReviewStatus.CANDIDATE
    assert 'name="citation"' in asked.content.decode()
    client.post(
        reverse("admin:timeline_event_review_merge", args=[duplicate.pk, target.pk]),
        {"citation": list(duplicate.citations.values_list("pk", flat=True))},
    )

    assert target.summary in page.content.decode()  # suggested as a merge target
    rejected.refresh_from_db()
    duplicate.refresh_from_db()
    assert rejected.status == m.ReviewStatus.REJECTED
    assert (duplicate.status, duplicate.merged_into) == (m.ReviewStatus.MERGED, target)
    assert target.citations.count() == 1


def test_review_next_url_elsewhere_is_ignored(client, editor):
    event = _candidate("Rumour.", "Rumour.")

    response = client.post(
        reverse("admin:timeline_event_review_event", args=[event.pk]),
        {"decision": "reject", "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("admin:timeline_event_review")


# --- groups ----------------------------------------------------------------------------------


def _codenames(group: str) -> set[str]:
    return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))


def test_editor_group_can_curate_but_not_delete_articles_or_events():
    editors = _codenames("Editors")

    for model in ("event", "position", "actor", "citation", "article", "round", "delegation"):
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= editors
    assert "delete_article" not in editors
    assert "delete_event" not in editors
    assert "delete_actoralias" in editors


def test_viewer_group_can_only_view():
    viewers = _codenames("Viewers")

    assert "view_event" in viewers
    assert "view_article" in viewers
    assert all(codename.startswith("view_") for codename in viewers)


def test_review_queue_offers_published_look_alike_for_merge(client, editor):
    event = _candidate("The delegation left.", "The delegation left.")
    same = f.EventFactory(negotiation=event.negotiation, kind=event.kind, date=event.date)
    f.EventFactory(negotiation=event.negotiation, kind="threat", summary="Not alike at all")

    page = client.get(reverse("admin:timeline_event_review")).content.decode()
    merge_url = reverse("admin:timeline_event_review_merge", args=[event.pk, same.pk])
    done = client.post(merge_url, {"next": reverse("admin:timeline_event_review")})

    assert same.summary in page
    assert merge_url in page  # one click from the card to the merge page
    assert "Not alike at all" not in page
    assert done["Location"] == reverse("admin:timeline_event_review")
    event.refresh_from_db()
    assert event.merged_into == same


def test_review_merge_page_lists_gains_and_moves_only_what_stays_ticked(client, editor):
    # Issue 18.4: merging a candidate must not silently add Egypt to a published event.
    source = _candidate("The Hamas delegation left Cairo.", "The Hamas delegation left Cairo.")
    kept = f.EventFactory(negotiation=source.negotiation, kind=source.kind, date=None)
    hamas, egypt = f.ActorFactory(name="Hamas"), f.ActorFactory(name="Egypt")
    keep = f.EventParticipantFactory(event=source, actor=hamas)
    f.EventParticipantFactory(event=source, actor=egypt)
    citation = source.citations.get()
    url = reverse("admin:timeline_event_review_merge", args=[source.pk, kept.pk])

    page = client.get(url).content.decode()
    before = set(kept.participants.values_list("actor__name", flat=True))
    client.post(url, {"participant": [keep.pk], "citation": [citation.pk], "field": []})

    assert "Hamas" in page and "Egypt" in page and "Date:" in page
    gained = set(kept.participants.values_list("actor__name", flat=True)) - before
    assert gained == {"Hamas"}
    citation.refresh_from_db()
    kept.refresh_from_db()
    assert citation.event == kept
    assert kept.date is None  # unticked: the kept event keeps its own (missing) date


def test_admin_event_change_page_shows_citation_in_context(admin_client):
    article = f.ArticleFactory(text="Before. The envoy <left> Cairo. After.")
    citation = f.CitationFactory(article=article, start=8, end=31)

    response = admin_client.get(_url(m.Event, "change", citation.event_id))

    assert "<mark>The envoy &lt;left&gt; Cairo.</mark>" in response.content.decode()


def test_admin_history_shows_old_versions_but_never_reverts(client, editor):
    event = f.EventFactory(status=m.ReviewStatus.CANDIDATE, summary="First wording")
    _run_action(client, m.Event, "publish_events", [event])
    old_version = event.history.order_by("history_id").first()
    url = reverse("admin:timeline_event_simple_history", args=[event.pk, old_version.history_id])

    shown = client.get(url)
    reverted = client.post(url, {"summary": "First wording", "kind": "meeting"})

    assert shown.status_code == 200
    assert reverted.status_code == 403
    event.refresh_from_db()
    assert event.status == m.ReviewStatus.PUBLISHED


# --- the review queue of candidate positions --------------------------------------------------


def _candidate_position(text: str, quote: str, **kwargs) -> m.Position:
    article = f.ArticleFactory(text=text)
    position = f.PositionFactory(source_article=article, **kwargs)
    start = text.index(quote)
    f.CitationFactory(
        event=None, position=position, article=article, start=start, end=start + len(quote)
    )
    return position


def _published_position(**kwargs) -> m.Position:
    return position_publish(f.PositionFactory(**kwargs))


def test_position_review_queue_highlights_quote_and_names_the_stance_it_supersedes(client, editor):
    current = _published_position(stance="six-week truce", valid_from=dt.date(2024, 5, 1))
    candidate = _candidate_position(
        "Before <b>x</b>. Hamas demands a permanent ceasefire. After.",
        "Hamas demands a permanent ceasefire.",
        issue=current.issue,
        party=current.party,
        stance="permanent ceasefire",
        valid_from=dt.date(2024, 5, 19),
    )
    f.PositionFactory(status=m.ReviewStatus.REJECTED, stance="Already rejected")

    response = client.get(reverse("admin:timeline_position_review"))

    html = response.content.decode()
    card = html[html.index(f'id="position-{candidate.pk}"') :]
    assert "<mark>Hamas demands a permanent ceasefire.</mark>" in card
    assert "&lt;b&gt;x&lt;/b&gt;" in card
    assert "“six-week truce”" in card
    assert "Publishing supersedes it." in card
    assert "Already rejected" not in html
    assert f'id="position-{current.pk}"' not in html


@pytest.mark.parametrize("n_candidates", [1, 3])
def test_position_review_queue_query_count_is_fixed(
    client, editor, django_assert_num_queries, n_candidates
):
    for i in range(n_candidates):
        party = _published_position().party
        _candidate_position(
            f"Report {i}. Hamas demands a truce.", "Hamas demands a truce", party=party
        )

    # session, user, user and group permissions, count, candidates, citations,
    # current stances of the page's parties
    with django_assert_num_queries(8):
        response = client.get(reverse("admin:timeline_position_review"))

    assert response.content.count(b"<mark>Hamas demands a truce</mark>") == n_candidates


def test_position_review_page_shows_full_article_with_mark(client, editor):
    position = _candidate_position(
        "One. Two <i>y</i>. Israel rejects a full withdrawal. Three.",
        "Israel rejects a full withdrawal.",
    )

    response = client.get(reverse("admin:timeline_position_review_position", args=[position.pk]))

    html = response.content.decode()
    assert (
        "One. Two &lt;i&gt;y&lt;/i&gt;. <mark>Israel rejects a full withdrawal.</mark> Three."
        in html
    )
    assert 'name="decision" value="publish"' in html


def test_position_review_publish_supersedes_the_current_stance(client, editor):
    current = _published_position(stance="six-week truce", valid_from=dt.date(2024, 5, 1))
    candidate = _candidate_position(
        "Hamas now demands a permanent ceasefire.",
        "Hamas now demands a permanent ceasefire.",
        issue=current.issue,
        party=current.party,
        stance="permanent ceasefire",
        valid_from=dt.date(2024, 5, 19),
    )
    url = reverse("admin:timeline_position_review_position", args=[candidate.pk])

    response = client.post(url, {"decision": "publish"})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:timeline_position_review")
    candidate.refresh_from_db()
    current.refresh_from_db()
    assert (candidate.status, candidate.is_current, candidate.supersedes) == (
        m.ReviewStatus.PUBLISHED,
        True,
        current,
    )
    assert current.is_current is False
    assert candidate.history.first().history_user == editor
    messages = _messages(client.get(reverse("admin:timeline_position_review")))
    assert any("superseding “six-week truce”" in text for text in messages)


def test_position_review_publish_older_stance_joins_history(client, editor):
    current = _published_position(valid_from=dt.date(2024, 5, 19))
    older = _candidate_position(
        "Earlier it had offered a pause.",
        "Earlier it had offered a pause.",
        issue=current.issue,
        party=current.party,
        valid_from=dt.date(2024, 5, 1),
    )
    url = reverse("admin:timeline_position_review_position", args=[older.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"decision": "publish"}, follow=True)

    assert "This one is older" in page
    older.refresh_from_db()
    current.refresh_from_db()
    assert (older.status, older.is_current, current.is_current) == (
        m.ReviewStatus.PUBLISHED,
        False,
        True,
    )
    assert any("joins the history" in text for text in _messages(response))


def test_position_review_reject(client, editor):
    position = _candidate_position("A rumoured offer.", "A rumoured offer.")

    response = client.post(
        reverse("admin:timeline_position_review_position", args=[position.pk]),
        {"decision": "reject", "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("admin:timeline_position_review")
    position.refresh_from_db()
    assert (position.status, position.is_current) == (m.ReviewStatus.REJECTED, False)


def test_position_review_reject_published_is_refused_and_changes_nothing(client, editor):
    position = _published_position()

    response = client.post(
        reverse("admin:timeline_position_review_position", args=[position.pk]),
        {"decision": "reject"},
        follow=True,
    )

    assert any("Only candidate positions can be rejected" in t for t in _messages(response))
    position.refresh_from_db()
    assert (position.status, position.is_current) == (m.ReviewStatus.PUBLISHED, True)


def test_position_review_unknown_decision_changes_nothing(client, editor):
    position = _candidate_position("A rumoured offer.", "A rumoured offer.")

    response = client.post(
        reverse("admin:timeline_position_review_position", args=[position.pk]),
        {"decision": "merge"},
        follow=True,
    )

    assert any("Choose publish or reject" in t for t in _messages(response))
    position.refresh_from_db()
    assert position.status == m.ReviewStatus.CANDIDATE


def test_position_review_viewer_sees_but_cannot_decide(client):
    _login(client, "Viewers")
    position = _candidate_position("A rumoured offer.", "A rumoured offer.")

    queue = client.get(reverse("admin:timeline_position_review"))
    page = client.get(reverse("admin:timeline_position_review_position", args=[position.pk]))
    decide = client.post(
        reverse("admin:timeline_position_review_position", args=[position.pk]),
        {"decision": "publish"},
    )

    assert (queue.status_code, page.status_code, decide.status_code) == (200, 200, 403)
    assert b"<mark>A rumoured offer.</mark>" in queue.content
    assert b'name="decision"' not in queue.content + page.content
    position.refresh_from_db()
    assert position.status == m.ReviewStatus.CANDIDATE


def test_position_review_queue_on_demo_extraction_lists_the_extractors_positions(admin_client):
    report = load_curated()
    propose_candidates(report.article, report.negotiation)
    candidates = m.Position.objects.filter(status=m.ReviewStatus.CANDIDATE)

    response = admin_client.get(reverse("admin:timeline_position_review"))
    changelist = admin_client.get(_url(m.Position, "changelist"))

    assert candidates.exists()
    html = response.content.decode()
    shown = {int(pk) for pk in re.findall(r'id="position-(\d+)"', html)}
    assert shown == set(candidates.values_list("pk", flat=True))
    assert html.count("<mark>") >= candidates.count()
    assert f"Review queue ({candidates.count()} candidate".encode() in changelist.content


# --- forms: URLs typed without a scheme are https, without Django 6 deprecation warnings -----


def _scheme_warnings(build) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build()
    return [str(w.message) for w in caught if URL_SCHEME_WARNING in str(w.message)]


def _build_every_admin_form(request) -> None:
    for model, model_admin in admin.site._registry.items():
        obj = model._default_manager.order_by("pk").first()
        model_admin.get_form(request, obj)
        for inline in model_admin.get_inline_instances(request, obj):
            inline.get_formset(request, obj)


def test_every_admin_form_builds_without_url_scheme_warning(admin_user):
    f.CitationFactory()
    f.FeedFactory()
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    # The check can fail: a stock ModelAdmin for a model with a URLField does warn.
    stock = admin.ModelAdmin(m.Feed, admin.site)

    assert _scheme_warnings(lambda: stock.get_form(request)) != []
    assert _scheme_warnings(lambda: _build_every_admin_form(request)) == []


def test_admin_modules_import_without_url_scheme_warning():
    # Module-level ModelForms build their fields at import, before any test runs.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings"}
    code = "import django; django.setup(); import timeline.admin; print('imported')"
    done = subprocess.run(
        [sys.executable, "-W", f"error:{URL_SCHEME_WARNING}:DeprecationWarning", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (done.returncode, done.stdout.strip()) == (0, "imported"), done.stderr[-2000:]


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (m.Feed, {"url": "news.example/feed.xml", "poll_interval_minutes": 30}, "url"),
        (
            m.Article,
            {"url": "news.example/story", "title": "Talks", "language": "en", "text": "T."},
            "url",
        ),
    ],
    ids=["feed", "article"],
)
def test_admin_form_url_without_scheme_is_https(admin_user, model, data, field):
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    form_class = admin.site._registry[model].get_form(request)

    form = form_class(data=data)

    assert form.is_valid(), form.errors
    assert form.cleaned_data[field] == "https://" + data[field]


# --- the change form under concurrency --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_admin_change_form_saved_during_publish_keeps_the_publish(postgres_required, admin_client):

    position = f.PositionFactory(stance="old wording")
    data = {
        "issue": position.issue_id,
        "party": position.party_id,
        "kind": position.kind,
        "stance": "new wording",
        "detail": "",
        "valid_from": "2024-05-01",
        "date_precision": "day",
        "date_text": "",
        "source_article": "",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    outcome: dict = {}

    def save_form() -> None:
        try:
            outcome["status"] = admin_client.post(_url(m.Position, "change", position.pk), data)
        finally:
            connection.close()

    with transaction.atomic():
        position_publish(position)
        thread = threading.Thread(target=save_form)
        thread.start()
        # The form's save must wait for the publish: seen as a session waiting on a lock.
        with connection.cursor() as cursor:
            for _ in range(500):
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.02)
            else:
                pytest.fail("the form's save never waited on the publish")
    thread.join(timeout=20)

    assert outcome["status"].status_code == 302
    position.refresh_from_db()
    assert (position.stance, position.status, position.is_current) == (
        "new wording",
        m.ReviewStatus.PUBLISHED,
        True,
    )


# --- the queue as a desk (issue 14) ------------------------------------------------------------


def test_review_card_publishes_with_the_editors_corrections(client, editor):
    event = _candidate(
        "DOHA, May 27 (Wire) - Israeli and Hamas negotiators will meet.",
        "Israeli and Hamas negotiators will meet.",
        kind="statement",
        summary="DOHA, May 27 (Wire) - Israeli and Hamas negotiators will meet.",
    )
    egypt = f.EventParticipantFactory(event=event, actor=f.ActorFactory(name="Egypt"))
    kept = event.participants.exclude(pk=egypt.pk).get()

    response = client.post(
        reverse("admin:timeline_event_review_event", args=[event.pk]),
        {
            "decision": "publish",
            "card-edit": "1",
            "card-summary": "Israeli and Hamas negotiators to meet in Doha",
            "card-kind": "scheduled",
            "card-date": "2024-05-28",
            "card-date_precision": "day",
            "card-participant": [kept.pk],
            "next": reverse("admin:timeline_event_review"),
        },
    )

    event.refresh_from_db()
    assert response["Location"] == reverse("admin:timeline_event_review")
    assert (event.status, event.summary, event.kind, event.date) == (
        m.ReviewStatus.PUBLISHED,
        "Israeli and Hamas negotiators to meet in Doha",
        "scheduled",
        dt.date(2024, 5, 28),
    )
    assert list(event.participants.values_list("pk", flat=True)) == [kept.pk]
    # The queue's own decisions are in the admin's Recent actions.
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.filter(
        object_id=str(event.pk), change_message="Published from the review queue."
    ).exists()


def test_review_card_bad_date_publishes_nothing(client, editor):
    event = _candidate("Talks resumed.", "Talks resumed.")

    response = client.post(
        reverse("admin:timeline_event_review_event", args=[event.pk]),
        {"decision": "publish", "card-edit": "1", "card-summary": "Talks", "card-date": "soon"},
        follow=True,
    )

    event.refresh_from_db()
    assert event.status == m.ReviewStatus.CANDIDATE
    assert any("is not a date" in t for t in _messages(response))


def test_review_bulk_publish_and_reject(client, editor):
    first, second, third = (_candidate(f"Step {n}.", f"Step {n}.") for n in range(3))

    client.post(
        reverse("admin:timeline_event_review_bulk"),
        {"decision": "publish", "ids": [first.pk, second.pk]},
    )
    client.post(
        reverse("admin:timeline_event_review_bulk"), {"decision": "reject", "ids": [third.pk]}
    )

    statuses = [
        e.status
        for e in m.Event.objects.filter(pk__in=[first.pk, second.pk, third.pk]).order_by("pk")
    ]
    assert statuses == [m.ReviewStatus.PUBLISHED, m.ReviewStatus.PUBLISHED, m.ReviewStatus.REJECTED]


def test_review_edit_in_full_form_returns_to_the_card(client, editor):
    event = _candidate("Talks resumed.", "Talks resumed.")
    queue = reverse("admin:timeline_event_review")
    page = client.get(queue).content.decode()
    change = reverse("admin:timeline_event_change", args=[event.pk])
    form = client.get(f"{change}?next={queue}").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "negotiation": event.negotiation_id,
            "summary": "Talks resumed in Cairo.",
            "date": "2024-05-19",
            "participants-TOTAL_FORMS": 0,
            "participants-INITIAL_FORMS": 0,
            "citations-TOTAL_FORMS": 0,
            "citations-INITIAL_FORMS": 0,
        }
    )

    response = client.post(f"{change}?next={queue}", data)

    assert f"{change}?next=" in page
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response["Location"] == f"{queue}#event-{event.pk}"


def test_review_queue_groups_readings_of_one_sentence(client, editor):
    article = f.ArticleFactory(text="The Hamas delegation left Cairo on Sunday.")
    negotiation = f.NegotiationFactory()
    for kind in ("breakdown", "delegation_departure"):
        event = f.EventFactory(
            status=m.ReviewStatus.CANDIDATE,
            source_article=article,
            kind=kind,
            negotiation=negotiation,
        )
        f.CitationFactory(event=event, article=article, start=0, end=len(article.text))

    page = client.get(reverse("admin:timeline_event_review")).content.decode()

    assert "2 readings of the same sentence" in page
    assert "Same words, read as" in page
    assert "confidence" not in page


def test_admin_home_is_the_desk_with_queue_counts_jobs_and_submit_form(client, editor):
    from tests.factories import IngestionFactory

    waiting = _candidate("Talks resumed.", "Talks resumed.")
    IngestionFactory(status=m.Ingestion.Status.DONE, article=waiting.source_article)
    IngestionFactory(
        status=m.Ingestion.Status.FAILED, reason_code="http_404", message="Page not found (404)."
    )
    m.Issue.objects.create(
        negotiation=waiting.negotiation, title="format of talks", slug="format", status="candidate"
    )

    html = client.get(reverse("admin:index")).content.decode()

    assert reverse("admin:timeline_event_review") in html
    assert '<span class="count">1</span>candidate events' in html
    assert '<span class="count">1</span>proposed issues' in html
    assert "1 candidate</a>" in html  # the ingestion's report has one waiting
    assert "Page not found (404)." in html
    assert f'action="{reverse("admin:timeline_ingestion_submit")}"' in html
    assert reverse("desk-token") in html


def test_desk_token_page_creates_and_replaces_the_editors_token(client, editor):
    from rest_framework.authtoken.models import Token

    empty = client.get(reverse("desk-token")).content.decode()
    client.post(reverse("desk-token"))
    first = Token.objects.get(user=editor).key
    shown = client.get(reverse("desk-token")).content.decode()
    client.post(reverse("desk-token"), {"reset": "1"})

    assert "Create my API token" in empty
    assert first in shown and "Authorization: Token" in shown
    assert Token.objects.get(user=editor).key != first
    from django.test import Client

    api = Client()  # no session: the token alone
    new = Token.objects.get(user=editor).key
    assert api.get("/api/v1/review/events/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 403
    assert api.get("/api/v1/review/events/", HTTP_AUTHORIZATION=f"Token {new}").status_code == 200


def test_position_entered_by_hand_is_published_not_queued(client, editor):
    issue = f.IssueFactory()
    party = f.ActorFactory(name="Hamas")

    client.post(
        _url(m.Position, "add"),
        {
            "issue": issue.pk,
            "party": party.pk,
            "kind": "demand",
            "stance": "a permanent ceasefire",
            "valid_from": "2024-05-19",
            "date_precision": "day",
            "citations-TOTAL_FORMS": 0,
            "citations-INITIAL_FORMS": 0,
        },
    )

    position = m.Position.objects.get(stance="a permanent ceasefire")
    assert (position.status, position.is_current) == (m.ReviewStatus.PUBLISHED, True)


def test_actor_autocomplete_offers_the_party_before_its_people(client, editor):
    israel = f.ActorFactory(name="Israel", kind=m.ActorKind.STATE)
    f.ActorAliasFactory(actor=israel, name="Israeli", kind=m.AliasKind.DEMONYM)
    f.ActorFactory(
        name="Benjamin Netanyahu", kind=m.ActorKind.PERSON, role="Israeli Prime Minister"
    )
    f.ActorFactory(name="Israel Katz", kind=m.ActorKind.PERSON)

    found = client.get(
        "/admin/autocomplete/",
        {
            "term": "Israel",
            "app_label": "timeline",
            "model_name": "position",
            "field_name": "party",
        },
    ).json()["results"]

    assert found[0]["text"] == "Israel"


def test_new_round_picks_up_the_events_at_its_venue_in_its_dates(client, editor):
    negotiation = f.NegotiationFactory()
    cairo = m.Place.objects.create(name="Cairo", slug="cairo")
    doha = m.Place.objects.create(name="Doha", slug="doha")
    inside = f.EventFactory(negotiation=negotiation, place=cairo, date=dt.date(2024, 5, 18))
    elsewhere = f.EventFactory(negotiation=negotiation, place=doha, date=dt.date(2024, 5, 18))
    later = f.EventFactory(negotiation=negotiation, place=cairo, date=dt.date(2024, 5, 25))

    client.post(
        _url(m.Round, "add"),
        {
            "negotiation": negotiation.pk,
            "sequence": 1,
            "name": "The Cairo round",
            "format": "mediated",
            "venue": cairo.pk,
            "status": "concluded",
            "actual_start": "2024-05-18",
            "actual_end": "2024-05-19",
            "delegations-TOTAL_FORMS": 0,
            "delegations-INITIAL_FORMS": 0,
        },
    )

    round_ = m.Round.objects.get()
    assert list(round_.events.values_list("pk", flat=True)) == [inside.pk]
    assert {elsewhere.pk, later.pk}.isdisjoint(round_.events.values_list("pk", flat=True))


def test_actor_merge_records_what_moved_in_recent_actions(client, editor):
    from django.contrib.admin.models import LogEntry

    target = f.ActorFactory(name="Qatar")
    source = f.ActorFactory(name="State of Qatar")
    f.EventParticipantFactory(actor=source)

    _run_action(client, m.Actor, "merge_actors", [source], apply="1", target=target.pk)

    entry = LogEntry.objects.get(object_id=str(target.pk))
    assert "State of Qatar" in entry.get_change_message()
    assert "1 event participants" in entry.get_change_message()
    assert target.history.first().history_change_reason.startswith("Merged “State of Qatar”")


def test_admin_actions_on_events_are_in_recent_actions(client, editor):
    from django.contrib.admin.models import LogEntry

    event = _candidate("Talks resumed.", "Talks resumed.")

    _run_action(client, m.Event, "reject_events", [event])

    assert LogEntry.objects.get(object_id=str(event.pk)).get_change_message() == "Rejected."
