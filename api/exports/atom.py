"""An Atom feed of a negotiation's newly published or changed events."""

from __future__ import annotations

from typing import Any, cast

from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.xmlutils import SimplerXMLGenerator

from api.serializers.common import speaker_label
from timeline.models import Event

from .common import ExportContext, article_href, display_date, disputers, xml_safe


class _XmlSafeGenerator(SimplerXMLGenerator):
    """Drops the characters XML forbids from every text and attribute on the way out: one
    control character in a pasted report made the whole feed a 500."""

    def characters(self, content: str) -> None:
        super().characters(xml_safe(content) if content else content)

    def startElement(self, name: str, attrs) -> None:
        clean = {key: xml_safe(value) for key, value in attrs.items()}
        super().startElement(name, cast(Any, clean))  # Django itself passes a dict


class _SafeAtomFeed(Atom1Feed):
    def write(self, outfile, encoding) -> None:
        handler = _XmlSafeGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


def _content(event: Event) -> str:
    html = format_html(
        "<p>{} ({}).</p>", display_date(event.date, event.date_precision), event.get_kind_display()
    )
    if event.description:
        html += format_html("<p>{}</p>", event.description)
    for citation in event.citations.all():
        html += format_html("<blockquote>{}</blockquote>", citation.quote)
        href = article_href(citation.article)
        name = citation.article.title or href or "the report"
        source = format_html('<a href="{}">{}</a>', href, name) if href else name
        html += format_html("<p>— {}, {}</p>", speaker_label(citation) or "the report", source)
    who = disputers(event)
    if who:
        html += format_html("<p>Disputed by {}</p>", "; ".join(who))
    return html


def build_atom(context: ExportContext, events: list[Event]) -> str:
    negotiation = context.negotiation
    feed = _SafeAtomFeed(
        title=f"{negotiation.title}: timeline updates",
        link=context.timeline_url(),
        description=negotiation.description or f"Events on the timeline of {negotiation.title}.",
        feed_url=context.request.build_absolute_uri(),
        language="en",
        feed_guid=context.timeline_url(),
    )
    for event in events:
        feed.add_item(
            title=event.summary,
            link=context.event_url(event),
            description=_content(event),
            # The id stays the API address it always was: feed readers key entries on it.
            unique_id=context.event_api_url(event),
            pubdate=event.published_at or event.created_at,
            updateddate=event.updated_at,
            categories=[event.kind],
        )
    return feed.writeString("utf-8")
