"""From a pasted report to candidates in the review queue, through a real Celery worker."""

from __future__ import annotations

import datetime as dt
import json

from tests.conftest import wait_for
from tests.factories import NegotiationFactory
from timeline.models import Citation, Ingestion
from timeline.selectors.catalog import review_queue
from timeline.services import ingestion_submit_text


def test_ingested_report_reaches_the_review_queue_with_exact_citations(
    celery_worker_process, gold_dir, postgres_required
):
    doc = json.loads((gold_dir / "seed-cairo-impasse.json").read_text(encoding="utf-8"))
    negotiation = NegotiationFactory()

    ingestion = ingestion_submit_text(
        doc["text"],
        title=doc["title"],
        published_at=dt.date(2024, 5, 23),
        negotiation=negotiation,
    )

    done = wait_for(
        lambda: Ingestion.objects.filter(pk=ingestion.pk, status=Ingestion.Status.DONE).first(),
        timeout=60,
    )
    article = done.article
    queued = wait_for(
        lambda: list(review_queue().filter(source_article=article)) or None, timeout=60
    )
    assert {e.negotiation_id for e in queued} == {negotiation.pk}
    kinds = {e.kind for e in queued}
    assert {"meeting", "delegation_departure", "breakdown"} <= kinds
    doha = [e for e in queued if e.kind == "meeting" and e.place and e.place.name == "Doha"]
    assert doha and doha[0].date == dt.date(2024, 5, 19)
    citations = Citation.objects.filter(article=article)
    assert citations.filter(speaker__name="Musa Abu Marzouk").exists()
    for citation in citations:
        assert article.text[citation.start : citation.end] == citation.quote
