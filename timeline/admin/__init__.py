"""The editors' desk: every model, with history, and the review queues of candidate events
and positions."""

from . import (  # noqa: F401
    actors,
    articles,
    desk,
    events,
    ingestion,
    negotiations,
    positions,
    proposals,
)
