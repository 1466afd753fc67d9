"""Time and peak memory of each export format, per negotiation size.

    DATABASE_URL=... .venv/bin/python bench/exports.py --slugs synthetic-1000,synthetic-100000

``--compare DIR --chunks 20 --rounds 3``: the same exports from another checkout's code (e.g.
``git archive main``), alternately, each stopped after 20 chunks of 1,000 events; the CPU
seconds of each process are the figure to read on a shared machine.

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
size, limit = 0, int(sys.argv[2])
for n, chunk in enumerate(response.streaming_content if response.streaming else [response.content]):
    if limit and n > limit:  # the head, then ``limit`` chunks of events
        break
    size += len(chunk)
response.close()  # a stream left open warns at exit when stopped early
print(size)
"""


def measure(
    url: str, env: dict[str, str], *, chunks: int = 0, root: Path = ROOT
) -> tuple[float, float, int, float]:
    """(seconds, peak RSS in MiB, bytes, CPU seconds) of one export in a fresh process, run
    in the checkout ``root``; ``chunks``: stop after that many chunks of events (0: all)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(chunks)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    out = process.stdout.read()
    # wait4, not wait(): it returns this child's own resource usage (peak RSS in KiB).
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    if process.returncode:
        raise SystemExit(f"{url} failed")
    cpu = usage.ru_utime + usage.ru_stime  # the process's own CPU: less noisy than the clock
    return elapsed, usage.ru_maxrss / 1024, int(out.strip() or 0), cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slugs", default="synthetic-1000")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument(
        "--chunks", type=int, default=0, help="stop each export after this many chunks"
    )
    parser.add_argument(
        "--compare",
        type=Path,
        help="another checkout (e.g. an export of main): each export runs there too, "
        "alternately, with this one's interpreter",
    )
    parser.add_argument("--rounds", type=int, default=1)
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
    base_time, base_rss, _, _ = measure("-", env)
    print(f"baseline (start Django, no request): {base_time:.1f} s, peak RSS {base_rss:.0f} MiB")
    roots = [ROOT, args.compare] if args.compare else [ROOT]
    print(
        f"{'checkout':12} {'negotiation':22} {'format':11} {'seconds':>8} {'CPU s':>7} "
        f"{'peak MiB':>9} {'MiB':>8}"
    )
    for _round in range(args.rounds):
        for slug in args.slugs.split(","):
            for fmt in args.formats.split(","):
                for root in roots:
                    url = f"/api/v1/negotiations/{slug}/export/{fmt}/"
                    seconds, rss, size, cpu = measure(url, env, chunks=args.chunks, root=root)
                    name = "this" if root == ROOT else root.name
                    print(
                        f"{name:12} {slug:22} {fmt:11} {seconds:8.1f} {cpu:7.1f} {rss:9.0f} "
                        f"{size / 2**20:8.1f}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
