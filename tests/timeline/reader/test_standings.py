"""Where things stand: current stances, history, 'as of'."""

from __future__ import annotations

import pytest

from tests import factories as f
from timeline import models as m

from .pages import html_of

pytestmark = pytest.mark.django_db


def test_standings_show_current_stance_change_date_and_history(client, talks):
    html = html_of(client, "/n/israel-hamas/where-things-stand/")

    assert "phased ceasefire accepted" in html
    assert 'Since <time class="when" datetime="2024-06-01">Saturday 1 June 2024</time>' in html
    history = html[html.index('<details class="history">') :]
    assert "1 earlier position" in history
    assert "permanent ceasefire" in history
    assert "temporary pause only" in html
    assert "Narrowing: Hamas has made an offer or concession" in html


def test_standings_as_of_shows_the_stance_held_then(client, talks):
    html = html_of(client, "/n/israel-hamas/where-things-stand/?as_of=2024-05-20")

    assert "permanent ceasefire" in html
    assert "phased ceasefire accepted" not in html
    assert "Far apart: every side holds a demand or red line" in html


def test_standings_include_a_mediator_who_took_a_stance(client, talks):
    f.PositionFactory(
        issue=talks.ceasefire,
        party=talks.egypt,
        stance="ceasefire first",
        status=m.ReviewStatus.PUBLISHED,
    )

    html = html_of(client, "/n/israel-hamas/where-things-stand/")

    assert "ceasefire first" in html
    assert html.index('data-party="Hamas"') < html.index('data-party="Egypt"')


def test_standings_bad_as_of_is_reported_and_today_shown(client, talks):
    response = client.get("/n/israel-hamas/where-things-stand/?as_of=someday")

    html = response.content.decode()
    assert response.status_code == 200
    assert "As of: Enter a valid date. Showing positions as they stand today." in html
    assert "phased ceasefire accepted" in html
