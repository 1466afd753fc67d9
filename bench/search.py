"""Full-text search (q=) with two common words on a negotiation with many events.

    DATABASE_URL=... .venv/bin/python bench/search.py --slug synthetic-200000 --q "party ceasefire"

Requests go through the Django test client, so they run the same views, selectors and
serializers as users' requests (no HTTP server; the API's response cache is off, so every API
request builds its answer as the first request for a search does; the reader page's activity
chart stays cached per search and version, as in production, and is warmed once). Targets,
interleaved round by round:

- baseline: the API timeline's first page without q= (time order, the keyset index);
- the API event list ``/api/v1/events/?negotiation=<slug>&q=<words>``, first page and the
  fourth (three ``next`` links on, page_size 200: deep in the bounded list);
- the API timeline with q=, first page (before issue 19's ranking it ignored q=);
- the reader timeline page with q=.

Prints the machine, the data size, the number of matching events, then the median and the
slowest of each target over the rounds. Run it against another checkout's ``bench/`` to
measure that code on the same data (``ROOT`` is this file's checkout).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slug", default="synthetic-200000")
    parser.add_argument("--q", default="party ceasefire")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["API_RESPONSE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("STATIC_MANIFEST", "0")  # no collectstatic needed to render pages
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from timeline.models import Event, Negotiation

    negotiation = Negotiation.objects.get(slug=args.slug)
    events = Event.objects.filter(negotiation=negotiation).count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM timeline_event WHERE negotiation_id = %s "
            "AND status = 'published' "
            "AND search_vector @@ websearch_to_tsquery('english', %s)",
            [negotiation.pk, args.q],
        )
        (matches,) = cursor.fetchone()
        cursor.execute("SHOW server_version")
        (pg_version,) = cursor.fetchone()
    print(f"checkout: {ROOT}")
    print(
        f"machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"PostgreSQL {pg_version}; load average {os.getloadavg()[0]:.2f} at start"
    )
    print(f"data: {args.slug}, {events:,} events; q={args.q!r} matches {matches:,} published")

    client = Client()
    words = args.q.replace(" ", "+")
    api = f"/api/v1/negotiations/{args.slug}/timeline/"
    listing = f"/api/v1/events/?negotiation={args.slug}&q={words}&page_size=200"

    def get(url: str):
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (url, response.status_code)
        return response

    deep_cursor: list[str] = []

    def fourth_page() -> None:
        # The cursor is found once (untimed); the timed request is the fourth page alone.
        if not deep_cursor:
            body = get(listing).json()
            for _ in range(3):
                body = get(body["next"]).json() if body["next"] else body
            deep_cursor.append(body.get("next") or listing)
        get(deep_cursor[0].replace("http://127.0.0.1", ""))

    targets = {
        "baseline: API timeline, first page, no q": lambda: get(api),
        "API events ?q=, first page": lambda: get(listing),
        "API events ?q=, a page three next links on": fourth_page,
        "API timeline ?q=, first page": lambda: get(f"{api}?q={words}"),
        "reader page /n/<slug>/?q=": lambda: get(f"/n/{args.slug}/?q={words}"),
    }
    times: dict[str, list[float]] = {name: [] for name in targets}
    for target in targets.values():  # warm: connections, templates, the cached chart
        target()
    for _ in range(args.rounds):
        for name, target in targets.items():
            started = time.perf_counter()
            target()
            times[name].append((time.perf_counter() - started) * 1000)
    print(f"{args.rounds} rounds, interleaved; ms")
    print("| target | median ms | slowest ms |\n|---|---|---|")
    for name, found in times.items():
        print(f"| {name} | {statistics.median(found):.0f} | {max(found):.0f} |")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
