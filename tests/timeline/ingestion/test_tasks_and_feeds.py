"""Tasks (eager and through a real worker), feed polling, the reconciler."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import wait_for
from tests.factories import ArticleFactory, FeedFactory, IngestionFactory, NegotiationFactory
from timeline import tasks
from timeline.ingestion.feeds import feed_poll, feeds_claim_due
from timeline.models import Article, Citation, Event, Feed, Ingestion, ReviewStatus
from timeline.services import (
    DomainError,
    feed_register,
    ingestion_submit_text,
    ingestion_submit_url,
)

Status = Ingestion.Status


def _age(ingestion: Ingestion, seconds: int) -> None:
    Ingestion.objects.filter(pk=ingestion.pk).update(
        updated_at=timezone.now() - timedelta(seconds=seconds)
    )


@pytest.mark.django_db
def test_ingestion_run_returns_quietly_for_a_missing_job(eager_celery):
    assert tasks.ingestion_run.delay(424242).get() is None


@pytest.mark.django_db
def test_ingestion_run_ends_a_transient_failure_with_its_reason_without_a_broker(
    eager_celery, local_server
):
    # Issue 18.5: it used to say "Retrying in 19 s" and stay pending for good, since nothing
    # comes back for a pending job without a broker.
    ingestion = ingestion_submit_url(local_server.url("status/502"))

    assert tasks.ingestion_run.delay(ingestion.pk).get() == Status.FAILED

    ingestion.refresh_from_db()
    assert (ingestion.status, ingestion.reason_code, ingestion.attempts) == (
        Status.FAILED,
        "http_5xx",
        1,
    )
    assert ingestion.finished_at is not None
    assert "Retrying in" not in ingestion.message
    assert "Not retried" in ingestion.message and "502" in ingestion.message


@pytest.mark.django_db
def test_reconciler_requeues_a_stuck_job(
    eager_celery, corpus_server, settings, django_capture_on_commit_callbacks
):
    ingestion = IngestionFactory(
        url=corpus_server.url("html/056-space.com.html"), status=Status.FETCHING, attempts=1
    )
    _age(ingestion, settings.INGESTION_STUCK_AFTER_SECONDS + 5)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = tasks.ingestions_reconcile.delay().get()

    ingestion.refresh_from_db()
    assert requeued == 1
    assert (ingestion.status, ingestion.attempts) == (Status.DONE, 2)
    assert ingestion.article.title == "NASA Receives $18 Billion in Omnibus Spending Bill"


@pytest.mark.django_db
def test_reconciler_fails_a_stuck_job_out_of_attempts(eager_celery, settings):
    ingestion = IngestionFactory(status=Status.EXTRACTING, attempts=settings.INGESTION_MAX_ATTEMPTS)
    _age(ingestion, settings.INGESTION_STUCK_AFTER_SECONDS + 5)

    tasks.ingestions_reconcile.delay()

    ingestion.refresh_from_db()
    assert (ingestion.status, ingestion.reason_code) == (Status.FAILED, "stuck")


@pytest.mark.django_db
def test_reconciler_leaves_recent_and_finished_jobs_alone(eager_celery):
    busy = IngestionFactory(status=Status.FETCHING, attempts=1)
    done = IngestionFactory(status=Status.FAILED, attempts=1)
    _age(done, 10**6)

    requeued = tasks.ingestions_reconcile.delay().get()

    assert requeued == 0
    assert list(Ingestion.objects.order_by("pk").values_list("status", flat=True)) == [
        Status.FETCHING,
        Status.FAILED,
    ]
    assert busy.pk < done.pk


@pytest.mark.django_db
def test_feeds_poll_due_polls_each_due_feed_once(eager_celery, corpus_server):
    due = FeedFactory(url=corpus_server.url("feeds/025-rss_2.0_bbc.xml"))
    FeedFactory(
        url=corpus_server.url("feeds/026-rss_2.0_nbcny.xml"),
        next_poll_at=timezone.now() + timedelta(hours=1),
    )
    FeedFactory(url=corpus_server.url("feeds/027-rss_2.0_spiegel.xml"), active=False)

    first = tasks.feeds_poll_due.delay().get()
    second = tasks.feeds_poll_due.delay().get()

    due.refresh_from_db()
    assert (first, second) == (1, 0)
    assert list(Ingestion.objects.values_list("feed_id", "source")) == [
        (due.pk, Ingestion.Source.FEED)
    ]
    assert due.next_poll_at > timezone.now() + timedelta(minutes=due.poll_interval_minutes - 1)
    assert due.last_polled_at is not None


@pytest.mark.django_db
def test_feeds_claim_due_claims_a_feed_once():
    FeedFactory()

    assert (len(feeds_claim_due()), len(feeds_claim_due())) == (1, 0)


@pytest.mark.django_db
def test_feed_poll_uses_conditional_requests(corpus_server):
    feed = FeedFactory(url=corpus_server.url("conditional/025-rss_2.0_bbc.xml"))

    first = feed_poll(feed)
    feed.refresh_from_db()
    second = feed_poll(feed)

    assert (first.entries, first.queued, first.not_modified) == (1, 1, False)
    assert feed.etag == '"v1-025-rss_2.0_bbc.xml"'
    assert feed.last_modified == "Wed, 25 Nov 2026 10:00:00 GMT"
    assert (
        corpus_server.request_headers["/conditional/025-rss_2.0_bbc.xml"]["if-none-match"]
        == feed.etag
    )
    assert (second.not_modified, second.queued) == (True, 0)
    assert Ingestion.objects.count() == 1


@pytest.mark.django_db
def test_feed_poll_does_not_queue_known_entries_twice(corpus_server):
    feed = FeedFactory(url=corpus_server.url("feeds/030-rss_2.0_relurl_1.xml"))

    first, second = feed_poll(feed), feed_poll(feed)

    assert (first.queued, second.queued, second.entries) == (2, 0, 2)


@pytest.mark.django_db
def test_feed_poll_backs_off_a_failing_feed_and_recovers(corpus_server):
    feed = FeedFactory(url=corpus_server.url("status/500"), poll_interval_minutes=10)

    feed_poll(feed)
    feed.refresh_from_db()
    after_one = feed.next_poll_at - timezone.now()
    feed_poll(feed)
    feed.refresh_from_db()
    after_two = feed.next_poll_at - timezone.now()

    assert feed.consecutive_failures == 2
    assert feed.last_error.startswith("http_5xx")
    assert timedelta(minutes=19) < after_one <= timedelta(minutes=20)
    assert timedelta(minutes=39) < after_two <= timedelta(minutes=40)

    Feed.objects.filter(pk=feed.pk).update(url=corpus_server.url("feeds/025-rss_2.0_bbc.xml"))
    feed.refresh_from_db()
    feed_poll(feed)
    feed.refresh_from_db()
    assert (feed.consecutive_failures, feed.last_error) == (0, "")


@pytest.mark.django_db
def test_feed_poll_records_why_a_document_is_not_a_feed(corpus_server):
    feed = FeedFactory(url=corpus_server.url("html/010-bbc.com.html"))

    result = feed_poll(feed)

    feed.refresh_from_db()
    assert result.error == "feed_unparsable"
    assert feed.last_error.startswith("feed_unparsable: Not a feed")


@pytest.mark.django_db
def test_feed_register_polls_a_new_feed_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        feed = feed_register("https://news.example/rss.xml", poll_interval_minutes=15)
    again = feed_register("https://news.example/rss.xml")

    assert again.pk == feed.pk
    assert len(callbacks) == 1
    with pytest.raises(DomainError):
        feed_register("file:///etc/passwd")


@pytest.fixture
def purged_broker(broker_url):
    """Leftover messages from earlier tests would make the worker chase deleted rows."""
    from tracker.celery import app

    app.control.purge()


@pytest.mark.django_db
def test_article_extract_skips_syndicated_copies_and_missing_articles():
    original = ArticleFactory()
    copy = ArticleFactory(syndication_of=original, syndication_similarity=0.9)

    results = (tasks.article_extract(copy.pk), tasks.article_extract(10**9))

    copy.refresh_from_db()
    assert results == (None, None)
    assert copy.analysed_at is None


@pytest.fixture
def fast_retries(monkeypatch):
    """The worker process reads its settings from the environment it is started with."""
    monkeypatch.setenv("INGESTION_RETRY_BASE_SECONDS", "1")


@pytest.mark.worker
def test_worker_retries_a_transient_failure_with_back_off(
    purged_broker, fast_retries, celery_worker_process, local_server
):
    ingestion = ingestion_submit_url(local_server.url("flaky/worker-retry?fail=1"))

    final = wait_for(
        lambda: Ingestion.objects.filter(
            pk=ingestion.pk, status__in=Ingestion.FINAL_STATUSES
        ).first(),
        timeout=60,
    )

    # First attempt got a 503 and was retried by Celery after its countdown; the second worked.
    assert (final.status, final.attempts, final.reason_code) == (Status.DONE, 2, "")
    assert local_server.hits["/flaky/worker-retry"] == 2


@pytest.mark.worker
def test_worker_ingests_a_url_and_pasted_text_end_to_end_through_redis(
    purged_broker, celery_worker_process, corpus_server, gold_dir
):
    negotiation = NegotiationFactory()
    seed = json.loads((gold_dir / "seed-cairo-impasse.json").read_text())

    page = ingestion_submit_url(
        corpus_server.url("html/045-inquirer.com.html"), negotiation=negotiation
    )
    pasted = ingestion_submit_text(seed["text"], negotiation=negotiation)

    finals = wait_for(
        lambda: (
            list(
                Ingestion.objects.filter(
                    pk__in=[page.pk, pasted.pk], status__in=Ingestion.FINAL_STATUSES
                )
            )
            if Ingestion.objects.filter(pk__in=[page.pk, pasted.pk]).unfinished().count() == 0
            else None
        ),
        timeout=60,
    )
    assert sorted((i.source, i.status, i.reason_code, i.attempts) for i in finals) == [
        (Ingestion.Source.TEXT, Status.DONE, "", 1),
        (Ingestion.Source.URL, Status.DONE, "", 1),
    ]
    by_source = {i.source: i for i in finals}
    assert by_source[Ingestion.Source.URL].article.title == (
        "U.S. tells American he cannot sue Egyptian official he blames for his torture"
    )
    seed_article = by_source[Ingestion.Source.TEXT].article
    assert "See also" not in seed_article.text
    # Each article was handed on to extraction, which ran as its own task in the worker and
    # proposed candidates citing the seed report.
    wait_for(
        lambda: (
            Article.objects.filter(
                pk__in=[i.article_id for i in finals], analysed_at__isnull=False
            ).count()
            == 2
        ),
        timeout=90,
    )
    assert Citation.objects.filter(article=seed_article).exists()
    assert Event.objects.filter(
        citations__article=seed_article, status=ReviewStatus.CANDIDATE
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_a_submission_runs_inline_to_candidates(eager_celery, gold_dir):
    # The single-machine install: no Redis, tasks run in-process after the commit.
    seed = json.loads((gold_dir / "seed-cairo-impasse.json").read_text())

    ingestion = ingestion_submit_text(seed["text"], negotiation=NegotiationFactory())

    ingestion.refresh_from_db()
    assert (ingestion.status, ingestion.attempts) == (Status.DONE, 1)
    assert ingestion.article.analysed_at is not None
    assert Event.objects.filter(citations__article=ingestion.article).exists()
