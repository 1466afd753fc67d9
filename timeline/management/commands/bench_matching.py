"""Time the corroboration matcher against a negotiation with many events (issue 13).

    DEBUG=1 .venv/bin/python manage.py bench_matching --events 100000

Inserts one synthetic negotiation with ``--events`` events (kinds, dates over ~27 years,
places within cities within countries, two participants each, persons affiliated to states), ANALYZEs, then times ``find_matches`` for ``--probes``
proposals made from stored events (so every probe finds its match): median and p95 in ms,
and the plan of the window query. Baseline in the same run: the same scoring over the
negotiation's events of the compatible kinds without the date window (what a scan would
cost). Everything runs in one transaction that is rolled back: nothing stays.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from timeline.models import (
    Actor,
    ActorKind,
    Event,
    EventKind,
    EventParticipant,
    Negotiation,
    NegotiationKind,
    Place,
    ReviewStatus,
)
from timeline.selectors.matching import (
    _window,
    compatible_kinds,
    find_matches,
    happening_of,
    score,
)

WORDS = [
    "talks",
    "delegation",
    "ceasefire",
    "hostages",
    "mediators",
    "round",
    "negotiators",
    "envoy",
    "proposal",
    "truce",
    "withdrawal",
    "guarantees",
    "prisoners",
    "aid",
    "crossing",
    "border",
    "sanctions",
    "tariffs",
    "summit",
    "draft",
]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the corroboration matcher at a given negotiation size (rolled back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--events", type=int, default=100_000)
        parser.add_argument("--probes", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options) -> None:
        try:
            with transaction.atomic():
                self._run(options["events"], options["probes"], random.Random(options["seed"]))  # noqa: S311 (test data)
                raise _Rollback
        except _Rollback:
            pass

    def _run(self, size: int, probes: int, rng: random.Random) -> None:
        started = time.perf_counter()
        negotiation = Negotiation.objects.create(
            title="Matching benchmark", slug="bench-matching", kind=NegotiationKind.CEASEFIRE
        )
        # Places and parties with the chains the matcher reads (a venue within a city within
        # a country; a person affiliated to a state), so their lookups cost what they would.
        countries = [
            Place.objects.create(name=f"Bench country {n}", slug=f"bench-country-{n}")
            for n in range(5)
        ]
        cities = [
            Place.objects.create(
                name=f"Bench city {n}", slug=f"bench-city-{n}", within=countries[n % 5]
            )
            for n in range(20)
        ]
        venues = [
            Place.objects.create(
                name=f"Bench venue {n}", slug=f"bench-venue-{n}", within=cities[n % 20]
            )
            for n in range(20)
        ]
        places = cities + venues
        states = [
            Actor.objects.create(
                name=f"Bench party {n}", slug=f"bench-party-{n}", kind=ActorKind.STATE
            )
            for n in range(10)
        ]
        actors = states + [
            Actor.objects.create(
                name=f"Bench person {n}",
                slug=f"bench-person-{n}",
                kind=ActorKind.PERSON,
                affiliation=states[n % 10],
            )
            for n in range(20)
        ]
        first = dt.date(2000, 1, 1)
        kinds = list(EventKind.values)
        batch = []
        for n in range(size):
            words = " ".join(rng.sample(WORDS, 8))
            batch.append(
                Event(
                    negotiation=negotiation,
                    kind=rng.choice(kinds),
                    summary=f"Event {n}: {words}",
                    date=first + dt.timedelta(days=rng.randrange(10_000)),
                    place=rng.choice(places),
                    status=ReviewStatus.PUBLISHED if n % 3 else ReviewStatus.CANDIDATE,
                )
            )
        events = Event.objects.bulk_create(batch, batch_size=5000)
        EventParticipant.objects.bulk_create(
            [
                EventParticipant(event=event, actor=actor)
                for event in events
                for actor in rng.sample(actors, 2)
            ],
            batch_size=10000,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE timeline_event")
            cursor.execute("ANALYZE timeline_eventparticipant")
        self.stdout.write(f"inserted {size} events in {time.perf_counter() - started:.1f} s")

        sample = rng.sample(events, probes)
        actor_ids: dict[int, list[int]] = {}
        for event_id, actor_id in EventParticipant.objects.filter(event__in=sample).values_list(
            "event_id", "actor_id"
        ):
            actor_ids.setdefault(event_id, []).append(actor_id)
        happenings = [happening_of(e, actor_ids.get(e.pk, [])) for e in sample]
        timings, found = [], 0
        for happening in happenings:
            t0 = time.perf_counter()
            matches = find_matches(happening, negotiation.pk)
            timings.append((time.perf_counter() - t0) * 1000)
            found += bool(matches)
        # Baseline: the same scoring without the date window (every event of those kinds).
        scans = []
        for happening in happenings[:5]:
            t0 = time.perf_counter()
            pool = Event.objects.filter(
                negotiation=negotiation, kind__in=compatible_kinds(happening.kind)
            ).only("id", "kind", "date", "date_precision", "place_id", "summary")
            for event in pool:
                score(happening, happening_of(event, ()))
            scans.append((time.perf_counter() - t0) * 1000)
        plan = (
            Event.objects.filter(
                negotiation=negotiation, kind__in=compatible_kinds(happenings[0].kind)
            )
            .filter(_window(happenings[0]))
            .explain()
        )
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        scan = statistics.median(scans)
        self.stdout.write(
            f"find_matches at {size} events: median {median:.2f} ms, p95 {p95:.2f} ms, "
            f"max {timings[-1]:.2f} ms over {probes} probes ({found} found their event); "
            f"target <= 20 ms\n"
            f"baseline without the date window (scan of the compatible kinds): "
            f"median {scan:.1f} ms; ratio {median / scan:.3f}\n"
            f"plan of the window query:\n{plan}"
        )
