"""API clients for the three kinds of caller, and a small curated negotiation to read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import scenes

EDITOR_PERMISSIONS = [
    "view_event",
    "add_event",
    "change_event",
    "view_ingestion",
    "add_ingestion",
    "view_article",
    "view_citation",
]
VIEWER_PERMISSIONS = ["view_event", "view_ingestion", "view_article", "view_citation"]


@pytest.fixture(autouse=True)
def _api_test_settings(settings):
    """Rates far above what a test sends (tests/api/test_errors.py checks the limiter itself),
    and a fast password hasher: PBKDF2's deliberate slowness is not under test here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }


def _group(name: str, codenames: list[str]) -> Group:
    # get_or_create: the data migration may already have made the group with its permissions.
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="timeline", codename__in=codenames)
    )
    return group


class ReadingClient(APIClient):
    """An API client that reads a streamed body whole, as a download would, so tests can look
    at ``response.content`` of the exports (which stream) like any other response."""

    def request(self, **kwargs):
        response = super().request(**kwargs)
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)  # the client closes it at the end
            response.__class__ = type(
                "ReadStreamingResponse",
                (response.__class__,),
                {
                    "content": property(lambda _: body),
                    "text": property(lambda r: body.decode(r.charset)),
                },
            )
        return response


def _token_client(user) -> APIClient:
    client = ReadingClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="editor-pass-123")
    user.groups.add(_group("Editors", EDITOR_PERMISSIONS))
    return user


@pytest.fixture
def viewer(django_user_model):
    user = django_user_model.objects.create_user("viewer", password="viewer-pass-123")
    user.groups.add(_group("Viewers", VIEWER_PERMISSIONS))
    return user


@pytest.fixture
def anon_client() -> APIClient:
    return ReadingClient()


@pytest.fixture
def viewer_client(viewer) -> APIClient:
    return _token_client(viewer)


@pytest.fixture
def editor_client(editor) -> APIClient:
    return _token_client(editor)


@pytest.fixture
def clients(anon_client, viewer_client, editor_client) -> dict[str, APIClient]:
    return {"anonymous": anon_client, "viewer": viewer_client, "editor": editor_client}


def aware(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def talks(db) -> scenes.Talks:
    """The shared scene (tests/scenes.py): the Israel-Hamas talks, their Cairo round, one
    issue with a ledger, published events (some disputed), a candidate, a syndicated copy."""
    return scenes.talks()
