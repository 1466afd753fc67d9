"""Admin pages: every page renders, query-count guards, change pages, forms, concurrency."""

import os
import subprocess
import sys
import threading
import time
import warnings

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tests.timeline.admin.support import (
    ADMIN_MARKS,
    DOMAIN_MODELS,
    TIMELINE_ADMINS,
    URL_SCHEME_WARNING,
    _run_action,
    _url,
)
from timeline import models as m
from timeline.demo.loader import load_curated, propose_candidates
from timeline.services import position_publish

pytestmark = ADMIN_MARKS


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
