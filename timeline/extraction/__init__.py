"""Text to candidate events, quotes, people, venues and positions.

Plain Python: works on an article's text and the gazetteer it is given, never on the database.
``timeline.services.candidates`` builds the gazetteer from known actors and places and stores
what :func:`extract` finds as candidates for review.
"""

from .gazetteer import Gazetteer, KnownActor, KnownPlace, default_gazetteer
from .pipeline import ArticleInput, ExtractionResult, extract, to_gold_dict

__all__ = [
    "ArticleInput",
    "ExtractionResult",
    "Gazetteer",
    "KnownActor",
    "KnownPlace",
    "default_gazetteer",
    "extract",
    "to_gold_dict",
]
