"""Reads: one selector per screen or endpoint, shared by the API and the reader pages."""

from . import catalog
from .reader import (
    actor_page,
    event_detail,
    home_summary,
    negotiation_activity,
    negotiation_context,
    negotiation_standings,
    reader_timeline,
    round_page,
    source_page,
    timeline_rows,
)
from .timeline import TimelineFilters, negotiation_timeline, timeline_for_negotiation

__all__ = [
    "TimelineFilters",
    "actor_page",
    "catalog",
    "event_detail",
    "home_summary",
    "negotiation_activity",
    "negotiation_context",
    "negotiation_standings",
    "negotiation_timeline",
    "reader_timeline",
    "round_page",
    "source_page",
    "timeline_for_negotiation",
    "timeline_rows",
]
