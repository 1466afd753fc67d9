"""Fixtures of the faults suite: one throw-away stack per session (see ``stack.py``).

The stack's workers run with a short hard time limit and visibility timeout, so that what a
killed worker held comes back within seconds instead of the production defaults' hour; the
README's table gives the heal times with the defaults, measured by ``manage.py chaos``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

from .stack import Stack, postgres_bin, running_stack

# Each must stay above the next: visibility timeout > hard limit > soft limit > slow page.
FAST_SETTINGS = {
    "CELERY_VISIBILITY_TIMEOUT": "20",
    "CELERY_TASK_TIME_LIMIT": "15",
    "CELERY_TASK_SOFT_TIME_LIMIT": "12",
}


@pytest.fixture(scope="session")
def stack_session(corpus_dir: Path) -> Iterator[Stack]:
    if postgres_bin() is None:
        skip_or_fail(
            "no PostgreSQL binaries under /usr/lib/postgresql/*/bin for a throw-away cluster"
        )
    if shutil.which("redis-server") is None:
        skip_or_fail("redis-server is not installed")
    with running_stack(corpus_dir, **FAST_SETTINGS) as stack:
        yield stack


@pytest.fixture
def stack(stack_session: Stack) -> Iterator[Stack]:
    """The session's stack, emptied, with no worker or web server left from the last test."""
    if stack_session.redis.proc is None:
        stack_session.redis.start()
    stack_session.reset()
    try:
        yield stack_session
    finally:
        for worker in stack_session.workers:
            worker.stop()
        stack_session.workers.clear()
        if stack_session.web is not None:
            stack_session.web.stop()
            stack_session.web = None
