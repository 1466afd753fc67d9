"""Near-duplicate lookup time against 100,000 and 1,000,000 stored originals.

    DATABASE_URL=... .venv/bin/python bench/near_duplicate.py --articles 100000,1000000

For each size, COPYs that many recent original articles with MinHash signatures (random
values, the stored format) into the database inside a transaction that is rolled back at the
end, ANALYZEs, then times ``find_duplicate`` (the ingestion pipeline's own lookup) for new
texts with no near duplicate and for texts with one, and prints p50 and p95. Baseline: the
same lookup against an empty table in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default="100000,1000000")
    parser.add_argument("--lookups", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    from timeline.ingestion import dedupe
    from timeline.models import Article

    rng = np.random.default_rng(1)
    width = dedupe.NUM_PERM

    def lookups(planted: list[bytes]) -> tuple[float, float]:
        times = []
        for i in range(args.lookups):
            if planted and i % 4 == 0:
                # A syndicated copy: 90% of the original's values.
                values = np.frombuffer(planted[i % len(planted)], dtype="<u8").copy()
                values[: width // 10] = rng.integers(0, 2**63, width // 10, dtype=np.uint64)
                signature = values.astype("<u8").tobytes()
            else:
                signature = rng.integers(0, 2**63, width, dtype=np.uint64).astype("<u8").tobytes()
            started = time.perf_counter()
            dedupe.find_duplicate(canonical_url=None, digest="0" * 64, signature=signature)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        return statistics.median(times), times[int(len(times) * 0.95)]

    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    empty = lookups([])
    print(f"{'stored originals':>17} {'p50 ms':>8} {'p95 ms':>8}")
    print(f"{'(none added)':>17} {empty[0]:8.2f} {empty[1]:8.2f}")
    for size in [int(s) for s in args.articles.split(",")]:
        try:
            with transaction.atomic():
                now = timezone.now()
                first = (
                    Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                ) + 1
                planted: list[bytes] = []
                columns = [
                    "id",
                    "url",
                    "title",
                    "byline",
                    "first_seen_at",
                    "language",
                    "text",
                    "content_hash",
                    "minhash",
                    "updated_at",
                ]
                with (
                    connection.cursor() as cursor,
                    cursor.cursor.copy(
                        f"COPY timeline_article ({', '.join(columns)}) FROM STDIN"
                    ) as copy,
                ):
                    for start in range(0, size, 10_000):
                        n = min(10_000, size - start)
                        block = rng.integers(0, 2**63, (n, width), dtype=np.uint64).astype("<u8")
                        for j in range(n):
                            pk = first + start + j
                            signature = block[j].tobytes()
                            if len(planted) < 50 and j == 0:
                                planted.append(signature)
                            copy.write_row(
                                (
                                    pk,
                                    f"https://bench.example/{pk}",
                                    "t",
                                    "",
                                    now,
                                    "en",
                                    "t",
                                    f"{pk:064d}",
                                    signature,
                                    now,
                                )
                            )
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE timeline_article")
                p50, p95 = lookups(planted)
                print(f"{size:17,} {p50:8.2f} {p95:8.2f}")
                raise Rollback
        except Rollback:
            pass


if __name__ == "__main__":
    main()
