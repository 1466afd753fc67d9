"""What a dead worker, a redelivered message, a database error or a poison page leaves behind,
and what the next attempt, the reconciler and an editor make of it. In-process: each fault is
reproduced at the exact step where it bites."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, IngestionFactory, UserFactory
from timeline.ingestion import pipeline
from timeline.models import AnalysisStatus, Article, Ingestion
from timeline.services import candidates, ingestion_submit_text
from timeline.services.analysis import analyses_reconcile, analysis_request, article_analyse
from timeline.services.ingestion import ingestions_reconcile

from .stack import paragraph_pool

Status = Ingestion.Status


class WorkerDied(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs, no handler catches it."""


@pytest.fixture(scope="module")
def report(corpus_dir: Path) -> str:
    return "\n\n".join(paragraph_pool(corpus_dir)[:14])


def _die_when_finishing(monkeypatch, status: str) -> None:
    real = pipeline._finish

    def finish(ctx, final, **kwargs):
        if final == status:
            raise WorkerDied
        return real(ctx, final, **kwargs)

    monkeypatch.setattr(pipeline, "_finish", finish)


@pytest.mark.django_db
def test_rerun_after_dying_between_storing_and_done_ends_done_with_its_article(monkeypatch, report):
    job = ingestion_submit_text(report, title="Talks", url="https://a.example/r", enqueue=False)
    _die_when_finishing(monkeypatch, Status.DONE)
    with pytest.raises(WorkerDied):
        pipeline.ingestion_process(job.pk, task_id="first")
    monkeypatch.undo()
    stored = Article.objects.get()
    # The reconciler's reset: back to pending, another message (another task id).
    Ingestion.objects.filter(pk=job.pk).update(status=Status.PENDING)

    outcome = pipeline.ingestion_process(job.pk, task_id="second")

    job.refresh_from_db()
    assert (outcome.status, job.status, job.reason_code) == (Status.DONE, Status.DONE, "")
    assert (job.article_id, Article.objects.count()) == (stored.pk, 1)


@pytest.mark.django_db
def test_redelivered_message_takes_over_its_own_claim_at_once(monkeypatch, report):
    job = ingestion_submit_text(report, title="Talks", enqueue=False)
    _die_when_finishing(monkeypatch, Status.DONE)
    with pytest.raises(WorkerDied):
        pipeline.ingestion_process(job.pk, task_id="task-1")
    monkeypatch.undo()

    by_another_message = pipeline.ingestion_process(job.pk, task_id="task-2")
    redelivered = pipeline.ingestion_process(job.pk, task_id="task-1")

    job.refresh_from_db()
    assert by_another_message is None  # a stray second message does not run a claimed job
    assert (redelivered.status, job.status, job.attempts) == (Status.DONE, Status.DONE, 2)
    assert job.article_id == Article.objects.get().pk


@pytest.mark.django_db
def test_worker_dying_on_every_attempt_ends_failed_instead_of_looping(settings):
    job = IngestionFactory(status=Status.PENDING)
    for _attempt in range(settings.INGESTION_MAX_ATTEMPTS):
        assert pipeline.claim(job.pk, "task-1") is not None  # ...and the worker dies

    outcome = pipeline.ingestion_process(job.pk, task_id="task-1")

    job.refresh_from_db()
    assert (outcome.status, job.status, job.reason_code) == (Status.FAILED, Status.FAILED, "stuck")
    assert pipeline.ingestion_process(job.pk, task_id="task-1") is None


@pytest.mark.django_db
def test_database_error_mid_job_leaves_it_for_the_retry_not_failed(monkeypatch, report):
    job = ingestion_submit_text(report, title="Talks", enqueue=False)

    def database_away(ctx):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(pipeline, "STEPS", (("extract", database_away),))
    with pytest.raises(OperationalError):
        pipeline.ingestion_process(job.pk, task_id="task-1")
    monkeypatch.undo()
    job.refresh_from_db()
    left = (job.status, job.reason_code)

    retried = pipeline.ingestion_process(job.pk, task_id="task-1")  # the task's retry

    assert left == (Status.EXTRACTING, "")
    assert retried.status == Status.DONE


@pytest.mark.django_db
def test_reconciler_leaves_a_job_waiting_behind_a_long_queue_alone(
    settings, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(seconds=settings.INGESTION_STUCK_AFTER_SECONDS * 2)
    waiting = IngestionFactory(status=Status.PENDING)
    lost = IngestionFactory(status=Status.PENDING)
    Ingestion.objects.filter(pk=waiting.pk).update(
        updated_at=long_ago, enqueued_at=timezone.now() - timedelta(seconds=60)
    )
    Ingestion.objects.filter(pk=lost.pk).update(updated_at=long_ago, enqueued_at=long_ago)

    with django_capture_on_commit_callbacks() as first_run:
        first = ingestions_reconcile()
    with django_capture_on_commit_callbacks() as second_run:
        second = ingestions_reconcile()

    # One message for the job whose message is lost, none for the one merely queued, and no
    # second message on the next tick.
    assert (first, len(first_run), second, len(second_run)) == (1, 1, 0, 0)
    lost.refresh_from_db()
    assert lost.enqueued_at > long_ago


@pytest.mark.django_db
def test_reconciler_requeues_a_claimed_job_once_its_worker_is_surely_gone(settings):
    job = IngestionFactory(status=Status.FETCHING, attempts=1, task_id="dead")
    recent = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT - 5)
    Ingestion.objects.filter(pk=job.pk).update(updated_at=recent)
    untouched = ingestions_reconcile()
    gone = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 31)
    Ingestion.objects.filter(pk=job.pk).update(updated_at=gone)

    requeued = ingestions_reconcile()

    job.refresh_from_db()
    assert (untouched, requeued, job.status, job.task_id) == (0, 1, Status.PENDING, "")


@pytest.mark.django_db
def test_reconciler_sends_every_pending_message_again_once_the_broker_lost_them(
    broker_url, django_capture_on_commit_callbacks
):
    import redis

    from timeline import tasks

    client = redis.Redis.from_url(broker_url)
    client.delete(tasks.BROKER_MARK)  # as after a restart without persistence
    job = IngestionFactory(status=Status.PENDING, enqueued_at=timezone.now())
    analysed = ArticleFactory()
    analysis_request([analysed.pk])

    with django_capture_on_commit_callbacks() as after_loss:
        first = tasks.ingestions_reconcile.apply().get()
    with django_capture_on_commit_callbacks() as next_tick:
        second = tasks.ingestions_reconcile.apply().get()

    # The job and the analysis, each sent once again; on the next tick the mark is back.
    assert (first, len(after_loss), second, len(next_tick)) == (2, 2, 0, 0)
    job.refresh_from_db()
    assert job.status == Status.PENDING
    client.close()


# --- analysis -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_lost_analysis_message_is_sent_again_once(settings, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    with django_capture_on_commit_callbacks() as requested:
        analysis_request([article.pk])
    long_ago = timezone.now() - timedelta(seconds=settings.INGESTION_STUCK_AFTER_SECONDS + 1)

    with django_capture_on_commit_callbacks() as too_soon:
        assert analyses_reconcile() == 0  # its message may still be in the queue
    Article.objects.filter(pk=article.pk).update(analysis_queued_at=long_ago)
    with django_capture_on_commit_callbacks() as first:
        assert analyses_reconcile() == 1
    with django_capture_on_commit_callbacks() as second:
        assert analyses_reconcile() == 0

    assert (len(requested), len(too_soon), len(first), len(second)) == (1, 0, 1, 0)


@pytest.mark.django_db
def test_analysis_runs_and_records_done(report):
    article = ArticleFactory(text=report)
    analysis_request([article.pk])

    outcome = article_analyse(article.pk, task_id="a1")

    article.refresh_from_db()
    assert (outcome.status, article.analysis_status, article.analysis_attempts) == (
        "done",
        "done",
        1,
    )
    assert article.analysed_at is not None
    assert article_analyse(article.pk, task_id="a2") is None  # done: a late message is a no-op


@pytest.mark.django_db
def test_poison_article_fails_with_its_reason_after_the_retry_limit(monkeypatch, settings):
    article = ArticleFactory()
    analysis_request([article.pk])

    def poison(*args, **kwargs):
        raise ValueError("the extractor choked on this page")

    monkeypatch.setattr(candidates, "extract", poison)
    outcomes = []
    for attempt in range(settings.INGESTION_MAX_ATTEMPTS):
        outcomes.append(article_analyse(article.pk, task_id=f"retry-{attempt}"))

    article.refresh_from_db()
    assert [o.status for o in outcomes] == ["pending"] * (settings.INGESTION_MAX_ATTEMPTS - 1) + [
        "failed"
    ]
    assert all(o.retry_in for o in outcomes[:-1])
    assert article.analysis_status == AnalysisStatus.FAILED
    assert "ValueError: the extractor choked on this page" in article.analysis_reason
    assert article_analyse(article.pk, task_id="again") is None  # no redelivery loop


@pytest.mark.django_db
def test_analysis_redelivered_after_its_worker_died_is_taken_over(report):
    article = ArticleFactory(text=report)
    analysis_request([article.pk])
    Article.objects.filter(pk=article.pk).update(
        analysis_status=AnalysisStatus.RUNNING, analysis_task_id="a1", analysis_attempts=1
    )

    stray = article_analyse(article.pk, task_id="a2")
    redelivered = article_analyse(article.pk, task_id="a1")

    assert (stray, redelivered.status) == (None, "done")


@pytest.mark.django_db
def test_syndicated_copy_is_skipped_by_the_service():
    copy = ArticleFactory(syndication_of=ArticleFactory(), syndication_similarity=0.9)
    analysis_request([copy.pk])

    outcome = article_analyse(copy.pk)

    copy.refresh_from_db()
    assert (outcome.status, copy.analysis_status, copy.analysed_at) == ("skipped", "skipped", None)


@pytest.mark.django_db
def test_admin_filters_unanalysed_and_failed_articles_and_reanalyses(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    done = ArticleFactory(title="Analysed", analysis_status=AnalysisStatus.DONE)
    failed = ArticleFactory(
        title="Broke", analysis_status=AnalysisStatus.FAILED, analysis_reason="ValueError: x"
    )
    never = ArticleFactory(title="Never asked")
    changelist = reverse("admin:timeline_article_changelist")

    not_analysed = client.get(changelist, {"analysis": "not_analysed"})
    only_failed = client.get(changelist, {"analysis": "failed"})
    response = client.post(
        changelist,
        {"action": "reanalyse", "_selected_action": [done.pk, failed.pk]},
        follow=True,
    )

    assert {a.pk for a in not_analysed.context["cl"].result_list} == {failed.pk, never.pk}
    assert [a.pk for a in only_failed.context["cl"].result_list] == [failed.pk]
    assert "2 articles queued for analysis." in [str(m) for m in response.context["messages"]]
    failed.refresh_from_db()
    assert (failed.analysis_status, failed.analysis_attempts, failed.analysis_reason) == (
        AnalysisStatus.PENDING,
        0,
        "",
    )
