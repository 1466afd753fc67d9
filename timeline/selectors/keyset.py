"""Keyset paging by a row comparison that matches the index order.

``(date, id) > (%s, %s)`` is a condition PostgreSQL's B-tree can start an index scan at
(an Index Cond), where the equivalent ``date > x OR (date = x AND id > y)`` is applied as a
filter on every row from the start of the index: in the middle of a 1,000,000-event timeline
that discarded half a million rows per page.

The first key may be nullable, sorted NULLs last (PostgreSQL's default for an ascending
B-tree, so the index order is the page order). A row comparison is NULL when a NULL is
involved, so the rule is spelled out: going forward past the last dated row continues with
the undated rows by id; going back from an undated row continues with the dated ones. Each
part is one index-ordered query with LIMIT; at most two per page.

Used by the API's paginator and by the reader's timeline windows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import BooleanField, Expression, F, QuerySet, Value
from django.db.models.expressions import OrderBy


class RowCompare(Expression):
    """``(f1, f2, ...) <op> (v1, v2, ...)``: a SQL row-value comparison, as a filter."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, fields: Sequence[str], values: Sequence[Any], op: str) -> None:
        if op not in (">", "<") or len(fields) != len(values) or not fields:
            raise ValueError("RowCompare needs as many values as fields, and > or <.")
        super().__init__(output_field=BooleanField())
        self.fields = list(fields)
        self.values = list(values)
        self.op = op
        self.lhs: list[Any] = [F(name) for name in self.fields]
        self.rhs: list[Any] = list(self.values)

    def get_source_expressions(self) -> list:
        return [*self.lhs, *self.rhs]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        n = len(self.fields)
        self.lhs, self.rhs = list(exprs[:n]), list(exprs[n:])

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        clone = self.copy()
        clone.lhs = [
            e.resolve_expression(query, allow_joins, reuse, summarize, for_save) for e in self.lhs
        ]
        # Each value is typed as its column, so dates and datetimes bind as such.
        clone.rhs = [
            Value(value, output_field=column.output_field).resolve_expression(
                query, allow_joins, reuse, summarize, for_save
            )
            for value, column in zip(self.values, clone.lhs, strict=True)
        ]
        return clone

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        left, right, params = [], [], []
        for expression in self.lhs:
            sql, p = compiler.compile(expression)
            left.append(sql)
            params.extend(p)
        for expression in self.rhs:
            sql, p = compiler.compile(expression)
            right.append(sql)
            params.extend(p)
        return f"({', '.join(left)}) {self.op} ({', '.join(right)})", params


def _order(fields: Sequence[str], descending: bool, nullable_first: bool) -> list[OrderBy]:
    order = []
    for index, name in enumerate(fields):
        nullable = nullable_first and index == 0
        if descending:
            order.append(F(name).desc(nulls_first=True) if nullable else F(name).desc())
        else:
            order.append(F(name).asc(nulls_last=True) if nullable else F(name).asc())
    return order


def keyset_slice(
    rows: QuerySet,
    fields: Sequence[str],
    position: Sequence[Any] | None,
    *,
    backwards: bool = False,
    limit: int,
    nullable_first: bool = False,
) -> list:
    """Up to ``limit`` rows after ``position`` in ascending key order (NULLs of the first key
    last), or, ``backwards``, the rows before it nearest first. ``position`` None: from the
    start (forward) or the end (backwards)."""
    fields = list(fields)
    first, rest = fields[0], fields[1:]

    def part(queryset: QuerySet, keys: list[str], n: int) -> list:
        return list(queryset.order_by(*_order(keys, backwards, False))[:n]) if n > 0 else []

    op = "<" if backwards else ">"
    if not nullable_first:
        if position is not None:
            rows = rows.filter(RowCompare(fields, position, op))
        return part(rows, fields, limit)
    dated = rows.filter(**{f"{first}__isnull": False})
    undated = rows.filter(**{f"{first}__isnull": True})
    if position is not None and position[0] is not None:
        dated = dated.filter(RowCompare(fields, position, op))
        if backwards:
            return part(dated, fields, limit)
        found = part(dated, fields, limit)
        return found + part(undated, rest, limit - len(found))
    if position is not None:  # an undated boundary row: compare on the remaining keys
        undated = undated.filter(RowCompare(rest, position[1:], op))
        if not backwards:
            return part(undated, rest, limit)
    if backwards:
        found = part(undated, rest, limit)
        return found + part(dated, fields, limit - len(found))
    found = part(dated, fields, limit)
    return found + part(undated, rest, limit - len(found))
