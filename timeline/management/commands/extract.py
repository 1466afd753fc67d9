"""``manage.py extract ARTICLE.json``: print what the extractor finds, write nothing."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Extract people, venues, events, quotes and positions from one article (a JSON file "
        'with "text", "title", "published_at", "url", "publication", "byline") and print them '
        "as one JSON object. Nothing is written to the database."
    )
    # The scorer starts one process per article: no system checks, no migrations check.
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("article", help="path to the article JSON file, or - for stdin")
        parser.add_argument(
            "--no-db",
            action="store_true",
            help="use only the packaged reference data, not known actors and places",
        )
        parser.add_argument("--indent", type=int, default=None)

    def handle(self, *args, **options) -> None:
        # Imported here so that other management commands do not pay for it.
        from timeline.extraction import ArticleInput, default_gazetteer, extract, to_gold_dict

        path = options["article"]
        try:
            raw = (
                self.stdin.read()
                if path == "-" and hasattr(self, "stdin")
                else Path(path).read_text(encoding="utf-8")
            )
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        try:
            article = ArticleInput.from_dict(json.loads(raw))
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path} is not valid JSON: {exc}") from exc
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}") from exc

        gazetteer = default_gazetteer()
        if not options["no_db"]:
            gazetteer = _with_database(gazetteer)
        result = to_gold_dict(extract(article, gazetteer), article.text)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=options["indent"]))


def _with_database(gazetteer):
    """Known actors and places improve the results, but an empty or missing database is fine."""
    from django.db import DatabaseError

    try:
        from timeline.services.candidates import gazetteer_from_db

        return gazetteer_from_db(gazetteer)
    except (DatabaseError, ImportError):
        return gazetteer
