"""An Atom feed of a negotiation's newly published or changed events."""

from __future__ import annotations

from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html

from api.serializers.common import speaker_label
from timeline.models import Event

from .common import ExportContext, display_date, disputers


def _content(event: Event) -> str:
    html = format_html(
        "<p>{} ({}).</p>", display_date(event.date, event.date_precision), event.get_kind_display()
    )
    if event.description:
        html += format_html("<p>{}</p>", event.description)
    for citation in event.citations.all():
        html += format_html(
            '<blockquote>{}</blockquote><p>— {}, <a href="{}">{}</a></p>',
            citation.quote,
            speaker_label(citation) or "the report",
            citation.article.url,
            citation.article.title or citation.article.url,
        )
    who = disputers(event)
    if who:
        html += format_html("<p>Disputed by {}</p>", "; ".join(who))
    return html


def build_atom(context: ExportContext, events: list[Event]) -> str:
    negotiation = context.negotiation
    feed = Atom1Feed(
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
