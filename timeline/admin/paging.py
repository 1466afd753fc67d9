"""Admin changelists that do not count a million rows on every page.

``show_full_result_count = False`` drops the second COUNT of the unfiltered table; the
paginator still counts the rows it pages. For an unfiltered list of a large table that COUNT
is a scan of the whole table (issue 10), so this paginator answers it from the planner's
estimate (``pg_class.reltuples``, kept by ANALYZE and autovacuum) once the table is large.
Filtered lists are counted exactly: the filter bounds them, and editors rely on the number.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Below this many rows an exact COUNT is cheap and exact numbers read better.
ESTIMATE_ABOVE = 50_000


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet) and not rows.query.where:
            estimate = _estimated_rows(rows)
            if estimate is not None:
                return estimate
        return super().count


def _estimated_rows(rows: QuerySet) -> int | None:
    connection = connections[rows.db]
    if connection.vendor != "postgresql":
        return None
    table = connection.ops.quote_name(rows.model._meta.db_table)
    with connection.cursor() as cursor:
        # One query either way: the estimate for a large table, an exact count for a small
        # one (so a changelist costs no more queries than with Django's own paginator).
        # The table name is our own model's, quoted; every value is a parameter.
        sql = (
            "SELECT CASE WHEN c.reltuples > %s THEN c.reltuples::bigint "  # noqa: S608
            f"ELSE (SELECT count(*) FROM {table}) END "
            "FROM pg_class c WHERE c.oid = %s::regclass"
        )
        cursor.execute(sql, [ESTIMATE_ABOVE, rows.model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row else None
