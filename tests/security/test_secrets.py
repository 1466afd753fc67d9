"""Issue 11: secrets come only from the environment or *_FILE, and no log line carries a
secret, a password, an API token or a session id."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


@pytest.mark.django_db
def test_logs_carry_no_secret_password_token_or_session(caplog, client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    caplog.set_level(logging.DEBUG)
    user = f.UserFactory(username="logged", is_staff=True, password=PASSWORD)
    token = Token.objects.create(user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    client.post("/admin/login/", {"username": "logged", "password": PASSWORD + "x"})
    client.post("/admin/login/", {"username": "logged", "password": PASSWORD})
    session = client.cookies["sessionid"].value
    api.get("/api/v1/ingestions/")
    api.post("/api/v1/ingestions/", {"url": "https://news.example/a"}, format="json")
    api.get("/api/v1/nothing/")
    api.post("/api/v1/auth/token/")
    fresh = Token.objects.get(user=user).key
    APIClient().get("/api/v1/events/", HTTP_AUTHORIZATION="Token not-a-real-token-000")

    logged = caplog.text
    assert logged  # something was logged, or the test proves nothing
    for secret in (settings.SECRET_KEY, PASSWORD, token.key, fresh, session):
        assert secret not in logged


def _settings_error(tmp_path: Path, **env: str) -> str:
    base = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "DATA_DIR": str(tmp_path / "d")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stderr + result.stdout


def test_a_bad_url_setting_is_reported_without_its_password(tmp_path):
    output = _settings_error(tmp_path, REDIS_URL="http://cache:hunter2-secret@127.0.0.1:6379/0")

    assert "REDIS_URL" in output
    assert "hunter2-secret" not in output


def test_secret_key_is_read_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ\n")
    script = "from django.conf import settings; print(settings.SECRET_KEY)"

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "DATA_DIR": str(tmp_path / "d"),
            "DEBUG": "0",
            "SECRET_KEY_FILE": str(key_file),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stdout.strip() == key_file.read_text().strip(), result.stderr


def test_settings_hold_no_hard_coded_production_secret():
    source = (ROOT / "tracker" / "settings.py").read_text()

    # The only literal key is the development one, refused when DEBUG is off.
    assert source.count("SECRET_KEY = ") == 2
    assert settings.SECRET_KEY != "insecure-development-key-do-not-use-in-production"


def _settings_value(tmp_path: Path, expression: str, **env: str) -> subprocess.CompletedProcess:
    script = f"from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "DATA_DIR": str(tmp_path / "d"),
            "ENV_FILE": "",
            "DEBUG": "1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "value", "expression"),
    [
        (
            "DATABASE_URL",
            "postgres://tracker:db-pass-from-file@127.0.0.1:5999/tracker",
            "settings.DATABASES['default']['PASSWORD']",
        ),
        (
            "CELERY_BROKER_URL",
            "redis://:broker-pass-from-file@127.0.0.1:6399/0",
            "settings.CELERY_BROKER_URL",
        ),
        ("REDIS_URL", "redis://:cache-pass-from-file@127.0.0.1:6399/1", "settings.REDIS_URL"),
    ],
)
def test_every_url_with_a_password_can_come_from_a_file(tmp_path, name, value, expression):
    secret_file = tmp_path / name.lower()
    secret_file.write_text(value + "\n")

    result = _settings_value(tmp_path, expression, **{f"{name}_FILE": str(secret_file)})

    password = value.split("@")[0].rsplit(":", 1)[1]
    assert password in result.stdout, result.stderr


def test_an_unreadable_secret_file_stops_start_up_naming_the_variable(tmp_path):
    result = _settings_value(
        tmp_path, "settings.SECRET_KEY", SECRET_KEY_FILE=str(tmp_path / "missing")
    )

    assert result.returncode != 0
    assert "SECRET_KEY_FILE points at" in result.stderr
    assert "cannot be read" in result.stderr
