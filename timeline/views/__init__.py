"""Public reader pages: thin views over the reader selectors, one module per screen family."""

from .detail import actor_detail, event_detail_view, round_detail, source_detail
from .embed import embed_view
from .home import home
from .negotiation import negotiation_redirect, negotiation_timeline_view, standings_view

__all__ = [
    "actor_detail",
    "embed_view",
    "event_detail_view",
    "home",
    "negotiation_redirect",
    "negotiation_timeline_view",
    "round_detail",
    "source_detail",
    "standings_view",
]
