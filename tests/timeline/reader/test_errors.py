"""The reader's own 404 and 500 pages, as production (DEBUG off) serves them."""

from __future__ import annotations

import logging
import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


# This module doubles as the URLconf of the 500 test: the reader's routes plus one that fails.
urlpatterns = [
    path("boom/", boom),
    path("", include("timeline.urls")),
]


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def assert_reader_page_without_inline_code(html: str) -> None:
    assert '<link rel="stylesheet" href="/static/timeline/reader.css">' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<a href="/">See all the negotiations we follow</a>' in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html
    assert " style=" not in html


def test_unknown_address_is_the_reader_404_page(client):
    response = client.get("/no/such/page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found · Negotiation tracker</title>" in html
    assert "<h1>Page not found</h1>" in html
    assert '<p class="lede">There is nothing at this address.</p>' in html
    assert "Resolver404" not in html
    assert_reader_page_without_inline_code(html)
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_unknown_negotiation_404_page_says_what_is_missing(client):
    response = client.get("/n/nowhere/")

    assert response.status_code == 404
    assert '<p class="lede">No negotiation with that address.</p>' in response.content.decode()


def test_404_page_escapes_the_address_it_was_asked_for(client):
    response = client.get("/actors/%3Cscript%3Ealert(1)%3C/script%3E/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<script>alert(1)" not in html


@pytest.mark.urls(__name__)
def test_failing_view_is_the_reader_500_page_and_is_logged(caplog):
    client = Client(raise_request_exception=False)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/boom/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong on our side</h1>" in html
    assert "a bug in a view" not in html
    assert "og:image" not in html  # no request to make its address absolute
    assert_reader_page_without_inline_code(html)
    assert [r.exc_info[0] for r in caplog.records if r.exc_info] == [RuntimeError]
