"""Admin changelists of large tables: an estimate instead of a COUNT of the whole table."""

from __future__ import annotations

import pytest
from django.db import connection

from tests import factories as f
from timeline import models as m
from timeline.admin import paging
from timeline.admin.paging import EstimatedCountPaginator

pytestmark = pytest.mark.django_db


def test_unfiltered_large_table_is_estimated_not_counted(django_assert_num_queries, monkeypatch):
    for _ in range(3):
        f.EventFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE timeline_event")
    monkeypatch.setattr(paging, "ESTIMATE_ABOVE", 0)
    paginator = EstimatedCountPaginator(m.Event.objects.order_by("id"), 50)

    with django_assert_num_queries(1):
        count = paginator.count

    assert count == 3  # what ANALYZE counted


def test_filtered_list_is_counted_exactly():
    for _ in range(3):
        f.EventFactory()
    paginator = EstimatedCountPaginator(
        m.Event.objects.filter(status=m.ReviewStatus.PUBLISHED).order_by("id"), 50
    )

    assert paginator.count == 3


def test_article_changelist_counts_citations_per_row(admin_client):
    cited = f.CitationFactory().article
    f.CitationFactory(article=cited)
    f.ArticleFactory()

    response = admin_client.get("/admin/timeline/article/")

    assert response.status_code == 200
    counts = {a.pk: a.n_citations for a in response.context["cl"].result_list}
    assert counts[cited.pk] == 2
    assert sorted(counts.values()) == [0, 2]
