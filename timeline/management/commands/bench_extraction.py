"""``manage.py bench_extraction``: articles per second per core for the extractor."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def _default_gold_dir() -> Path:
    shared = Path(os.environ.get("TRACKER_SHARED_DIR", Path(settings.BASE_DIR).parent / "shared"))
    return Path(os.environ.get("TRACKER_GOLD_DIR", shared / "gold"))


class Command(BaseCommand):
    help = (
        "Time the extractor on the gold articles (one process, so one core) and print articles "
        "per second, also normalised to the length of the seed article. Writes nothing."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("--gold-dir", type=Path, default=None, help="default: ../shared/gold")
        parser.add_argument("--rounds", type=int, default=5, help="passes over the articles")
        parser.add_argument("--target", type=float, default=20.0, help="articles/s to meet")

    def handle(self, *args, **options) -> None:
        from timeline.extraction import ArticleInput, default_gazetteer, extract

        gold_dir: Path = options["gold_dir"] or _default_gold_dir()
        files = sorted(gold_dir.glob("*.json"))
        if not files:
            raise CommandError(f"No gold articles (*.json) in {gold_dir}; pass --gold-dir.")
        if options["rounds"] < 1:
            raise CommandError("--rounds must be at least 1.")
        articles = []
        seed_length = None
        for path in files:
            doc = json.loads(path.read_text(encoding="utf-8"))
            articles.append(ArticleInput.from_dict(doc))
            if path.name.startswith("seed"):
                seed_length = len(doc["text"])
        mean_length = sum(len(a.text) for a in articles) / len(articles)
        seed_length = seed_length or mean_length

        started = time.perf_counter()
        gazetteer = default_gazetteer()
        load_seconds = time.perf_counter() - started
        extract(articles[0], gazetteer)  # warm the regex caches

        wall = time.perf_counter()
        cpu = time.process_time()
        count = 0
        characters = 0
        for _ in range(options["rounds"]):
            for article in articles:
                extract(article, gazetteer)
                count += 1
                characters += len(article.text)
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall

        per_core = count / cpu if cpu else float("inf")
        seed_equivalent = (characters / seed_length) / cpu if cpu else float("inf")
        self.stdout.write(
            f"articles: {len(articles)} x {options['rounds']} rounds, mean {mean_length:.0f} "
            f"characters (seed {seed_length} characters)\n"
            f"gazetteer load: {load_seconds:.2f} s (once per process)\n"
            f"CPU time {cpu:.2f} s, wall {wall:.2f} s\n"
            f"{per_core:.1f} articles/s per core on these articles\n"
            f"{seed_equivalent:.1f} seed-length articles/s per core "
            f"(target {options['target']:.0f}): {'ok' if seed_equivalent >= options['target'] else 'BELOW TARGET'}"
        )
