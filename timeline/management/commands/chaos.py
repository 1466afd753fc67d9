"""``manage.py chaos``: break a throw-away copy of the stack and measure how it heals.

Each scenario starts from empty tables on its own PostgreSQL cluster and Redis (other ports of
127.0.0.1, made and removed by the command), submits distinct corpus pages plus a few true
duplicates, injects its fault, then runs the reconciler every ``--reconcile-every`` seconds (as
beat would) until every job and analysis is final. It prints the counts (submitted, stored,
analysed, lost, doubled, stuck) right after the fault and once healed, and the heal time.

Scenarios: ``kill`` (SIGKILL a pool child twice, the main process once with a restart, a
child again), ``redis`` (Redis killed without persistence and started again, submissions
during the outage), ``postgres`` (``pg_ctl stop -m fast``, a few seconds away, start).

Run from a checkout (it uses ``tests/faults/stack.py``), with the corpus in
``TRACKER_SHARED_DIR``; needs ``initdb``/``pg_ctl`` under /usr/lib/postgresql and
``redis-server``. With the default settings a scenario may take 20 minutes: that is the
measurement. ``--fast`` uses the faults suite's short limits instead.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

SCENARIOS = ("kill", "redis", "postgres")


class Command(BaseCommand):
    help = "Kill workers, restart Redis and PostgreSQL under load; report what was lost."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "scenarios", nargs="*", metavar="SCENARIO", help=f"any of {', '.join(SCENARIOS)} (all)"
        )
        parser.add_argument("--pages", type=int, default=200, help="distinct pages (200)")
        parser.add_argument("--copies", type=int, default=5, help="true duplicates (5)")
        parser.add_argument(
            "--reconcile-every", type=float, default=60.0, help="seconds, as beat (60)"
        )
        parser.add_argument(
            "--timeout", type=float, default=1800.0, help="give up healing after (1800 s)"
        )
        parser.add_argument(
            "--fast",
            action="store_true",
            help="the faults suite's short time limit, visibility timeout and reconciler limits",
        )
        parser.add_argument("--json", action="store_true", help="one JSON object per scenario")

    def handle(self, *args, scenarios: list[str], **options) -> None:
        unknown = sorted(set(scenarios) - set(SCENARIOS))
        if unknown:
            raise CommandError(f"Unknown scenario {', '.join(unknown)}: choose from {SCENARIOS}.")
        try:
            from tests.faults.conftest import FAST_SETTINGS
            from tests.faults.stack import running_stack
        except ImportError as exc:
            raise CommandError(f"Run from a checkout with the tests package: {exc}") from exc
        corpus = Path(
            os.environ.get(
                "TRACKER_CORPUS_DIR",
                Path(os.environ.get("TRACKER_SHARED_DIR", settings.BASE_DIR.parent / "shared"))
                / "corpus",
            )
        )
        if not (corpus / "html").is_dir():
            raise CommandError(f"No corpus at {corpus}: set TRACKER_SHARED_DIR.")
        self.options = options
        env = dict(FAST_SETTINGS) if options["fast"] else {}
        self.limits = {"queued_limit": 30.0, "running_limit": 20.0} if options["fast"] else {}
        with running_stack(corpus, **env) as stack:
            for number, scenario in enumerate(scenarios or SCENARIOS):
                result = self.run_scenario(stack, scenario, base=1000 * (number + 1))
                if options["json"]:
                    self.stdout.write(json.dumps(result))
                else:
                    self.report(result)

    # --- one scenario ----------------------------------------------------------------------

    def run_scenario(self, stack, scenario: str, base: int) -> dict:
        stack.reset()
        pages = list(range(base, base + self.options["pages"]))
        urls = [stack.pages.url(f"page/{n}.html") for n in pages]
        copies = [stack.pages.url(f"copy/{n}.html") for n in pages[: self.options["copies"]]]
        worker = stack.worker("chaos")
        later: list[str] = []
        if scenario == "redis":
            # A tenth is submitted while Redis is down.
            cut = len(urls) - len(urls) // 10
            urls, later = urls[:cut], urls[cut:]
        started = time.monotonic()
        stack.submit(urls + copies)
        events: list[str] = []

        def at(fraction: float) -> None:
            target = int(len(pages) * fraction)
            deadline = time.monotonic() + 600
            while self._stored(stack) < target and time.monotonic() < deadline:
                time.sleep(0.1)

        if scenario == "kill":
            for fraction in (0.1, 0.3):
                at(fraction)
                events.append(f"child {worker.kill_child()} killed at {self._stored(stack)}")
            at(0.5)
            worker.kill_main()
            events.append(f"main process killed at {self._stored(stack)}")
            time.sleep(1)
            worker = stack.worker("chaos")
            at(0.7)
            events.append(f"child {worker.kill_child()} killed at {self._stored(stack)}")
        elif scenario == "redis":
            at(0.3)
            stack.redis.stop()
            events.append(f"redis killed at {self._stored(stack)}")
            stack.submit(later)
            time.sleep(3)
            stack.redis.start()
            events.append("redis started")
        elif scenario == "postgres":
            at(0.3)
            events.append(f"postgres stopped at {self._stored(stack)} stored")
            stopped = time.monotonic()
            stack.postgres.stop("fast")
            time.sleep(5)
            stack.postgres.start()
            events.append(f"postgres started after {time.monotonic() - stopped:.1f} s")
        else:
            raise CommandError(f"unknown scenario {scenario}")
        fault_over = time.monotonic()
        # Let the queue drain before the first look: "after the fault" means what the
        # workers alone left behind.
        self._quiet(stack, pages)
        after_fault = stack.counts(pages)
        reconciled = 0
        next_tick = time.monotonic() + self.options["reconcile_every"]
        while not stack.settled(pages) and time.monotonic() - fault_over < self.options["timeout"]:
            time.sleep(1)
            if time.monotonic() >= next_tick:
                reconciled += stack.reconcile(**self.limits)
                next_tick = time.monotonic() + self.options["reconcile_every"]
        healed_at = time.monotonic()
        healed = stack.counts(pages)
        for running in stack.workers:
            running.stop()
        stack.workers.clear()
        return {
            "scenario": scenario,
            "pages": len(pages),
            "copies": len(copies),
            "events": events,
            "after_fault": after_fault,
            "healed": healed,
            "requeued_by_reconciler": reconciled,
            "heal_seconds": round(healed_at - fault_over, 1),
            "total_seconds": round(healed_at - started, 1),
            "settled": stack.settled(pages),
        }

    def _stored(self, stack) -> int:
        try:
            return stack.postgres.rows("SELECT count(*) FROM timeline_article")[0][0]
        except Exception:  # the database may be the thing that is down
            return -1

    def _quiet(self, stack, pages: list[int], seconds: float = 60.0) -> None:
        """Wait until the counts stop moving for a few seconds (or everything is final)."""
        last, still, deadline = None, 0, time.monotonic() + seconds
        while time.monotonic() < deadline and not stack.settled(pages):
            counts = stack.counts(pages)
            still = still + 1 if counts == last else 0
            if still >= 5:
                return
            last = counts
            time.sleep(1)

    def report(self, result: dict) -> None:
        write = self.stdout.write
        write(f"\n== {result['scenario']}: {result['pages']} pages + {result['copies']} copies")
        for event in result["events"]:
            write(f"   {event}")
        keys = (
            "submitted",
            "jobs_done",
            "jobs_duplicate",
            "jobs_failed",
            "stored",
            "analysed",
            "lost",
            "doubled",
            "stuck",
            "candidates_twice",
        )
        write("   " + " ".join(f"{k:>11}" for k in ("", *keys)))
        for label in ("after_fault", "healed"):
            row = result[label]
            write("   " + " ".join(f"{v:>11}" for v in (label, *(row[k] for k in keys))))
        write(
            f"   healed {result['heal_seconds']} s after the fault "
            f"({result['requeued_by_reconciler']} re-queued by the reconciler; "
            f"all final: {result['settled']})"
        )
