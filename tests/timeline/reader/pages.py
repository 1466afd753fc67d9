"""Helpers of the reader page tests: what a page shows."""

from __future__ import annotations

import re


def event_ids(response) -> list[int]:
    return [
        int(x)
        for x in re.findall(
            r'<article class="event[^"]*" id="event-(\d+)"', response.content.decode()
        )
    ]


def html_of(client, url: str) -> str:
    """The page at ``url`` as text, after checking it answered 200 (a 404 page would otherwise
    only fail on a missing substring, hiding the cause)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()
