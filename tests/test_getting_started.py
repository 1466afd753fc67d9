"""The first minutes of a new user, run for real: ``make run`` in a fresh copy of the checkout,
then every command it prints, verbatim, in a plain shell (no DEBUG, no SECRET_KEY set)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, skip_or_fail, wait_for

pytestmark = pytest.mark.slow


def _fresh_copy(target: Path) -> None:
    """The tracked files as they are in the working tree (a fresh clone with these changes),
    mtimes kept so make sees the shared virtualenv as installed."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in listed:
        source = ROOT / name
        if not source.is_file():
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_run_then_its_printed_commands_work_verbatim(tmp_path: Path):
    if shutil.which("make") is None:
        skip_or_fail("make is not installed")
    if not (ROOT / ".venv" / ".installed").exists():
        skip_or_fail("the virtualenv is not installed (make install)")
    checkout = tmp_path / "checkout"
    _fresh_copy(checkout)
    port = _free_port()
    # What a new user's shell has: no DEBUG, no SECRET_KEY, no database or broker.
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    log = tmp_path / "make-run.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=checkout,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:

        def up() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        assert wait_for(up, timeout=120), log.read_text()
        printed = log.read_text()
        # Quiet and clear: no broker warning, no stray repr.
        assert "No hostname was supplied" not in printed
        assert "('dict')" not in printed
        assert "The extractor proposed" in printed
        env_file = (checkout / ".env").read_text()
        assert "DEBUG=1" in env_file
        assert re.search(r"^SECRET_KEY=\S{40,}$", env_file, re.M)

        commands = [
            line.strip() for line in printed.splitlines() if line.strip().startswith(".venv/bin/")
        ]
        assert [c.split()[2] for c in commands] == ["createeditor", "apitoken"]
        results = []
        for command in commands:
            verbatim = command.replace("YOUR_NAME", "amira")
            results.append(
                subprocess.run(
                    verbatim,
                    shell=True,
                    cwd=checkout,
                    env={**env, "EDITOR_PASSWORD": "ceasefire-ledger-47-rounds"},
                    capture_output=True,
                    text=True,
                    timeout=120,
                    check=False,
                )
            )
        assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
        token = results[1].stdout.strip()
        assert re.fullmatch(r"[0-9a-f]{40}", token)

        # The token opens the editors' API, as the README says.
        queue = f"http://127.0.0.1:{port}/api/v1/review/events/"
        with_token = httpx.get(queue, headers={"Authorization": f"Token {token}"}, timeout=10)
        without = httpx.get(queue, timeout=10)
        for url in re.findall(r"http://127\.0\.0\.1:\d+/\S*", printed):
            assert httpx.get(url, timeout=10).status_code in (200, 302), url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    assert with_token.status_code == 200
    assert without.status_code in (401, 403)
