"""The pipeline end to end without Celery: submit, process, and look at the rows."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading

import pytest
from django.db import connection

from tests.factories import ArticleFactory, IngestionFactory, OutletFactory
from timeline.ingestion import dedupe, errors
from timeline.ingestion.pipeline import ingestion_process, retry_delay
from timeline.models import Article, Ingestion
from timeline.services import (
    DomainError,
    ingestion_retry,
    ingestion_submit_html,
    ingestion_submit_text,
    ingestion_submit_url,
)
from timeline.services.analysis import article_analyse

Status = Ingestion.Status


def _run(ingestion: Ingestion) -> Ingestion:
    ingestion_process(ingestion.pk)
    ingestion.refresh_from_db()
    return ingestion


def _corpus_html(corpus_dir, name: str) -> str:
    return (corpus_dir / "html" / name).read_bytes().decode("utf-8", "replace")


@pytest.mark.django_db
def test_ingestion_submit_url_enqueues_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        ingestion = ingestion_submit_url("https://news.example/a?utm_source=x#top")

    assert ingestion.status == Status.PENDING
    assert ingestion.normalized_url == "https://news.example/a"
    assert len(callbacks) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["ftp://news.example/a", "javascript:alert(1)", ""])
def test_ingestion_submit_url_rejects_junk(url):
    with pytest.raises(DomainError):
        ingestion_submit_url(url)

    assert Ingestion.objects.count() == 0


@pytest.mark.django_db
def test_ingestion_submit_text_rejects_empty_text():
    with pytest.raises(DomainError, match="empty"):
        ingestion_submit_text("   \n ")


@pytest.mark.django_db
def test_pipeline_ingests_a_url_and_records_steps(corpus_server):
    ingestion = ingestion_submit_url(corpus_server.url("html/010-bbc.com.html"))

    ingestion = _run(ingestion)

    assert (ingestion.status, ingestion.reason_code, ingestion.attempts) == (Status.DONE, "", 1)
    assert set(ingestion.timings) == {"preflight", "fetch", "extract", "dedupe", "persist"}
    assert ingestion.started_at <= ingestion.finished_at
    article = ingestion.article
    assert article.title == "New York ramps up mass burials amid virus outbreak"  # its og:title
    assert article.published_on.isoformat() == "2020-04-10"
    assert article.outlet.domain == "127.0.0.1"
    assert article.url == corpus_server.url("html/010-bbc.com.html")
    assert len(bytes(article.minhash)) == 128 * 8


@pytest.mark.django_db
def test_pipeline_runs_a_url_job_in_eight_statements(corpus_server, django_assert_num_queries):
    # claim (+ "already known?"), "extracting", "analysing" (+ the outlet), then in one
    # transaction (here the savepoint this test's transaction needs: SAVEPOINT and RELEASE)
    # the near-duplicate lock, the duplicate lookup, the article INSERT and the job's link to
    # it; then "done".
    outlet = OutletFactory(domain="127.0.0.1")
    ingestion = ingestion_submit_url(corpus_server.url("html/010-bbc.com.html"))

    with django_assert_num_queries(10):
        outcome = ingestion_process(ingestion.pk)

    ingestion.refresh_from_db()
    assert (outcome.status, ingestion.status) == (Status.DONE, Status.DONE)
    assert ingestion.article.outlet_id == outlet.pk


@pytest.mark.django_db
def test_pipeline_creates_the_outlet_of_a_new_site(corpus_server):
    ingestion = _run(ingestion_submit_url(corpus_server.url("html/010-bbc.com.html")))

    again = _run(ingestion_submit_url(corpus_server.url("html/045-inquirer.com.html")))

    assert ingestion.article.outlet.domain == "127.0.0.1"
    assert again.article.outlet_id == ingestion.article.outlet_id


def test_fingerprint_is_stable_across_releases():
    # Stored hashes and signatures are compared with ones computed years later: any change
    # to the normalisation, the shingles or the MinHash parameters must fail here first.
    import numpy as np

    digest, signature = dedupe.fingerprint(
        "Israeli and Hamas negotiators met in Cairo on Sunday, officials said."
    )

    assert digest == "874d402874a7d20c517337f24824a94e71c8fd7427284d2dd0af03a0dece688d"
    assert np.frombuffer(signature, "<u8")[:4].tolist() == [
        642455040,
        127361864,
        38829801,
        422404497,
    ]


@pytest.mark.django_db
def test_find_duplicate_reads_only_signatures_that_share_a_probe_value(corpus_dir):
    import trafilatura

    texts = [
        trafilatura.bare_extraction((corpus_dir / "html" / name).read_bytes()).text
        for name in ("045-inquirer.com.html", "061-yna.co.kr.html")
    ]
    digest, signature = dedupe.fingerprint(texts[0])
    other_digest, other_signature = dedupe.fingerprint(texts[1])
    ArticleFactory(text=texts[1], content_hash=other_digest, minhash=other_signature)
    original = ArticleFactory(text=texts[0], content_hash=digest, minhash=signature)
    copy_digest, copy_signature = dedupe.fingerprint(texts[0] + " Republished with permission.")

    near = dedupe.find_duplicate(canonical_url=None, digest=copy_digest, signature=copy_signature)
    unrelated = dedupe.find_duplicate(
        canonical_url=None, digest="0" * 64, signature=bytes(len(signature))
    )

    assert (near.original.pk, near.similarity >= 0.8) == (original.pk, True)
    assert unrelated is None


@pytest.mark.django_db
def test_pipeline_claims_a_job_once(corpus_server):
    ingestion = ingestion_submit_url(corpus_server.url("html/045-inquirer.com.html"))
    ingestion_process(ingestion.pk)

    second = ingestion_process(ingestion.pk)

    ingestion.refresh_from_db()
    assert second is None
    assert ingestion.attempts == 1
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_pipeline_returns_quietly_for_a_missing_job():
    assert ingestion_process(987654) is None


@pytest.mark.django_db
def test_pipeline_ingests_the_seed_text_to_a_clean_body(gold_dir):
    seed = json.loads((gold_dir / "seed-cairo-impasse.json").read_text())
    ingestion = ingestion_submit_text(seed["text"])

    ingestion = _run(ingestion)

    assert ingestion.status == Status.DONE
    article = ingestion.article
    assert article.title == seed["title"]
    assert article.published_on.isoformat() == seed["published_at"]
    assert article.language == "en"  # pasted text has no <html lang>: told from its words
    body = article.text
    assert body.startswith("The latest round of negotiations between Israel and Hamas")
    assert "See also" not in body
    assert "Westside People" not in body
    assert "Complete News World" not in body
    assert "May 23, 2024" not in body
    assert seed["title"] not in body
    assert "Four weeks of war hurt the Russian economy" not in body
    assert "Roman Abramovich" not in body
    assert "Yevpatoria" not in body
    # Nothing of the report itself was lost: every other paragraph survives, in order.
    paragraphs = [p.strip() for p in seed["text"].split("\n") if len(p.split()) > 12]
    kept = [p for p in paragraphs if not p.startswith("See also")]
    assert [p for p in kept if re.sub(r"\s+", " ", p) not in body] == []


@pytest.mark.django_db
def test_pipeline_keeps_submitted_metadata_for_pasted_text(gold_dir):
    seed = json.loads((gold_dir / "seed-cairo-impasse.json").read_text())
    ingestion = ingestion_submit_text(
        seed["text"],
        title="Talks at a dead end",
        byline="Peter Baker",
        url="https://westside.example/talks",
    )

    article = _run(ingestion).article

    assert (article.title, article.byline) == ("Talks at a dead end", "Peter Baker")
    assert article.canonical_url == "https://westside.example/talks"
    assert article.outlet.domain == "westside.example"


@pytest.mark.django_db
def test_pipeline_ingests_uploaded_html(corpus_dir):
    raw = (corpus_dir / "html" / "061-yna.co.kr.html").read_bytes()

    ingestion = _run(ingestion_submit_html(raw))

    assert ingestion.status == Status.DONE
    assert ingestion.article.title.startswith("N. Korea slams S. Korea for joint military drill")
    assert ingestion.timings["fetch"] < 0.01  # nothing was fetched


@pytest.mark.django_db
def test_pipeline_marks_the_same_url_as_duplicate(corpus_server):
    first = _run(ingestion_submit_url(corpus_server.url("html/049-nypost.com.html")))

    second = _run(
        ingestion_submit_url(corpus_server.url("html/049-nypost.com.html?utm_source=tw#x"))
    )

    assert (second.status, second.reason_code) == (Status.DUPLICATE, "same_url")
    assert second.article_id == first.article_id
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_pipeline_marks_the_same_text_elsewhere_as_duplicate(corpus_server, corpus_dir):
    first = _run(ingestion_submit_url(corpus_server.url("html/052-reuters.com.html")))
    mirror = corpus_server.add_page(
        "mirror/reuters-copy.html", _corpus_html(corpus_dir, "052-reuters.com.html")
    )

    second = _run(ingestion_submit_url(mirror))

    assert (second.status, second.reason_code) == (Status.DUPLICATE, "same_content")
    assert second.article_id == first.article_id


@pytest.mark.django_db
def test_pipeline_keeps_a_near_duplicate_as_a_syndicated_copy(
    corpus_server, corpus_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as original_callbacks:
        first = _run(ingestion_submit_url(corpus_server.url("html/045-inquirer.com.html")))
    # A republisher: the same report with its own chrome, one sentence edited and a line added.
    page = _corpus_html(corpus_dir, "045-inquirer.com.html")
    page = page.replace("<title>", "<title>Republished: ", 1)
    body = first.article.text
    sentence = body.split(". ")[3]
    page = page.replace(
        sentence[:60], "In a statement on Friday, officials said " + sentence[:20], 1
    )
    copy_url = corpus_server.add_page("syndication/copy.html", page)

    with django_capture_on_commit_callbacks() as copy_callbacks:
        copy = _run(ingestion_submit_url(copy_url))

    assert (copy.status, copy.reason_code) == (Status.DUPLICATE, "near_duplicate")
    assert copy.article_id != first.article_id
    assert copy.article.syndication_of_id == first.article_id
    assert 0.8 <= copy.article.syndication_similarity < 1.0
    # Both were handed to analysis (the submit, then the analysis: two callbacks each); the
    # analysis service skips the copy and says so on it.
    assert (len(original_callbacks), len(copy_callbacks)) == (2, 2)
    outcome = article_analyse(copy.article_id)
    copy.article.refresh_from_db()
    assert (outcome.status, copy.article.analysis_status) == ("skipped", "skipped")
    assert copy.article.analysed_at is None


@pytest.mark.django_db
def test_pipeline_keeps_different_reports_apart(corpus_server):
    first = _run(ingestion_submit_url(corpus_server.url("html/045-inquirer.com.html")))

    second = _run(ingestion_submit_url(corpus_server.url("html/061-yna.co.kr.html")))

    assert second.status == Status.DONE
    assert second.article.syndication_of is None
    assert first.article_id != second.article_id


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("status/404", errors.HTTP_CLIENT_ERROR),
        ("binary", errors.BAD_CONTENT_TYPE),
        ("huge?chunks=200", errors.TOO_LARGE),
        ("redirect?to=http://169.254.169.254/latest/meta-data/", errors.BLOCKED_ADDRESS),
        ("echo-host", errors.NOT_AN_ARTICLE),
    ],
)
def test_pipeline_fails_permanent_errors_at_once(local_server, settings, path, reason):
    settings.INGESTION_MAX_BYTES = 100_000
    ingestion = ingestion_submit_url(local_server.url(path))

    ingestion = _run(ingestion)

    assert (ingestion.status, ingestion.reason_code, ingestion.attempts) == (
        Status.FAILED,
        reason,
        1,
    )
    assert ingestion.message
    assert ingestion.finished_at is not None


@pytest.mark.django_db
def test_pipeline_retries_transient_errors_then_succeeds(local_server, settings):
    settings.INGESTION_MAX_ATTEMPTS = 4
    ingestion = ingestion_submit_url(local_server.url("flaky/once-then-twice?fail=2"))

    outcomes = [ingestion_process(ingestion.pk) for _ in range(3)]

    ingestion.refresh_from_db()
    assert [o.status for o in outcomes] == [Status.PENDING, Status.PENDING, Status.DONE]
    assert all(o.retry_in > 0 for o in outcomes[:2])
    assert (ingestion.status, ingestion.attempts, ingestion.reason_code) == (Status.DONE, 3, "")


@pytest.mark.django_db
def test_pipeline_gives_up_after_the_attempt_limit(local_server, settings):
    settings.INGESTION_MAX_ATTEMPTS = 2
    ingestion = ingestion_submit_url(local_server.url("status/503"))

    first, second = ingestion_process(ingestion.pk), ingestion_process(ingestion.pk)

    ingestion.refresh_from_db()
    assert (first.status, second.status) == (Status.PENDING, Status.FAILED)
    assert (ingestion.status, ingestion.reason_code, ingestion.attempts) == (
        Status.FAILED,
        errors.HTTP_SERVER_ERROR,
        2,
    )
    assert ingestion.message.startswith("Gave up after 2 attempts")


def test_retry_delay_grows_exponentially_with_jitter(settings):
    settings.INGESTION_RETRY_BASE_SECONDS = 10

    delays = [[retry_delay(attempt) for _ in range(50)] for attempt in (1, 2, 3)]

    assert [(min(d) >= 10 * 2**i / 2, max(d) <= 10 * 2**i) for i, d in enumerate(delays)] == [
        (True, True)
    ] * 3
    assert len({round(d, 3) for d in delays[2]}) > 1  # jittered


@pytest.mark.django_db
def test_ingestion_retry_gives_a_failed_job_new_attempts(django_capture_on_commit_callbacks):
    ingestion = IngestionFactory(status=Status.FAILED, attempts=4, reason_code="timeout")

    with django_capture_on_commit_callbacks() as callbacks:
        ingestion_retry(ingestion)

    ingestion.refresh_from_db()
    assert (ingestion.status, ingestion.attempts, ingestion.reason_code) == (Status.PENDING, 0, "")
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_ingestion_retry_refuses_a_job_that_did_not_fail():
    ingestion = IngestionFactory(status=Status.DONE, article=ArticleFactory())

    with pytest.raises(DomainError, match="Only failed jobs"):
        ingestion_retry(ingestion)


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submissions_of_one_url_make_one_article(
    postgres_required, corpus_server
):
    url = corpus_server.url("html/059-time.com.html")
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    failures: list[BaseException] = []

    def submit_and_run() -> None:
        try:
            barrier.wait()
            # Not enqueued: without a broker the task would run inline and claim it first.
            ingestion = ingestion_submit_url(url, enqueue=False)
            outcome = ingestion_process(ingestion.pk)
            outcomes.append(outcome.status)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit_and_run) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert failures == []
    assert Article.objects.count() == 1
    assert sorted(outcomes) == [Status.DONE] + [Status.DUPLICATE] * 19
    article = Article.objects.get()
    assert set(Ingestion.objects.values_list("article_id", flat=True)) == {article.pk}


@pytest.mark.django_db
def test_pipeline_stores_a_submitted_date_without_time_at_noon_utc(gold_dir):
    seed = json.loads((gold_dir / "seed-cairo-impasse.json").read_text())

    article = _run(ingestion_submit_text(seed["text"], published_at=dt.date(2024, 5, 22))).article

    assert article.published_on == dt.date(2024, 5, 22)
    assert article.published_at == dt.datetime(2024, 5, 22, 12, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_pipeline_ignores_a_canonical_link_to_another_site(corpus_server, corpus_dir):
    # Any page can name any canonical URL; believing a foreign one would let an impostor
    # claim a real report's address and make the real one look like its duplicate.
    page = _corpus_html(corpus_dir, "061-yna.co.kr.html")
    assert "en.yna.co.kr" in page
    url = corpus_server.add_page("impostor/yna.html", page)

    article = _run(ingestion_submit_url(url)).article

    assert article.canonical_url == url


@pytest.mark.django_db
def test_pipeline_uses_the_pages_own_canonical_link_on_the_same_site(local_server, gold_dir):
    seed = json.loads((gold_dir / "seed-cairo-impasse.json").read_text())
    paragraphs = "".join(f"<p>{p}</p>" for p in seed["text"].split("\n\n")[5:])
    canonical = local_server.url("story/ceasefire-talks")
    page = (
        f'<html><head><title>{seed["title"]}</title><link rel="canonical" href="{canonical}">'
        f"</head><body><article><h1>{seed['title']}</h1>{paragraphs}</article></body></html>"
    )
    first_url = local_server.add_page("print/ceasefire-talks", page)
    second_url = local_server.add_page(
        "amp/ceasefire-talks", page.replace("</article>", "<p>Updated.</p></article>")
    )

    first = _run(ingestion_submit_url(first_url))
    second = _run(ingestion_submit_url(second_url))

    assert first.article.canonical_url == canonical
    assert (second.status, second.reason_code, second.article_id) == (
        Status.DUPLICATE,
        "same_url",
        first.article_id,
    )
