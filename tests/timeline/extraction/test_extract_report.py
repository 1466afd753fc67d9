"""``manage.py extract_report``: scores, errors with their sentences, and the kind confusion."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from timeline.extraction.evaluation import score_article

ARTICLE = {
    "id": "t",
    "published_at": "2024-05-23",
    "title": "Talks",
    "text": (
        "Negotiators met in Geneva on Monday. "
        "The union walked out of the talks on Tuesday.\n\n"
        "The talks will resume in Oslo next month."
    ),
}


def _gold(**gold):
    base = {"people": [], "venues": [], "events": [], "quotes": [], "positions": []}
    return ARTICLE | {"gold": base | gold}


def test_score_article_counts_like_the_scorer_and_names_the_errors():
    gold = _gold(
        venues=["Geneva", "Vienna"],
        events=[
            {"type": "meeting", "date": "2024-05-20", "summary": "met"},
            {"type": "agreement", "date": "2024-05-21", "summary": "deal"},
        ],
    )["gold"]
    pred = {
        "venues": ["Geneva", "Oslo"],
        "events": [
            {"type": "meeting", "date": "2024-05-20", "summary": "met"},
            {"type": "breakdown", "date": "2024-05-21", "summary": "walked out"},
        ],
    }
    counts, errors = score_article(gold, pred)
    assert counts["venues"] == [1, 2, 2]
    assert counts["events"] == [1, 2, 2]
    assert counts["event dates"] == [1, 2, 2]
    assert errors.misses["venues"] == ["Vienna"]
    assert errors.false_alarms["venues"] == ["Oslo"]
    # The agreement found on its day as a breakdown is a typing error, not a miss plus an alarm.
    assert errors.confusion[("agreement", "breakdown")] == 1
    assert errors.confusion[("meeting", "meeting")] == 1


def test_report_prints_scores_errors_with_sentences_and_the_matrix(tmp_path):
    (tmp_path / "half").mkdir()
    doc = _gold(
        venues=["Geneva"],
        events=[{"type": "agreement", "date": "2024-05-21", "summary": "a deal was struck"}],
        positions=[{"party": "Ruritania", "issue": "x", "stance": "wants the moon"}],
    )
    (tmp_path / "half" / "one.json").write_text(json.dumps(doc), encoding="utf-8")
    out = StringIO()
    call_command("extract_report", str(tmp_path), "--no-db", stdout=out)
    report = out.getvalue()
    assert "half/one.json" in report  # files in sub-directories (tune/, check/) are read
    assert "Scores over 1 articles" in report
    assert "positions    MISS   Ruritania: wants the moon" in report
    # A false alarm comes with the sentence it was found in.
    assert "FALSE  breakdown 2024-05-21" in report
    assert "Event kinds: rows gold, columns found" in report
    matrix = report.split("Event kinds")[1].splitlines()
    agreement_row = next(line for line in matrix if line.startswith("agreement"))
    assert "1" in agreement_row


def test_report_refuses_a_missing_dir_and_bad_files(tmp_path):
    with pytest.raises(CommandError, match="not a directory"):
        call_command("extract_report", str(tmp_path / "nope"))
    with pytest.raises(CommandError, match="no gold files"):
        call_command("extract_report", str(tmp_path))
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("extract_report", str(tmp_path))
    (tmp_path / "bad.json").write_text(json.dumps(_gold()), encoding="utf-8")
    with pytest.raises(CommandError, match="unknown field"):
        call_command("extract_report", str(tmp_path), "--field", "vibes")
