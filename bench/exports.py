"""Time and peak memory of each export format, per negotiation size.

    DATABASE_URL=... .venv/bin/python bench/exports.py --slugs synthetic-1000,synthetic-100000

Each export is requested in a fresh process through Django's test client (the same URL, view
and streaming code as users get), its body read chunk by chunk and discarded, as a download
would; the process's peak RSS comes from ``wait4``. The baseline is the same process doing
nothing but start Django (its RSS is the floor every export stands on).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ["csv", "json", "ics", "timelinejs", "atom"]

CHILD = r"""
import sys, django
django.setup()
from django.test import Client
url = sys.argv[1]
if url == "-":
    print(0)
    raise SystemExit
response = Client().get(url, HTTP_HOST="127.0.0.1")
assert response.status_code == 200, response.status_code
size = 0
for chunk in (response.streaming_content if response.streaming else [response.content]):
    size += len(chunk)
print(size)
"""


def measure(url: str, env: dict[str, str]) -> tuple[float, float, int]:
    """(seconds, peak RSS in MiB, bytes) of one export in a fresh process."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, url], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    out = process.stdout.read()
    # wait4, not wait(): it returns this child's own resource usage (peak RSS in KiB).
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    if process.returncode:
        raise SystemExit(f"{url} failed")
    return elapsed, usage.ru_maxrss / 1024, int(out.strip() or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slugs", default="synthetic-1000")
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    # Production settings: with DEBUG on, Django keeps the text of the last 9,000 queries,
    # which at 1,000,000 events (a chunk's IN list of 1,000 ids per query) is tens of MiB of
    # peak memory that a deployed server never holds. The API throttles would refuse the
    # repeated downloads of a benchmark.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DEBUG": "0",
        "API_THROTTLE_ANON": "100000000/min",
        "API_THROTTLE_EXPORT": "100000000/min",
    }
    env.setdefault("SECRET_KEY", "bench-only-secret-" + "x" * 50)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    base_time, base_rss, _ = measure("-", env)
    print(f"baseline (start Django, no request): {base_time:.1f} s, peak RSS {base_rss:.0f} MiB")
    print(f"{'negotiation':22} {'format':11} {'seconds':>8} {'peak MiB':>9} {'MiB':>8}")
    for slug in args.slugs.split(","):
        for fmt in args.formats.split(","):
            url = f"/api/v1/negotiations/{slug}/export/{fmt}/"
            seconds, rss, size = measure(url, env)
            print(f"{slug:22} {fmt:11} {seconds:8.1f} {rss:9.0f} {size / 2**20:8.1f}")


if __name__ == "__main__":
    main()
