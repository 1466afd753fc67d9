"""Issue 11: oversized and malformed bodies end with a reason, and memory stays bounded
(the fetching process's peak RSS is measured in a fresh process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The default byte cap is 5 MB; a 50 MB page or a 40 MB gzip bomb read whole would show.
PEAK_GROWTH_LIMIT_KIB = 48 * 1024

ARTICLE = (
    "<html><head><title>Talks resume</title></head><body><article>"
    + "<p>Negotiators met again on Tuesday, officials said, and exchanged proposals.</p>" * 20
    + "</article></body></html>"
)


def test_hostile_bodies_end_with_a_reason_and_bounded_memory(local_server, raw_server):
    raw_server.script = [
        (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 999999\r\n\r\n", 0)
    ] + [(b"<p>drip</p>", 0.25)] * 40  # an endless slow trickle, as far as the deadline sees
    pages = {
        "bad-utf8": (ARTICLE.encode() + b"\xff\xfe\xc3\x28\xa0\xa1", "text/html; charset=utf-8"),
        "bogus-charset": (ARTICLE.encode(), "text/html; charset=no-such-charset"),
        "utf16-no-bom": (ARTICLE.encode("utf-16-le"), "text/html"),
        "latin1-as-utf8": (ARTICLE.replace("met", "m\xe9t").encode("latin-1"), "text/html"),
        "nul-bytes": (ARTICLE.encode().replace(b"again", b"ag\x00ain"), "text/html"),
        "image": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 1000, "image/png"),
        "pdf": (b"%PDF-1.7\n" + b"x" * 1000, "application/pdf"),
        "no-type-binary": (b"\x00\x01\x02" * 100, ""),
        "empty": (b"", "text/html"),
    }
    urls = {
        name: local_server.add_page(f"/bodies/{name}", body, ct)
        for name, (body, ct) in pages.items()
    }
    urls |= {
        "50 MB page": local_server.url("huge?chunks=5000"),
        "declared 50 MB": local_server.url("huge-declared"),
        "gzip bomb": local_server.url("gzip-bomb"),
        "json": local_server.url("json"),
        "slow trickle": raw_server.url("/trickle"),
    }
    env = {
        **os.environ,
        "DEBUG": "0",
        "INGESTION_ALLOWED_PRIVATE_NETWORKS": "127.0.0.1/32",
        "INGESTION_TOTAL_TIMEOUT": "3",
        "INGESTION_READ_TIMEOUT": "5",
    }

    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("probe_fetch_memory.py")), *urls.values()],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    outcome = {name: report["outcomes"][url] for name, url in urls.items()}
    assert outcome["50 MB page"] == "too_large"
    assert outcome["declared 50 MB"] == "too_large"
    assert outcome["gzip bomb"] == "too_large"
    assert outcome["slow trickle"] == "timeout"
    for name in ("image", "pdf", "json", "no-type-binary"):
        assert outcome[name] == "bad_content_type", name
    # Text in a broken or unknown encoding is decoded leniently or refused as not an article,
    # but every one ends with an outcome instead of an exception.
    for name in ("bad-utf8", "bogus-charset", "latin1-as-utf8", "nul-bytes"):
        assert outcome[name].startswith("ok:") or outcome[name] == "not_an_article", name
    assert outcome["empty"] in {"not_an_article", "bad_content_type"}
    growth = report["peak_kib"] - report["rss_kib"]
    print(f"peak RSS growth while fetching {len(urls)} hostile bodies: {growth / 1024:.1f} MiB")
    assert growth < PEAK_GROWTH_LIMIT_KIB
