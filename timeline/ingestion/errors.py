"""The two exceptions that end a pipeline run early, and the transient/permanent split.

``Stop`` carries a short reason code (shown and filtered in admin) and a message for an editor.
A transient stop (a timeout, a 5xx, a reset connection) is retried with back-off; a permanent
one (a 4xx, a blocked address, a page too large, not an article) fails the job at once.
Anything else that escapes a step is a bug and propagates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timeline.models import Article


class Stop(Exception):  # the pipeline's vocabulary: "stop with this reason"
    def __init__(self, reason_code: str, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.reason_code = reason_code
        self.message = message
        self.transient = transient

    def __repr__(self) -> str:
        kind = "transient" if self.transient else "permanent"
        return f"Stop({self.reason_code!r}, {self.message!r}, {kind})"


class Duplicate(Exception):
    """The job's report is already known as ``article``; nothing new to store or analyse."""

    def __init__(self, article: Article, reason_code: str = "duplicate", message: str = "") -> None:
        super().__init__(message or f"Already ingested as article {article.pk}.")
        self.article = article
        self.reason_code = reason_code
        self.message = str(self)


# Reason codes, so admin filters and tests use the same words.
INVALID_URL = "invalid_url"
BLOCKED_ADDRESS = "blocked_address"
DNS_FAILURE = "dns_failure"
TOO_MANY_REDIRECTS = "too_many_redirects"
TOO_LARGE = "too_large"
BAD_CONTENT_TYPE = "bad_content_type"
HTTP_CLIENT_ERROR = "http_4xx"
HTTP_SERVER_ERROR = "http_5xx"
TIMEOUT = "timeout"
CONNECTION = "connection_error"
TLS_ERROR = "tls_error"
NOT_AN_ARTICLE = "not_an_article"
EMPTY_INPUT = "empty_input"
STUCK = "stuck"
FEED_UNPARSABLE = "feed_unparsable"
