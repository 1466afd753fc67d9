"""The extractor names kinds in plain strings (it never imports Django models); they must be
values the models accept."""

from __future__ import annotations

from timeline.extraction import dates, events, positions
from timeline.models import DatePrecision, EventKind, Modality, PositionKind


def test_vocabulary_event_kinds_are_model_choices():
    kinds = {kind for kind, _ in events.TRIGGERS} | {events.STATEMENT, events.SCHEDULED}

    assert kinds <= set(EventKind.values)


def test_vocabulary_position_kinds_are_model_choices():
    assert {kind for kind, _ in positions.PATTERNS} <= set(PositionKind.values)


def test_vocabulary_date_precisions_are_model_choices():
    used = {dates.DAY, dates.WEEK, dates.MONTH, dates.YEAR, dates.APPROXIMATE}

    assert used <= set(DatePrecision.values)


def test_vocabulary_modalities_are_model_choices(run):
    result = run(
        "Hamas' political leadership meets on Monday in Doha. Israel made a new offer to "
        "Hamas. On Sunday, Hamas fired rockets."
    )

    assert {e.modality for e in result.events} <= set(Modality.values)
