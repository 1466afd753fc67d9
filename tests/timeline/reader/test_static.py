"""Static files the way production serves them: collected, hashed, served by whitenoise."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def collected(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command(
        "collectstatic",
        interactive=False,
        verbosity=0,
        ignore_patterns=["admin", "rest_framework", "drf_spectacular_sidecar"],
    )
    return tmp_path


def test_reader_assets_get_hashed_names_and_long_cache_lifetimes(collected, talks):
    client = Client()  # a new handler, so whitenoise indexes the freshly collected files

    html = client.get("/n/israel-hamas/").content.decode()
    css = re.search(r'href="(/static/timeline/reader\.[0-9a-f]{12}\.css)"', html)
    js = re.search(r'src="(/static/timeline/reader\.[0-9a-f]{12}\.js)"', html)
    sprite = re.search(r'href="(/static/timeline/icons\.[0-9a-f]{12}\.svg)#i-', html)

    assert css and js and sprite
    response = client.get(css.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    assert client.get(sprite.group(1)).status_code == 200
    assert client.get(js.group(1)).status_code == 200


def test_preview_card_is_a_small_hashed_png(collected, talks):
    client = Client()

    html = client.get("/").content.decode()
    card = re.search(
        r'<meta property="og:image" content="http://testserver'
        r'(/static/timeline/og-card\.[0-9a-f]{12}\.png)">',
        html,
    )

    assert card
    response = client.get(card.group(1))
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/png"
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(body[16:20], "big"), int.from_bytes(body[20:24], "big")
    assert (width, height) == (1200, 630)
    assert len(body) < 100_000
