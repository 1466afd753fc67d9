"""Print the matcher's precision and recall of "same happening" on the labelled pairs, per
file: ``tune`` (the pairs the settings were chosen on), ``check`` and ``fresh`` (held out)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from timeline.selectors.matching_eval import FILES, evaluate


class Command(BaseCommand):
    help = (
        "Precision and recall of the corroboration matcher on tests/data/corroboration, "
        "per file (tune: pairs.json; held out: check, pairs_check.json, fresh, "
        "pairs_fresh.json, and fresh2, pairs_fresh2.json), with the actor and place tables' facts of world.json built "
        "first (in a transaction rolled back at the end)."
    )

    def handle(self, *args, **options) -> None:
        for name, path in FILES.items():
            figures = evaluate(path)
            self.stdout.write(
                f"{name} ({path.name}): pairs={figures.pairs} tp={figures.true_positive} "
                f"fp={figures.false_positive} fn={figures.false_negative} "
                f"tn={figures.true_negative}\n"
                f"{name}: precision={figures.precision:.3f} recall={figures.recall:.3f} "
                "(targets: precision >= 0.9, recall >= 0.7)"
            )
            for mistake in figures.mistakes:
                self.stdout.write(f"  wrong: {mistake}")
            for name in figures.unknown:
                self.stdout.write(f"  not in world.json (scored as a row of its own): {name}")
