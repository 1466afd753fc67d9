"""Whole-timeline downloads of a negotiation: CSV, JSON, TimelineJS, iCalendar and Atom."""

from .atom import build_atom
from .common import ExportContext, clean_document
from .csv_export import build_csv, build_positions_csv
from .ical import build_ical
from .json_export import build_json
from .timelinejs import GROUP_BY, build_timelinejs

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    # The same CSV for Excel (a byte order mark first), and the positions ledger as CSV.
    "excel": "text/csv; charset=utf-8",
    "positions": "text/csv; charset=utf-8",
    "json": "application/json",
    "timelinejs": "application/json",
    "ics": "text/calendar; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}
EXTENSIONS = {
    "csv": "csv",
    "excel": "csv",
    "positions": "csv",
    "json": "json",
    "timelinejs": "json",
    "ics": "ics",
    "atom": "xml",
}

__all__ = [
    "CONTENT_TYPES",
    "EXTENSIONS",
    "GROUP_BY",
    "ExportContext",
    "build_atom",
    "build_csv",
    "build_ical",
    "build_json",
    "build_positions_csv",
    "build_timelinejs",
    "clean_document",
]
