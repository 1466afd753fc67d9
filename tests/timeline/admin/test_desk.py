"""The queue as a desk (issue 14): corrections on the card, bulk decisions, the home page."""

import datetime as dt

from django.urls import reverse

from tests import factories as f
from tests.timeline.admin.support import (
    ADMIN_MARKS,
    _candidate,
    _messages,
    _run_action,
    _url,
)
from timeline import models as m

pytestmark = ADMIN_MARKS


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

    # The stored confidence is a constant per proposal path, not a measure (issue 14).
    detail = reverse("admin:timeline_event_review_event", args=[event.pk])
    for url in (change, detail):
        assert "confidence" not in client.get(url).content.decode().lower()
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
