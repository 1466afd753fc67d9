"""No secret in what the real processes write to their logs (issue 11): an API call with a token,
a refused token, an ingestion and a failed one go through gunicorn and a Celery worker at
DEBUG level, and neither log holds the token, a refused token or the SECRET_KEY.
``tests/security/test_secrets.py`` checks the same in-process, with logins and sessions."""

from __future__ import annotations

import pytest

from .stack import Stack, wait_until

pytestmark = pytest.mark.worker

MAKE_EDITOR = """
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user = User.objects.create_user("logged-editor", password=None, is_staff=True)
user.groups.add(Group.objects.get(name="Editors"))
print(Token.objects.create(user=user).key)
"""
FORGED = "f0rged0token0that0must0not0be0logged0000"


def test_web_and_worker_logs_carry_no_token_or_secret_key(stack: Stack):
    stack.env["LOG_LEVEL"] = "DEBUG"
    try:
        worker = stack.worker()
        web = stack.start_web()
    finally:
        del stack.env["LOG_LEVEL"]
    token = stack.python(MAKE_EDITOR).strip().splitlines()[-1]
    page, missing = stack.pages.url("page/51.html"), stack.pages.url("nothing/here.html")

    accepted = [
        web.request("POST", "/api/v1/ingestions/", {"url": url}, token=token)[0]
        for url in (page, missing)
    ]
    refused = web.request("GET", "/api/v1/ingestions/", token=FORGED)[0]
    jobs = wait_until(
        lambda: (
            (rows := stack.postgres.rows("SELECT url, status FROM timeline_ingestion ORDER BY id"))
            and all(status in ("done", "failed") for _url, status in rows)
            and rows
        ),
        30,
        0.2,
        "both jobs final",
    )
    worker.terminate(timeout=30)  # flushes what it had to say
    web.stop()
    web_log = (stack.folder / "web.log").read_text(errors="replace")
    worker_log = worker.log_path.read_text(errors="replace")

    assert accepted == [202, 202]
    assert refused in (401, 403)  # refused either way; which one depends on the authenticators
    assert jobs == [(page, "done"), (missing, "failed")]
    # The logs are not empty: the worker spoke about both jobs, the web about the refusal.
    assert worker_log.count("timeline.tasks.ingestion_run") >= 2
    assert "DEBUG" in worker_log
    assert "/api/v1/ingestions/" in web_log
    for secret in (token, FORGED, stack.env["SECRET_KEY"]):
        assert secret not in web_log
        assert secret not in worker_log
