"""Scoring the extractor against gold files, and listing where it goes wrong.

The matching rules are those of ``../shared/tools/score_extraction.py`` (lenient about wording,
strict about facts), so the figures here equal the scorer's; what this module adds is the list
of misses and false alarms per field, with the sentence each comes from, and the confusion
between event kinds (a gold event found on the right day under the wrong kind).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIELDS = ("people", "venues", "quotes", "attribution", "events", "event dates", "positions")
ARTICLE_KEYS = ("id", "url", "publication", "published_at", "title", "byline", "text")
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "sheikh",
        "president",
        "prime",
        "minister",
        "general",
        "gen",
        "col",
        "director",
        "secretary",
        "king",
        "prince",
        "emir",
    ]
)
MISSING = "-"  # the row or column of an event found under no kind


def norm(s: str | None) -> list[str]:
    s = (s or "").lower().replace("\u2019", "'").replace("\u2018", "'")
    s = s.replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"[^a-z0-9' ]+", " ", s).split()


def name_key(s: str | None) -> str:
    return " ".join(t for t in norm(s) if t not in _TITLES)


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


class _People:
    """Gold people by every accepted key: the name, its aliases, a surname no one else has."""

    def __init__(self, gold_people: list[dict]):
        self.keys: list[set[str]] = []
        surnames: dict[str, list[int]] = {}
        for i, person in enumerate(gold_people):
            keys = {name_key(person["name"])} | {name_key(a) for a in person.get("aliases", [])}
            self.keys.append({k for k in keys if k})
            surname = (name_key(person["name"]).split() or [""])[-1]
            surnames.setdefault(surname, []).append(i)
        for surname, owners in surnames.items():
            if surname and len(owners) == 1:
                self.keys[owners[0]].add(surname)

    def match(self, name: str | None) -> int | None:
        key = name_key(name)
        return next((i for i, keys in enumerate(self.keys) if key and key in keys), None)


def quote_match(a: str, b: str) -> bool:
    na, nb = " ".join(norm(a)), " ".join(norm(b))
    if not na or not nb:
        return False
    if na in nb or nb in na:
        return True
    sa, sb = set(na.split()), set(nb.split())
    return len(sa & sb) / len(sa | sb) >= 0.6


def _greedy(pred: list, gold: list, ok: Callable[[Any, Any], bool]) -> list[tuple[int, int]]:
    used: set[int] = set()
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if j not in used and ok(p, g):
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


def _position_ok(p: dict, g: dict) -> bool:
    if name_key(p.get("party", "")) != name_key(g["party"]):
        return False
    a, b = set(norm(p.get("stance", ""))), set(norm(g["stance"]))
    return bool(a and b) and len(a & b) / len(b) >= 0.3


def _event_ok(p: dict, g: dict) -> bool:
    return p.get("type") == g["type"] and (p.get("date") or None) == (g.get("date") or None)


@dataclass
class Errors:
    """What one article's extraction missed (gold not found) and invented (found, not gold)."""

    misses: dict[str, list[str]] = field(default_factory=dict)
    false_alarms: dict[str, list[str]] = field(default_factory=dict)
    confusion: Counter = field(default_factory=Counter)  # (gold kind, predicted kind) -> count


def score_article(gold: dict, pred: dict) -> tuple[dict[str, list[int]], Errors]:
    """[tp, predicted, gold] per field, as the scorer counts them, and the errors behind them."""
    counts: dict[str, list[int]] = {}
    errors = Errors()
    people = _People(gold.get("people", []))

    found_people: set[int] = set()
    unknown = []
    for person in pred.get("people", []):
        name = person.get("name") if isinstance(person, dict) else person
        index = people.match(name or "")
        if index is None:
            unknown.append(name or "")
        else:
            found_people.add(index)
    counts["people"] = [len(found_people), len(pred.get("people", [])), len(people.keys)]
    errors.misses["people"] = [
        p["name"] for i, p in enumerate(gold.get("people", [])) if i not in found_people
    ]
    errors.false_alarms["people"] = unknown

    gold_venues = {name_key(v): v for v in gold.get("venues", [])}
    pred_venues = {
        name_key(v if isinstance(v, str) else v.get("name", "")): v for v in pred.get("venues", [])
    }
    counts["venues"] = [
        len(gold_venues.keys() & pred_venues.keys()),
        len(pred_venues),
        len(gold_venues),
    ]
    errors.misses["venues"] = [v for k, v in gold_venues.items() if k not in pred_venues]
    errors.false_alarms["venues"] = [
        v if isinstance(v, str) else v.get("name", "")
        for k, v in pred_venues.items()
        if k not in gold_venues
    ]

    gold_quotes, pred_quotes = gold.get("quotes", []), pred.get("quotes", [])
    pairs = _greedy(
        pred_quotes, gold_quotes, lambda p, g: quote_match(p.get("text", ""), g["text"])
    )
    counts["quotes"] = [len(pairs), len(pred_quotes), len(gold_quotes)]
    matched_gold = {j for _, j in pairs}
    matched_pred = {i for i, _ in pairs}
    errors.misses["quotes"] = [
        q["text"] for j, q in enumerate(gold_quotes) if j not in matched_gold
    ]
    errors.false_alarms["quotes"] = [
        q.get("text", "") for i, q in enumerate(pred_quotes) if i not in matched_pred
    ]
    right = 0
    wrong = []
    for i, j in pairs:
        g, p = gold_quotes[j], pred_quotes[i]
        if g.get("speaker"):
            ok = people.match(p.get("speaker") or "") == people.match(g["speaker"]) is not None
        else:
            ok = not p.get("speaker") or bool(p.get("anonymous"))
        right += int(ok)
        if not ok:
            wrong.append(f"{g['text'][:60]!r}: gold {g.get('speaker')}, found {p.get('speaker')}")
    counts["attribution"] = [right, len(pred_quotes), len(gold_quotes)]
    errors.misses["attribution"] = wrong
    errors.false_alarms["attribution"] = []

    gold_events, pred_events = gold.get("events", []), pred.get("events", [])
    pairs = _greedy(pred_events, gold_events, _event_ok)
    counts["events"] = [len(pairs), len(pred_events), len(gold_events)]
    dated = [j for j, g in enumerate(gold_events) if g.get("date")]
    hit = {j for _, j in pairs if gold_events[j].get("date")}
    counts["event dates"] = [len(hit), len(dated), len(dated)]
    left_gold = [j for j in range(len(gold_events)) if j not in {j for _, j in pairs}]
    left_pred = [i for i in range(len(pred_events)) if i not in {i for i, _ in pairs}]
    for kind_pair in _confused(gold_events, pred_events, left_gold, left_pred):
        errors.confusion[kind_pair] += 1
    for _, j in pairs:
        errors.confusion[(gold_events[j]["type"], gold_events[j]["type"])] += 1
    errors.misses["events"] = [
        f"{g['type']} {g.get('date') or 'undated'} ({g.get('date_text') or '-'}): {g['summary']}"
        for j, g in enumerate(gold_events)
        if j in left_gold
    ]
    errors.false_alarms["events"] = [
        f"{p.get('type')} {p.get('date') or 'undated'}: {p.get('summary', '')}"
        for i, p in enumerate(pred_events)
        if i in left_pred
    ]
    errors.misses["event dates"] = [
        f"{gold_events[j]['type']} {gold_events[j]['date']} ({gold_events[j].get('date_text')})"
        for j in dated
        if j not in hit
    ]
    errors.false_alarms["event dates"] = []

    gold_pos, pred_pos = gold.get("positions", []), pred.get("positions", [])
    pairs = _greedy(pred_pos, gold_pos, _position_ok)
    counts["positions"] = [len(pairs), len(pred_pos), len(gold_pos)]
    errors.misses["positions"] = [
        f"{g['party']}: {g['stance']}"
        for j, g in enumerate(gold_pos)
        if j not in {j for _, j in pairs}
    ]
    errors.false_alarms["positions"] = [
        f"{p.get('party')}: {p.get('stance')}"
        for i, p in enumerate(pred_pos)
        if i not in {i for i, _ in pairs}
    ]
    return counts, errors


def _confused(
    gold: list[dict], pred: list[dict], left_gold: list[int], left_pred: list[int]
) -> Iterable[tuple[str, str]]:
    """Unmatched gold events paired with unmatched predictions of the same day, else with none.

    A pair on the same day under two kinds is the typing error the confusion matrix shows;
    an undated gold event is paired with an undated prediction only when nothing else is left.
    """
    free = list(left_pred)
    for j in left_gold:
        day = gold[j].get("date") or None
        same_day = [i for i in free if (pred[i].get("date") or None) == day and day]
        if same_day:
            free.remove(same_day[0])
            yield gold[j]["type"], pred[same_day[0]].get("type", MISSING)
        else:
            yield gold[j]["type"], MISSING
    for i in free:
        yield MISSING, pred[i].get("type", MISSING)


def load_gold(gold_dir: Path) -> list[tuple[Path, dict]]:
    """Every ``*.json`` gold file under ``gold_dir`` (sub-directories too), in name order."""
    files = sorted(gold_dir.rglob("*.json"))
    out = []
    for path in files:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} is not valid JSON: {exc}") from exc
        if not isinstance(doc, dict) or "gold" not in doc or "text" not in doc:
            raise ValueError(f'{path} has no "text" and "gold" keys (see SCHEMA.md)')
        out.append((path, doc))
    return out


def article_of(doc: dict) -> dict:
    """The article alone, never the gold key, as the scorer hands it to the extractor."""
    return {k: doc.get(k) for k in ARTICLE_KEYS}


def totals(per_article: Iterable[dict[str, list[int]]]) -> dict[str, tuple[float, float, float]]:
    summed = {f: [0, 0, 0] for f in FIELDS}
    for counts in per_article:
        for f in FIELDS:
            for i in range(3):
                summed[f][i] += counts[f][i]
    return {f: prf(*summed[f]) for f in FIELDS}


def mean_f1(scores: dict[str, tuple[float, float, float]]) -> float:
    return sum(scores[f][2] for f in FIELDS) / len(FIELDS)
