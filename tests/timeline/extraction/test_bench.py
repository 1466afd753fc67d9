"""The benchmark command prints a per-core figure and refuses a folder without articles."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_bench_extraction_prints_articles_per_second(gold_dir):
    out = StringIO()

    call_command("bench_extraction", "--gold-dir", str(gold_dir), "--rounds", "1", stdout=out)

    printed = out.getvalue()
    assert f"articles: {len(list(gold_dir.glob('*.json')))} x 1 rounds" in printed, printed
    match = re.search(r"([\d.]+) seed-length articles/s per core", printed)
    assert match is not None, printed
    assert float(match.group(1)) > 0


def test_bench_extraction_empty_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No gold articles"):
        call_command("bench_extraction", "--gold-dir", str(tmp_path))
