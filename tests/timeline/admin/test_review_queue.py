"""The review queue of candidate events: cards, publish, reject, merge, look-alikes."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.timeline.admin.support import (
    ADMIN_MARKS,
    _candidate,
    _messages,
)
from timeline import models as m

pytestmark = ADMIN_MARKS


# --- the review queue ------------------------------------------------------------------------


def test_review_queue_highlights_quoted_span_and_escapes_text(client, editor):
    _candidate(
        "Before <b>bold</b>. The delegation left Cairo on Sunday. After.",
        "The delegation left Cairo on Sunday.",
    )
    f.EventFactory(status=m.ReviewStatus.PUBLISHED, summary="Already on the timeline")

    response = client.get(reverse("admin:timeline_event_review"))

    html = response.content.decode()
    assert "<mark>The delegation left Cairo on Sunday.</mark>" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>bold</b>" not in html
    assert "Already on the timeline" not in html


@pytest.mark.parametrize(
    ("factory", "queue", "noun"),
    [
        (f.EventFactory, "admin:timeline_event_review", "event"),
        (f.PositionFactory, "admin:timeline_position_review", "position"),
    ],
)
def test_review_queue_card_without_quote_says_to_open_its_report(
    client, editor, factory, queue, noun
):
    factory(status=m.ReviewStatus.CANDIDATE)

    html = client.get(reverse(queue)).content.decode()

    assert f"No quoted words: open the {noun} to see its report." in html


def test_review_event_page_shows_full_article_with_mark(client, editor):
    event = _candidate("One. Two <i>x</i>. The talks collapsed. Three.", "The talks collapsed.")

    response = client.get(reverse("admin:timeline_event_review_event", args=[event.pk]))

    html = response.content.decode()
    assert "One. Two &lt;i&gt;x&lt;/i&gt;. <mark>The talks collapsed.</mark> Three." in html


@pytest.mark.parametrize("n_candidates", [1, 3])
def test_review_queue_query_count_is_fixed(client, editor, django_assert_num_queries, n_candidates):
    for i in range(n_candidates):
        _candidate(f"Report {i}. The talks collapsed on Sunday.", "The talks collapsed")

    # session, user, user and group permissions, count, candidates, citations,
    # participants, published look-alikes, negotiations for the publish menu
    with django_assert_num_queries(10):
        response = client.get(reverse("admin:timeline_event_review"))

    assert response.content.count(b"<mark>The talks collapsed</mark>") == n_candidates


def test_review_publish_with_chosen_negotiation(client, editor):
    event = _candidate("The talks collapsed.", "The talks collapsed.", negotiation=None)
    negotiation = f.NegotiationFactory()
    url = reverse("admin:timeline_event_review_event", args=[event.pk])

    response = client.post(url, {"decision": "publish", "publish-negotiation": negotiation.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:timeline_event_review")
    event.refresh_from_db()
    assert (event.status, event.negotiation) == (m.ReviewStatus.PUBLISHED, negotiation)


def test_review_publish_without_negotiation_reports_the_refusal(client, editor):
    event = _candidate("The talks collapsed.", "The talks collapsed.", negotiation=None)
    url = reverse("admin:timeline_event_review_event", args=[event.pk])

    response = client.post(url, {"decision": "publish"}, follow=True)

    assert any("Choose the negotiation" in text for text in _messages(response))
    event.refresh_from_db()
    assert event.status == m.ReviewStatus.CANDIDATE


def test_review_reject_and_merge(client, editor):
    rejected = _candidate("Rumour of a deal.", "Rumour of a deal.")
    duplicate = _candidate("Delegation left.", "Delegation left.")
    target = f.EventFactory(negotiation=duplicate.negotiation, kind=duplicate.kind)

    client.post(
        reverse("admin:timeline_event_review_event", args=[rejected.pk]), {"decision": "reject"}
    )
    page = client.get(reverse("admin:timeline_event_review_event", args=[duplicate.pk]))
    asked = client.post(
        reverse("admin:timeline_event_review_event", args=[duplicate.pk]),
        {"decision": "merge", "merge-target": target.pk},
        follow=True,
    )
    # The merge waits for the editor to see what the kept event gains, every item ticked.
    duplicate.refresh_from_db()
    assert duplicate.status == m.ReviewStatus.CANDIDATE
    assert 'name="citation"' in asked.content.decode()
    client.post(
        reverse("admin:timeline_event_review_merge", args=[duplicate.pk, target.pk]),
        {"citation": list(duplicate.citations.values_list("pk", flat=True))},
    )

    assert target.summary in page.content.decode()  # suggested as a merge target
    rejected.refresh_from_db()
    duplicate.refresh_from_db()
    assert rejected.status == m.ReviewStatus.REJECTED
    assert (duplicate.status, duplicate.merged_into) == (m.ReviewStatus.MERGED, target)
    assert target.citations.count() == 1


def test_review_next_url_elsewhere_is_ignored(client, editor):
    event = _candidate("Rumour.", "Rumour.")

    response = client.post(
        reverse("admin:timeline_event_review_event", args=[event.pk]),
        {"decision": "reject", "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("admin:timeline_event_review")


def test_review_queue_offers_published_look_alike_for_merge(client, editor):
    event = _candidate("The delegation left.", "The delegation left.")
    same = f.EventFactory(negotiation=event.negotiation, kind=event.kind, date=event.date)
    f.EventFactory(negotiation=event.negotiation, kind="threat", summary="Not alike at all")

    page = client.get(reverse("admin:timeline_event_review")).content.decode()
    merge_url = reverse("admin:timeline_event_review_merge", args=[event.pk, same.pk])
    done = client.post(merge_url, {"next": reverse("admin:timeline_event_review")})

    assert same.summary in page
    assert merge_url in page  # one click from the card to the merge page
    assert "Not alike at all" not in page
    assert done["Location"] == reverse("admin:timeline_event_review")
    event.refresh_from_db()
    assert event.merged_into == same


def test_review_merge_page_lists_gains_and_moves_only_what_stays_ticked(client, editor):
    # Issue 18.4: merging a candidate must not silently add Egypt to a published event.
    source = _candidate("The Hamas delegation left Cairo.", "The Hamas delegation left Cairo.")
    kept = f.EventFactory(negotiation=source.negotiation, kind=source.kind, date=None)
    hamas, egypt = f.ActorFactory(name="Hamas"), f.ActorFactory(name="Egypt")
    keep = f.EventParticipantFactory(event=source, actor=hamas)
    f.EventParticipantFactory(event=source, actor=egypt)
    citation = source.citations.get()
    url = reverse("admin:timeline_event_review_merge", args=[source.pk, kept.pk])

    page = client.get(url).content.decode()
    before = set(kept.participants.values_list("actor__name", flat=True))
    client.post(url, {"participant": [keep.pk], "citation": [citation.pk], "field": []})

    assert "Hamas" in page and "Egypt" in page and "Date:" in page
    gained = set(kept.participants.values_list("actor__name", flat=True)) - before
    assert gained == {"Hamas"}
    citation.refresh_from_db()
    kept.refresh_from_db()
    assert citation.event == kept
    assert kept.date is None  # unticked: the kept event keeps its own (missing) date


# --- possible duplicates (issue 13): side by side, and publish refused until resolved --------


def _duplicate_pair() -> tuple[m.Event, m.Event]:
    """A published event cited for one sentence, and a candidate from another report that the
    matcher named a possible duplicate of it."""
    published = f.EventFactory(summary="Delegations met in Cairo", kind=m.EventKind.MEETING)
    report = f.ArticleFactory(text="Earlier. Delegations met in Cairo on Sunday. Later.")
    quote = "Delegations met in Cairo on Sunday."
    start = report.text.index(quote)
    f.CitationFactory(event=published, article=report, start=start, end=start + len(quote))
    candidate = _candidate(
        "Other outlet. The two sides held talks in the Egyptian capital. More.",
        "The two sides held talks in the Egyptian capital.",
        negotiation=published.negotiation,
        kind=m.EventKind.PROPOSAL,  # another kind: no look-alike, only the matcher's word
        possible_duplicates=[{"event": published.pk, "score": 0.64, "summary": "x"}],
    )
    return published, candidate


def test_review_card_shows_each_possible_duplicate_beside_the_candidate_both_quotes_marked(
    client, editor
):
    published, candidate = _duplicate_pair()

    html = client.get(reverse("admin:timeline_event_review")).content.decode()

    card = html[html.index(f'id="event-{candidate.pk}"') :]
    side_by_side = card[card.index('class="side-by-side"') : card.index("Attach as its citation")]
    assert "<mark>The two sides held talks in the Egyptian capital.</mark>" in side_by_side
    assert "<mark>Delegations met in Cairo on Sunday.</mark>" in side_by_side
    assert f"score 0.64 · event {published.pk}" in card
    assert 'name="not-a-duplicate"' in card
    # The candidate's own page says so too, with the same override.
    detail = client.get(reverse("admin:timeline_event_review_event", args=[candidate.pk]))
    assert "<mark>Delegations met in Cairo on Sunday.</mark>" in detail.content.decode()
    assert 'name="not-a-duplicate"' in detail.content.decode()


def test_review_publish_of_a_possible_duplicate_is_refused_then_overridden(client, editor):
    published, candidate = _duplicate_pair()
    url = reverse("admin:timeline_event_review_event", args=[candidate.pk])

    refused = client.post(url, {"decision": "publish"}, follow=True)

    assert any(f"same happening as event {published.pk} (0.64)" in t for t in _messages(refused))
    candidate.refresh_from_db()
    assert candidate.status == m.ReviewStatus.CANDIDATE

    client.post(url, {"decision": "publish", "not-a-duplicate": "1"})

    candidate.refresh_from_db()
    assert candidate.status == m.ReviewStatus.PUBLISHED


def test_bulk_and_list_publish_leave_a_possible_duplicate_waiting(client, editor):
    _published, candidate = _duplicate_pair()
    plain = _candidate("The talks collapsed.", "The talks collapsed.")

    client.post(
        reverse("admin:timeline_event_review_bulk"),
        {"decision": "publish", "ids": [candidate.pk, plain.pk]},
    )
    client.post(
        reverse("admin:timeline_event_changelist"),
        {"action": "publish_events", "_selected_action": [candidate.pk]},
    )

    candidate.refresh_from_db()
    plain.refresh_from_db()
    assert (candidate.status, plain.status) == (m.ReviewStatus.CANDIDATE, m.ReviewStatus.PUBLISHED)


def test_a_possible_duplicate_kept_separate_publishes(client, editor):
    _published, candidate = _duplicate_pair()
    client.post(reverse("admin:timeline_event_review_separate", args=[candidate.pk]))

    client.post(
        reverse("admin:timeline_event_review_event", args=[candidate.pk]), {"decision": "publish"}
    )

    candidate.refresh_from_db()
    assert candidate.status == m.ReviewStatus.PUBLISHED
