from __future__ import annotations

import datetime as dt

import pytest

from timeline.extraction import ArticleInput, default_gazetteer, extract


@pytest.fixture(scope="session")
def gazetteer():
    return default_gazetteer()


@pytest.fixture
def run(gazetteer):
    """Extract from a snippet published on a given day (the seed's date by default)."""

    def _run(text: str, published: dt.date | str = "2024-05-23", byline: str = ""):
        return extract(ArticleInput(text=text, published_at=published, byline=byline), gazetteer)

    return _run
