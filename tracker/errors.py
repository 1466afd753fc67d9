"""Error pages: API clients get JSON, readers get the site's HTML page.

A database that is away (restarting, failing over) is a 503 with a Retry-After, not a 500:
the request was fine and will work again shortly, and clients and load balancers retry 503s.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

DATABASE_AWAY = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def _database_away() -> bool:
    # Django calls handler500 inside its ``except`` block, so the exception is still current.
    return isinstance(sys.exc_info()[1], DATABASE_AWAY)


def server_error(request: HttpRequest) -> HttpResponse:
    if _database_away():
        return _unavailable(request)
    if request.path.startswith("/api/"):
        # Same shape as the API's other errors (api/exceptions.py), so clients parse one format.
        return JsonResponse(
            {
                "message": "The server failed to answer this request.",
                "code": "server_error",
                "errors": {},
            },
            status=500,
        )
    return defaults.server_error(request)


def _unavailable(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "message": "The database is not answering; try again in a few seconds.",
                "code": "unavailable",
                "errors": {},
            },
            status=503,
        )
    else:
        # No template: rendering one may itself need the database (context processors).
        response = HttpResponse(
            "<!doctype html><title>Back soon</title><h1>Back in a moment</h1>"
            "<p>The tracker cannot reach its database just now. Try again in a few seconds.</p>",
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
