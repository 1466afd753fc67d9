"""The dev-set figures of the extractor, scored like ../shared/tools/score_extraction.py.

The floors sit a little below what the extractor reaches today, so a change that makes
extraction worse fails here. The gold files are a development set: the real judgement is on
unseen articles, so these floors guard against regressions, they are not the goal.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from timeline.extraction import ArticleInput, default_gazetteer, extract, to_gold_dict

FLOORS = {
    "people": 0.98,
    "venues": 0.99,
    "quotes": 0.99,
    "attribution": 0.98,
    "events": 0.73,
    "event dates": 0.88,
    "positions": 0.67,
}
ARTICLE_KEYS = ("id", "url", "publication", "published_at", "title", "byline", "text")


def _scorer(gold_dir: Path):
    path = gold_dir.parent / "tools" / "score_extraction.py"
    if not path.exists():
        skip_or_fail(f"the scoring tool is not at {path}")
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dev_results(gold_dir):
    """Each gold file with the extractor's result on it, extracted once for every test here."""
    gazetteer = default_gazetteer()
    files = sorted(gold_dir.glob("*.json"))
    assert files, f"no gold files in {gold_dir}"
    out = []
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        article = ArticleInput.from_dict({k: doc.get(k) for k in ARTICLE_KEYS})
        out.append((doc, article, extract(article, gazetteer)))
    return out


@pytest.fixture(scope="module")
def dev_scores(gold_dir, dev_results):
    scorer = _scorer(gold_dir)
    totals = {field: [0, 0, 0] for field in FLOORS}
    for doc, _article, result in dev_results:
        predicted = to_gold_dict(result)
        for field, (tp, n_pred, n_gold) in scorer.score_one(doc["gold"], predicted).items():
            totals[field][0] += tp
            totals[field][1] += n_pred
            totals[field][2] += n_gold
    scores = {field: scorer.prf(*counts)[2] for field, counts in totals.items()}
    print("dev-set F1:", {k: round(v, 3) for k, v in scores.items()})
    return scores


@pytest.mark.parametrize("field", list(FLOORS))
def test_gold_dev_set_f1_stays_above_floor(dev_scores, field):
    assert dev_scores[field] >= FLOORS[field], (field, dev_scores[field])


def test_gold_every_quote_span_is_exact(dev_results):
    for _doc, article, result in dev_results:
        for quote in result.quotes:
            assert article.text[quote.start : quote.end] == quote.text
        for event in result.events:
            assert 0 <= event.start < event.end <= len(article.text)
