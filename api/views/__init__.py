from .catalog import (
    ActorViewSet,
    ArticleViewSet,
    CitationViewSet,
    IssueViewSet,
    NegotiationViewSet,
    RoundViewSet,
)
from .events import EventViewSet, TimelineViewSet
from .exports import ExportView
from .tokens import TokenView
from .workflow import IngestionViewSet, PositionReviewViewSet, ReviewViewSet

__all__ = [
    "ActorViewSet",
    "ArticleViewSet",
    "CitationViewSet",
    "EventViewSet",
    "ExportView",
    "IngestionViewSet",
    "IssueViewSet",
    "NegotiationViewSet",
    "PositionReviewViewSet",
    "ReviewViewSet",
    "RoundViewSet",
    "TimelineViewSet",
    "TokenView",
]
