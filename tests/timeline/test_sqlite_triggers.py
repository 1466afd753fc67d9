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


# Every kind of write the per-party counts follow, each checked against the party filter's
# GROUP BY (as tests/timeline/test_event_party_day_counts.py does on PostgreSQL).
PARTY_SCRIPT = """
import datetime as dt
from django.db.models import Count
from timeline import models as m
from timeline.selectors.timeline import TimelineFilters

def table():
    return {
        (r.negotiation_id, r.party_id, r.day, r.kind): r.count
        for r in m.EventPartyDayCount.objects.filter(count__gt=0)
    }

def truth():
    found = {}
    for actor in m.Actor.objects.filter(status="published"):
        events = TimelineFilters(parties=[actor.slug]).apply(
            m.Event.objects.filter(status="published", negotiation__isnull=False)
        )
        rows = events.order_by().values_list("negotiation_id", "date", "kind").annotate(n=Count("id"))
        found.update({(n, actor.pk, day, kind): c for n, day, kind, c in rows})
    return found

def check(step):
    assert table() == truth(), (step, table(), truth())

n = m.Negotiation.objects.get(slug="t") if m.Negotiation.objects.filter(slug="t").exists() else (
    m.Negotiation.objects.create(title="t", slug="t", kind="peace")
)
israel = m.Actor.objects.create(kind="state", name="Israel", slug="israel")
hamas = m.Actor.objects.create(kind="group", name="Hamas", slug="hamas")
minister = m.Actor.objects.create(kind="person", name="M", slug="m", affiliation=israel)
envoy = m.Actor.objects.create(kind="person", name="E", slug="e")
r = m.Round.objects.create(negotiation=n, sequence=1)
d = m.Delegation.objects.create(round=r, actor=israel)
m.DelegationMember.objects.create(delegation=d, person=envoy)
e1 = m.Event.objects.create(negotiation=n, kind="meeting", summary="s", date=dt.date(2024, 5, 19), status="published")
e2 = m.Event.objects.create(negotiation=n, kind="threat", summary="s", status="candidate")
p1 = m.EventParticipant.objects.create(event=e1, actor=minister)
m.EventParticipant.objects.create(event=e1, actor=envoy)
m.EventParticipant.objects.create(event=e2, actor=hamas)
check("participants")
assert table()[(n.pk, israel.pk, dt.date(2024, 5, 19), "meeting")] == 1
e2.status = "published"; e2.save(); check("publish")
e1.date = None; e1.kind = "proposal"; e1.save(); check("date and kind")
p1.actor = hamas; p1.save(); check("participant changed")
p1.delete(); check("participant removed")
minister.affiliation = hamas; minister.save(); check("affiliation")
d.head = minister; d.save(); check("delegation head")
m.DelegationMember.objects.filter(person=envoy).delete(); check("member removed")
envoy.status = "candidate"; envoy.save(); check("status")
e1.status = "retracted"; e1.save(); check("retract")
e2.delete(); check("event deleted")
print("ok")
"""

NEW_ACTOR = """
from timeline import models as m
m.Actor.objects.create(kind="state", name="X", slug="x")
"""


def test_sqlite_party_counts_follow_every_write_and_come_back_after_a_migrate(tmp_path):
    database = str(tmp_path / "tracker.sqlite3")
    _manage(database, "migrate", "-v0")
    _manage(database, "shell", "-c", SCRIPT)
    _manage(database, "shell", "-c", NEW_ACTOR)
    with sqlite3.connect(database) as db:  # what a rebuild of the participant table does
        db.execute("DROP TRIGGER participant_party_count_insert")
        db.execute(
            "INSERT INTO timeline_eventparticipant (event_id, actor_id, role) "
            "SELECT min(id), (SELECT id FROM timeline_actor WHERE slug = 'x'), 'actor' "
            "FROM timeline_event"
        )
    _manage(database, "migrate", "-v0")  # puts the trigger back and recounts
    with sqlite3.connect(database) as db:
        assert db.execute(
            "SELECT SUM(count) FROM timeline_eventpartydaycount WHERE party_id = "
            "(SELECT id FROM timeline_actor WHERE slug = 'x')"
        ).fetchone() == (1,)

    _manage(database, "shell", "-c", PARTY_SCRIPT)  # raises if a check fails
