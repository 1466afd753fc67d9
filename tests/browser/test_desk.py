"""The editors' desk in Chromium: the three flows issue 14 counts clicks for, with screenshots at
390 and 1280 px in test-artifacts/ (looked at by a person, not compared by the test).

Clicks are counted as the editor's pointer and key presses (typing into a field is not a click).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from timeline.demo.loader import propose_candidates
from timeline.models import Article, Event, Negotiation, Place, ReviewStatus, Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ceasefire-ledger-47-rounds"
WIDTHS = (390, 1280)


class Clicks:
    def __init__(self, page) -> None:
        self.page, self.count = page, 0

    def click(self, selector: str) -> None:
        self.count += 1
        self.page.click(selector)

    def press(self, key: str) -> None:
        self.count += 1
        self.page.keyboard.press(key)


def _log_in(page, base: str) -> None:
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    if not get_user_model().objects.filter(username="desk").exists():
        get_user_model().objects.create_superuser("desk", "desk@newsroom.example", PASSWORD)
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def _shots(page, artifacts, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artifacts / f"desk-{name}-{width}.png"), full_page=width == 390)
    page.set_viewport_size({"width": 1280, "height": 900})


def _candidates() -> list[Event]:
    propose_candidates(Article.objects.get(), Negotiation.objects.get())
    return list(Event.objects.candidates().order_by("pk"))


def test_desk_home_shows_queues_jobs_and_submit(page, demo, artifacts):
    _candidates()
    _log_in(page, demo)

    waiting = page.locator("#desk-queues").locator("..").inner_text()
    _shots(page, artifacts, "home")

    assert f"{Event.objects.candidates().count()}candidate events" in waiting.replace("\n", "")
    assert page.locator("#desk-url").is_visible()
    assert page.problems == []


def test_publish_with_edit_on_the_card_in_one_click(page, demo, artifacts):
    candidate = _candidates()[0]
    _log_in(page, demo)
    page.goto(f"{demo}/admin/timeline/event/review/")
    clicks = Clicks(page)
    card = f"#event-{candidate.pk}"

    page.fill(f"{card} input[name=card-summary]", "Negotiators leave Cairo without a deal")
    page.select_option(f"{card} select[name=card-kind]", "breakdown")
    _shots(page, artifacts, "queue-card")
    clicks.click(f"{card} form.card-publish input[type=submit]")
    page.wait_for_url(f"{demo}/admin/timeline/event/review/")

    candidate.refresh_from_db()
    assert (candidate.status, candidate.summary, candidate.kind) == (
        ReviewStatus.PUBLISHED,
        "Negotiators leave Cairo without a deal",
        "breakdown",
    )
    assert clicks.count == 1  # before: Edit, Save, back to the queue, Publish: 4 and a search
    assert page.problems == []


def test_keyboard_j_then_p_publishes_the_second_card(page, demo):
    first, second = _candidates()[:2]
    _log_in(page, demo)
    page.goto(f"{demo}/admin/timeline/event/review/")
    clicks = Clicks(page)

    clicks.press("j")
    with page.expect_navigation():
        clicks.press("p")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ReviewStatus.CANDIDATE, ReviewStatus.PUBLISHED)
    assert clicks.count == 2


def test_merge_two_candidates_in_two_clicks(page, demo, artifacts):
    candidates = _candidates()
    grouped = {}
    for event in candidates:
        first = event.citations.order_by("start").first()
        if first is not None:
            grouped.setdefault((first.article_id, first.start, first.end), []).append(event)
    source, target = next(group for group in grouped.values() if len(group) > 1)[:2]
    _log_in(page, demo)
    page.goto(f"{demo}/admin/timeline/event/review/")
    clicks = Clicks(page)

    clicks.click(f"#event-{source.pk} a[href*='/merge/{target.pk}/']")
    page.wait_for_selector("input[value=Merge]")
    _shots(page, artifacts, "merge")
    clicks.click("input[value=Merge]")
    page.wait_for_url(f"{demo}/admin/timeline/event/review/")

    source.refresh_from_db()
    assert (source.status, source.merged_into_id) == (ReviewStatus.MERGED, target.pk)
    assert (
        clicks.count == 2
    )  # before: about 8 (select, action, go, autocomplete, search, pick, merge)
    assert page.problems == []


def test_new_round_with_its_events_in_one_form(page, demo, artifacts):
    negotiation = Negotiation.objects.get()
    Event.objects.filter(negotiation=negotiation).update(round=None)
    cairo = Place.objects.get(slug="cairo")
    expected = set(
        Event.objects.filter(
            negotiation=negotiation,
            date__range=("2024-05-18", "2024-05-19"),
        )
        .filter(place__in=[cairo, None])
        .values_list("pk", flat=True)
    ) | set(
        Event.objects.filter(
            negotiation=negotiation, date__range=("2024-05-18", "2024-05-19"), place__isnull=True
        ).values_list("pk", flat=True)
    )
    _log_in(page, demo)
    page.goto(f"{demo}/admin/timeline/round/add/")
    clicks = Clicks(page)

    def autocomplete(field: str, text: str) -> None:
        clicks.click(f"#id_{field} + .select2 .select2-selection")
        page.keyboard.type(text)
        option = page.locator(".select2-results__option", has_text=text)
        option.first.wait_for()
        clicks.count += 1
        option.first.click()

    autocomplete("negotiation", "Israel-Hamas")
    page.fill("#id_sequence", "2")
    page.fill("#id_name", "The second Cairo round")
    autocomplete("venue", "Cairo")
    page.select_option("#id_status", "concluded")
    page.fill("#id_actual_start", "2024-05-18")
    page.fill("#id_actual_end", "2024-05-19")
    clicks.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    _shots(page, artifacts, "new-round")

    round_ = Round.objects.get(sequence=2)
    assert set(round_.events.values_list("pk", flat=True)) == expected
    assert expected
    # Two autocompletes (2 clicks each) and Save; before, the same plus, for each of its
    # events, open it, pick the round (2) and save: 4 more clicks per event.
    assert clicks.count == 5
