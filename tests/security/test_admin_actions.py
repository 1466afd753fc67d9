"""Issue 16 item 5: a "Viewers" user can run no admin action, on any model."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from tests import factories as f
from timeline import models as m

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every timeline table: an action that changes anything shows up here."""
    return {
        model._meta.label: sorted(
            map(repr, model._default_manager.order_by("pk").values_list())  # type: ignore[attr-defined]
        )
        for model in apps.get_app_config("timeline").get_models()
    }


@pytest.fixture
def viewer(client):
    user = f.UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Viewers"))
    client.force_login(user)
    return user


@pytest.fixture
def one_of_each() -> None:
    f.EventFactory(status=m.ReviewStatus.CANDIDATE)
    f.ActorFactory(status=m.ReviewStatus.CANDIDATE)
    f.PositionFactory()
    f.FeedFactory()
    f.IngestionFactory(status=m.Ingestion.Status.FAILED, attempts=4, reason_code="timeout")


def _every_action() -> list[tuple[type, str]]:
    found = []
    for model, model_admin in admin.site._registry.items():
        for action in model_admin._get_base_actions():
            found.append((model, action[1]))
    return found


def test_every_admin_action_is_walked():
    names = {name for _model, name in _every_action()}

    # The walk below would prove nothing if it saw none of the state-changing actions.
    assert {"retry_failed", "poll_now", "publish_events", "merge_actors"} <= names


@pytest.mark.parametrize(
    ("model", "action"), _every_action(), ids=lambda v: getattr(v, "__name__", v)
)
def test_viewer_cannot_run_admin_action(client, viewer, one_of_each, model, action):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = viewer
    before = _snapshot()
    selected = list(model._default_manager.values_list("pk", flat=True)[:5])
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    offered = model_admin.get_actions(request)
    response = client.post(
        changelist, {"action": action, "_selected_action": selected, "apply": "1"}
    )

    if model_admin.has_view_or_change_permission(request):
        assert action not in offered
    else:  # a model the Viewer cannot even list (django-axes' login records)
        assert response.status_code == 403
    assert response.status_code in (200, 302, 403)
    assert _snapshot() == before
