"""The review queue driven in Chromium: the quoted words are marked, the merge target is
chosen through the admin's autocomplete (jQuery + select2), and the decision lands."""

import pytest
from django.contrib.auth import get_user_model

from timeline.demo.loader import propose_candidates
from timeline.models import Article, Event, Negotiation, Position, ReviewStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ceasefire-ledger-47-rounds"


def _log_in(page, base: str) -> None:
    # The admin has no favicon; Chromium asks for one, and the 404 is not what is tested.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    get_user_model().objects.create_superuser("desk", "desk@newsroom.example", PASSWORD)
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def _candidates() -> list[Event]:
    """The extractor's candidates from the demo report (the `demo` fixture loaded it)."""
    negotiation = Negotiation.objects.get()
    propose_candidates(Article.objects.get(), negotiation)
    return list(Event.objects.candidates().order_by("pk"))


def test_review_queue_marks_quotes_and_publishes(page, demo):
    candidate = _candidates()[0]
    _log_in(page, demo)

    page.goto(f"{demo}/admin/timeline/event/review/")
    card = page.locator(f"#event-{candidate.pk}")
    marked = card.locator("mark").first.inner_text()
    card.locator("input[value=Publish]").click()
    page.wait_for_url(f"{demo}/admin/timeline/event/review/")

    assert marked in Article.objects.get().text
    candidate.refresh_from_db()
    assert candidate.status == ReviewStatus.PUBLISHED
    assert page.problems == []


def test_review_merge_target_chosen_by_autocomplete(page, demo):
    candidate = _candidates()[0]
    target = Event.objects.published().get(extraction_key="demo:burns-al-thani-doha")
    _log_in(page, demo)

    page.goto(f"{demo}/admin/timeline/event/review/{candidate.pk}/")
    page.click(".select2-selection")
    page.keyboard.type("Burns")
    option = page.locator(".select2-results__option", has_text="CIA Director Bill Burns met")
    option.first.click()
    page.click("input[value='Merge into it']")
    # What the kept event gains is shown, every item ticked, before anything moves.
    page.wait_for_selector("input[value=Merge]")
    page.click("input[value=Merge]")
    page.wait_for_url(f"{demo}/admin/timeline/event/review/")

    candidate.refresh_from_db()
    assert (candidate.status, candidate.merged_into_id) == (ReviewStatus.MERGED, target.pk)
    assert page.problems == []


def test_position_review_queue_marks_quote_and_publishes(page, demo):
    _candidates()  # the extractor proposes positions too
    candidate = Position.objects.filter(status=ReviewStatus.CANDIDATE).order_by("pk").first()
    _log_in(page, demo)

    page.goto(f"{demo}/admin/timeline/position/review/")
    card = page.locator(f"#position-{candidate.pk}")
    marked = card.locator("mark").first.inner_text()
    card.locator("input[value=Publish]").click()
    page.wait_for_url(f"{demo}/admin/timeline/position/review/")

    assert marked in Article.objects.get().text
    assert page.locator(f"#position-{candidate.pk}").count() == 0
    assert "Published:" in page.locator(".messagelist").inner_text()
    candidate.refresh_from_db()
    assert candidate.status == ReviewStatus.PUBLISHED
    assert page.problems == []


def test_position_queue_takes_the_same_keys_j_then_r_rejects_the_second_card(page, demo):
    # One queue page for events and positions (issue 15): the keys work on both.
    _candidates()
    first, second = Position.objects.filter(status=ReviewStatus.CANDIDATE).order_by(
        "source_article_id", "created_at", "id"
    )[:2]
    _log_in(page, demo)
    page.goto(f"{demo}/admin/timeline/position/review/")

    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("r")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ReviewStatus.CANDIDATE, ReviewStatus.REJECTED)
    assert page.problems == []


def test_possible_duplicate_side_by_side_refused_then_published_as_not_a_duplicate(
    page, demo, artifacts
):
    candidate = _candidates()[0]
    stored = Event.objects.published().filter(citations__isnull=False).distinct().first()
    Event.objects.filter(pk=candidate.pk).update(
        possible_duplicates=[{"event": stored.pk, "score": 0.58, "summary": stored.summary}]
    )
    _log_in(page, demo)
    page.goto(f"{demo}/admin/timeline/event/review/#event-{candidate.pk}")
    card = page.locator(f"#event-{candidate.pk}")

    pair = card.locator(".side-by-side").first
    marks = [
        pair.locator(f"{side} mark").first for side in (".duplicate-candidate", ".duplicate-match")
    ]
    assert all(mark.is_visible() for mark in marks)
    assert marks[0].inner_text() in Article.objects.get().text
    assert marks[1].inner_text().strip() in stored.citations.first().quote
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        card.screenshot(path=str(artifacts / f"review-possible-duplicate-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    card.locator("input[value=Publish]").click()
    page.wait_for_load_state()
    assert "Possibly the same happening as" in page.locator(".messagelist").inner_text()
    candidate.refresh_from_db()
    assert candidate.status == ReviewStatus.CANDIDATE

    page.goto(f"{demo}/admin/timeline/event/review/")
    card = page.locator(f"#event-{candidate.pk}")
    card.locator("input[name=not-a-duplicate]").check()
    card.locator("input[value=Publish]").click()
    page.wait_for_url(f"{demo}/admin/timeline/event/review/")
    candidate.refresh_from_db()
    assert candidate.status == ReviewStatus.PUBLISHED
    assert page.problems == []
