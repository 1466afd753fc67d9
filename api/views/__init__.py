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
from .workflow import (
    CitationProposalReviewViewSet,
    IngestionViewSet,
    PositionReviewViewSet,
    ReviewViewSet,
)

__all__ = [
    "ActorViewSet",
    "ArticleViewSet",
    "CitationProposalReviewViewSet",
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
