"""Feeds: parse bytes we fetched ourselves, queue new entries, back off from failing feeds.

feedparser is only ever given bytes: handed a URL it would fetch by itself, past the SSRF
guard and the byte cap.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from timeline.models import Article, Feed, Ingestion

from . import errors, safe_fetch
from .errors import Stop
from .extract_text import squash
from .urls import url_normalize

logger = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.1"
)
MAX_BACKOFF = timedelta(hours=24)
MAX_ENTRIES_PER_POLL = 200


@dataclass(frozen=True)
class FeedEntry:
    title: str
    link: str
    published: datetime | None = None


@dataclass
class ParsedFeed:
    title: str
    version: str
    entries: list[FeedEntry]
    wellformed: bool
    problem: str = ""  # feedparser's complaint about ill-formed markup, if any


@dataclass
class PollResult:
    queued: int = 0
    entries: int = 0
    not_modified: bool = False
    error: str = ""
    ingestion_ids: list[int] = field(default_factory=list)
    parsed: ParsedFeed | None = None


def parse_feed(content: bytes, *, base_url: str = "", content_type: str = "") -> ParsedFeed:
    """Parse RSS 0.9x/1.0/2.0 or Atom. Raises ``Stop(feed_unparsable)`` for what is no feed.

    Ill-formed feeds that feedparser's lenient parser still reads are accepted (flagged in
    ``problem``): a truncated feed with eight good items is worth eight articles.
    """
    import feedparser

    if not content.strip():
        raise Stop(errors.FEED_UNPARSABLE, "The feed is empty.")
    headers = {"content-type": content_type or "application/xml"}
    if base_url:
        # Lets feedparser resolve relative links against the feed's own address.
        headers["content-location"] = base_url
    parsed = feedparser.parse(content, response_headers=headers)
    problem = ""
    if parsed.get("bozo"):
        problem = f"{type(parsed.get('bozo_exception')).__name__}: {parsed.get('bozo_exception')}"
    version = parsed.get("version") or ""
    entries: list[FeedEntry] = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link:
            link = next((lk.get("href", "") for lk in entry.get("links", []) if lk.get("href")), "")
        if link and base_url:
            link = urljoin(base_url, link)
        # Asking for a missing published_parsed makes feedparser warn and fall back anyway.
        key = "published_parsed" if "published" in entry else "updated_parsed"
        stamp = entry.get(key)
        published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
        entries.append(FeedEntry(squash(entry.get("title") or ""), link, published))
    if not entries and not version:
        raise Stop(
            errors.FEED_UNPARSABLE, f"Not a feed: {problem or 'no RSS or Atom markup found'}."
        )
    return ParsedFeed(
        title=squash(parsed.feed.get("title") or ""),
        version=version,
        entries=entries,
        wellformed=not parsed.get("bozo"),
        problem=problem,
    )


def next_poll_after_failure(feed: Feed, failures: int) -> datetime:
    """Double the interval per consecutive failure, up to a day: a dead feed costs little."""
    delay = timedelta(minutes=feed.poll_interval_minutes) * (2 ** min(failures, 10))
    return timezone.now() + min(delay, MAX_BACKOFF)


def feeds_claim_due(now: datetime | None = None) -> list[int]:
    """Ids of active feeds due for a poll, each claimed by moving its ``next_poll_at``.

    The conditional update makes two overlapping beat ticks (or two beat processes) queue a
    feed once.
    """
    now = now or timezone.now()
    due = Feed.objects.filter(active=True).filter(
        Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
    )
    claimed: list[int] = []
    for feed_id, seen, interval in due.values_list("pk", "next_poll_at", "poll_interval_minutes"):
        condition = Q(next_poll_at__isnull=True) if seen is None else Q(next_poll_at=seen)
        if Feed.objects.filter(condition, pk=feed_id).update(
            next_poll_at=now + timedelta(minutes=interval)
        ):
            claimed.append(feed_id)
    return claimed


def _record_failure(feed: Feed, reason: str) -> None:
    failures = feed.consecutive_failures + 1
    Feed.objects.filter(pk=feed.pk).update(
        consecutive_failures=failures,
        last_error=reason[:2000],
        last_polled_at=timezone.now(),
        next_poll_at=next_poll_after_failure(feed, failures),
    )
    feed.consecutive_failures = failures
    feed.last_error = reason


def _known(normalized: list[str]) -> set[str]:
    """Which of these URLs already have an article or a job that did not fail (two queries)."""
    by_article = Article.objects.filter(canonical_url__in=normalized).values_list(
        "canonical_url", flat=True
    )
    by_job = (
        Ingestion.objects.filter(normalized_url__in=normalized)
        .exclude(status=Ingestion.Status.FAILED)
        .values_list("normalized_url", flat=True)
    )
    return {url for url in by_article if url} | set(by_job)


def feed_queue_entries(feed: Feed, parsed: ParsedFeed) -> list[Ingestion]:
    """A pending ingestion per entry whose link is new; links seen before are skipped.

    The feed's row is locked while its links are checked and queued: two workers polling one
    feed at once (an editor's "poll now" during a scheduled poll) would otherwise both find
    an entry new and queue it twice. The second waits, then finds the first one's jobs.
    """
    with transaction.atomic():
        Feed.objects.select_for_update().filter(pk=feed.pk).values_list("pk").first()
        return _queue_new_links(feed, parsed)


def _queue_new_links(feed: Feed, parsed: ParsedFeed) -> list[Ingestion]:
    from timeline.services.ingestion import ingestion_submit_url

    links: dict[str, str] = {}  # normalised -> as given, first occurrence wins
    for entry in parsed.entries[:MAX_ENTRIES_PER_POLL]:
        if not entry.link:
            continue
        try:
            links.setdefault(url_normalize(entry.link), entry.link)
        except Stop:
            continue
    known = _known(list(links))
    return [
        ingestion_submit_url(
            link, negotiation=feed.negotiation, feed=feed, source=Ingestion.Source.FEED
        )
        for normalized, link in links.items()
        if normalized not in known
    ]


def feed_poll(feed: Feed) -> PollResult:
    """One conditional GET of ``feed``; new entries become pending ingestions."""
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        response = safe_fetch.fetch(feed.url, extra_headers=headers, accept=FEED_ACCEPT)
        if response.not_modified:
            Feed.objects.filter(pk=feed.pk).update(
                consecutive_failures=0,
                last_error="",
                last_polled_at=timezone.now(),
                next_poll_at=timezone.now() + timedelta(minutes=feed.poll_interval_minutes),
            )
            return PollResult(not_modified=True)
        parsed = parse_feed(
            response.content, base_url=response.final_url, content_type=response.content_type
        )
    except Stop as stop:
        _record_failure(feed, f"{stop.reason_code}: {stop.message}")
        logger.info("Feed %s failed (%s): %s", feed.pk, stop.reason_code, stop.message)
        return PollResult(error=stop.reason_code)
    queued = feed_queue_entries(feed, parsed)
    updates = {
        "etag": (response.headers.get("etag") or "")[:300],
        "last_modified": (response.headers.get("last-modified") or "")[:100],
        "consecutive_failures": 0,
        "last_error": parsed.problem[:2000],
        "last_polled_at": timezone.now(),
        "next_poll_at": timezone.now() + timedelta(minutes=feed.poll_interval_minutes),
    }
    if not feed.title and parsed.title:
        updates["title"] = parsed.title[:300]
    Feed.objects.filter(pk=feed.pk).update(**updates)
    return PollResult(
        queued=len(queued),
        entries=len(parsed.entries),
        ingestion_ids=[i.pk for i in queued],
        parsed=parsed,
    )
