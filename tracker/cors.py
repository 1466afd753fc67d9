"""CORS for the read-only API and the exports: other newsrooms' pages may fetch them.

Only reads (GET, HEAD and their preflight), and never with credentials: a page elsewhere gets
exactly what an anonymous caller gets, the published record. Writes stay same-origin.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PREFIX = "/api/v1/"
READ_METHODS = ("GET", "HEAD", "OPTIONS")


class ReadOnlyCorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _allowed(self, origin: str) -> str | None:
        allowed = settings.API_CORS_ALLOWED_ORIGINS
        if "*" in allowed:
            return "*"
        return origin if origin in allowed else None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = request.headers.get("Origin", "")
        applies = bool(origin) and request.path.startswith(PREFIX)
        if (
            applies
            and request.method == "OPTIONS"
            and request.headers.get("Access-Control-Request-Method")
        ):
            response = HttpResponse(status=204)
        else:
            response = self.get_response(request)
        if not applies or request.method not in READ_METHODS:
            return response
        allow = self._allowed(origin)
        if allow is None:
            return response
        response["Access-Control-Allow-Origin"] = allow
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Accept, If-None-Match, If-Modified-Since"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Link, Content-Disposition"
        response["Access-Control-Max-Age"] = "86400"
        if allow != "*":
            response["Vary"] = ", ".join(filter(None, [response.get("Vary"), "Origin"]))
        return response
