"""ranked_search alone: every match ranked against bounded, interleaved, per search.

    DATABASE_URL=... .venv/bin/python bench/search_selector.py --slug synthetic-1000000 \
        "party ceasefire" "ultimatum ceasefire" 12345

Times the best ids and the first page of 50 (the selector's two or three queries, no view,
no serializer). "every match ranked" sets the bound above any match count, which is what
main did before the bound; "bounded" is the default ``RANKING_BOUND``. Prints the load
average before and after, and the median and slowest of the rounds, in ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("words", nargs="+")
    parser.add_argument("--slug", default="synthetic-1000000")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from timeline.models import Event, Negotiation
    from timeline.selectors import search

    negotiation = Negotiation.objects.get(slug=args.slug)
    events = Event.objects.published().filter(negotiation=negotiation)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| q= | ranking | median ms | slowest ms | bounded |\n|---|---|---|---|---|")
    for text in args.words:
        matches = search.event_matches(events, text)
        kinds = {"every match ranked": 10**12, f"bounded at {search.RANKING_BOUND:,}": None}
        times: dict[str, list[float]] = {name: [] for name in kinds}
        bounded: dict[str, bool] = {}
        for _ in range(args.rounds):
            for name, bound in kinds.items():
                started = time.perf_counter()
                found = search.ranked_search(matches, text, bound=bound)
                list(found.rows.values_list("id", flat=True)[:50])
                times[name].append((time.perf_counter() - started) * 1000)
                bounded[name] = found.bounded
        for name, spent in times.items():
            print(
                f"| {text} | {name} | {statistics.median(spent):.0f} | {max(spent):.0f} "
                f"| {bounded[name]} |"
            )
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
