"""``make run``'s SQLite database keeps its EventDayCount triggers through later migrations:
a migrate after they were dropped (as Django's SQLite table rebuild does) puts them back and
recounts. Run in a subprocess on a SQLite file, as ``make run`` would use it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = """
import datetime as dt
from timeline import models as m
n = m.Negotiation.objects.create(title="t", slug="t", kind="peace")
for day in (dt.date(2024, 5, 19), dt.date(2024, 5, 19), None):
    m.Event.objects.create(negotiation=n, kind="meeting", summary="s", date=day, status="published")
m.Event.objects.filter(date=None).update(kind="threat")
"""


def _manage(database: str, *args: str) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "1",
        "SECRET_KEY": "test-only-sqlite-triggers-0123456789abcdefghijklmnop",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def _counts(database: str) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT day, kind, count FROM timeline_eventdaycount WHERE count > 0 ORDER BY kind"
        ).fetchall()


def test_sqlite_triggers_count_and_come_back_after_a_migrate(tmp_path):
    database = str(tmp_path / "tracker.sqlite3")
    _manage(database, "migrate", "-v0")
    _manage(database, "shell", "-c", SCRIPT)
    assert _counts(database) == [("2024-05-19", "meeting", 2), (None, "threat", 1)]

    with sqlite3.connect(database) as db:  # what a rebuild of timeline_event does to them
        db.execute("DROP TRIGGER event_day_count_update")
        db.execute("UPDATE timeline_event SET kind = 'walkout' WHERE date IS NULL")
    _manage(database, "migrate", "-v0")

    assert _counts(database) == [("2024-05-19", "meeting", 2), (None, "walkout", 1)]
    with sqlite3.connect(database) as db:
        db.execute("UPDATE timeline_event SET kind = 'threat' WHERE date IS NULL")
    assert _counts(database) == [("2024-05-19", "meeting", 2), (None, "threat", 1)]
