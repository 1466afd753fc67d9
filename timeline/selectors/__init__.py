"""Reads: one selector per screen or endpoint, shared by the API and the reader pages."""

from . import catalog
from .activity import negotiation_activity
from .detail_pages import actor_page, event_detail, round_page
from .event_rows import timeline_rows
from .home import home_summary
from .negotiation import first_report_day, negotiation_context, negotiation_stamp
from .sources import source_page
from .standings import negotiation_standings
from .timeline import TimelineFilters, negotiation_timeline, timeline_for_negotiation
from .timeline_page import timeline_page

__all__ = [
    "TimelineFilters",
    "actor_page",
    "catalog",
    "event_detail",
    "first_report_day",
    "home_summary",
    "negotiation_activity",
    "negotiation_context",
    "negotiation_stamp",
    "negotiation_standings",
    "negotiation_timeline",
    "round_page",
    "source_page",
    "timeline_for_negotiation",
    "timeline_page",
    "timeline_rows",
]
