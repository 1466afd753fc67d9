"""``{% desk_summary as desk %}`` for the admin's home page."""

from __future__ import annotations

from django import template

from timeline.selectors.desk import DeskSummary, desk_summary

register = template.Library()


@register.simple_tag(name="desk_summary")
def desk_summary_tag() -> DeskSummary:
    return desk_summary()
