"""Print the matcher's precision and recall of "same happening" on the labelled pairs."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from timeline.selectors.matching_eval import evaluate


class Command(BaseCommand):
    help = "Precision and recall of the corroboration matcher on tests/data/corroboration."

    def handle(self, *args, **options) -> None:
        figures = evaluate()
        self.stdout.write(
            f"pairs={figures.pairs} tp={figures.true_positive} fp={figures.false_positive} "
            f"fn={figures.false_negative} tn={figures.true_negative}\n"
            f"precision={figures.precision:.3f} recall={figures.recall:.3f} "
            "(targets: precision >= 0.9, recall >= 0.7)"
        )
        for mistake in figures.mistakes:
            self.stdout.write(f"  wrong: {mistake}")
