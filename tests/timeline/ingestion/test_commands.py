"""The backfill command and the benchmark, on the corpus and the local server."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from timeline.models import Article, Ingestion

Status = Ingestion.Status


@pytest.mark.django_db
def test_ingest_command_runs_a_file_of_urls(tmp_path, corpus_server):
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "# two reports and one refusal\n"
        f"{corpus_server.url('html/056-space.com.html')}\n"
        f"{corpus_server.url('html/061-yna.co.kr.html')}  # Yonhap\n"
        "ftp://files.example/report\n"
    )
    out, err = io.StringIO(), io.StringIO()

    call_command("ingest", str(listing), "--no-progress", "--jobs", "1", stdout=out, stderr=err)

    assert sorted(Ingestion.objects.values_list("status", flat=True)) == [Status.DONE, Status.DONE]
    assert "2 jobs in" in out.getvalue()
    assert "done       2" in out.getvalue()
    assert "ftp://files.example/report: Only http and https URLs" in err.getvalue()


@pytest.mark.django_db
def test_ingest_command_runs_a_folder_of_saved_pages_and_a_feed_file(tmp_path, corpus_dir):
    for name in ("010-bbc.com.html", "045-inquirer.com.html"):
        (tmp_path / name).write_bytes((corpus_dir / "html" / name).read_bytes())
    (tmp_path / "feed.xml").write_bytes(
        (corpus_dir / "feeds" / "030-rss_2.0_relurl_1.xml").read_bytes()
    )
    out = io.StringIO()

    # One thread: other threads' connections could not see this test's uncommitted rows.
    call_command(
        "ingest", str(tmp_path), "--no-progress", "--jobs", "1", stdout=out, stderr=io.StringIO()
    )

    sources = sorted(Ingestion.objects.values_list("source", "status"))
    assert sources.count((Ingestion.Source.BACKFILL, Status.DONE)) == 2
    assert Article.objects.count() == 2
    # The feed's two entries point at example hosts that do not resolve here: recorded, not lost.
    assert (
        Ingestion.objects.filter(status=Status.PENDING).count()
        + Ingestion.objects.filter(status=Status.FAILED).count()
        == 2
    )
    assert "4 jobs in" in out.getvalue()


@pytest.mark.django_db
def test_ingest_command_reads_a_feed_url(corpus_server):
    out = io.StringIO()

    call_command(
        "ingest",
        corpus_server.url("feeds/025-rss_2.0_bbc.xml"),
        "--queue",
        stdout=out,
        stderr=io.StringIO(),
    )

    assert list(Ingestion.objects.values_list("source", "status")) == [
        (Ingestion.Source.BACKFILL, Status.PENDING)
    ]
    assert "queued for the Celery workers" in out.getvalue()


@pytest.mark.django_db
def test_ingest_command_refuses_nothing_to_do(tmp_path):
    with pytest.raises(CommandError, match="Nothing was ingested"):
        call_command(
            "ingest", str(tmp_path / "missing.txt"), stdout=io.StringIO(), stderr=io.StringIO()
        )


@pytest.mark.django_db
def test_bench_ingestion_prints_both_rates_and_leaves_nothing_behind(tmp_path, corpus_dir):
    for name in ("010-bbc.com.html", "045-inquirer.com.html", "061-yna.co.kr.html"):
        (tmp_path / name).write_bytes((corpus_dir / "html" / name).read_bytes())
    out = io.StringIO()

    call_command("bench_ingestion", "--corpus", str(tmp_path), "--rounds", "1", stdout=out)

    text = out.getvalue()
    assert "trafilatura alone" in text
    assert "whole pipeline" in text
    assert "'done': 3" in text
    assert "ratio" in text
    assert Ingestion.objects.count() == 0
    assert Article.objects.count() == 0
