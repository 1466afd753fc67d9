"""One row per published event, for spreadsheets."""

from __future__ import annotations

import csv
import io

from api.serializers.common import visible_participants
from timeline.models import Event, Position

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
    "participant_names",
    "participant_urls",
    "latitude",
    "longitude",
    "disputed",
    "disputed_by",
    "citation_count",
    "source_count",
    "first_report_at",
    "latest_report_at",
    "sources",
    "source_titles",
    "source_urls",
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


# Excel reads a CSV as the local code page unless it starts with a byte order mark.
BOM = "\ufeff"


def build_csv(context: ExportContext, events: list[Event], *, excel: bool = False) -> str:
    """One row per event; ``excel`` starts the file with a UTF-8 byte order mark, so Excel
    shows curly quotes and accents as written instead of mojibake."""
    out = io.StringIO()
    if excel:
        out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for event in events:
        sources = " | ".join(
            citation.article.url or citation.article.title for citation in event.citations.all()
        )
        people = visible_participants(event)
        articles = list({c.article_id: c.article for c in event.citations.all()}.values())
        place = event.place
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
            "; ".join(p.actor.name for p in people),
            " ".join(context.absolute(f"/actors/{p.actor.slug}/") for p in people),
            place.latitude if place and place.latitude is not None else "",
            place.longitude if place and place.longitude is not None else "",
            "true" if is_disputed(event) else "false",
            "; ".join(disputers(event)),
            len(event.citations.all()),
            event.source_count,
            event.first_report_at.isoformat() if event.first_report_at else "",
            event.latest_report_at.isoformat() if event.latest_report_at else "",
            sources,
            "; ".join(a.title for a in articles),
            " ".join(a.url for a in articles if a.url),
            event.published_at.isoformat() if event.published_at else "",
            event.updated_at.isoformat(),
            context.event_url(event),
        ]
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


POSITION_COLUMNS = [
    "issue",
    "party",
    "kind",
    "stance",
    "detail",
    "valid_from",
    "date_precision",
    "date_text",
    "current",
    "supersedes",
    "sources",
    "party_url",
]


def build_positions_csv(
    context: ExportContext, positions: list[Position], *, excel: bool = False
) -> str:
    """Every published stance of the negotiation, oldest first per party and issue: how each
    side moved."""
    out = io.StringIO()
    if excel:
        out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(POSITION_COLUMNS)
    for position in positions:
        row = [
            position.issue.title,
            position.party.name,
            position.kind,
            position.stance,
            position.detail,
            position.valid_from.isoformat() if position.valid_from else "",
            position.date_precision,
            position.date_text,
            "true" if position.is_current else "false",
            position.supersedes_id or "",
            " ".join(c.article.url for c in position.citations.all() if c.article.url),
            context.absolute(f"/actors/{position.party.slug}/"),
        ]
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()
