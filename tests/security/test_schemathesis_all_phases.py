"""Issue 11 API fuzzing: schemathesis over every operation with the phases that
tests/api/test_schema.py (fuzzing) leaves out: examples, coverage of edge values such as NUL
bytes, huge integers and bad dates, and the stateful phase over links inferred between
operations; as an editor (whose token reaches the write operations). Bounded: 3 examples."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from tests.conftest import skip_or_fail

CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,response_headers_conformance"
)


def _run(url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).with_name("schemathesis")
    if not cli.exists():
        skip_or_fail(f"the schemathesis command line is not installed at {cli}")
    return subprocess.run(
        [
            str(cli),
            "run",
            f"{url}/api/schema/",
            "--checks",
            CHECKS,
            # Fuzzing is tests/api/test_schema.py's run; these are the phases it leaves out.
            "--phases",
            "examples,coverage,stateful",
            # Submitting URLs queues fetch jobs, and a new token would replace the one in use.
            "--exclude-operation-id",
            "ingestions_create",
            "--exclude-operation-id",
            "auth_token_create",
            "--exclude-operation-id",
            "auth_token_revoke",
            "--max-examples",
            "3",
            "--workers",
            "1",
            "--seed",
            "20261204",
            "--no-shrink",
            "--request-timeout",
            "10",
            "--report-dir",
            str(tmp_path),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.mark.slow
def test_schemathesis_all_phases_find_no_server_error(
    transactional_db, live_server, talks, editor, tmp_path
):
    # As an editor: the token reaches the review and ingestion operations too. (Anonymous
    # callers are walked route by route in test_authorization.py.)
    token = Token.objects.create(user=editor).key

    result = _run(live_server.url, tmp_path, "--header", f"Authorization: Token {token}")

    output = result.stdout
    assert "Stateful" in output and "Coverage" in output, output[-3000:]
    assert result.returncode == 0, output[-6000:] + result.stderr[-2000:]
    tested = re.search(r"(\d+) selected", output)
    assert tested is not None and int(tested.group(1)) >= 28, output[-3000:]
