"""Newsrooms embed the timeline in an iframe and read the API from their own pages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_embed_page_may_be_framed_by_the_configured_sites(client, talks, settings):
    settings.EMBED_FRAME_ANCESTORS = "https://news.example"

    response = client.get("/embed/n/israel-hamas/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "frame-ancestors https://news.example" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert talks.breakdown.summary in html
    assert f'href="/n/israel-hamas/events/{talks.breakdown.pk}/" target="_blank"' in html


def test_other_reader_pages_still_refuse_framing(client, talks):
    response = client.get("/n/israel-hamas/")

    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_api_reads_and_exports_allow_other_origins_without_credentials(client, talks):
    api = client.get("/api/v1/events/", HTTP_ORIGIN="https://news.example")
    export = client.get(
        "/api/v1/negotiations/israel-hamas/export/csv/", HTTP_ORIGIN="https://news.example"
    )
    preflight = client.options(
        "/api/v1/events/",
        HTTP_ORIGIN="https://news.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )

    assert api["Access-Control-Allow-Origin"] == "*"
    assert export["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in api["Access-Control-Expose-Headers"]
    assert (preflight.status_code, preflight["Access-Control-Allow-Methods"]) == (
        204,
        "GET, HEAD, OPTIONS",
    )
    assert "Access-Control-Allow-Credentials" not in api


def test_api_writes_get_no_cors_headers(client, talks):
    response = client.post("/api/v1/ingestions/", {}, HTTP_ORIGIN="https://news.example")

    assert "Access-Control-Allow-Origin" not in response


def test_cors_limited_to_the_configured_origins(client, talks, settings):
    settings.API_CORS_ALLOWED_ORIGINS = ["https://partner.example"]

    allowed = client.get("/api/v1/events/", HTTP_ORIGIN="https://partner.example")
    other = client.get("/api/v1/events/", HTTP_ORIGIN="https://elsewhere.example")

    assert allowed["Access-Control-Allow-Origin"] == "https://partner.example"
    assert "Origin" in allowed["Vary"]
    assert "Access-Control-Allow-Origin" not in other
