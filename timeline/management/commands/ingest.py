"""Backfill: ``python manage.py ingest PATH_OR_URL...``

Each argument is one of:
  * a URL: fetched once through the SSRF guard; a feed's entries are queued, a page is ingested;
  * a folder: every ``*.html``/``*.htm`` inside is a saved page, every ``*.rss``/``*.atom``/
    ``*.xml`` a feed file;
  * a file: a saved page (``.html``), a feed file (``.rss``/``.atom``/``.xml``), or a list of
    URLs, one a line (``#`` starts a comment).

Jobs run in this process with a progress bar (``--jobs`` threads), or go to the Celery
workers with ``--queue``. Every job is an ``Ingestion`` row, visible in admin either way.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from timeline.ingestion import safe_fetch
from timeline.ingestion.errors import Stop
from timeline.ingestion.feeds import parse_feed
from timeline.ingestion.pipeline import ingestion_process
from timeline.models import Ingestion, Negotiation
from timeline.services import DomainError, ingestion_submit_html, ingestion_submit_url

PAGE_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml", ".rdf"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}
Source = Ingestion.Source


def _looks_like_feed(content: bytes, content_type: str) -> bool:
    if content_type in FEED_TYPES:
        return True
    head = content[:2048].lstrip().lower()
    return any(marker in head for marker in (b"<rss", b"<feed", b"<rdf:rdf"))


class Command(BaseCommand):
    help = "Ingest URLs, files of URLs, folders of saved pages, or feeds, with a summary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sources", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument(
            "--negotiation", help="Slug of the negotiation to propose candidates for."
        )
        parser.add_argument(
            "--queue", action="store_true", help="Hand the jobs to the Celery workers instead."
        )
        parser.add_argument(
            "--jobs", type=int, default=4, help="Threads when running here (default 4)."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, sources: list[str], **options) -> None:
        negotiation = None
        if options["negotiation"]:
            negotiation = Negotiation.objects.filter(slug=options["negotiation"]).first()
            if negotiation is None:
                raise CommandError(f"No negotiation with slug {options['negotiation']!r}.")
        self.negotiation = negotiation
        self.enqueue = options["queue"]
        self.problems: list[str] = []
        started = time.monotonic()
        ids: list[int] = []
        for source in sources:
            ids.extend(self._submit(source))
        if not ids:
            self._summary([], started)
            if self.problems:
                raise CommandError("Nothing was ingested.")
            return
        if not self.enqueue:
            jobs = max(1, options["jobs"])
            if connection.vendor == "sqlite" and jobs > 1:
                # SQLite takes one writer at a time; parallel jobs only wait on its lock.
                jobs = 1
            self._run_here(ids, jobs=jobs, progress=not options["no_progress"])
        self._summary(ids, started)

    # --- turning arguments into jobs -------------------------------------------------------

    def _submit(self, source: str) -> list[int]:
        if source.startswith(("http://", "https://")):
            return self._submit_remote(source)
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            pages = [p for p in files if p.suffix.lower() in PAGE_SUFFIXES]
            feeds = [p for p in files if p.suffix.lower() in FEED_SUFFIXES]
            if not pages and not feeds:
                self.problems.append(f"{source}: no .html or feed files inside")
            return [i for p in pages for i in self._submit_page(p)] + [
                i for p in feeds for i in self._submit_feed_bytes(p.read_bytes(), str(p))
            ]
        if not path.is_file():
            self.problems.append(f"{source}: no such file or folder, and not an http(s) URL")
            return []
        suffix = path.suffix.lower()
        if suffix in PAGE_SUFFIXES:
            return self._submit_page(path)
        if suffix in FEED_SUFFIXES:
            return self._submit_feed_bytes(path.read_bytes(), str(path))
        return self._submit_url_list(path)

    def _url(self, url: str, source: str = Source.BACKFILL) -> list[int]:
        try:
            ingestion = ingestion_submit_url(
                url, negotiation=self.negotiation, source=source, enqueue=self.enqueue
            )
        except DomainError as exc:
            self.problems.append(f"{url}: {exc}")
            return []
        return [ingestion.pk]

    def _submit_url_list(self, path: Path) -> list[int]:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            self.problems.append(f"{path}: not a UTF-8 text file of URLs")
            return []
        urls = [line.split("#", 1)[0].strip() for line in lines]
        return [i for url in urls if url for i in self._url(url)]

    def _html(self, content: bytes, where: str, url: str = "") -> list[int]:
        try:
            ingestion = ingestion_submit_html(
                content,
                url=url,
                negotiation=self.negotiation,
                source=Source.BACKFILL,
                enqueue=self.enqueue,
            )
        except DomainError as exc:
            self.problems.append(f"{where}: {exc}")
            return []
        return [ingestion.pk]

    def _submit_page(self, path: Path) -> list[int]:
        return self._html(path.read_bytes(), str(path))

    def _submit_feed_bytes(self, content: bytes, where: str, base_url: str = "") -> list[int]:
        try:
            parsed = parse_feed(content, base_url=base_url)
        except Stop as exc:
            self.problems.append(f"{where}: {exc.message}")
            return []
        links = [entry.link for entry in parsed.entries if entry.link]
        if not links:
            self.problems.append(f"{where}: a feed with no entry links")
        return [i for link in links for i in self._url(link)]

    def _submit_remote(self, url: str) -> list[int]:
        try:
            fetched = safe_fetch.fetch(url)
        except Stop as exc:
            # Still recorded as a job, so the failure is visible in admin like any other.
            self.problems.append(f"{url}: {exc.message}")
            return self._url(url)
        if _looks_like_feed(fetched.content, fetched.content_type):
            return self._submit_feed_bytes(fetched.content, url, base_url=fetched.final_url)
        # Already fetched: hand the page over instead of fetching it a second time.
        return self._html(fetched.content, url, url=fetched.final_url)

    # --- running and reporting -------------------------------------------------------------

    def _run_here(self, ids: list[int], *, jobs: int, progress: bool) -> None:
        from tqdm import tqdm

        def run_in_thread(ingestion_id: int) -> None:
            try:
                ingestion_process(ingestion_id)
            finally:
                connection.close()  # each thread has its own connection; do not leak it

        with tqdm(total=len(ids), unit="job", disable=not progress, file=sys.stderr) as bar:
            if jobs == 1:
                for ingestion_id in ids:
                    ingestion_process(ingestion_id)
                    bar.update()
            else:
                with ThreadPoolExecutor(max_workers=jobs) as pool:
                    for _ in pool.map(run_in_thread, ids):
                        bar.update()

    def _summary(self, ids: list[int], started: float) -> None:
        elapsed = time.monotonic() - started
        rows = Ingestion.objects.filter(pk__in=ids)
        statuses = Counter(rows.values_list("status", flat=True))
        reasons = Counter(rows.exclude(reason_code="").values_list("reason_code", flat=True))
        self.stdout.write(f"{len(ids)} jobs in {elapsed:.1f} s")
        for status, _label in Ingestion.Status.choices:
            if statuses[status]:
                note = ""
                if status == Ingestion.Status.PENDING and not self.enqueue:
                    note = "  (transient failures: the periodic reconciler re-queues them)"
                self.stdout.write(f"  {status:<10} {statuses[status]}{note}")
        if reasons:
            self.stdout.write(
                "  reasons: " + ", ".join(f"{r} {n}" for r, n in reasons.most_common())
            )
        if self.enqueue:
            self.stdout.write("  queued for the Celery workers; follow them in admin (Ingestions).")
        for problem in self.problems:
            self.stderr.write(f"  skipped: {problem}")
