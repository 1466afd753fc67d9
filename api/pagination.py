"""Keyset ("cursor") pagination: no COUNT(*), and a page boundary never shifts under inserts.

DRF's own CursorPagination cannot order on a nullable column (undated events sort last on the
timeline), so this one encodes the full ordering key of the boundary row and pages with a
row comparison, ``(date, id) > (%s, %s)``, that the index serves (``timeline.selectors.keyset``
spells out where NULLs go). It pages querysets and, for the timeline
as it was known on a past day (a list built from history), plain lists the same way.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from timeline.selectors.keyset import keyset_slice
from timeline.selectors.search import RANKED_ORDER

_PARSERS: dict[str, Callable[[Any], Any]] = {
    "int": int,
    "date": dt.date.fromisoformat,
    "datetime": dt.datetime.fromisoformat,
    "float": float,
}


@dataclass(frozen=True)
class Key:
    """One column of the ordering. Ascending keys put NULLs last, descending ones first."""

    field: str
    kind: str = "int"  # int, date or datetime: how the cursor stores the value
    descending: bool = False
    nullable: bool = False


ID_ORDER = (Key("id"),)
TIMELINE_ORDER = (Key("date", "date", nullable=True), Key("id"))
CHANGES_ORDER = (Key("updated_at", "datetime"), Key("id"))
# A search's best matches: by rank, then the newest event among equals (both descending).
SEARCH_ORDER = (
    Key(RANKED_ORDER[0], "float", descending=True),
    Key(RANKED_ORDER[1], descending=True),
)


@dataclass(frozen=True)
class SearchInfo:
    """What a ranked page says about its search: the bounds, and whether they cut the list."""

    limit: int
    truncated: bool
    bounded: bool = False  # only the ``bound`` matches added last were ranked
    bound: int = 0

    def as_dict(self) -> dict:
        return {
            "order": "relevance",
            "limit": self.limit,
            "truncated": self.truncated,
            "bounded": self.bounded,
            "bound": self.bound,
        }


def _compare_values(key: Key, a: Any, b: Any) -> int:
    """-1, 0 or 1 for ``a`` against ``b`` in ascending, NULLs-last order."""
    if a is None or b is None:
        return (a is None) - (b is None)
    return (a > b) - (a < b)


class KeysetPagination(BasePagination):
    """Pages of ``page_size`` rows with opaque ``next``/``previous`` cursors.

    The view may set ``pagination_keys``; the default orders by id.
    """

    keys: tuple[Key, ...] = ID_ORDER
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"

    def __init__(self) -> None:
        self.next_position: list | None = None
        self.previous_position: list | None = None
        self.request: Request | None = None
        self.search: SearchInfo | None = None  # set by a view that ranks a search

    # --- request parsing ------------------------------------------------------------------
    def _keys(self, view: Any) -> tuple[Key, ...]:
        return getattr(view, "pagination_keys", None) or self.keys

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError(
                {self.page_size_query_param: ["A whole number is required."]}
            ) from None
        if size < 1:
            raise ValidationError({self.page_size_query_param: ["Must be at least 1."]})
        # A huge page size is capped, not refused: clients asking for "everything" get a page.
        return min(size, self.max_page_size)

    def _decode(self, request: Request, keys: tuple[Key, ...]) -> tuple[list | None, bool]:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None, False
        invalid = ValidationError({self.cursor_query_param: ["Invalid cursor."]})
        try:
            padded = raw + "=" * (-len(raw) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            values, reverse = payload["p"], bool(payload.get("r", False))
            if not isinstance(values, list) or len(values) != len(keys):
                raise invalid
            position = [
                None if value is None else _PARSERS[key.kind](value)
                for key, value in zip(keys, values, strict=True)
            ]
        # OverflowError: a forged {"p": [1e400]} is infinity, which int() refuses.
        except (
            ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError,
            UnicodeError, binascii.Error,
        ):  # fmt: skip
            raise invalid from None
        for key, value in zip(keys, position, strict=True):
            if value is None and not key.nullable:
                raise invalid
            if key.kind == "int" and value is not None and not -(2**63) <= value < 2**63:
                raise invalid
            # JSON lets NaN and Infinity through; no rank is either.
            if key.kind == "float" and value is not None and not math.isfinite(value):
                raise invalid
        return position, reverse

    def _encode(self, position: list, reverse: bool) -> str:
        values = [
            value.isoformat() if isinstance(value, dt.date | dt.datetime) else value
            for value in position
        ]
        payload = json.dumps({"p": values, "r": reverse} if reverse else {"p": values})
        return base64.urlsafe_b64encode(payload.encode()).decode("ascii").rstrip("=")

    # --- paging ---------------------------------------------------------------------------
    def paginate_queryset(
        self, queryset: QuerySet | Sequence, request: Request, view: Any = None
    ) -> list:
        self.request = request
        keys = self._keys(view)
        size = self.get_page_size(request)
        position, reverse = self._decode(request, keys)
        if isinstance(queryset, QuerySet):
            rows = self._page_of_queryset(queryset, keys, position, reverse, size + 1)
        else:
            rows = self._page_of_list(list(queryset), keys, position, reverse, size + 1)
        has_more = len(rows) > size
        rows = rows[:size]
        if reverse:
            rows.reverse()
        has_next = has_more if not reverse else True
        has_previous = has_more if reverse else position is not None
        if not rows:
            # Past either end: offer the way back to where the client came from.
            self.next_position = position if reverse and position is not None else None
            self.previous_position = position if not reverse and position is not None else None
            return rows
        first = [getattr(rows[0], key.field) for key in keys]
        last = [getattr(rows[-1], key.field) for key in keys]
        self.next_position = last if has_next else None
        self.previous_position = first if has_previous else None
        return rows

    def _page_of_queryset(
        self,
        queryset: QuerySet,
        keys: tuple[Key, ...],
        position: list | None,
        reverse: bool,
        limit: int,
    ) -> list:
        # One direction for the whole key, and only the first key nullable: what every order
        # of this API is, and what a row comparison against one index can serve.
        descending = {key.descending for key in keys}
        if len(descending) != 1 or any(key.nullable for key in keys[1:]):
            raise ValueError("Keyset keys must share a direction; only the first may be null.")
        return keyset_slice(
            queryset,
            [key.field for key in keys],
            position,
            backwards=descending.pop() != reverse,
            limit=limit,
            nullable_first=keys[0].nullable,
        )

    def _page_of_list(
        self,
        rows: list,
        keys: tuple[Key, ...],
        position: list | None,
        reverse: bool,
        limit: int,
    ) -> list:
        def compare(a: list, b: list) -> int:
            for key, left, right in zip(keys, a, b, strict=True):
                result = _compare_values(key, left, right)
                if result:
                    return -result if key.descending else result
            return 0

        def values(row: Any) -> list:
            return [getattr(row, key.field) for key in keys]

        ordered = sorted(rows, key=lambda r: functools.cmp_to_key(compare)(values(r)))
        if reverse:
            ordered.reverse()
        if position is not None:
            sign = -1 if reverse else 1
            ordered = [row for row in ordered if sign * compare(values(row), position) > 0]
        return ordered[:limit]

    # --- response -------------------------------------------------------------------------
    def _link(self, position: list | None, reverse: bool) -> str | None:
        if position is None or self.request is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self._encode(position, reverse))

    def get_next_link(self) -> str | None:
        return self._link(self.next_position, False)

    def get_previous_link(self) -> str | None:
        return self._link(self.previous_position, True)

    def get_paginated_response(self, data: Any) -> Response:
        body: dict[str, Any] = {
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
        }
        if self.search is not None:
            body["search"] = self.search.as_dict()
        body["results"] = data
        return Response(body)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "search": {
                    "type": "object",
                    "description": "Only with q= in relevance order: results are the best "
                    "`limit` matches, best first; `truncated` is true when more events matched "
                    "(narrow the search or the filters to reach them). `bounded` is true when "
                    "more than `bound` events matched: then only the `bound` matches added last "
                    "were ranked, so the results are the best of those (sort=date pages every "
                    "match).",
                    "required": ["order", "limit", "truncated", "bounded", "bound"],
                    "properties": {
                        "order": {"type": "string", "enum": ["relevance"]},
                        "limit": {"type": "integer"},
                        "truncated": {"type": "boolean"},
                        "bounded": {"type": "boolean"},
                        "bound": {"type": "integer"},
                    },
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The opaque cursor from a previous page's next or previous link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (default {self.page_size}, "
                f"capped at {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
