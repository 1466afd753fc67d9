"""The editors' desk: every model, with history, and the review queue of candidate events."""

from . import actors, articles, events, ingestion, negotiations  # noqa: F401
