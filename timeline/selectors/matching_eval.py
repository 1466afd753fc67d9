"""Precision and recall of the matcher's "same happening" on the labelled pairs (issue 13).

Four files of pairs under ``tests/data/corroboration``: ``pairs.json``, the *tune* set the
weights and thresholds in the settings were chosen on, ``pairs_check.json``, the *check*
set, written afterwards from other negotiations and never used to choose anything, and
``pairs_fresh.json``, the *fresh* set, written before the matcher's second revision from yet
other negotiations, and ``pairs_fresh2.json``, *fresh2*, written after the fresh set's misses
had been read (the held-out files give the honest estimates). A pair is two reports' accounts of events of real
negotiations, each labelled ``same`` (one happening, told by two outlets or two ways) or
``different`` (a neighbour: the same day, place, parties or kind, but another happening).
Names stand for rows, as the resolver would make them: ``world.json`` holds what a newsroom's
actor and place tables would say about every name of the four files (which place lies
within which, a person's state or organisation, aliases and acronyms), written from general
knowledge with one rule for every name. ``evaluate`` creates those rows in a transaction it
rolls back, resolves each name through them the way the extraction resolver does (a place by
its name, an actor by its name or an alias), and scores each pair with the chains
``known_about`` reads from them: the same knowledge, read the same way, as ``find_matches``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from timeline.models import Actor, ActorAlias, AliasKind, Place, normalize_name

from .matching import Happening, known_about, same_happening

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "corroboration"
PAIRS = DATA / "pairs.json"
CHECK = DATA / "pairs_check.json"
# Written before the matcher's second revision (summary synonyms, stems), from negotiations
# in neither file above, and never used to choose anything: a second held-out estimate.
FRESH = DATA / "pairs_fresh.json"
# Written after the fresh set's misses had been read (so that set is no longer unseen), from
# negotiations in none of the files above, and measured before any change chosen on them.
FRESH2 = DATA / "pairs_fresh2.json"
# Each labelled file by name, the tune set first: ``corroboration_eval`` prints them all.
FILES = {"tune": PAIRS, "check": CHECK, "fresh": FRESH, "fresh2": FRESH2}
# The actor and place tables' facts for every name in the files above (not a labelled file).
WORLD = DATA / "world.json"


@dataclass(frozen=True)
class Figures:
    pairs: int
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int
    mistakes: tuple[str, ...]
    # Names of the pairs that world.json does not hold: each became a row of its own, with
    # nothing known about it. Empty when the world file covers every name, as it should.
    unknown: tuple[str, ...] = field(default=())

    @property
    def precision(self) -> float:
        said_same = self.true_positive + self.false_positive
        return self.true_positive / said_same if said_same else 1.0

    @property
    def recall(self) -> float:
        same = self.true_positive + self.false_negative
        return self.true_positive / same if same else 1.0


class _Rows:
    """The world file's places and actors as rows, and a resolver over those rows only (never
    another row the database happens to hold, so the figures do not depend on it). Rows are
    inserted in bulk: they live only until ``evaluate`` rolls back, and need no history."""

    def __init__(self, world: dict) -> None:
        self.unknown: list[str] = []
        created = Place.objects.bulk_create(
            self._place(entry["name"], n, entry.get("country_code") or "")
            for n, entry in enumerate(world["places"])
        )
        self.places = {place.name.casefold(): place for place in created}
        for entry in world["places"]:
            if entry.get("within"):
                place = self.places[entry["name"].casefold()]
                place.within = self.places[entry["within"].casefold()]
                place.full_clean(exclude=["slug"])  # never a place within itself
        Place.objects.bulk_update(created, ["within"])
        actors = Actor.objects.bulk_create(
            self._actor(entry["name"], n, entry["kind"]) for n, entry in enumerate(world["actors"])
        )
        by_name = {actor.name: actor for actor in actors}
        ActorAlias.objects.bulk_create(
            ActorAlias(
                actor=by_name[entry["name"]],
                name=alias,
                normalized=normalize_name(alias),
                kind=AliasKind.NAME,
            )
            for entry in world["actors"]
            for alias in entry.get("aliases", ())
        )
        for entry in world["actors"]:
            if entry.get("affiliation"):
                by_name[entry["name"]].affiliation = by_name[entry["affiliation"]]
        Actor.objects.bulk_update(actors, ["affiliation"])
        self.actor_ids = [actor.pk for actor in actors]
        self.resolved: dict[str, int] = {}

    @staticmethod
    def _place(name: str, n: int, country_code: str = "") -> Place:
        return Place(name=name, slug=f"eval-place-{n}", country_code=country_code)

    @staticmethod
    def _actor(name: str, n: int, kind: str = "organisation") -> Actor:
        return Actor(
            name=name, normalized_name=normalize_name(name), slug=f"eval-actor-{n}", kind=kind
        )

    def place_id(self, name: str) -> int:
        key = name.casefold()
        if key not in self.places:
            self.unknown.append(f"place {name}")
            place = self._place(name, len(self.places))
            place.save()
            self.places[key] = place
        return self.places[key].pk

    def actor_id(self, name: str) -> int:
        key = normalize_name(name)
        if key in self.resolved:
            return self.resolved[key]
        # The extraction resolver's lookup: the name or an alias, normalised.
        found = (
            Actor.objects.matching_name(name)
            .filter(pk__in=self.actor_ids)
            .order_by("id")
            .values_list("pk", flat=True)
            .first()
        )
        if found is None:
            self.unknown.append(f"actor {name}")
            actor = self._actor(name, len(self.actor_ids) + len(self.unknown))
            actor.save()
            found = actor.pk
        self.resolved[key] = found
        return found


def _happening(side: dict, rows: _Rows) -> Happening:
    return Happening.of(
        kind=side["kind"],
        date=dt.date.fromisoformat(side["date"]) if side.get("date") else None,
        date_precision=side.get("precision") or "day",
        place_id=rows.place_id(side["place"]) if side.get("place") else None,
        actor_ids=[rows.actor_id(name) for name in side.get("actors", [])],
        summary=side["summary"],
    )


class _RollBack(Exception):
    """Leaves the database as it was: the world's rows exist only while scoring."""


def evaluate(path: Path = PAIRS, world: Path = WORLD) -> Figures:
    pairs = json.loads(path.read_text(encoding="utf-8"))
    facts = json.loads(world.read_text(encoding="utf-8"))
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    mistakes = []
    unknown: list[str] = []
    try:
        with transaction.atomic():
            rows = _Rows(facts)
            sides = [(_happening(p["a"], rows), _happening(p["b"], rows)) for p in pairs]
            # What find_matches reads per call, read once here for every name of the file.
            known = known_about(
                [h.place_id for pair in sides for h in pair],
                {actor for pair in sides for h in pair for actor in h.actor_ids},
            )
            for n, (pair, (a, b)) in enumerate(zip(pairs, sides, strict=True)):
                said = same_happening(a, b, known)
                truth = pair["label"] == "same"
                key = ("t" if said == truth else "f") + ("p" if said else "n")
                counts[key] += 1
                if said != truth:
                    mistakes.append(f"#{n} {pair['label']}: {pair['note']}")
            unknown = sorted(set(rows.unknown))
            raise _RollBack
    except _RollBack:
        pass
    return Figures(
        pairs=len(pairs),
        true_positive=counts["tp"],
        false_positive=counts["fp"],
        false_negative=counts["fn"],
        true_negative=counts["tn"],
        mistakes=tuple(mistakes),
        unknown=tuple(unknown),
    )
