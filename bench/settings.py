"""The production settings, plus one bare view for the baseline (``bench/urls.py``)."""

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
