"""Load test of the API and the reader page under gunicorn, against a bare-view baseline.

    DATABASE_URL=... .venv/bin/python bench/api_load.py --slugs synthetic-1000,synthetic-1000000

Starts gunicorn with the production settings (DEBUG=0, sync workers, ``--workers`` for 2
cores) plus one bare view (``bench/urls.py``) that returns the first page's JSON precomputed,
then drives it with wrk (Debian's ``wrk``) on 127.0.0.1 at concurrency 8, interleaving the
targets round by round and printing the median of the rounds: requests/s, p50 and p99 for the
first page, a page in the middle of the timeline, a 304, the reader page and the baseline.
Every target goes through the same URL and view code as users. Generate the data first with
``manage.py generate_synthetic --sizes ...``.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def machine() -> str:
    cpus = os.cpu_count()
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{platform.node()}: {cpus} CPUs ({model}), load average {load}, Python {platform.python_version()}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url}")


def cursor(date: str | None, pk: int) -> str:
    payload = json.dumps({"p": [date, pk]})
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def middle_of(slug: str) -> tuple[str | None, int, int]:
    """(date, id) of the event in the middle of the timeline, and how many events it has."""
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "SELECT count(*) FROM timeline_event e JOIN timeline_negotiation n "
            "ON n.id = e.negotiation_id WHERE n.slug = %s AND e.status = 'published'",
            [slug],
        )
        (total,) = c.fetchone()
        # One-off set-up query of the benchmark, not a request path.
        c.execute(
            "SELECT e.date, e.id FROM timeline_event e JOIN timeline_negotiation n "
            "ON n.id = e.negotiation_id WHERE n.slug = %s AND e.status = 'published' "
            "ORDER BY e.date, e.id OFFSET %s LIMIT 1",
            [slug, total // 2],
        )
        day, pk = c.fetchone()
    return (day.isoformat() if day else None), pk, total


def wrk(url: str, duration: int, concurrency: int, headers: list[str]) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{concurrency}", f"-d{duration}s", "--latency", "--timeout", "30s"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def millis(label: str) -> float:
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": millis("50%"),
        "p99": millis("99%"),
        "errors": float(errors.group(1)) if errors else 0.0,
        "timeouts": float(timeouts.group(1)) if timeouts else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slugs", default="synthetic-1000")
    parser.add_argument("--duration", type=int, default=5, help="seconds per target per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--targets", default="baseline,first,deep,304,reader")
    parser.add_argument(
        "--no-response-cache",
        action="store_true",
        help="API_RESPONSE_CACHE_SECONDS=0: every API request builds its page (the miss path)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        # Production settings refuse a short or simple key: a fresh one per run.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # The API's throttle would answer a load generator with 429s.
        "API_THROTTLE_ANON": "100000000/min",
        # DRF's user throttle counts an anonymous client by address as well.
        "API_THROTTLE_USER": "100000000/min",
        # So would the reader pages' per-address throttle, which guards every non-API path.
        "READER_THROTTLE_RATE": "100000000/min",
    }
    if args.no_response_cache:
        env["API_RESPONSE_CACHE_SECONDS"] = "0"
    # Production settings serve hashed static files: collect them once, as a deploy does.
    env["STATIC_ROOT"] = tempfile.mkdtemp(prefix="bench-static-")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    print(machine())
    print(
        f"gunicorn: {args.workers} sync workers; wrk -t2 -c{args.concurrency}, {args.duration} s "
        f"per target, {args.rounds} rounds interleaved, medians; API response cache "
        f"{'off' if args.no_response_cache else 'on'}, in "
        f"{'Redis' if env.get('REDIS_URL') else 'each worker (locmem)'}"
    )
    for slug in args.slugs.split(","):
        run(slug, args, env)


def run(slug: str, args: argparse.Namespace, env: dict[str, str]) -> None:
    day, pk, total = middle_of(slug)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as baseline_file:
        env = {**env, "BENCH_BASELINE_FILE": baseline_file.name}
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "tracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        first_url = f"{base}/api/v1/negotiations/{slug}/timeline/"
        wait_for(first_url, timeout=120)
        with urllib.request.urlopen(first_url, timeout=120) as response:
            body = response.read()
            etag = response.headers["ETag"]
        Path(baseline_file.name).write_bytes(body)
        with urllib.request.urlopen(f"{base}/n/{slug}/", timeout=120) as response:
            reader_kib = len(response.read()) / 1024
        targets = {
            "baseline": (f"{base}/bench/baseline/", []),
            "first": (first_url, []),
            "deep": (f"{first_url}?cursor={cursor(day, pk)}", []),
            "304": (first_url, [f"If-None-Match: {etag}"]),
            "reader": (f"{base}/n/{slug}/", []),
        }
        chosen = [t for t in args.targets.split(",") if t in targets]
        results: dict[str, list[dict[str, float]]] = {name: [] for name in chosen}
        for _round in range(args.rounds):
            for name in chosen:
                url, headers = targets[name]
                results[name].append(wrk(url, args.duration, args.concurrency, headers))
        print(
            f"\n{slug}: {total:,} published events; first page {len(body) / 1024:.0f} KiB, "
            f"reader page {reader_kib:.0f} KiB"
        )
        print(f"{'target':10} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7}")
        medians = {}
        for name in chosen:
            rows = results[name]
            med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
            medians[name] = med
            print(
                f"{name:10} {med['rps']:9.1f} {med['p50']:9.1f} {med['p99']:9.1f} "
                f"{med['errors'] + med['timeouts']:7.0f}"
            )
        if "baseline" in medians and "first" in medians:
            m = medians
            print(
                f"ratios: first/baseline req/s {m['first']['rps'] / m['baseline']['rps']:.2f}",
                end="",
            )
            if "deep" in m:
                print(f"; deep/first p99 {m['deep']['p99'] / m['first']['p99']:.2f}", end="")
            if "304" in m:
                print(f"; 304/first req/s {m['304']['rps'] / m['first']['rps']:.2f}", end="")
            print()
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.unlink(baseline_file.name)


if __name__ == "__main__":
    main()
