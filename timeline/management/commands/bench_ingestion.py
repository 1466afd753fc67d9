"""Throughput of the whole ingestion pipeline next to trafilatura alone, on the same pages.

Serves the corpus pages from a local HTTP server on 127.0.0.1 (a separate process, as a web
server is: its CPU time is not the pipeline's), then, in the same run:
  * trafilatura alone: ``bare_extraction`` on the page bytes already in memory;
  * the pipeline: submit the URL, claim, fetch through the SSRF guard, extract and clean,
    dedupe (hash + MinHash), persist, for every page.
The two are interleaved page by page, taking turns at going first, so a shared machine's
load (and a warm CPU cache) falls on both alike; the ratio is taken per round and its median
reported with the load average. Each pipeline round runs inside a transaction that is rolled
back, so the benchmark leaves no articles behind and every round does the same work. That
costs the pipeline a savepoint pair around its article INSERT that a worker in autocommit does
not pay, and saves it the hand-off to extraction (an on-commit publish that never fires).
Before each round the tables the pipeline writes are vacuumed (PostgreSQL): a rolled-back
round leaves its rows behind as dead tuples, which autovacuum clears on a live server but
which would otherwise pile up, round after round and run after run, in every lookup's way. The local server is reachable only
because this command adds 127.0.0.1/32 to the fetcher's allow-list for its own process.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import statistics
import time
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.process import BaseProcess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from timeline.ingestion.pipeline import Outcome, ingestion_process
from timeline.models import Article, Ingestion, Outlet
from timeline.services import ingestion_submit_url

DEFAULT_CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus" / "html"


class _Quiet(SimpleHTTPRequestHandler):
    # Keep-alive, as any real web server does; HTTP/1.0 would add a connection per page.
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as nginx and Apache set on kept-alive connections: otherwise Nagle holds
    # back the body behind the headers until the client's delayed ACK, a stall of
    # milliseconds per page that belongs to this toy server, not to the fetcher.
    disable_nagle_algorithm = True

    def log_message(self, *args) -> None:
        pass


def _serve(folder: str, ports: multiprocessing.Queue) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=folder))
    ports.put(server.server_address[1])
    server.serve_forever()


def _start_server(folder: Path) -> tuple[BaseProcess, int]:
    # Forked: the child inherits this process's database sockets but never touches them, and
    # it dies by SIGTERM, which runs no finaliser that could write to them.
    context = multiprocessing.get_context("fork")
    ports: multiprocessing.Queue = context.Queue()
    process = context.Process(target=_serve, args=(str(folder), ports), daemon=True)
    process.start()
    try:
        return process, ports.get(timeout=10)
    except queue.Empty:
        process.terminate()
        raise CommandError("The local HTTP server did not start within 10 s.") from None


class _Rollback(Exception):
    pass


@dataclass
class _Round:
    alone: float = 0.0
    pipeline: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)


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
            "--rounds", type=int, default=5, help="Timed rounds of each (default 5)."
        )

    def handle(self, *args, corpus: str, rounds: int, **options) -> None:
        folder = Path(corpus) if corpus else DEFAULT_CORPUS
        pages = sorted(p for p in folder.glob("*.html"))
        if not pages:
            raise CommandError(f"No .html pages in {folder} (set --corpus or TRACKER_CORPUS_DIR).")
        contents = {p.name: p.read_bytes() for p in pages}
        server, port = _start_server(folder)
        base = f"http://127.0.0.1:{port}"
        settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = [
            *settings.INGESTION_ALLOWED_PRIVATE_NETWORKS,
            "127.0.0.1/32",
        ]
        load_before = os.getloadavg()
        try:
            # Warm-up: imports (datasketch, numpy, dateparser) and lazily built caches.
            self._round(base, dict(list(contents.items())[:2]))
            rounds_run = [self._round(base, contents) for _ in range(max(1, rounds))]
        finally:
            server.terminate()
            server.join(10)
        load_after = os.getloadavg()
        n = len(pages)
        alone_rate = n / statistics.median(r.alone for r in rounds_run)
        full_rate = n / statistics.median(r.pipeline for r in rounds_run)
        ratios = [r.alone / r.pipeline for r in rounds_run]
        ratio = statistics.median(ratios)
        last = rounds_run[-1]
        megabytes = sum(len(c) for c in contents.values()) / 1e6
        self.stdout.write(f"{n} pages, {megabytes:.1f} MB, median of {len(rounds_run)} rounds")
        self.stdout.write(
            f"  load average       {load_before[0]:.2f} before, {load_after[0]:.2f} after "
            f"({os.cpu_count()} CPUs)"
        )
        self.stdout.write(f"  trafilatura alone  {alone_rate:7.1f} articles/s")
        self.stdout.write(
            f"  whole pipeline     {full_rate:7.1f} articles/s  (outcomes: {last.outcomes})"
        )
        steps = ", ".join(
            f"{name} {1000 * seconds / n:.1f}" for name, seconds in last.steps.items()
        )
        self.stdout.write(f"  pipeline steps     ms per page: {steps}")
        per_round = ", ".join(f"{r:.0%}" for r in ratios)
        verdict = "meets" if ratio >= 0.6 else "misses"
        self.stdout.write(
            f"  ratio              {ratio:7.0%}  median of rounds ({per_round}); "
            f"{verdict} the 60% target"
        )

    @staticmethod
    def _alone(content: bytes) -> float:
        import trafilatura

        started = time.perf_counter()
        trafilatura.bare_extraction(content, with_metadata=True, include_comments=False)
        return time.perf_counter() - started

    @staticmethod
    def _pipeline(url: str) -> tuple[Ingestion, Outcome | None, float]:
        started = time.perf_counter()
        ingestion = ingestion_submit_url(url, enqueue=False)
        outcome = ingestion_process(ingestion.pk)
        return ingestion, outcome, time.perf_counter() - started

    @staticmethod
    def _vacuum() -> None:
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return  # VACUUM runs only outside a transaction (a test wraps the command in one)
        tables = ", ".join(
            connection.ops.quote_name(model._meta.db_table)
            for model in (Ingestion, Article, Outlet)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {tables}")

    def _round(self, base: str, contents: dict[str, bytes]) -> _Round:
        """Each page goes through trafilatura alone and through the pipeline, back to back,
        so both see the same load on a shared machine. The pipeline's rows are rolled back."""
        self._vacuum()
        result = _Round()
        urls = []
        try:
            with transaction.atomic():
                for index, (name, content) in enumerate(contents.items()):
                    url = f"{base}/{name}"
                    urls.append(url)
                    # Taking turns at going first: the second to parse a page finds it in a
                    # warm cache, and that advantage must not always go to the same side.
                    if index % 2:
                        ingestion, outcome, elapsed = self._pipeline(url)
                        result.alone += self._alone(content)
                    else:
                        result.alone += self._alone(content)
                        ingestion, outcome, elapsed = self._pipeline(url)
                    result.pipeline += elapsed

                    status = str(outcome.status) if outcome else "unclaimed"
                    result.outcomes[status] = result.outcomes.get(status, 0) + 1
                    ingestion.refresh_from_db(fields=["timings"])
                    for step, seconds in ingestion.timings.items():
                        result.steps[step] = result.steps.get(step, 0.0) + seconds
                raise _Rollback
        except _Rollback:
            pass
        if Ingestion.objects.filter(normalized_url__in=urls).exists():
            raise CommandError("The benchmark's jobs were not rolled back; check the database.")
        return result
