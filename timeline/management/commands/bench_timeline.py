"""``manage.py bench_timeline``: how long the timeline page takes with 500 events.

Builds a scratch negotiation inside a transaction that is rolled back (nothing is left in the
database), renders the timeline page through the view several times, and prints the median
time and query count next to a baseline: the same page for a negotiation with no events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from timeline import models as m
from timeline.views import negotiation_timeline_view

PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
KINDS = [k for k, _label in m.EventKind.choices]


def build_bench_timeline(slug: str, events: int) -> m.Negotiation:
    """A negotiation with ``events`` published events, each with 1-3 participants and two
    citations (one disputing), spread over rounds and weeks; bulk inserts, so it is quick."""
    tag = hashlib.sha256(slug.encode()).hexdigest()[:8]
    negotiation = m.Negotiation.objects.create(
        title=f"Benchmark talks {tag}", slug=slug, kind=m.NegotiationKind.TRADE
    )
    actors = [
        m.Actor.objects.create(
            kind=m.ActorKind.STATE, name=f"Side {i} {tag}", slug=f"side-{i}-{tag}"
        )
        for i in range(4)
    ]
    m.Participation.objects.bulk_create(
        m.Participation(negotiation=negotiation, actor=a, role=m.ParticipationRole.PARTY)
        for a in actors
    )
    place = m.Place.objects.create(name=f"Geneva {tag}", slug=f"geneva-{tag}")
    rounds = [
        m.Round.objects.create(negotiation=negotiation, sequence=i + 1, venue=place)
        for i in range(5)
    ]
    issue = m.Issue.objects.create(negotiation=negotiation, title="Tariffs", slug=f"tariffs-{tag}")
    outlet = m.Outlet.objects.create(name=f"Wire {tag}", slug=f"wire-{tag}")
    published = timezone.make_aware(dt.datetime(2024, 1, 1, 9))
    articles = m.Article.objects.bulk_create(
        m.Article(
            url=f"https://news.example/{tag}/{i}",
            canonical_url=f"https://news.example/{tag}/{i}",
            outlet=outlet,
            title=f"Report {i} on the talks",
            published_at=published + dt.timedelta(days=i),
            text=f'Report {i}. "The talks went on," an official said. Others disagreed.',
            content_hash=hashlib.sha256(f"{tag}-{i}".encode()).hexdigest(),
        )
        for i in range(max(1, events // 10))
    )
    start = dt.date(2024, 1, 1)
    rows = m.Event.objects.bulk_create(
        m.Event(
            negotiation=negotiation,
            kind=KINDS[i % len(KINDS)],
            summary=f"Event {i}: delegations exchanged proposals on tariffs.",
            date=start + dt.timedelta(days=i // 2),
            date_precision=m.DatePrecision.DAY if i % 5 else m.DatePrecision.WEEK,
            date_text="on Monday",
            place=place,
            round=rounds[(i // 40) % len(rounds)] if (i // 20) % 2 else None,
            issue=issue,
            status=m.ReviewStatus.PUBLISHED,
        )
        for i in range(events)
    )
    m.EventParticipant.objects.bulk_create(
        m.EventParticipant(event=e, actor=a)
        for i, e in enumerate(rows)
        for a in actors[: 1 + i % 3]
    )
    citations = []
    for i, event in enumerate(rows):
        article = articles[i % len(articles)]
        first = article.text.index(".") + 1
        citations.append(
            m.Citation(
                event=event,
                article=article,
                quote=article.text[:first],
                start=0,
                end=first,
                attribution=m.AttributionType.OUTLET,
            )
        )
        quote = '"The talks went on,"'
        begin = article.text.index(quote)
        citations.append(
            m.Citation(
                event=event,
                article=article,
                quote=quote,
                start=begin,
                end=begin + len(quote),
                speaker_description="an official",
                attribution=m.AttributionType.ANONYMOUS_OFFICIAL,
                stance=m.CitationStance.DISPUTES if i % 7 == 0 else m.CitationStance.SUPPORTS,
            )
        )
    m.Citation.objects.bulk_create(citations)
    return negotiation


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the timeline page with N events (default 500) against an empty one; rolled back."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--events", type=int, default=500)
        parser.add_argument("--runs", type=int, default=7)

    def handle(self, *args, **options) -> None:
        if options["events"] < 1 or options["runs"] < 1:
            raise CommandError("--events and --runs must be at least 1.")
        try:
            # The kept-page cache off: this measures building the page (bench/reader_page.py
            # measures repeat views, cold and warm).
            with (
                transaction.atomic(),
                override_settings(STORAGES=PLAIN_STATIC, READER_PAGE_CACHE_SECONDS=0),
            ):
                build_bench_timeline("bench-empty", 0)
                build_bench_timeline("bench-full", options["events"])
                baseline = self.measure("bench-empty", options["runs"])
                full = self.measure("bench-full", options["runs"])
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write(
            f"empty timeline: {baseline[0]:.1f} ms median, {baseline[1]} queries\n"
            f"{options['events']} events: {full[0]:.1f} ms median "
            f"(min {full[2]:.1f}, max {full[3]:.1f}), {full[1]} queries, "
            f"{full[4] // 1024} KiB of HTML\n"
            f"difference: {full[0] - baseline[0]:.1f} ms"
        )

    def measure(self, slug: str, runs: int) -> tuple[float, int, float, float, int]:
        factory = RequestFactory()
        negotiation_timeline_view(factory.get(f"/n/{slug}/"), slug=slug)  # warm caches
        times = []
        queries = 0
        size = 0
        for _ in range(runs):
            request = factory.get(f"/n/{slug}/")
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = negotiation_timeline_view(request, slug=slug)
                times.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                raise CommandError(f"The timeline answered {response.status_code}.")
            queries = len(captured.captured_queries)
            size = len(response.content)
        return statistics.median(times), queries, min(times), max(times), size
