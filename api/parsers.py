"""The JSON parser, refusing what would otherwise fail later as a 500: NUL characters (which
PostgreSQL cannot store) anywhere in the document, and nesting too deep to parse."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

# Far deeper than any document this API accepts, far below Python's recursion limit.
MAX_DEPTH = 64


def _check(document: Any) -> None:
    # Iterative, so a deep document cannot exhaust the stack here either. Each value carries
    # the top-level field it sits under, so the 400 names the field like any other error.
    stack: list[tuple[Any, int, str]] = [(document, 1, "non_field_errors")]
    while stack:
        value, depth, field = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels is not accepted.")
        if isinstance(value, str):
            if "\x00" in value:
                raise ValidationError({field: ["NUL characters are not allowed."]})
        elif isinstance(value, dict):
            for key, item in value.items():
                inner = key.replace("\x00", "") if depth == 1 else field
                if "\x00" in key:
                    raise ValidationError({inner or field: ["NUL characters are not allowed."]})
                stack.append((item, depth + 1, inner))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, field) for item in value)


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            document = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                f"JSON nested deeper than {MAX_DEPTH} levels is not accepted."
            ) from None
        _check(document)
        return document
