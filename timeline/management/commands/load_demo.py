"""``manage.py load_demo``: the Israel-Hamas talks, curated from our seed article.

The data comes from ``timeline/demo/cairo_impasse.json`` (see its ``_source``). Running it
again changes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from timeline.demo.loader import DemoDataError, load_curated, propose_candidates


class Command(BaseCommand):
    help = "Load the demo negotiation (Israel-Hamas ceasefire talks, the Cairo round). Idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-extract",
            action="store_true",
            help="Do not run the extractor over the demo article afterwards.",
        )

    def handle(self, *args, **options) -> None:
        try:
            report = load_curated()
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        if report.total_created:
            made = ", ".join(f"{n} {what}" for what, n in sorted(report.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo loaded: created {made}."))
        else:
            self.stdout.write("Demo already loaded: nothing to do.")
        if options["no_extract"]:
            return
        proposed = propose_candidates(report.article, report.negotiation)
        if proposed is None:
            self.stdout.write("Extraction is not installed: no candidates proposed.")
        elif proposed:
            self.stdout.write(
                f"The extractor proposed {proposed} candidate events from the demo article: "
                "review them in the admin's review queue."
            )
