"""Fill the database with realistic synthetic timelines, fast, for benchmarks and plan tests.

    manage.py generate_synthetic --sizes 1000,10000,100000,1000000 --citations-per-event 2

One negotiation per size (slug ``synthetic-<size>``), each with parties, mediators and their
people (with aliases), rounds with delegations, issues with positions and their history,
reports with text, and events of every kind and date precision, 1-3 citations each quoting
exact spans of a report, some disputed, some candidates and rejected, each with its history
row. Rows go in with PostgreSQL's COPY in batches (about 1,000,000 events and 2,000,000
citations in under 10 minutes on 2 cores), with ids allocated up front so no row is read
back. The same seed gives the same data. It refuses a database that holds anything but
synthetic negotiations unless ``--allow-existing`` is given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time
from collections.abc import Iterable, Iterator
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone

from timeline import models as m
from timeline.models import normalize_name

PREFIX = "synthetic-"
BATCH = 20_000
KINDS = list(m.EventKind.values)
PRECISIONS = [
    (m.DatePrecision.DAY, 70),
    (m.DatePrecision.WEEK, 10),
    (m.DatePrecision.MONTH, 10),
    (m.DatePrecision.APPROXIMATE, 5),
]
PLACES = ["Cairo", "Doha", "Geneva", "Vienna", "Oslo", "Muscat", "Istanbul", "Paris"]
VERBS = {
    "meeting": "met with",
    "proposal": "proposed terms to",
    "response": "answered",
    "agreement": "agreed with",
    "breakdown": "broke off talks with",
    "statement": "spoke about",
    "demand": "demanded concessions from",
    "concession": "made a concession to",
    "threat": "threatened",
    "ultimatum": "issued an ultimatum to",
    "walkout": "walked out on",
    "postponement": "postponed talks with",
    "military_action": "struck positions of",
    "scheduled": "will meet",
    "delegation_arrival": "sent a delegation to meet",
    "delegation_departure": "withdrew its delegation from talks with",
}
TOPICS = [
    "ceasefire",
    "prisoner exchange",
    "withdrawal",
    "humanitarian aid",
    "border crossings",
    "reconstruction",
    "guarantees",
    "sanctions relief",
]


class Ids:
    """Ids handed out in order from each table's next value, so rows reference each other
    without being read back; the sequences are moved past them at the end."""

    def __init__(self) -> None:
        self.next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model], n: int = 1) -> int:
        if model not in self.next:
            top = model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self.next[model] = top + 1
        first = self.next[model]
        self.next[model] += n
        return first


def _copy(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY ``rows`` into the model's table; returns the number of rows.

    Columns a later migration added (a review status, analysis bookkeeping, corroboration
    counts) are filled with their model default, so the generator keeps up with the schema
    without listing every new field: their defaults live in the database nowhere else."""
    table = model._meta.db_table
    extra: dict[str, object] = {}
    for field in model._meta.concrete_fields:
        blank_text = field.empty_strings_allowed and field.blank  # Django's default: ""
        if field.column in columns or field.null or not (field.has_default() or blank_text):
            continue
        value = field.get_default()
        extra[field.column] = json.dumps(value) if isinstance(value, list | dict) else value
    names = ", ".join(f'"{c}"' for c in [*columns, *extra])
    tail = tuple(extra.values())
    n = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row((*row, *tail))
            n += 1
    return n


def _batched(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Command(BaseCommand):
    help = "Generate synthetic negotiations (one per size) for benchmarks and plan tests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sizes",
            default="1000",
            help="Events per negotiation, comma-separated: one negotiation per size.",
        )
        parser.add_argument("--events", type=int, help="Shorthand for one size.")
        parser.add_argument("--citations-per-event", type=float, default=2.0)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--allow-existing",
            action="store_true",
            help="Add to a database that holds non-synthetic data.",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress lines.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_synthetic uses PostgreSQL's COPY; point DATABASE_URL at one."
            )
        sizes = (
            [options["events"]]
            if options["events"]
            else [int(s) for s in options["sizes"].split(",")]
        )
        if any(size < 1 for size in sizes):
            raise CommandError("Sizes must be positive.")
        real = m.Negotiation.objects.exclude(slug__startswith=PREFIX)
        if not options["allow_existing"] and (
            real.exists() or m.Article.objects.exclude(url__contains="synthetic.example").exists()
        ):
            raise CommandError(
                "This database holds non-synthetic data; refusing to mix generated rows into it. "
                "Use an empty database, or pass --allow-existing."
            )
        taken = set(
            m.Negotiation.objects.filter(slug__in=[f"{PREFIX}{s}" for s in sizes]).values_list(
                "slug", flat=True
            )
        )
        if taken:
            raise CommandError(f"Already generated: {', '.join(sorted(taken))}.")
        self.quiet = options["quiet"]
        self.ids = Ids()
        started = time.monotonic()
        for index, size in enumerate(sizes):
            # Reproducible test data, not secrets.
            rng = random.Random(f"{options['seed']}-{size}-{index}")  # noqa: S311
            with transaction.atomic():
                self._negotiation(rng, size, options["citations_per_event"])
        self._reset_sequences()
        with connection.cursor() as cursor:
            # COPY skips the receivers that keep the corroboration counts: count once here,
            # with the migration's own backfill (issue 13), so min_sources sees real figures.
            cursor.execute(import_module("timeline.migrations.0008_corroboration").BACKFILL)
            for model in (
                m.Event,
                m.Citation,
                m.EventParticipant,
                m.Article,
                m.Event.history.model,
            ):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
        self._say(f"done in {time.monotonic() - started:.1f} s")

    def _say(self, message: str) -> None:
        if not self.quiet:
            self.stdout.write(message)
            self.stdout.flush()

    # --- one negotiation --------------------------------------------------------------------
    def _negotiation(self, rng: random.Random, size: int, per_event: float) -> None:
        now = timezone.now()
        ids = self.ids
        slug = f"{PREFIX}{size}"
        start_day = dt.date(2010, 1, 1)
        span_days = max(365, min(size // 20, 5000))  # years of talks for the big ones
        negotiation_id = ids.take(m.Negotiation)
        _copy(
            m.Negotiation,
            [
                "id",
                "created_at",
                "updated_at",
                "title",
                "slug",
                "kind",
                "status",
                "started_on",
                "description",
                "content_version",
                "content_changed_at",
            ],
            [
                (
                    negotiation_id,
                    now,
                    now,
                    f"Synthetic talks ({size:,} events)",
                    slug,
                    "peace",
                    "active",
                    start_day,
                    "Generated for benchmarks.",
                    1,
                    now,
                )
            ],
        )
        # Actors: parties and mediators, each with people affiliated to them and aliases.
        n_parties, n_mediators = 4, 2
        actor_rows, alias_rows, participation_rows = [], [], []
        parties, people_of = [], {}
        for i in range(n_parties + n_mediators):
            pk = ids.take(m.Actor)
            name = f"Synthland {size}-{i}"
            actor_rows.append(
                (
                    pk,
                    now,
                    now,
                    "state",
                    name,
                    normalize_name(name),
                    f"{slug}-state-{i}",
                    None,
                    "",
                    "",
                    "",
                    "published",
                    None,
                )
            )
            alias = f"SL{size}{i}"
            alias_rows.append(
                (ids.take(m.ActorAlias), pk, alias, normalize_name(alias), "abbreviation")
            )
            role = "party" if i < n_parties else "mediator"
            participation_rows.append((ids.take(m.Participation), negotiation_id, pk, role, "", ""))
            parties.append(pk)
            people_of[pk] = []
            for j in range(6):
                person = ids.take(m.Actor)
                pname = f"Envoy {size}-{i}-{j}"
                actor_rows.append(
                    (
                        person,
                        now,
                        now,
                        "person",
                        pname,
                        normalize_name(pname),
                        f"{slug}-envoy-{i}-{j}",
                        pk,
                        "negotiator",
                        "",
                        "",
                        "published" if j else "candidate",
                        None,
                    )
                )
                people_of[pk].append(person)
        _copy(
            m.Actor,
            [
                "id",
                "created_at",
                "updated_at",
                "kind",
                "name",
                "normalized_name",
                "slug",
                "affiliation_id",
                "role",
                "wikidata_id",
                "description",
                "status",
                "merged_into_id",
            ],
            actor_rows,
        )
        _copy(m.ActorAlias, ["id", "actor_id", "name", "normalized", "kind"], alias_rows)
        _copy(
            m.Participation,
            ["id", "negotiation_id", "actor_id", "role", "side", "notes"],
            participation_rows,
        )
        people = [p for pk in parties for p in people_of[pk]]
        everyone = parties + people

        place_ids = []
        rows = []
        for name in PLACES:
            pk = ids.take(m.Place)
            place_ids.append(pk)
            rows.append(
                (pk, now, now, name, f"{slug}-{name.lower()}", "XX", None, None, None, "published")
            )
        _copy(
            m.Place,
            [
                "id",
                "created_at",
                "updated_at",
                "name",
                "slug",
                "country_code",
                "latitude",
                "longitude",
                "geonames_id",
                # Places have a review status since the extractor proposes them as candidates.
                "status",
            ],
            rows,
        )
        outlet_ids = []
        rows = []
        for i in range(6):
            pk = ids.take(m.Outlet)
            outlet_ids.append(pk)
            rows.append(
                (
                    pk,
                    f"Synthetic Wire {size}-{i}",
                    f"{slug}-wire-{i}",
                    f"wire{i}.{slug}.synthetic.example",
                    "a synthetic news agency",
                    "XX",
                    None,
                    now,
                )
            )
        _copy(
            m.Outlet,
            [
                "id",
                "name",
                "slug",
                "domain",
                "description",
                "country_code",
                "actor_id",
                "updated_at",
            ],
            rows,
        )

        # Rounds across the span, two delegations each with a member; issues with positions.
        n_rounds = max(3, min(200, size // 2000))
        round_rows, delegation_rows, member_rows, round_ids, round_days = [], [], [], [], []
        for seq in range(1, n_rounds + 1):
            pk = ids.take(m.Round)
            first = start_day + dt.timedelta(days=(seq - 1) * span_days // n_rounds)
            round_ids.append(pk)
            round_days.append(first)
            round_rows.append(
                (
                    pk,
                    now,
                    now,
                    negotiation_id,
                    seq,
                    f"Round {seq}",
                    "mediated",
                    rng.choice(place_ids),
                    "concluded",
                    first,
                    first + dt.timedelta(days=4),
                    first,
                    first + dt.timedelta(days=4),
                    "",
                )
            )
            for party in rng.sample(parties[:n_parties], 2):
                delegation = ids.take(m.Delegation)
                delegation_rows.append(
                    (
                        delegation,
                        now,
                        now,
                        pk,
                        party,
                        people_of[party][1],
                        first,
                        first + dt.timedelta(days=4),
                        False,
                        "",
                    )
                )
                member_rows.append(
                    (ids.take(m.DelegationMember), delegation, people_of[party][2], "adviser")
                )
        _copy(
            m.Round,
            [
                "id",
                "created_at",
                "updated_at",
                "negotiation_id",
                "sequence",
                "name",
                "format",
                "venue_id",
                "status",
                "planned_start",
                "planned_end",
                "actual_start",
                "actual_end",
                "outcome",
            ],
            round_rows,
        )
        _copy(
            m.Delegation,
            [
                "id",
                "created_at",
                "updated_at",
                "round_id",
                "actor_id",
                "head_id",
                "arrived_on",
                "departed_on",
                "never_arrived",
                "notes",
            ],
            delegation_rows,
        )
        _copy(m.DelegationMember, ["id", "delegation_id", "person_id", "role"], member_rows)
        issue_ids = []
        rows = []
        for order, topic in enumerate(TOPICS):
            pk = ids.take(m.Issue)
            issue_ids.append(pk)
            rows.append(
                (
                    pk,
                    now,
                    now,
                    negotiation_id,
                    topic.capitalize(),
                    topic.replace(" ", "-"),
                    "",
                    order,
                    "published",
                )
            )
        _copy(
            m.Issue,
            [
                "id",
                "created_at",
                "updated_at",
                "negotiation_id",
                "title",
                "slug",
                "description",
                "order",
                "status",  # issues are reviewed too (the extractor proposes candidates)
            ],
            rows,
        )
        rows = []
        for issue in issue_ids:
            for party in parties[:n_parties]:
                previous = None
                for k in range(3):
                    pk = ids.take(m.Position)
                    current = k == 2
                    rows.append(
                        (
                            pk,
                            now,
                            now,
                            issue,
                            party,
                            "stance",
                            f"stance {k} on issue {issue}",
                            "",
                            start_day + dt.timedelta(days=k * span_days // 3),
                            "day",
                            "",
                            "published",
                            current,
                            previous,
                            None,
                            "",
                        )
                    )
                    previous = pk
        _copy(
            m.Position,
            [
                "id",
                "created_at",
                "updated_at",
                "issue_id",
                "party_id",
                "kind",
                "stance",
                "detail",
                "valid_from",
                "date_precision",
                "date_text",
                "status",
                "is_current",
                "supersedes_id",
                "source_article_id",
                "extraction_key",
            ],
            rows,
        )
        self._events(
            rng,
            size,
            per_event,
            negotiation_id,
            slug,
            start_day,
            span_days,
            everyone,
            parties,
            people,
            place_ids,
            outlet_ids,
            round_ids,
            round_days,
            issue_ids,
            now,
        )

    def _events(
        self,
        rng,
        size,
        per_event,
        negotiation_id,
        slug,
        start_day,
        span_days,
        everyone,
        parties,
        people,
        place_ids,
        outlet_ids,
        round_ids,
        round_days,
        issue_ids,
        now,
    ) -> None:
        ids = self.ids
        precision_values = [p for p, _ in PRECISIONS]
        precision_weights = [w for _, w in PRECISIONS]
        history = m.Event.history.model
        event_cols = [
            "id",
            "created_at",
            "updated_at",
            "negotiation_id",
            "kind",
            "modality",
            "summary",
            "description",
            "date",
            "date_precision",
            "date_text",
            "end_date",
            "place_id",
            "round_id",
            "issue_id",
            "status",
            "merged_into_id",
            "confidence",
            "origin",
            "source_article_id",
            "extraction_key",
            "published_at",
            "has_dispute",
        ]
        history_cols = [c for c in event_cols if c not in ("id", "has_dispute")] + [
            "id",
            "history_id",
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user_id",
        ]
        article_cols = [
            "id",
            "url",
            "canonical_url",
            "outlet_id",
            "title",
            "byline",
            "published_at",
            "published_on",
            "first_seen_at",
            "language",
            "text",
            "content_hash",
            "syndication_of_id",
            "syndication_similarity",
            "minhash",
            "analysed_at",
            "updated_at",
        ]
        citation_cols = [
            "id",
            "created_at",
            "updated_at",
            "event_id",
            "position_id",
            "article_id",
            "quote",
            "start",
            "end",
            "speaker_id",
            "speaker_description",
            "speaker_side_id",
            "attribution",
            "stance",
        ]
        participant_cols = ["id", "event_id", "actor_id", "role"]
        done, t0 = 0, time.monotonic()
        per_article = 4  # events reported per article
        while done < size:
            n = min(BATCH, size - done)
            first_event = ids.take(m.Event, n)
            n_articles = (n + per_article - 1) // per_article
            first_article = ids.take(m.Article, n_articles)
            events, hist, articles, citations, participants = [], [], [], [], []
            sentences: list[list[tuple[int, str]]] = [[] for _ in range(n_articles)]
            for i in range(n):
                pk = first_event + i
                day = start_day + dt.timedelta(days=rng.randrange(span_days))
                undated = rng.random() < 0.05
                kind = rng.choice(KINDS)
                actors = rng.sample(everyone, rng.randint(1, 3))
                subject = actors[0]
                summary = f"Party {subject} {VERBS[kind]} party {actors[-1]} on {rng.choice(TOPICS)} (event {pk})."
                roll = rng.random()
                status = "candidate" if roll < 0.03 else "rejected" if roll < 0.04 else "published"
                reported = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC) + dt.timedelta(
                    days=rng.randint(0, 3)
                )
                published_at = reported if status == "published" else None
                precision = (
                    "unknown" if undated else rng.choices(precision_values, precision_weights)[0]
                )
                near = (
                    min(range(len(round_days)), key=lambda r: abs((round_days[r] - day).days))
                    if rng.random() < 0.3
                    else None
                )
                row = (
                    pk,
                    now,
                    now,
                    negotiation_id,
                    kind,
                    "occurred",
                    summary[:500],
                    "",
                    None if undated else day,
                    precision,
                    "" if precision == "day" else "around then",
                    None,
                    rng.choice(place_ids) if rng.random() < 0.5 else None,
                    round_ids[near] if near is not None else None,
                    rng.choice(issue_ids) if rng.random() < 0.3 else None,
                    status,
                    None,
                    1.0 if status == "published" else 0.5,
                    "import" if status == "published" else "extractor",
                    None,
                    "",
                    published_at,
                    False,  # has_dispute: set below from the citations
                )
                events.append(row)
                # One history row per event, dated when it was reported: "as known on" reads it.
                hist.append((*row[1:-1], pk, None, reported, None, "+", None))
                for role_index, actor in enumerate(actors):
                    participants.append(
                        (None, pk, actor, "actor" if role_index == 0 else "recipient")
                    )
                article_index = i // per_article
                sentences[article_index].append((pk, summary))
            for a in range(n_articles):
                pk = first_article + a
                parts, spans = [], []
                offset = 0
                for event_id, summary in sentences[a]:
                    quote = f'"We will keep talking," an official said of event {event_id}.'
                    sentence = f"{summary} {quote} "
                    parts.append(sentence)
                    spans.append(
                        (
                            event_id,
                            offset,
                            offset + len(summary),
                            offset + len(summary) + 1,
                            offset + len(summary) + 1 + len(quote),
                        )
                    )
                    offset += len(sentence)
                text = "".join(parts).strip()
                when = dt.datetime.combine(start_day, dt.time(8), tzinfo=dt.UTC) + dt.timedelta(
                    days=rng.randrange(span_days)
                )
                url = f"https://news{a % 7}.synthetic.example/{slug}/{pk}"
                articles.append(
                    (
                        pk,
                        url,
                        url,
                        rng.choice(outlet_ids),
                        f"Talks report {pk}",
                        "",
                        when,
                        when.date(),
                        when,
                        "en",
                        text,
                        hashlib.sha256(f"{slug}-{pk}".encode()).hexdigest(),
                        None,
                        None,
                        None,
                        when,
                        now,
                    )
                )
                for event_id, s0, s1, q0, q1 in spans:
                    k = max(1, min(3, round(rng.gauss(per_event, 0.6))))
                    choices = [(s0, s1, None), (q0, q1, rng.choice(people))]
                    for c in range(k):
                        start, end, speaker = choices[c % 2]
                        quote = text[start:end]
                        stance = "disputes" if rng.random() < 0.05 else "supports"
                        citations.append(
                            (
                                None,
                                now,
                                now,
                                event_id,
                                None,
                                pk,
                                quote,
                                start,
                                end,
                                speaker,
                                "an official" if speaker else "",
                                None,
                                "named_official" if speaker else "outlet",
                                stance,
                            )
                        )
            # Ids for link rows in one block each.
            first_c = ids.take(m.Citation, len(citations))
            citations = [(first_c + j, *row[1:]) for j, row in enumerate(citations)]
            first_p = ids.take(m.EventParticipant, len(participants))
            participants = [(first_p + j, *row[1:]) for j, row in enumerate(participants)]
            first_h = ids.take(history, len(hist))
            hist = [(*row[:-5], first_h + j, *row[-4:]) for j, row in enumerate(hist)]
            _copy(m.Article, article_cols, articles)
            _copy(m.Event, event_cols, events)
            _copy(history, history_cols, hist)
            _copy(m.EventParticipant, participant_cols, participants)
            _copy(m.Citation, citation_cols, citations)
            with connection.cursor() as cursor:  # the flag the services keep (services.flags)
                cursor.execute(
                    "UPDATE timeline_event SET has_dispute = true WHERE id IN (SELECT event_id "
                    "FROM timeline_citation WHERE stance = 'disputes' AND event_id BETWEEN %s AND %s)",
                    [first_event, first_event + n - 1],
                )
            done += n
            rate = done / max(time.monotonic() - t0, 1e-6)
            self._say(f"{slug}: {done:,}/{size:,} events ({rate:,.0f}/s)")

    def _reset_sequences(self) -> None:
        with connection.cursor() as cursor:
            for model, top in self.ids.next.items():
                pk = model._meta.pk.column
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)",
                    [model._meta.db_table, pk, top],
                )
