"""Error pages: API clients get JSON, readers get the site's HTML page."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def server_error(request: HttpRequest) -> HttpResponse:
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
