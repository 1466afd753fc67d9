"""Admin actions go through the services; citations by quote; the groups' permissions."""

import datetime as dt

from django.contrib.auth.models import Group
from django.urls import reverse

from tests import factories as f
from tests.timeline.admin.support import (
    ADMIN_MARKS,
    _login,
    _messages,
    _run_action,
    _url,
)
from timeline import models as m
from timeline.ingestion.dedupe import content_hash

pytestmark = ADMIN_MARKS


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
