from .catalog import (
    ActorSerializer,
    ArticleSerializer,
    CitationSerializer,
    IssueSerializer,
    NegotiationDetailSerializer,
    NegotiationSerializer,
    RoundSerializer,
)
from .events import EventChangeSerializer, EventSerializer, ReviewEventSerializer
from .workflow import (
    CitationProposalSerializer,
    IngestionCreateSerializer,
    IngestionSerializer,
    MergeSerializer,
    PublishSerializer,
    ReviewPositionSerializer,
)

__all__ = [
    "ActorSerializer",
    "ArticleSerializer",
    "CitationProposalSerializer",
    "CitationSerializer",
    "EventChangeSerializer",
    "EventSerializer",
    "IngestionCreateSerializer",
    "IngestionSerializer",
    "IssueSerializer",
    "MergeSerializer",
    "NegotiationDetailSerializer",
    "NegotiationSerializer",
    "PublishSerializer",
    "ReviewEventSerializer",
    "ReviewPositionSerializer",
    "RoundSerializer",
]
