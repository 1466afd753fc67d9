"""Puts back the summary tables' triggers on SQLite after any migration that dropped them.

Django's SQLite schema editor alters a table by building a new one and renaming it, which
drops the old table's triggers; a later migration that alters ``timeline_event`` (or the
participant, actor, delegation or negotiation tables the per-party counts watch) would leave
``make run``'s database counting nothing. After every ``migrate`` this checks each summary
table's triggers are there and, if any is missing, creates them again (from the migration
that made them, the one source of their SQL) and recounts the table. PostgreSQL alters
tables in place: nothing to do there.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

# Each summary table, the migration that made it and the names of its triggers.
SUMMARIES = {
    "timeline_eventdaycount": (
        "timeline.migrations.0009_event_day_count",
        {"event_day_count_insert", "event_day_count_update", "event_day_count_delete"},
    ),
    "timeline_eventpartydaycount": ("timeline.migrations.0010_event_party_day_count", None),
}


def restore_sqlite_triggers(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {name for (name,) in cursor.fetchall()}
    for table, (module, names) in SUMMARIES.items():
        if table not in tables:
            continue  # migrated back before it, or not yet that far
        migration = importlib.import_module(module)
        if present >= (names or set(migration.SQLITE_TRIGGERS)):
            continue
        with transaction.atomic(using=using), connection.cursor() as cursor:
            for statement in [*migration.SQLITE_DROP, *migration.SQLITE_CREATE]:
                cursor.execute(statement)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a name from above)
            cursor.execute(migration.BACKFILL)
