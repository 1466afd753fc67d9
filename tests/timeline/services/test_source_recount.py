"""Source counts follow the reports they are made of: an editor who marks a report a copy of
another, or corrects its outlet or date, after its citations exist changes the count of every
event citing it (timeline.services.corroboration._after_article_save)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ArticleFactory, CitationFactory, EventFactory, OutletFactory
from timeline.models import Article, Event


def _when(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day + "T09:00"))


def _count(event: Event) -> tuple[int, dt.datetime | None, dt.datetime | None]:
    event.refresh_from_db()
    return event.source_count, event.first_report_at, event.latest_report_at


@pytest.mark.django_db
def test_marking_a_cited_report_a_copy_later_counts_it_as_its_original():
    event = EventFactory()
    original = ArticleFactory(outlet=OutletFactory(name="Wire"), published_at=_when("2024-05-19"))
    later = ArticleFactory(outlet=OutletFactory(name="Portal"), published_at=_when("2024-05-20"))
    CitationFactory(event=event, article=original)
    CitationFactory(event=event, article=later)
    assert _count(event)[0] == 2

    # As the admin form does: a fresh read, the field set, save().
    copy = Article.objects.get(pk=later.pk)
    copy.syndication_of = original
    copy.save()
    assert _count(event)[0] == 1

    copy.syndication_of = None
    copy.save()
    assert _count(event)[0] == 2


@pytest.mark.django_db
def test_correcting_an_original_recounts_the_events_citing_its_copies():
    event = EventFactory()
    original = ArticleFactory(outlet=OutletFactory(name="Wire"), published_at=_when("2024-05-19"))
    copy = ArticleFactory(
        outlet=OutletFactory(name="MSN"), syndication_of=original, published_at=_when("2024-05-21")
    )
    own = ArticleFactory(outlet=OutletFactory(name="Daily"), published_at=_when("2024-05-20"))
    CitationFactory(event=event, article=copy)
    CitationFactory(event=event, article=own)
    assert _count(event)[0] == 2  # the wire (through its copy) and the daily

    # The wire's story turns out to be the daily's own: the copy now counts as the daily.
    corrected = Article.objects.get(pk=original.pk)
    corrected.outlet = own.outlet
    corrected.save()
    assert _count(event)[0] == 1


@pytest.mark.django_db
def test_correcting_a_report_date_moves_first_and_latest_report():
    event = EventFactory()
    first = ArticleFactory(outlet=OutletFactory(), published_at=_when("2024-05-19"))
    second = ArticleFactory(outlet=OutletFactory(), published_at=_when("2024-05-20"))
    CitationFactory(event=event, article=first)
    CitationFactory(event=event, article=second)
    assert _count(event)[1:] == (_when("2024-05-19"), _when("2024-05-20"))

    corrected = Article.objects.get(pk=second.pk)
    corrected.published_at = _when("2024-05-18")
    corrected.save()
    assert _count(event)[1:] == (_when("2024-05-18"), _when("2024-05-19"))


@pytest.mark.django_db
def test_saving_a_report_without_a_sourcing_change_recounts_nothing():
    event = EventFactory()
    article = ArticleFactory(outlet=OutletFactory(), published_at=_when("2024-05-19"))
    CitationFactory(event=event, article=article)
    loaded = Article.objects.get(pk=article.pk)
    loaded.title = "A corrected headline"
    with CaptureQueriesContext(connection) as queries:
        loaded.save()
    # (The change stamp's own receiver reads citations too; the recount is what writes counts.)
    assert not [q["sql"] for q in queries.captured_queries if "source_count" in q["sql"]]
    assert _count(event)[0] == 1
