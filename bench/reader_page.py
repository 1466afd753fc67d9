"""The reader's timeline page, cold and warm, against a bare view of the same bytes.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/reader_page.py \
        --slugs synthetic-1000,synthetic-1000000

In one process through Django's test client (the whole middleware stack, no network), with
the production settings and the Redis cache. For each negotiation and page (the first window,
a window in the middle by keyset, a kind filter, a party filter) it interleaves, round by
round:

- ``baseline``: a bare Django view returning the warm page's bytes (``bench/urls.py``), so
  the figures say what the page costs over Django itself;
- ``cold``: the cache emptied before each request (the first view after a write: the page
  is built, and the activity chart computed);
- ``warm``: the same request again (the page kept under the change stamp: one read of the
  stamp, one cache read).

and prints p50 and p99 of all samples and the size of the page. Then the activity chart
alone, from the summary table against the GROUP BY over events it replaced, and the same for
the party filter's party (EventPartyDayCount). Generate the data first with
``manage.py generate_synthetic --sizes 1000,1000000``. It empties the cache it is given:
point REDIS_URL at a database of its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from api_load import machine  # noqa: E402

PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def pages_of(slug: str) -> list[tuple[str, str]]:
    from timeline import models as m

    negotiation = m.Negotiation.objects.get(slug=slug)
    dated = m.Event.objects.published().filter(negotiation=negotiation, date__isnull=False)
    total = m.EventDayCount.objects.filter(negotiation=negotiation).count()  # rows, not events
    middle_day = (
        m.EventDayCount.objects.filter(negotiation=negotiation, day__isnull=False)
        .order_by("day")
        .values_list("day", flat=True)[total // 2]
    )
    middle = dated.filter(date=middle_day).order_by("id").values_list("date", "id").first()
    party = (
        m.Participation.objects.filter(negotiation=negotiation, role="party")
        .values_list("actor__slug", flat=True)
        .first()
    )
    base = f"/n/{slug}/"
    return [
        ("first window", base),
        ("middle window", f"{base}?after={middle[0].isoformat()}.{middle[1]}"),
        ("kind=meeting", f"{base}?kind=meeting"),
        ("party filter", f"{base}?party={party}"),
    ]


def chart_figures(slug: str, rounds: int) -> str:
    """The activity chart alone, cache emptied: from the summary table (as the page reads it)
    against the GROUP BY over the negotiation's events it replaced, then the same for the
    party of the "party filter" page (EventPartyDayCount against the filtered GROUP BY),
    interleaved."""
    from django.core.cache import cache
    from django.db.models import Count

    from timeline import models as m
    from timeline.selectors import TimelineFilters, negotiation_activity

    negotiation = m.Negotiation.objects.get(slug=slug)
    party = TimelineFilters(parties=[pages_of(slug)[-1][1].rsplit("=", 1)[1]])
    figures = {name: [] for name in ("table", "events", "party table", "party events")}
    for _round in range(rounds):
        cache.clear()
        started = time.perf_counter()
        negotiation_activity(negotiation)
        figures["table"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        list(
            m.Event.objects.published()
            .for_negotiation(negotiation)
            .order_by()
            .values_list("date", "kind")
            .annotate(n=Count("id"))
        )
        figures["events"].append((time.perf_counter() - started) * 1000)
        cache.clear()
        started = time.perf_counter()
        negotiation_activity(negotiation, filters=party)
        figures["party table"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        list(
            party.apply(m.Event.objects.published().for_negotiation(negotiation))
            .order_by()
            .values_list("date", "kind")
            .annotate(n=Count("id"))
        )
        figures["party events"].append((time.perf_counter() - started) * 1000)

    def p50(name: str) -> str:
        return f"p50 {statistics.median(figures[name]):.1f} ms (max {max(figures[name]):.1f})"

    return (
        f"{slug} activity chart, cache empty: summary table {p50('table')}; GROUP BY over "
        f"events {p50('events')}\n{slug} chart of {party.parties[0]}: per-party summary "
        f"table {p50('party table')}; GROUP BY over the party's events {p50('party events')}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slugs", default="synthetic-1000,synthetic-1000000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=4, help="requests per target a round")
    args = parser.parse_args()

    handle, baseline_path = tempfile.mkstemp(prefix="bench-reader-")
    os.close(handle)
    os.environ["BENCH_BASELINE_FILE"] = baseline_path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["READER_THROTTLE_RATE"] = "100000000/min"
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client, override_settings

    import bench.urls

    print(machine())
    print(f"rounds {args.rounds} x {args.per_round} requests a target, interleaved")
    print(f"{'page':44} {'target':9} {'p50 ms':>8} {'p99 ms':>8} {'KiB':>7}")
    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(STORAGES=PLAIN_STATIC, DEBUG=False):
        for slug in args.slugs.split(","):
            for name, url in pages_of(slug):
                warm_page = client.get(url)
                assert warm_page.status_code == 200, (url, warm_page.status_code)
                Path(baseline_path).write_bytes(warm_page.content)
                bench.urls._body.cache_clear()
                times: dict[str, list[float]] = {"baseline": [], "cold": [], "warm": []}
                sizes: dict[str, int] = {}
                for _round in range(args.rounds):
                    for target in times:
                        for _ in range(args.per_round):
                            if target == "cold":
                                cache.clear()
                            started = time.perf_counter()
                            response = client.get(
                                "/bench/baseline/" if target == "baseline" else url
                            )
                            times[target].append((time.perf_counter() - started) * 1000)
                            assert response.status_code == 200
                            sizes[target] = len(response.content)
                for target, samples in times.items():
                    print(
                        f"{slug + ' ' + name:44} {target:9} {statistics.median(samples):8.1f} "
                        f"{percentile(samples, 0.99):8.1f} {sizes[target] / 1024:7.0f}"
                    )
        for slug in args.slugs.split(","):
            print(chart_figures(slug, args.rounds))
    os.unlink(baseline_path)


if __name__ == "__main__":
    main()
