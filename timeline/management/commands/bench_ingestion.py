"""Throughput of the whole ingestion pipeline next to trafilatura alone, on the same pages.

Serves the corpus pages from a local HTTP server on 127.0.0.1, then, in the same run:
  * trafilatura alone: ``bare_extraction`` on the page bytes already in memory;
  * the pipeline: submit the URL, claim, fetch through the SSRF guard, extract and clean,
    dedupe (hash + MinHash), persist, for every page.
Each pipeline round runs inside a transaction that is rolled back, so the benchmark leaves
no articles behind and every round does the same work. The local server is reachable only
because this command adds 127.0.0.1/32 to the fetcher's allow-list for its own process.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from timeline.ingestion.pipeline import ingestion_process
from timeline.models import Ingestion
from timeline.services import ingestion_submit_url

DEFAULT_CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus" / "html"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Articles per second: the full ingestion pipeline vs trafilatura alone (target >= 60%)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--corpus",
            default=os.environ.get("TRACKER_CORPUS_DIR", "")
            and str(Path(os.environ["TRACKER_CORPUS_DIR"]) / "html"),
            help=f"Folder of .html pages (default: {DEFAULT_CORPUS}).",
        )
        parser.add_argument(
            "--rounds", type=int, default=3, help="Timed rounds of each (default 3)."
        )

    def handle(self, *args, corpus: str, rounds: int, **options) -> None:
        folder = Path(corpus) if corpus else DEFAULT_CORPUS
        pages = sorted(p for p in folder.glob("*.html"))
        if not pages:
            raise CommandError(f"No .html pages in {folder} (set --corpus or TRACKER_CORPUS_DIR).")
        contents = {p.name: p.read_bytes() for p in pages}
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = [
            *settings.INGESTION_ALLOWED_PRIVATE_NETWORKS,
            "127.0.0.1/32",
        ]
        try:
            # Warm-up: imports (datasketch, numpy, dateparser) and lazily built caches.
            self._trafilatura(dict(list(contents.items())[:2]))
            self._pipeline([f"{base}/{name}" for name in list(contents)[:2]])
            alone: list[float] = []
            full: list[float] = []
            outcomes: dict[str, int] = {}
            for _ in range(max(1, rounds)):
                alone.append(self._trafilatura(contents))
                seconds, outcomes = self._pipeline([f"{base}/{name}" for name in contents])
                full.append(seconds)
        finally:
            server.shutdown()
            server.server_close()
        n = len(pages)
        alone_rate = n / statistics.median(alone)
        full_rate = n / statistics.median(full)
        ratio = full_rate / alone_rate
        self.stdout.write(
            f"{n} pages, {sum(len(c) for c in contents.values()) / 1e6:.1f} MB, median of {len(full)} rounds"
        )
        self.stdout.write(f"  trafilatura alone  {alone_rate:7.1f} articles/s")
        self.stdout.write(
            f"  whole pipeline     {full_rate:7.1f} articles/s  (outcomes: {outcomes})"
        )
        verdict = "meets" if ratio >= 0.6 else "misses"
        self.stdout.write(f"  ratio              {ratio:7.0%}  ({verdict} the 60% target)")

    def _trafilatura(self, contents: dict[str, bytes]) -> float:
        import trafilatura

        started = time.perf_counter()
        for content in contents.values():
            trafilatura.bare_extraction(content, with_metadata=True, include_comments=False)
        return time.perf_counter() - started

    def _pipeline(self, urls: list[str]) -> tuple[float, dict[str, int]]:
        outcomes: dict[str, int] = {}
        started = time.perf_counter()
        try:
            with transaction.atomic():
                for url in urls:
                    ingestion = ingestion_submit_url(url, enqueue=False)
                    outcome = ingestion_process(ingestion.pk)
                    status = str(outcome.status) if outcome else "unclaimed"
                    outcomes[status] = outcomes.get(status, 0) + 1
                elapsed = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass
        if Ingestion.objects.filter(normalized_url__in=urls).exists():
            raise CommandError("The benchmark's jobs were not rolled back; check the database.")
        return elapsed, outcomes
