"""The review queue of candidate positions."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests import factories as f
from tests.timeline.admin.support import (
    ADMIN_MARKS,
    _login,
    _messages,
    _url,
)
from timeline import models as m
from timeline.demo.loader import load_curated, propose_candidates
from timeline.services import position_publish

pytestmark = ADMIN_MARKS


# --- the review queue of candidate positions --------------------------------------------------


def _candidate_position(text: str, quote: str, **kwargs) -> m.Position:
    article = f.ArticleFactory(text=text)
    position = f.PositionFactory(source_article=article, **kwargs)
    start = text.index(quote)
    f.CitationFactory(
        event=None, position=position, article=article, start=start, end=start + len(quote)
    )
    return position


def _published_position(**kwargs) -> m.Position:
    return position_publish(f.PositionFactory(**kwargs))


def test_position_review_queue_highlights_quote_and_names_the_stance_it_supersedes(client, editor):
    current = _published_position(stance="six-week truce", valid_from=dt.date(2024, 5, 1))
    candidate = _candidate_position(
        "Before <b>x</b>. Hamas demands a permanent ceasefire. After.",
        "Hamas demands a permanent ceasefire.",
        issue=current.issue,
        party=current.party,
        stance="permanent ceasefire",
        valid_from=dt.date(2024, 5, 19),
    )
    f.PositionFactory(status=m.ReviewStatus.REJECTED, stance="Already rejected")

    response = client.get(reverse("admin:timeline_position_review"))

    html = response.content.decode()
    card = html[html.index(f'id="position-{candidate.pk}"') :]
    assert "<mark>Hamas demands a permanent ceasefire.</mark>" in card
    assert "&lt;b&gt;x&lt;/b&gt;" in card
    assert "“six-week truce”" in card
    assert "Publishing supersedes it." in card
    assert "Already rejected" not in html
    assert f'id="position-{current.pk}"' not in html


@pytest.mark.parametrize("n_candidates", [1, 3])
def test_position_review_queue_query_count_is_fixed(
    client, editor, django_assert_num_queries, n_candidates
):
    for i in range(n_candidates):
        party = _published_position().party
        _candidate_position(
            f"Report {i}. Hamas demands a truce.", "Hamas demands a truce", party=party
        )

    # session, user, user and group permissions, count, candidates, citations,
    # current stances of the page's parties
    with django_assert_num_queries(8):
        response = client.get(reverse("admin:timeline_position_review"))

    assert response.content.count(b"<mark>Hamas demands a truce</mark>") == n_candidates


def test_position_review_page_shows_full_article_with_mark(client, editor):
    position = _candidate_position(
        "One. Two <i>y</i>. Israel rejects a full withdrawal. Three.",
        "Israel rejects a full withdrawal.",
    )

    response = client.get(reverse("admin:timeline_position_review_position", args=[position.pk]))

    html = response.content.decode()
    assert (
        "One. Two &lt;i&gt;y&lt;/i&gt;. <mark>Israel rejects a full withdrawal.</mark> Three."
        in html
    )
    assert 'name="decision" value="publish"' in html


def test_position_review_publish_supersedes_the_current_stance(client, editor):
    current = _published_position(stance="six-week truce", valid_from=dt.date(2024, 5, 1))
    candidate = _candidate_position(
        "Hamas now demands a permanent ceasefire.",
        "Hamas now demands a permanent ceasefire.",
        issue=current.issue,
        party=current.party,
        stance="permanent ceasefire",
        valid_from=dt.date(2024, 5, 19),
    )
    url = reverse("admin:timeline_position_review_position", args=[candidate.pk])

    response = client.post(url, {"decision": "publish"})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:timeline_position_review")
    candidate.refresh_from_db()
    current.refresh_from_db()
    assert (candidate.status, candidate.is_current, candidate.supersedes) == (
        m.ReviewStatus.PUBLISHED,
        True,
        current,
    )
    assert current.is_current is False
    assert candidate.history.first().history_user == editor
    messages = _messages(client.get(reverse("admin:timeline_position_review")))
    assert any("superseding “six-week truce”" in text for text in messages)


def test_position_review_publish_older_stance_joins_history(client, editor):
    current = _published_position(valid_from=dt.date(2024, 5, 19))
    older = _candidate_position(
        "Earlier it had offered a pause.",
        "Earlier it had offered a pause.",
        issue=current.issue,
        party=current.party,
        valid_from=dt.date(2024, 5, 1),
    )
    url = reverse("admin:timeline_position_review_position", args=[older.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"decision": "publish"}, follow=True)

    assert "This one is older" in page
    older.refresh_from_db()
    current.refresh_from_db()
    assert (older.status, older.is_current, current.is_current) == (
        m.ReviewStatus.PUBLISHED,
        False,
        True,
    )
    assert any("joins the history" in text for text in _messages(response))


def test_position_review_reject(client, editor):
    position = _candidate_position("A rumoured offer.", "A rumoured offer.")

    response = client.post(
        reverse("admin:timeline_position_review_position", args=[position.pk]),
        {"decision": "reject", "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("admin:timeline_position_review")
    position.refresh_from_db()
    assert (position.status, position.is_current) == (m.ReviewStatus.REJECTED, False)


def test_position_review_reject_published_is_refused_and_changes_nothing(client, editor):
    position = _published_position()

    response = client.post(
        reverse("admin:timeline_position_review_position", args=[position.pk]),
        {"decision": "reject"},
        follow=True,
    )

    assert any("Only candidate positions can be rejected" in t for t in _messages(response))
    position.refresh_from_db()
    assert (position.status, position.is_current) == (m.ReviewStatus.PUBLISHED, True)


def test_position_review_unknown_decision_changes_nothing(client, editor):
    position = _candidate_position("A rumoured offer.", "A rumoured offer.")

    response = client.post(
        reverse("admin:timeline_position_review_position", args=[position.pk]),
        {"decision": "merge"},
        follow=True,
    )

    assert any("Choose publish or reject" in t for t in _messages(response))
    position.refresh_from_db()
    assert position.status == m.ReviewStatus.CANDIDATE


def test_position_review_viewer_sees_but_cannot_decide(client):
    _login(client, "Viewers")
    position = _candidate_position("A rumoured offer.", "A rumoured offer.")

    queue = client.get(reverse("admin:timeline_position_review"))
    page = client.get(reverse("admin:timeline_position_review_position", args=[position.pk]))
    decide = client.post(
        reverse("admin:timeline_position_review_position", args=[position.pk]),
        {"decision": "publish"},
    )

    assert (queue.status_code, page.status_code, decide.status_code) == (200, 200, 403)
    assert b"<mark>A rumoured offer.</mark>" in queue.content
    assert b'name="decision"' not in queue.content + page.content
    position.refresh_from_db()
    assert position.status == m.ReviewStatus.CANDIDATE


def test_position_review_queue_on_demo_extraction_lists_the_extractors_positions(admin_client):
    report = load_curated()
    propose_candidates(report.article, report.negotiation)
    candidates = m.Position.objects.filter(status=m.ReviewStatus.CANDIDATE)

    response = admin_client.get(reverse("admin:timeline_position_review"))
    changelist = admin_client.get(_url(m.Position, "changelist"))

    assert candidates.exists()
    html = response.content.decode()
    shown = {int(pk) for pk in re.findall(r'id="position-(\d+)"', html)}
    assert shown == set(candidates.values_list("pk", flat=True))
    assert html.count("<mark>") >= candidates.count()
    assert f"Review queue ({candidates.count()} candidate".encode() in changelist.content
