"""One row per published event, for spreadsheets."""

from __future__ import annotations

import csv
import io

from timeline.models import Event

from .common import ExportContext, disputers, is_disputed, participants_text, xml_safe

COLUMNS = [
    "id",
    "date",
    "end_date",
    "date_precision",
    "date_text",
    "kind",
    "plover_category",
    "modality",
    "summary",
    "description",
    "place",
    "round",
    "issue",
    "participants",
    "disputed",
    "disputed_by",
    "citation_count",
    "sources",
    "published_at",
    "updated_at",
    "url",
]
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    # Control characters first: "\x01=cmd()" must not become a formula once they are gone.
    text = "" if value is None else xml_safe(str(value))
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def build_csv(context: ExportContext, events: list[Event]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for event in events:
        sources = " | ".join(
            citation.article.url or citation.article.title for citation in event.citations.all()
        )
        row = [
            event.pk,
            event.date.isoformat() if event.date else "",
            event.end_date.isoformat() if event.end_date else "",
            event.date_precision,
            event.date_text,
            event.kind,
            event.plover_category or "",
            event.modality,
            event.summary,
            event.description,
            event.place.name if event.place else "",
            str(event.round) if event.round else "",
            event.issue.title if event.issue else "",
            participants_text(event),
            "true" if is_disputed(event) else "false",
            "; ".join(disputers(event)),
            len(event.citations.all()),
            sources,
            event.published_at.isoformat() if event.published_at else "",
            event.updated_at.isoformat(),
            context.event_url(event),
        ]
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()
