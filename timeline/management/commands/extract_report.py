"""``manage.py extract_report GOLD_DIR``: where the extractor goes wrong on annotated articles."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Run the extractor on every gold file under GOLD_DIR (format: shared/gold/SCHEMA.md) and "
        "print the scores per field, then per article the misses and false alarms of each field "
        "with the sentences behind them, then the confusion between event kinds. Writes nothing."
    )
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "gold_dir", help="a directory of gold JSON files (searched recursively)"
        )
        parser.add_argument(
            "--field",
            action="append",
            default=[],
            help="list errors of this field only (repeatable); scores and the matrix always print",
        )
        parser.add_argument(
            "--no-db",
            action="store_true",
            help="use only the packaged reference data, not known actors and places",
        )

    def handle(self, *args, **options) -> None:
        # Imported here so that other management commands do not pay for it.
        from timeline.extraction import ArticleInput, default_gazetteer, extract, to_gold_dict
        from timeline.extraction.evaluation import (
            FIELDS,
            MISSING,
            article_of,
            load_gold,
            mean_f1,
            score_article,
            totals,
        )

        gold_dir = Path(options["gold_dir"])
        if not gold_dir.is_dir():
            raise CommandError(f"{gold_dir} is not a directory")
        try:
            docs = load_gold(gold_dir)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not docs:
            raise CommandError(f"no gold files (*.json) under {gold_dir}")
        unknown = set(options["field"]) - set(FIELDS)
        if unknown:
            raise CommandError(f"unknown field(s) {sorted(unknown)}; choose from {list(FIELDS)}")
        shown = options["field"] or list(FIELDS)

        gazetteer = default_gazetteer()
        if not options["no_db"]:
            from .extract import _with_database

            gazetteer = _with_database(gazetteer)
        all_counts = []
        confusion: Counter = Counter()
        out = self.stdout
        for path, doc in docs:
            article = ArticleInput.from_dict(article_of(doc))
            predicted = to_gold_dict(extract(article, gazetteer), article.text)
            counts, errors = score_article(doc["gold"], predicted)
            all_counts.append(counts)
            confusion.update(errors.confusion)
            lines = []
            for name in shown:
                for miss in errors.misses.get(name, []):
                    lines.append(f"  {name:<12} MISS   {_sentence(article.text, miss)}")
                for alarm in errors.false_alarms.get(name, []):
                    lines.append(f"  {name:<12} FALSE  {_sentence(article.text, alarm)}")
            if lines:
                out.write(f"\n{path.relative_to(gold_dir)}")
                out.write("\n".join(lines))

        scores = totals(all_counts)
        out.write(f"\nScores over {len(docs)} articles")
        out.write(f"{'field':<13} {'P':>6} {'R':>6} {'F1':>6}")
        for name in FIELDS:
            p, r, f1 = scores[name]
            out.write(f"{name:<13} {p:>6.3f} {r:>6.3f} {f1:>6.3f}")
        out.write(f"mean F1: {mean_f1(scores):.3f}")

        kinds = [*sorted({k for pair in confusion for k in pair if k != MISSING}), MISSING]
        out.write("\nEvent kinds: rows gold, columns found ('-' = none)")
        width = max(len(k) for k in kinds) + 1
        out.write(" " * width + "".join(f"{k[:8]:>9}" for k in kinds))
        for gold_kind in kinds:
            row = [confusion.get((gold_kind, found), 0) for found in kinds]
            out.write(f"{gold_kind:<{width}}" + "".join(f"{n or '.':>9}" for n in row))


def _sentence(text: str, item: str) -> str:
    """The item, and the sentence of the text it comes from when it is quoted from the text."""
    key = item.split(": ", 1)[-1].strip()
    for probe in (key[:60], key.split(" (")[0][:40]):
        at = text.find(probe) if len(probe) > 3 else -1
        if at >= 0:
            stop = text.rfind(". ", 0, at)
            start = max(stop + 2 if stop >= 0 else 0, text.rfind("\n", 0, at) + 1)
            end = min(x for x in (text.find(". ", at), text.find("\n", at), len(text)) if x >= 0)
            sentence = " ".join(text[start : end + 1].split())
            if sentence and sentence not in item:
                return f"{item}\n{'':<22}in: {sentence[:240]}"
            return item
    return item
