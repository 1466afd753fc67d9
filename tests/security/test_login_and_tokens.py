"""Issue 11 authorization: admin login is rate-limited against guessing (django-axes), and
API tokens are created and revoked by their owner and by an admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = f.UserFactory(username="desk", is_staff=True, password=PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def _login(client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_admin_login_locks_out_after_five_wrong_passwords(client, staff):
    wrong = [_login(client, "desk", f"guess-{i}").status_code for i in range(5)]

    locked = _login(client, "desk", PASSWORD)

    # The form again with an error four times; the fifth failure locks the pair out, and
    # then even the right password is refused.
    assert wrong == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_address_and_user_name(client, staff):
    for i in range(5):
        _login(client, "desk", f"guess-{i}")

    elsewhere = _login(client, "desk", PASSWORD, address="198.51.100.20")

    assert elsewhere.status_code == 302
    assert elsewhere["Location"] == "/admin/"


def test_forged_forwarded_for_does_not_reset_the_lockout(client, staff):
    for i in range(5):
        client.post(
            "/admin/login/",
            {"username": "desk", "password": f"guess-{i}"},
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )

    locked = client.post(
        "/admin/login/",
        {"username": "desk", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )

    assert locked.status_code == 429


def test_a_correct_login_before_the_limit_resets_the_count(client, staff):
    for i in range(4):
        _login(client, "desk", f"guess-{i}")

    ok = _login(client, "desk", PASSWORD)

    assert ok.status_code == 302


# --- API tokens -------------------------------------------------------------------------


def test_owner_creates_a_token_and_it_authenticates(staff):
    token = Token.objects.create(user=staff)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api.get("/api/v1/ingestions/")

    assert response.status_code == 200


def test_revoked_token_no_longer_authenticates(staff):
    token = Token.objects.create(user=staff)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    token.delete()

    response = api.get("/api/v1/ingestions/")

    assert response.status_code in (401, 403)
    assert response.json()["code"] == "authentication_failed"


def test_owner_creates_replaces_and_revokes_their_token_through_the_api(staff):
    session = APIClient()
    session.force_login(staff)

    first = session.post("/api/v1/auth/token/").json()["token"]
    second = session.post("/api/v1/auth/token/").json()["token"]
    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    before = with_token.get("/api/v1/ingestions/").status_code
    revoked = with_token.delete("/api/v1/auth/token/").status_code
    after = with_token.get("/api/v1/ingestions/").status_code

    assert first != second
    assert (before, revoked, after) == (200, 204, 403)
    assert not Token.objects.filter(user=staff).exists()


def test_anonymous_caller_cannot_create_a_token(db):
    response = APIClient().post("/api/v1/auth/token/")

    assert response.status_code in (401, 403)
    assert Token.objects.count() == 0


def test_admin_creates_and_revokes_another_users_token(client, staff, django_user_model):
    admin = django_user_model.objects.create_superuser("chief", "chief@example.org", "x" * 20)
    client.force_login(admin)

    created = client.post("/admin/authtoken/tokenproxy/add/", {"user": staff.pk})
    assert Token.objects.filter(user=staff).exists()
    # DRF's admin lists tokens by their user (TokenProxy.pk is the user's id).
    deleted = client.post(f"/admin/authtoken/tokenproxy/{staff.pk}/delete/", {"post": "yes"})

    assert (created.status_code, deleted.status_code) == (302, 302)
    assert not Token.objects.filter(user=staff).exists()
