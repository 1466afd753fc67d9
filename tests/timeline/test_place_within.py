"""A place can lie within another (issue 13): the migration, the admin field, the resolver."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PlaceFactory
from timeline import models as m
from timeline.extraction.gazetteer import default_gazetteer
from timeline.services.candidates import _Resolver

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_migration_adds_within_and_keeps_the_places_already_there():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("timeline", "0009_event_day_count")], [("timeline", "0010_place_within")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("timeline", "Place").objects.create(name="Doha", slug="doha-old")

    executor = MigrationExecutor(connection)
    executor.migrate(after)

    doha = m.Place.objects.get(slug="doha-old")
    assert doha.within is None
    doha.within = m.Place.objects.create(name="Qatar", slug="qatar-new")
    doha.save()
    assert list(doha.within.contains.all()) == [doha]


def test_a_place_cannot_lie_within_itself_at_any_depth():
    country = PlaceFactory(name="Britain")
    city = PlaceFactory(name="Belfast", within=country)
    venue = PlaceFactory(name="Stormont", within=city)
    venue.full_clean()  # a chain is fine
    country.within = venue
    with pytest.raises(ValidationError, match="within itself"):
        country.full_clean()
    city.within = city
    with pytest.raises(ValidationError, match="within itself"):
        city.full_clean()


def test_admin_sets_and_lists_the_place_a_venue_lies_within(admin_client):
    city = PlaceFactory(name="Belfast", slug="belfast")
    venue = PlaceFactory(name="Stormont", slug="stormont")
    url = reverse("admin:timeline_place_change", args=[venue.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and 'name="within"' in page.content.decode()

    response = admin_client.post(
        url, {"name": "Stormont", "slug": "stormont", "within": city.pk, "status": "published"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    venue.refresh_from_db()
    assert venue.within == city
    listing = admin_client.get(reverse("admin:timeline_place_changelist")).content.decode()
    assert "Belfast" in listing

    # A loop is refused on the form, not saved.
    response = admin_client.post(
        reverse("admin:timeline_place_change", args=[city.pk]),
        {"name": "Belfast", "slug": "belfast", "within": venue.pk, "status": "published"},
    )
    assert response.status_code == 200 and "within itself" in response.content.decode()
    city.refresh_from_db()
    assert city.within is None


def test_resolver_puts_a_new_city_within_its_country_when_the_table_has_it():
    qatar = PlaceFactory(name="Qatar")
    resolver = _Resolver(default_gazetteer(), Counter())
    doha = resolver.place("Doha")
    assert doha.status == m.ReviewStatus.CANDIDATE
    assert doha.within == qatar
    # A country is not within itself; a city whose country the table lacks is within nothing.
    assert resolver.place("Qatar") == qatar and qatar.within is None
    assert resolver.place("Cairo").within is None
