"""Reads: one selector per screen or endpoint, shared by the API and the reader pages."""

from .timeline import TimelineFilters, negotiation_timeline, timeline_for_negotiation

__all__ = ["TimelineFilters", "negotiation_timeline", "timeline_for_negotiation"]
