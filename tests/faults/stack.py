"""A throw-away stack to break: its own PostgreSQL cluster, Redis, Celery workers and web
server on other ports of 127.0.0.1, and a server of distinct corpus pages.

Used by the ``tests/faults`` suite and by ``manage.py chaos``. Nothing here touches the
services the rest of the suite uses: the cluster is made with ``initdb`` in a temporary
folder (as the ``postgres`` user when run as root, since ``initdb`` refuses root), Redis runs
without persistence, and every process is started and stopped by id.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .poison_worker import POISON_MARKER

ROOT = Path(__file__).resolve().parents[2]
# A sentence the text extractor keeps, holding the marker the poisoned worker chokes on.
POISON_PARAGRAPH = (
    f"Negotiators in Cairo said on Tuesday that the talks would resume, according to a note "
    f"marked {POISON_MARKER} that was circulated among the delegations before the meeting."
)
PYTHON = sys.executable
DB_NAME = "tracker_chaos"


class StackError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def wait_until(predicate, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise StackError(f"{what}: not met within {timeout} s")


# --- distinct pages ---------------------------------------------------------------------


_PARAGRAPH = re.compile(r"<p[^>]*>(.*?)</p>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def paragraph_pool(corpus: Path) -> list[str]:
    """Paragraphs of real reports from the corpus, to assemble distinct pages from."""
    pool: set[str] = set()
    for page in sorted((corpus / "html").glob("*.html")):
        for raw in _PARAGRAPH.findall(page.read_text(encoding="utf-8", errors="replace")):
            text = " ".join(html.unescape(_TAG.sub(" ", raw)).split())
            if 80 <= len(text) <= 600:
                pool.add(text)
    return sorted(pool)


def page_html(number: int, pool: list[str], extra: str = "") -> bytes:
    """Page ``number``: fourteen paragraphs drawn for it alone, so no two pages are near
    copies of each other (they share a paragraph or two at most); ``extra``, if given, is
    one more paragraph in the middle of the article."""
    rng = random.Random(number)
    paragraphs = rng.sample(pool, 14)
    if extra:
        paragraphs.insert(7, extra)
    title = f"Report {number}: " + " ".join(paragraphs[0].split()[:8])
    day = 1 + number % 28
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        f"<meta property='article:published_time' content='2026-11-{day:02d}T10:00:00Z'>"
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{html.escape(title)}</h1>"
        f"{body}</article><footer>Chaos test page {number}</footer></body></html>"
    ).encode()


def feed_rss(number: int, base: str) -> bytes:
    """Feed ``number``: ten entries linking to pages ``number * 100`` to ``number * 100 + 9``."""
    items = "".join(
        f"<item><title>Report {number * 100 + i}</title>"
        f"<link>{base}page/{number * 100 + i}.html</link>"
        f"<pubDate>Mon, 02 Nov 2026 10:{i:02d}:00 GMT</pubDate></item>"
        for i in range(10)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Chaos feed {number}</title><link>{base}</link>{items}</channel></rss>"
    ).encode()


@dataclass
class PageServer:
    """``/page/N.html`` (distinct), ``/copy/N.html`` (the same bytes: a true duplicate),
    ``/slow/N.html?seconds=S`` (page N after S seconds), ``/feed/N.rss`` (ten pages),
    ``/poison/N.html`` (page N with a paragraph holding ``poison_worker.POISON_MARKER``)."""

    pool: list[str]
    port: int = 0
    hits: Counter[str] = field(default_factory=Counter)
    _httpd: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def start(self) -> PageServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                server.hits[parts.path] += 1
                match = re.fullmatch(r"/(page|copy|slow|poison)/(\d+)\.html", parts.path)
                feed = re.fullmatch(r"/feed/(\d+)\.rss", parts.path)
                content_type = "text/html; charset=utf-8"
                if feed is not None:
                    body, status = feed_rss(int(feed.group(1)), server.url("")), 200
                    content_type = "application/rss+xml"
                elif match is None:
                    body, status = b"not found", 404
                else:
                    kind, number = match.group(1), int(match.group(2))
                    if kind == "slow":
                        time.sleep(float(parse_qs(parts.query).get("seconds", ["10"])[0]))
                    extra = POISON_PARAGRAPH if kind == "poison" else ""
                    body, status = page_html(number, server.pool, extra), 200
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the worker was killed mid-fetch: that is the point

        class Quiet(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address) -> None:
                pass

        self._httpd = Quiet(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()


# --- the services -------------------------------------------------------------------------


def _as_postgres(command: list[str]) -> list[str]:
    """``initdb`` refuses to run as root: run the cluster's commands as ``postgres`` then."""
    if os.geteuid() != 0:
        return command
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(map(_quote, command))]


def _quote(part: str) -> str:
    return "'" + part.replace("'", "'\"'\"'") + "'"


@dataclass
class Postgres:
    folder: Path
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def init(self) -> None:
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise StackError("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
        self.bin = bin_dir
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(
            _as_postgres(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        self.start()
        with self.connect("postgres") as conn:
            conn.execute(f"CREATE DATABASE {DB_NAME}")

    def _ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.folder / "server.log"),
                    "-o",
                    options,
                    "-w",
                    *args,
                ]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self._ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop")

    def restart(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "restart")

    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"

    def connect(self, dbname: str = DB_NAME):
        import psycopg

        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname=dbname,
            autocommit=True,
            connect_timeout=3,
        )

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self.connect() as conn:
            return conn.execute(sql, params).fetchall()

    def destroy(self) -> None:
        with suppress(subprocess.CalledProcessError, AttributeError):
            self.stop("immediate")


@dataclass
class Redis:
    folder: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    def start(self) -> None:
        redis = shutil.which("redis-server")
        if redis is None:
            raise StackError("redis-server is not installed")
        log = (self.folder / f"redis-{self.port}.log").open("ab")
        self.proc = subprocess.Popen(
            [redis, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until(self._answers, 10, what="redis-server answers")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()  # no persistence: every queued message is gone, as in a crash
            self.proc.wait(10)
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


@dataclass
class Worker:
    """One ``celery worker`` (prefork, two children) of the stack; ``poisoned``: its extractor
    raises on reports holding the poison marker (see ``poison_worker``)."""

    stack: Stack
    name: str
    concurrency: int = 2
    poisoned: bool = False
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    def start(self) -> Worker:
        self.log_path = self.stack.folder / f"worker-{self.name}.log"
        log = self.log_path.open("ab")
        log.write(f"\n--- start {time.strftime('%H:%M:%S')}\n".encode())
        log.flush()
        offset = self.log_path.stat().st_size
        entry = "tests.faults.poison_worker" if self.poisoned else "celery"
        self.proc = subprocess.Popen(
            [
                PYTHON, "-m", entry, "-A", "tracker", "worker", "--pool=prefork",
                f"--concurrency={self.concurrency}", "-Q", "default,ingestion",
                "--loglevel=INFO", "--without-heartbeat", "--without-gossip", "--without-mingle",
                "-n", f"{self.name}-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env={**self.stack.env, "POISON_ATTEMPTS_FILE": str(self.stack.poison_attempts)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_until(lambda: self._ready(offset), 60, 0.2, f"worker {self.name} ready")
        return self

    def _ready(self, offset: int) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise StackError(f"worker {self.name} exited:\n{self.log_tail()}")
        assert self.log_path is not None
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return b" ready." in log.read()

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path else ""

    def children(self) -> list[int]:
        if self.proc is None:
            return []
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def children_connected_to(self, port: int) -> list[int]:
        """Pool children with a TCP connection open to ``port`` on 127.0.0.1 (mid-fetch)."""
        inodes: set[str] = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                lines = Path(table).read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                fields = line.split()
                if int(fields[2].rsplit(":", 1)[1], 16) == port:
                    inodes.add(fields[9])
        found = []
        for pid in self.children():
            try:
                links = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
            except OSError:
                continue
            if any(f"socket:[{inode}]" in links for inode in inodes):
                found.append(pid)
        return found

    def kill_child(self, busy_with_port: int | None = None) -> int | None:
        """SIGKILL one pool child: the one fetching from ``busy_with_port`` if given."""
        if busy_with_port is not None:
            children = self.children_connected_to(busy_with_port)
        else:
            children = self.children()
        if not children:
            return None
        victim = children[0]
        os.kill(victim, signal.SIGKILL)
        return victim

    def kill_main(self) -> None:
        """SIGKILL the main process; its orphaned children are killed too (by process group,
        which is this worker's alone), as they would be when a machine's OOM killer or an
        operator's ``kill -9`` takes the worker down."""
        if self.proc is None:
            return
        children = self.children()
        self.proc.kill()
        self.proc.wait(10)
        for pid in children:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc = None

    def terminate(self, timeout: float = 60) -> int | None:
        """SIGTERM: warm shutdown, the running tasks finish first."""
        if self.proc is None:
            return None
        self.proc.terminate()
        try:
            return self.proc.wait(timeout)
        finally:
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            with suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
            self.proc = None


@dataclass
class Web:
    stack: Stack
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    def start(self) -> Web:
        log = (self.stack.folder / "web.log").open("ab")
        self.proc = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "tracker.wsgi", "-b", f"127.0.0.1:{self.port}",
                "--workers", "1", "--threads", "4", "--timeout", "30",
            ],
            cwd=ROOT,
            env=self.stack.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_until(lambda: self.get("/healthz")[0] in (200, 503), 60, 0.3, "web answers")
        return self

    def get(self, path: str) -> tuple[int, dict | str]:
        return self.request("GET", path)

    def request(
        self, method: str, path: str, data: dict | None = None, token: str = ""
    ) -> tuple[int, dict | str]:
        body = json.dumps(data).encode() if data is not None else None
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=body, method=method
        )
        req.add_header("Accept", "application/json")
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Token {token}")
        try:
            with urllib.request.urlopen(req, timeout=15) as response:
                return response.status, _decode(response.read())
        except urllib.error.HTTPError as err:
            return err.code, _decode(err.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, ""

    def stop(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc = None


def _decode(raw: bytes) -> dict | str:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


# --- the stack ------------------------------------------------------------------------------


@dataclass
class Stack:
    folder: Path
    corpus: Path
    postgres: Postgres = field(init=False)
    redis: Redis = field(init=False)
    pages: PageServer = field(init=False)
    env: dict[str, str] = field(default_factory=dict)
    workers: list[Worker] = field(default_factory=list)
    web: Web | None = None

    def __post_init__(self) -> None:
        self.postgres = Postgres(self.folder / "pg")
        self.redis = Redis(self.folder)
        self.pages = PageServer(paragraph_pool(self.corpus))

    def start(self, **settings: str) -> Stack:
        self.postgres.init()
        self.redis.start()
        self.pages.start()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
        env.update(
            DATABASE_URL=self.postgres.url(),
            CELERY_BROKER_URL=f"redis://127.0.0.1:{self.redis.port}/0",
            REDIS_URL=f"redis://127.0.0.1:{self.redis.port}/1",
            DEBUG="0",
            SECRET_KEY=os.environ.get("SECRET_KEY", "chaos-only-secret"),
            INGESTION_ALLOWED_PRIVATE_NETWORKS="127.0.0.1/32",
            INGESTION_RETRY_BASE_SECONDS="1",
            PYTHONUNBUFFERED="1",
        )
        env.update(settings)
        self.env = env
        self.manage("migrate", "--no-input", timeout=180)
        return self

    def manage(self, *args: str, timeout: float = 120, env: dict | None = None) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise StackError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def python(self, code: str, timeout: float = 120, env: dict | None = None) -> str:
        return self.manage("shell", "-c", code, timeout=timeout, env=env)

    @property
    def poison_attempts(self) -> Path:
        """One line per extraction a poisoned worker refused (see ``poison_worker``)."""
        return self.folder / "poison-attempts.txt"

    def worker(self, name: str = "w", concurrency: int = 2, *, poisoned: bool = False) -> Worker:
        worker = Worker(self, f"{name}{len(self.workers)}", concurrency, poisoned).start()
        self.workers.append(worker)
        return worker

    def start_web(self) -> Web:
        self.web = Web(self).start()
        return self.web

    def submit(self, urls: list[str]) -> None:
        """Queue jobs through the backfill command, as an operator would."""
        listing = self.folder / f"urls-{time.monotonic_ns()}.txt"
        listing.write_text("\n".join(urls) + "\n")
        self.manage("ingest", str(listing), "--queue", "--no-progress")

    def reconcile(
        self, queued_limit: float | None = None, running_limit: float | None = None
    ) -> int:
        """Run the reconciler once: the beat task itself, or its functions with these limits."""
        if queued_limit is None and running_limit is None:
            code = "from timeline import tasks; print(tasks.ingestions_reconcile.apply().get())"
        else:
            code = (
                "from timeline.services.analysis import analyses_reconcile as a\n"
                "from timeline.services.ingestion import ingestions_reconcile as i\n"
                f"limits = dict(queued_limit={queued_limit!r}, running_limit={running_limit!r})\n"
                "print(i(**limits) + a(**limits))"
            )
        return int(self.python(code).strip().splitlines()[-1])

    def reset(self) -> None:
        """Empty the timeline's tables and the broker between experiments."""
        tables = [
            row[0]
            for row in self.postgres.rows(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename LIKE 'timeline\\_%%'"
            )
        ]
        with self.postgres.connect() as conn:
            conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        with socket.create_connection(("127.0.0.1", self.redis.port), timeout=2) as sock:
            sock.sendall(b"FLUSHALL\r\n")
            sock.recv(16)
        self.poison_attempts.unlink(missing_ok=True)

    def counts(self, page_numbers: list[int]) -> dict[str, int]:
        """What an experiment left: submitted pages, stored, analysed, lost, doubled, stuck."""
        jobs = dict(
            self.postgres.rows("SELECT status, count(*) FROM timeline_ingestion GROUP BY status")
        )
        articles = self.postgres.rows(
            "SELECT url, syndication_of_id, analysis_status FROM timeline_article"
        )
        per_page: Counter[int] = Counter()
        for url, _copy_of, _status in articles:
            match = re.search(r"/(?:page|copy|slow)/(\d+)\.html", url)
            if match:
                per_page[int(match.group(1))] += 1
        originals = [a for a in articles if a[1] is None]
        candidates_twice = self.postgres.rows(
            "SELECT count(*) FROM (SELECT source_article_id, extraction_key FROM timeline_event"
            " WHERE extraction_key <> '' GROUP BY 1, 2 HAVING count(*) > 1) AS twice"
        )[0][0]
        from_copies = self.postgres.rows(
            "SELECT count(*) FROM timeline_event e JOIN timeline_article a"
            " ON a.id = e.source_article_id WHERE a.syndication_of_id IS NOT NULL"
        )[0][0]
        unfinished_jobs = sum(
            n for status, n in jobs.items() if status not in ("done", "duplicate", "failed")
        )
        return {
            "submitted": sum(jobs.values()),
            "jobs_done": jobs.get("done", 0),
            "jobs_duplicate": jobs.get("duplicate", 0),
            "jobs_failed": jobs.get("failed", 0),
            "stored": len(articles),
            "analysed": sum(1 for a in originals if a[2] == "done"),
            "lost": sum(1 for n in page_numbers if per_page[n] == 0),
            "doubled": sum(max(0, per_page[n] - 1) for n in page_numbers),
            "stuck": unfinished_jobs
            + sum(1 for a in originals if a[2] in ("", "pending", "running")),
            "candidates_twice": candidates_twice + from_copies,
        }

    def settled(self, page_numbers: list[int]) -> bool:
        counts = self.counts(page_numbers)
        return counts["stuck"] == 0

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        if self.web is not None:
            self.web.stop()
        self.pages.stop()
        self.redis.stop()
        self.postgres.destroy()


@contextmanager
def running_stack(corpus: Path, **settings: str) -> Iterator[Stack]:
    folder = Path(tempfile.mkdtemp(prefix="tracker-chaos-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    stack = Stack(folder, corpus)
    try:
        yield stack.start(**settings)
    finally:
        stack.stop()
        shutil.rmtree(folder, ignore_errors=True)
