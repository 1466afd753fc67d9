"""The timeline page kept under the negotiation's change stamp and its query string: a repeat
view is one read of the stamp and one cache read; any write that changes the timeline shows."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests import factories as f
from timeline import models as m
from timeline.services import event_publish

from .pages import event_ids

pytestmark = pytest.mark.django_db


def test_timeline_page_repeat_view_is_one_query_and_the_same_page(
    client, talks, django_assert_num_queries
):
    first = client.get("/n/israel-hamas/?kind=meeting")

    with django_assert_num_queries(1):  # the stamp
        again = client.get("/n/israel-hamas/?kind=meeting")

    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_timeline_page_kept_copy_gives_way_to_a_publish(client, talks):
    before = event_ids(client.get("/n/israel-hamas/"))
    candidate = f.EventFactory(negotiation=talks.negotiation, status=m.ReviewStatus.CANDIDATE)
    assert event_ids(client.get("/n/israel-hamas/")) == before  # candidates do not show

    event_publish(candidate)

    after = event_ids(client.get("/n/israel-hamas/"))
    assert sorted(after) == sorted([*before, candidate.pk])


def test_timeline_page_is_kept_per_query_string(client, talks):
    everything = client.get("/n/israel-hamas/")
    hamas = client.get("/n/israel-hamas/?party=hamas")
    everything_again = client.get("/n/israel-hamas/")

    assert len(event_ids(hamas)) < len(event_ids(everything))
    assert everything_again.content == everything.content


@override_settings(READER_PAGE_CACHE_SECONDS=0)
def test_timeline_page_is_built_every_time_when_the_cache_is_off(
    client, talks, django_assert_max_num_queries
):
    client.get("/n/israel-hamas/")

    with django_assert_max_num_queries(20) as captured:
        client.get("/n/israel-hamas/")

    assert len(captured.captured_queries) > 5
