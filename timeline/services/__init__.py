"""Writes: every workflow that changes more than one row goes through a function here.

The admin, the API and the tasks call these; none of them writes the models in long chains of
their own. Each function is atomic and raises ``DomainError`` with a message fit for an editor.
"""

from .actors import actor_merge
from .candidates import candidates_propose
from .errors import DomainError
from .events import citation_create, event_merge, event_publish, event_reject, event_retract
from .ingestion import (
    feed_check,
    feed_poll_now,
    feed_register,
    ingestion_retry,
    ingestion_submit,
    ingestion_submit_html,
    ingestion_submit_text,
    ingestion_submit_url,
)
from .issues import issue_merge, issue_publish, issue_reject
from .positions import position_publish, position_reject

__all__ = [
    "DomainError",
    "actor_merge",
    "candidates_propose",
    "citation_create",
    "event_merge",
    "event_publish",
    "event_reject",
    "event_retract",
    "feed_check",
    "feed_poll_now",
    "feed_register",
    "ingestion_retry",
    "ingestion_submit",
    "ingestion_submit_html",
    "ingestion_submit_text",
    "ingestion_submit_url",
    "issue_merge",
    "issue_publish",
    "issue_reject",
    "position_publish",
    "position_reject",
]
