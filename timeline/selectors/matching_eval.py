"""Precision and recall of the matcher's "same happening" on the labelled pairs (issue 13).

Three files of pairs under ``tests/data/corroboration``: ``pairs.json``, the *tune* set the
weights and thresholds in the settings were chosen on, ``pairs_check.json``, the *check*
set, written afterwards from other negotiations and never used to choose anything, and
``pairs_fresh.json``, the *fresh* set, written before the matcher's second revision from yet
other negotiations (the last two give the honest estimates). A pair is two reports' accounts of events of real
negotiations, each labelled ``same`` (one happening, told by two outlets or two ways) or
``different`` (a neighbour: the same day, place, parties or kind, but another happening).
Names stand for rows: every distinct actor or place name gets an id, as the resolver would.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from .matching import Happening, same_happening

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "corroboration"
PAIRS = DATA / "pairs.json"
CHECK = DATA / "pairs_check.json"
# Written before the matcher's second revision (summary synonyms, stems), from negotiations
# in neither file above, and never used to choose anything: a second held-out estimate.
FRESH = DATA / "pairs_fresh.json"
# Each labelled file by name, the tune set first: ``corroboration_eval`` prints them all.
FILES = {"tune": PAIRS, "check": CHECK, "fresh": FRESH}


@dataclass(frozen=True)
class Figures:
    pairs: int
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int
    mistakes: tuple[str, ...]

    @property
    def precision(self) -> float:
        said_same = self.true_positive + self.false_positive
        return self.true_positive / said_same if said_same else 1.0

    @property
    def recall(self) -> float:
        same = self.true_positive + self.false_negative
        return self.true_positive / same if same else 1.0


def _happening(side: dict, ids: dict[str, int]) -> Happening:
    def ident(name: str) -> int:
        return ids.setdefault(name.casefold(), len(ids) + 1)

    return Happening.of(
        kind=side["kind"],
        date=dt.date.fromisoformat(side["date"]) if side.get("date") else None,
        date_precision=side.get("precision") or "day",
        place_id=ident("place:" + side["place"]) if side.get("place") else None,
        actor_ids=[ident("actor:" + name) for name in side.get("actors", [])],
        summary=side["summary"],
    )


def evaluate(path: Path = PAIRS) -> Figures:
    pairs = json.loads(path.read_text(encoding="utf-8"))
    ids: dict[str, int] = {}
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    mistakes = []
    for n, pair in enumerate(pairs):
        said = same_happening(_happening(pair["a"], ids), _happening(pair["b"], ids))
        truth = pair["label"] == "same"
        key = ("t" if said == truth else "f") + ("p" if said else "n")
        counts[key] += 1
        if said != truth:
            mistakes.append(f"#{n} {pair['label']}: {pair['note']}")
    return Figures(
        pairs=len(pairs),
        true_positive=counts["tp"],
        false_positive=counts["fp"],
        false_negative=counts["fn"],
        true_negative=counts["tn"],
        mistakes=tuple(mistakes),
    )
