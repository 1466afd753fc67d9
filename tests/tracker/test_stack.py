"""The walking skeleton on the real stack: PostgreSQL, Redis, a real Celery worker process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import wait_for
from tests.tracker.probe_tasks import record_marker

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_migrations_fully_applied_on_postgres(postgres_required):
    executor = MigrationExecutor(connection)

    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())

    assert connection.vendor == "postgresql"
    assert plan == []


def test_models_have_no_missing_migrations():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DEBUG": "1"},
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.worker
def test_task_through_redis_runs_in_worker_process_and_writes_postgres(
    postgres_required, celery_worker_process
):
    result = record_marker.apply_async(args=["marker-from-worker"])

    assert result.id
    assert wait_for(lambda: Group.objects.filter(name="marker-from-worker").exists(), timeout=30)


def _bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No DATABASE_URL, broker or cache: what a new user's shell has."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATA_DIR": str(tmp_path / "data"),
        # Not the checkout's own .env (written by `make run`): a new user's shell has none.
        "ENV_FILE": str(tmp_path / ".env"),
    }
    env.update(extra)
    return env


def _manage(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_bare_env(tmp_path, **extra),
        timeout=180,
        check=False,
    )


@pytest.mark.slow
def test_no_environment_migrates_sqlite_serves_healthz_and_runs_tasks_in_process(tmp_path):
    migrated = _manage(tmp_path, "migrate", "--no-input", DEBUG="1")
    assert migrated.returncode == 0, migrated.stderr
    assert (tmp_path / "data" / "tracker.sqlite3").exists()

    script = (
        "import json; from django.test import Client;"
        "r = Client().get('/healthz'); print(r.status_code); print(r.content.decode());"
        "from tests.tracker.probe_tasks import record_marker; record_marker.delay('in-process');"
        "from django.contrib.auth.models import Group; print(Group.objects.filter(name='in-process').count())"
    )
    probed = _manage(tmp_path, "shell", "--no-imports", "-c", script, DEBUG="1")

    lines = probed.stdout.strip().splitlines()
    assert probed.returncode == 0, probed.stderr
    assert lines[0] == "200"
    assert '"in-process (no broker configured)"' in lines[1]
    assert '"sqlite"' in lines[1]
    assert lines[2] == "1"


def test_settings_refuse_to_start_without_secret_key_when_debug_off(tmp_path):
    result = _manage(tmp_path, "check", DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr


def test_settings_reject_junk_debug_value(tmp_path):
    result = _manage(tmp_path, "check", DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_settings_reject_malformed_database_url(tmp_path):
    result = _manage(tmp_path, "check", DEBUG="1", DATABASE_URL="postgress://x/y")

    assert result.returncode != 0
    assert "DATABASE_URL must start with postgres:// or sqlite:///" in result.stderr
