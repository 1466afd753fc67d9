"""Fixtures shared by the whole suite: real services, real material, no mocks of this machine.

``REQUIRE_SERVICES=1`` (CI) turns every "service or corpus missing, skipping" into a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

# Playwright runs an event loop in the test thread; Django refuses sync DB calls there otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip on a user's machine; fail in CI where everything must be present."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def shared_dir() -> Path:
    return Path(os.environ.get("TRACKER_SHARED_DIR", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    path = Path(os.environ.get("TRACKER_CORPUS_DIR", shared_dir() / "corpus"))
    if not (path / "html" / "expected.json").exists():
        skip_or_fail(f"the news corpus is not at {path} (set TRACKER_CORPUS_DIR)")
    return path


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    path = Path(os.environ.get("TRACKER_GOLD_DIR", shared_dir() / "gold"))
    if not (path / "SCHEMA.md").exists():
        skip_or_fail(f"the gold annotations are not at {path} (set TRACKER_GOLD_DIR)")
    return path


@pytest.fixture(scope="session")
def postgres_required() -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip_or_fail("DATABASE_URL does not point at PostgreSQL")


@pytest.fixture(scope="session")
def broker_url() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        skip_or_fail("CELERY_BROKER_URL is not set, so there is no broker for a real worker")
    return url


@pytest.fixture
def celery_worker_process(
    broker_url: str, transactional_db, settings
) -> Iterator[subprocess.Popen]:
    """A real ``celery worker`` subprocess on the test database, started and stopped per test.

    Tasks are sent through the configured broker; the worker writes to the same test
    database the test reads (``transactional_db`` so its writes are visible and committed).
    """
    from django.db import connection

    from tracker.celery import app

    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    env = dict(os.environ)
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        auth = db.get("USER") or ""
        if db.get("PASSWORD"):
            auth += f":{db['PASSWORD']}"
        env["DATABASE_URL"] = (
            f"postgres://{auth + '@' if auth else ''}{host}:{port}/{connection.settings_dict['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    env["DEBUG"] = "0"
    env.setdefault("SECRET_KEY", "test-only-secret-not-for-production-0123456789abcdefghij")
    env["INGESTION_ALLOWED_PRIVATE_NETWORKS"] = ",".join(
        settings.INGESTION_ALLOWED_PRIVATE_NETWORKS
    )
    node = f"test-{uuid.uuid4().hex[:6]}@{socket.gethostname()}"
    log = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tracker",
            "worker",
            "--pool=solo",
            "-Q",
            "default,ingestion",
            "--include",
            "tests.tracker.probe_tasks",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            node,
        ],
        cwd=ROOT,
        env=env,
        # A file, not a pipe: a chatty worker would block once a pipe's buffer filled up.
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        # Ask our worker by name: a stray worker on the same broker must not count as ready.
        replies = app.control.ping(destination=[node], timeout=0.5)
        if replies:
            break
        if proc.poll() is not None:
            pytest.fail(f"celery worker exited early:\n{Path(log.name).read_text()[-4000:]}")
    else:
        proc.kill()
        pytest.fail("celery worker did not answer a ping within 30 s")
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        # Restore, not force on: with a broker configured the app is not eager by default.
        app.conf.task_always_eager = was_eager


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.1):
    """Poll ``predicate`` until it returns something truthy, or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: throttle counters and cached pages kept in Redis
    would otherwise carry over from the previous test, or from the previous run."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def plain_static_storage(settings) -> None:
    """Tests run without ``collectstatic``, so without the manifest a deploy builds: pages name
    static files by their plain names. tests/timeline/reader/test_static.py switches the
    hashed manifest back on to test it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _generous_page_limits(settings) -> None:
    """Browser and reader tests load many pages within a minute from one address; the limiter
    itself is tested in tests/security/test_throttling.py with tight rates."""
    settings.READER_THROTTLE_RATE = "100000/min"
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "export": "100000/min",
        },
    }
