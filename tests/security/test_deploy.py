"""Issue 16 item 11 and issue 11's deployment posture: `check --deploy` is clean with
production settings, and a guessable SECRET_KEY stops production from starting."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATA_DIR": str(tmp_path / "d"),
        "ENV_FILE": "",  # a checkout's .env (DEBUG=1) must not soften production settings
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**base, **env},
        timeout=120,
        check=False,
    )


def test_check_deploy_with_production_settings_gives_no_warnings(tmp_path):
    result = _manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_hex(32),
        SECURE_COOKIES="1",
        ALLOWED_HOSTS="tracker.example.org",
    )

    # --fail-level WARNING: any warning (security.W004 HSTS, W008 SSL redirect,
    # drf_spectacular.W001 enum collisions, ...) fails the command.
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_secret_key_from_a_file_passes_the_deploy_check(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text(secrets.token_urlsafe(50) + "\n")

    result = _manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY_FILE=str(key_file),
        SECURE_COOKIES="1",
        ALLOWED_HOSTS="tracker.example.org",
    )

    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize("key", ["short", "x" * 64, "test-only-secret"])
def test_guessable_secret_key_is_refused_when_debug_is_off(tmp_path, key):
    result = _manage(tmp_path, "check", DEBUG="0", SECRET_KEY=key)

    assert result.returncode != 0
    assert "SECRET_KEY is too short or too simple" in result.stderr


def test_https_deployment_sends_hsts_and_redirects_to_https(tmp_path):
    script = (
        "from django.test import Client; c = Client();"
        "r = c.get('/api/v1/negotiations/'); h = c.get('/healthz');"
        "print(r.status_code, r.headers.get('Location'), h.status_code)"
    )
    result = _manage(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        script,
        DEBUG="0",
        SECRET_KEY=secrets.token_hex(32),
        SECURE_COOKIES="1",
        ALLOWED_HOSTS="testserver",
    )

    assert result.returncode == 0, result.stderr
    status, location, health = result.stdout.split()
    assert (status, location) == ("301", "https://testserver/api/v1/negotiations/")
    assert health in {"200", "503"}  # not redirected: load balancers probe over http


def test_ci_script_looks_for_shared_material_only_beside_the_clone():
    script = (ROOT / ".ci" / "run").read_text()

    assert "../shared" in script
    # No fixed path of one machine: every absolute path the script names is a system one.
    absolute = set(re.findall(r"(?<![\w.])/[a-z]+/", script))
    assert absolute <= {"/etc/", "/usr/", "/dev/", "/tmp/"}, absolute
