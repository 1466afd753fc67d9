"""What every export format needs: the timeline's facts, worded once."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from api.serializers.common import speaker_label, visible_participants
from timeline.models import Article, CitationStance, DatePrecision, Event, Negotiation
from timeline.selectors.event_rows import web_address

# What XML 1.0 forbids (C0 controls but tab, LF and CR; lone surrogates; U+FFFE/U+FFFF). Atom
# refuses to serialise them (a 500) and calendar and spreadsheet programs choke on them.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


def clean_document(value: Any) -> Any:
    """Every string of a JSON-shaped document through ``xml_safe``."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {key: clean_document(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_document(item) for item in value]
    return value


def article_href(article: Article) -> str:
    """The reader pages' rule for linking a report (http(s) only, never ``javascript:`` or
    ``data:``), so a stored URL becomes a link in no export that a page would not make."""
    return web_address(article.canonical_url, article.url)


@dataclass(frozen=True)
class ExportContext:
    negotiation: Negotiation
    request: HttpRequest

    @property
    def host(self) -> str:
        return self.request.get_host().split(":")[0] or "localhost"

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def event_url(self, event: Event) -> str:
        """The event's public page: what a reader following a link from a file wants."""
        return self.absolute(
            reverse("timeline:event", kwargs={"slug": self.negotiation.slug, "pk": event.pk})
        )

    def event_api_url(self, event: Event) -> str:
        return self.absolute(reverse("api:event-detail", kwargs={"version": "v1", "pk": event.pk}))

    def timeline_url(self) -> str:
        return self.absolute(
            reverse(
                "api:timeline-list",
                kwargs={"version": "v1", "negotiation_slug": self.negotiation.slug},
            )
        )


def display_date(day: dt.date | None, precision: str) -> str:
    """The date as precisely as it is known, in words."""
    if day is None:
        return "Undated"
    if precision == DatePrecision.DAY:
        return f"{day.day} {day:%B %Y}"
    if precision == DatePrecision.WEEK:
        return f"Week of {day.day} {day:%B %Y}"
    if precision == DatePrecision.MONTH:
        return f"{day:%B %Y}"
    if precision == DatePrecision.APPROXIMATE:
        return f"About {day.day} {day:%B %Y}"
    return f"{day:%Y}"


def participants_text(event: Event) -> str:
    return "; ".join(f"{p.actor.name} ({p.role})" for p in visible_participants(event))


def sources_text(event: Event) -> str:
    """How well sourced the event is, in words: every export says it the same way."""
    count = event.source_count
    words = {0: "No report cited", 1: "Single source"}.get(
        count, f"Reported by {count} independent outlets"
    )
    first, latest = event.first_report_at, event.latest_report_at
    if first and latest and first.date() != latest.date():
        words += f" (first {first:%d %B %Y}, latest {latest:%d %B %Y})"
    elif first:
        words += f" ({first:%d %B %Y})"
    return words


def is_disputed(event: Event) -> bool:
    """From the loaded citations, so the timeline as of a past day counts only its reports."""
    return any(c.stance == CitationStance.DISPUTES for c in event.citations.all())


def disputers(event: Event) -> list[str]:
    found = []
    for citation in event.citations.all():
        if citation.stance != CitationStance.DISPUTES:
            continue
        outlet = citation.article.outlet.name if citation.article.outlet else ""
        speaker = speaker_label(citation)
        label = speaker or outlet or "an unnamed source"
        if outlet and speaker:
            label = f"{label} ({outlet})"
        if label not in found:
            found.append(label)
    return found
