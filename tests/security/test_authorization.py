"""Issue 11 authorization: a table-driven walk over every route in the URLconf (every API
operation of the schema lives there), as an anonymous caller and as a "Viewers" user:
no write succeeds, and no unpublished object (candidate, rejected, retracted or merged
event, candidate actor or position) shows anywhere: lists, details, filters, search,
"as known on", the change feed, exports, reader pages and error messages."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories as f
from timeline import models as m
from timeline.services import event_merge, event_reject, event_retract

pytestmark = pytest.mark.django_db

MARKERS = {
    "candidate event": "Quokka candidate proposal",
    "rejected event": "Quokka rejected claim",
    "retracted event": "Quokka retracted report",
    "merged event": "Quokka merged duplicate",
    "candidate actor": "Quokka Candidate Militia",
    "candidate position": "Quokka candidate stance",
}
ACTOR_SLUG = "quokka-candidate-militia"
GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")
METHODS = ("post", "put", "patch", "delete")


def _routes() -> list[str]:
    def walk(patterns, prefix: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return [
        route
        for route in walk(get_resolver().url_patterns, "")
        if not route.startswith("admin/") and route != "api/^.*$"
    ]


def _fill(route: str, values: dict[str, object]) -> str:
    path = GROUP.sub(lambda match: str(values[match.group(1) or match.group(2)]), route)
    return "/" + path.replace("^", "").replace("$", "").replace("/?", "/").replace("\\.", ".")


@pytest.fixture
def hidden(talks):
    """One of each unpublished thing, with text that must never reach these callers."""
    candidate = f.EventFactory(
        negotiation=talks.negotiation,
        summary=MARKERS["candidate event"],
        status=m.ReviewStatus.CANDIDATE,
        date=talks.meeting.date,
    )
    rejected = f.EventFactory(
        negotiation=talks.negotiation,
        summary=MARKERS["rejected event"],
        status=m.ReviewStatus.CANDIDATE,
    )
    event_reject(rejected)
    retracted = f.EventFactory(
        negotiation=talks.negotiation,
        summary=MARKERS["retracted event"],
        date=talks.meeting.date,
    )
    f.CitationFactory(event=retracted, article=talks.article)
    event_retract(retracted)
    merged = f.EventFactory(
        negotiation=talks.negotiation,
        summary=MARKERS["merged event"],
        status=m.ReviewStatus.CANDIDATE,
    )
    event_merge(merged, talks.meeting)
    actor = f.ActorFactory(
        name=MARKERS["candidate actor"], slug=ACTOR_SLUG, status=m.ReviewStatus.CANDIDATE
    )
    f.EventParticipantFactory(event=talks.crisis, actor=actor)
    f.CitationFactory(event=talks.crisis, article=talks.article, speaker=actor)
    position = f.PositionFactory(
        issue=talks.issue, party=talks.hamas, stance=MARKERS["candidate position"]
    )
    m.Actor.objects.filter(slug=ACTOR_SLUG).update(status=m.ReviewStatus.CANDIDATE)
    ids = [candidate.pk, rejected.pk, retracted.pk, merged.pk, position.pk, talks.meeting.pk]
    return talks, ids


@pytest.fixture
def callers(client) -> dict[str, Client]:
    anonymous = Client()
    viewer = f.UserFactory(is_staff=True)
    viewer.groups.add(Group.objects.get(name="Viewers"))
    viewing = Client()
    viewing.force_login(viewer)
    return {"anonymous": anonymous, "viewer": viewing}


def _snapshot() -> str:
    rows = {
        "events": list(m.Event.objects.order_by("pk").values_list("pk", "status", "summary")),
        "positions": list(m.Position.objects.order_by("pk").values_list("pk", "status")),
        "actors": list(m.Actor.objects.order_by("pk").values_list("pk", "status", "name")),
        "ingestions": m.Ingestion.objects.count(),
        "feeds": m.Feed.objects.count(),
        "citations": m.Citation.objects.count(),
    }
    return json.dumps(rows, default=str)


def _leaks(body: bytes) -> list[str]:
    text = body.decode("utf-8", "replace")
    return [name for name, marker in MARKERS.items() if marker in text]


def test_every_route_is_walked_and_shows_or_accepts_nothing_it_should_not(hidden, callers):
    talks, ids = hidden
    choices = {
        "version": ["v1"],
        "format": ["json"],
        "export_format": ["csv", "json", "timelinejs", "ics", "atom"],
        "slug": ["israel-hamas", ACTOR_SLUG],
        "negotiation_slug": ["israel-hamas"],
        "pk": ids,
        "sequence": [1],
    }
    queries = [
        "",
        f"?q=Quokka&party={ACTOR_SLUG}&negotiation=israel-hamas&status=candidate",
        "?as_of=2030-01-01&include_retracted=1&status=retracted",
    ]
    before = _snapshot()
    leaks: list[str] = []
    writes: list[str] = []
    walked: set[str] = set()
    for route in _routes():
        names = [a or b for a, b in GROUP.findall(route)]
        combinations = list(itertools.product(*(choices[name] for name in names)))
        for number, combination in enumerate(combinations):
            path = _fill(route, dict(zip(names, combination, strict=True)))
            walked.add(route)
            # Filters and search on the lists; every id on the details; writes once a route.
            asked = queries if "pk" not in names else queries[:1]
            methods = METHODS if number == 0 else ()
            for who, client in callers.items():
                for query in asked:
                    response = client.get(path + query)
                    if response.status_code >= 500:
                        leaks.append(f"{who} GET {path}{query}: {response.status_code}")
                    body = getattr(response, "content", b"")
                    leaks += [f"{who} GET {path}{query}: {leak}" for leak in _leaks(body)]
                for method in methods:
                    response = getattr(client, method)(
                        path,
                        data=json.dumps(
                            {
                                "negotiation": "israel-hamas",
                                "target": talks.meeting.pk,
                                "url": "https://news.example/authz",
                                "text": "Quokka " * 200,
                            }
                        ),
                        content_type="application/json",
                    )
                    # A caller's own API token is an account action, not a write to the data.
                    own_token = path.startswith("/api/v1/auth/token/") and who == "viewer"
                    if response.status_code < 400 and not own_token:
                        writes.append(f"{who} {method.upper()} {path}: {response.status_code}")
                    leaks += [f"{who} {method} {path}: {leak}" for leak in _leaks(response.content)]

    assert leaks == []
    assert writes == [], "\n".join(writes)
    assert _snapshot() == before
    assert len(walked) >= 60, len(walked)


def test_schema_operations_are_all_under_walked_routes(db, callers):
    schema = callers["anonymous"].get("/api/schema/", {"format": "json"}).json()
    routes = [re.compile(r.replace("api/^", "api/").replace("^", "")) for r in _routes()]

    unmatched = []
    for path in schema["paths"]:
        concrete = re.sub(r"\{[^}]+\}", "x1", path).lstrip("/")
        if not any(route.fullmatch(concrete) or route.match(concrete) for route in routes):
            unmatched.append(path)

    assert unmatched == []


def test_viewer_cannot_add_change_or_delete_anything_in_the_admin(hidden, callers):
    viewer = callers["viewer"]
    before = _snapshot()
    statuses = {}
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        statuses[f"add {info}"] = viewer.post(reverse(f"admin:{info}_add"), {}).status_code
        obj = model._default_manager.first()
        if obj is None:
            continue
        change = reverse(f"admin:{info}_change", args=[obj.pk])
        delete = reverse(f"admin:{info}_delete", args=[obj.pk])
        statuses[f"change {info}"] = viewer.post(change, {}).status_code
        statuses[f"delete {info}"] = viewer.post(delete, {"post": "yes"}).status_code

    assert {key: code for key, code in statuses.items() if code != 403} == {}
    assert _snapshot() == before


def test_anonymous_admin_pages_redirect_to_login(hidden, callers):
    anonymous = callers["anonymous"]
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        response = anonymous.get(reverse(f"admin:{info}_changelist"))

        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
