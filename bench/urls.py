"""The project's URLs and ``/bench/baseline/``: a bare Django view returning a precomputed
JSON document (the API's first page, saved by ``bench/api_load.py``), served by the same
gunicorn workers, so the ratio measures what the view code costs over Django itself."""

import os
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.urls import path

from tracker.urls import urlpatterns as project_urlpatterns


@cache
def _body() -> bytes:
    with open(os.environ["BENCH_BASELINE_FILE"], "rb") as file:
        return file.read()


def baseline(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_body(), content_type="application/json")


urlpatterns = [path("bench/baseline/", baseline), *project_urlpatterns]
