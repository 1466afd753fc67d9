"""Nothing unreviewed reaches the public: after ``load_demo`` (curated rows plus the extractor's
candidates), walk every reader page, every filter choice, every export and every API list and
find no candidate event, actor, issue, place or position on any of them.

Candidates are recognised by what identifies them structurally (links to their pages, their
ids in API rows, slugs offered as filter choices, names and titles given as whole values), not
by words of the report, which published citations quote too.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from timeline.models import (
    Actor,
    Article,
    Citation,
    Event,
    Issue,
    Negotiation,
    Place,
    Position,
    Round,
)

pytestmark = pytest.mark.django_db

UNREVIEWED = ("candidate", "rejected", "merged")


@dataclass
class Unreviewed:
    event_ids: set[int] = field(default_factory=set)
    actor_slugs: set[str] = field(default_factory=set)
    actor_names: set[str] = field(default_factory=set)
    issue_slugs: set[str] = field(default_factory=set)
    issue_titles: set[str] = field(default_factory=set)
    place_names: set[str] = field(default_factory=set)
    position_stances: set[str] = field(default_factory=set)

    @classmethod
    def collect(cls) -> Unreviewed:
        u = cls()
        u.event_ids = set(Event.objects.filter(status__in=UNREVIEWED).values_list("id", flat=True))
        for slug, name in Actor.objects.filter(status__in=UNREVIEWED).values_list("slug", "name"):
            u.actor_slugs.add(slug)
            u.actor_names.add(name)
        for slug, title in Issue.objects.filter(status__in=UNREVIEWED).values_list("slug", "title"):
            u.issue_slugs.add(slug)
            u.issue_titles.add(title)
        u.place_names = set(
            Place.objects.filter(status__in=UNREVIEWED).values_list("name", flat=True)
        )
        # A stance in the report's own words is also a published quote: not a leak by itself.
        published = set(Position.objects.published().values_list("stance", flat=True))
        published |= set(Citation.objects.values_list("quote", flat=True))
        u.position_stances = (
            set(Position.objects.filter(status__in=UNREVIEWED).values_list("stance", flat=True))
            - published
        )
        return u

    def names(self) -> set[str]:
        return self.actor_names | self.issue_titles | self.place_names | self.position_stances


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.values: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("href"):
            self.hrefs.append(found["href"] or "")
        if tag in ("option", "input") and found.get("value") is not None:
            self.values.append(found["value"] or "")

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append(data.strip())


def _html_leaks(body: str, u: Unreviewed) -> list[str]:
    parser = _Links()
    parser.feed(body)
    leaks = []
    for href in parser.hrefs:
        match = re.search(r"/events/(\d+)/", href)
        if match and int(match.group(1)) in u.event_ids:
            leaks.append(f"link to candidate event {href}")
        match = re.search(r"/actors/([^/?#]+)/", href)
        if match and match.group(1) in u.actor_slugs:
            leaks.append(f"link to candidate actor {href}")
        match = re.search(r"[?&]issue=([^&#]+)", href)
        if match and match.group(1) in u.issue_slugs:
            leaks.append(f"link filtering on candidate issue {href}")
    for value in parser.values:
        if value in u.issue_slugs or value in u.actor_slugs:
            leaks.append(f"filter choice {value!r}")
    names = u.names()
    leaks += [f"text {text!r}" for text in parser.texts if text in names]
    return leaks


def _json_leaks(data: Any, u: Unreviewed, path: str = "") -> list[str]:
    leaks: list[str] = []
    names = u.names()
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}"
            if isinstance(value, str):
                # Vocabulary fields ("kind": "ceasefire") are not names.
                if value in names and key not in ("kind", "status", "role", "type"):
                    leaks.append(f"{here} = {value!r}")
                if key == "slug" and (value in u.actor_slugs or value in u.issue_slugs):
                    leaks.append(f"{here} = {value!r}")
                match = re.search(r"/events/(\d+)/", value)
                if match and int(match.group(1)) in u.event_ids:
                    leaks.append(f"{here} = {value!r}")
            else:
                leaks += _json_leaks(value, u, here)
        if "kind" in data and "summary" in data and data.get("id") in u.event_ids:
            leaks.append(f"{path}: candidate event {data['id']}")
    elif isinstance(data, list):
        for i, item in enumerate(data):
            leaks += _json_leaks(item, u, f"{path}[{i}]")
    elif isinstance(data, str) and data in names:
        leaks.append(f"{path} = {data!r}")
    return leaks


def _text_leaks(body: str, u: Unreviewed) -> list[str]:
    leaks = [
        f"event link {m.group(0)}"
        for m in re.finditer(r"/events/(\d+)/", body)
        if int(m.group(1)) in u.event_ids
    ]
    return leaks + [f"actor link {slug}" for slug in u.actor_slugs if f"/actors/{slug}/" in body]


def _csv_leaks(body: str, u: Unreviewed) -> list[str]:
    leaks = _text_leaks(body, u)
    names = u.names()
    for row in csv.DictReader(io.StringIO(body.lstrip("\ufeff"))):
        for column, value in row.items():
            if value in names or (column == "id" and value.isdigit() and int(value) in u.event_ids):
                leaks.append(f"csv {column} = {value!r}")
            for part in (value or "").split(";"):
                if part.strip() in names:
                    leaks.append(f"csv {column} has {part.strip()!r}")
    return leaks


def _api_pages(client: Client, url: str) -> list[Any]:
    pages = []
    while url:
        response = client.get(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, (url, response.status_code)
        data = response.json()
        pages.append(data)
        url = data.get("next") if isinstance(data, dict) else None
    return pages


@pytest.fixture
def demo() -> Negotiation:
    call_command("load_demo", verbosity=0)
    return Negotiation.objects.get(slug="israel-hamas-ceasefire-talks")


def test_public_surfaces_show_no_candidate_after_load_demo(demo: Negotiation):
    u = Unreviewed.collect()
    # The demo's extractor run leaves candidates of every kind to be hidden.
    assert u.event_ids and u.issue_slugs and u.actor_slugs and u.position_stances
    client = Client()
    slug = demo.slug
    leaks: dict[str, list[str]] = {}

    def page(url: str) -> str:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = response.getvalue().decode()
        found = _html_leaks(body, u)
        if found:
            leaks[url] = found
        return body

    timeline_page = page(f"/n/{slug}/")
    page("/")
    page(f"/n/{slug}/where-things-stand/")
    # Every filter the page offers, one at a time.
    parser = _Links()
    parser.feed(timeline_page)
    options = re.findall(r'name="(party|kind|issue)"[^>]*value="([^"]+)"', timeline_page)
    options += [
        ("issue", v)
        for v in re.findall(r'<option value="([^"]+)"', timeline_page)
        if v not in {o[1] for o in options}
    ]
    assert options
    for name, value in options:
        page(f"/n/{slug}/?{name}={value}")
    for event_id in Event.objects.published().values_list("id", flat=True):
        page(f"/n/{slug}/events/{event_id}/")
    for sequence in Round.objects.filter(negotiation=demo).values_list("sequence", flat=True):
        page(f"/n/{slug}/rounds/{sequence}/")
    for actor_slug in Actor.objects.published().values_list("slug", flat=True):
        page(f"/actors/{actor_slug}/")
    for article_id in Article.objects.values_list("id", flat=True):
        response = client.get(f"/sources/{article_id}/")
        if response.status_code == 200:
            found = _html_leaks(response.getvalue().decode(), u)
            if found:
                leaks[f"/sources/{article_id}/"] = found
    # Candidate pages themselves answer 404.
    for event_id in sorted(u.event_ids)[:5]:
        assert client.get(f"/n/{slug}/events/{event_id}/").status_code == 404
    for actor_slug in u.actor_slugs:
        assert client.get(f"/actors/{actor_slug}/").status_code == 404

    for fmt in ("json", "timelinejs"):
        url = f"/api/v1/negotiations/{slug}/export/{fmt}/"
        found = _json_leaks(json.loads(client.get(url).getvalue()), u)
        if found:
            leaks[url] = found
    for fmt in ("ics", "atom"):
        url = f"/api/v1/negotiations/{slug}/export/{fmt}/"
        found = _text_leaks(client.get(url).getvalue().decode(), u)
        if found:
            leaks[url] = found
    url = f"/api/v1/negotiations/{slug}/export/csv/"
    found = _csv_leaks(client.get(url).getvalue().decode("utf-8-sig"), u)
    if found:
        leaks[url] = found

    lists = [
        "/api/v1/negotiations/",
        f"/api/v1/negotiations/{slug}/",
        f"/api/v1/negotiations/{slug}/timeline/",
        "/api/v1/events/",
        "/api/v1/rounds/",
        "/api/v1/actors/",
        "/api/v1/issues/",
        "/api/v1/articles/",
        "/api/v1/citations/",
    ]
    for url in lists:
        for data in _api_pages(client, url):
            found = _json_leaks(data, u)
            if found:
                leaks[url] = found
    assert leaks == {}
