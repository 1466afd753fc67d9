"""Puts back the EventDayCount triggers on SQLite after any migration that dropped them.

Django's SQLite schema editor alters a table by building a new one and renaming it, which
drops the old table's triggers; a later migration that alters ``timeline_event`` would leave
``make run``'s database counting nothing. After every ``migrate`` this checks the triggers
are there and, if any is missing, creates them again (from migration 0009, the one source of
their SQL) and recounts the table. PostgreSQL alters tables in place: nothing to do there.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

TRIGGERS = {"event_day_count_insert", "event_day_count_update", "event_day_count_delete"}


def restore_sqlite_triggers(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if "timeline_eventdaycount" not in connection.introspection.table_names(cursor):
            return  # migrated back before 0009, or not yet that far
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'timeline_event'"
        )
        present = {name for (name,) in cursor.fetchall()}
    if present >= TRIGGERS:
        return
    migration = importlib.import_module("timeline.migrations.0009_event_day_count")
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in [*migration.SQLITE_DROP, *migration.SQLITE_CREATE]:
            cursor.execute(statement)
        cursor.execute("DELETE FROM timeline_eventdaycount")
        cursor.execute(migration.BACKFILL)
