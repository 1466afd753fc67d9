"""Run by tests/security/test_bodies.py in a fresh process: fetch and extract each URL given,
print one JSON line per URL (its outcome) and the process's memory before and at its peak."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()

from timeline.ingestion.errors import Stop  # noqa: E402
from timeline.ingestion.extract_text import extract_html  # noqa: E402
from timeline.ingestion.safe_fetch import fetch  # noqa: E402


def _kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


# The peak so far belongs to start-up; count only what the fetches add beyond it.
import trafilatura  # noqa: E402, F401  (loaded before measuring, as in a warm worker)

extract_html(b"<html><body><article><p>warm up " + b"word " * 300 + b"</p></article></body></html>")
before = _kib("VmRSS:")
outcomes = {}
for url in sys.argv[1:]:
    try:
        result = fetch(url)
        extracted = extract_html(result.content, url=url)
        outcomes[url] = f"ok:{len(extracted.text)}"
    except Stop as stop:
        outcomes[url] = stop.reason_code
print(json.dumps({"outcomes": outcomes, "rss_kib": before, "peak_kib": _kib("VmHWM:")}))
