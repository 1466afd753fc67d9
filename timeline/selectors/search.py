"""Events ranked by relevance to a search (``q=``), bounded to the best ``SEARCH_LIMIT``.

The stored ``search_vector`` (migration 0005: the summary weighted A, the description B) and
its GIN index find the matches; ``ts_rank`` orders them. The GIN index cannot order by rank,
so ranking reads every match's vector once: the best ``SEARCH_LIMIT`` ids are taken in one
query, and the page is then read from those ids only, by keyset on (rank, id) like every other
list (never OFFSET). Two common words over a large negotiation match tens of thousands of
events, and nobody reads past the first pages of a relevance order: narrowing the query or
the filters, or asking for time order (which pages the whole match set by its index), is the
way to the rest, and the answer says when it was cut.

Ranking is bounded too (issue 19: two common words took 1.6 s at 1,000,000 events, ranking
every match): past ``RANKING_BOUND`` matches only the most recently recorded ``RANKING_BOUND`` are ranked,
and the answer says so (``RankedSearch.bounded``). Rare words are ranked exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import FloatField, Q, QuerySet, Value
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import Cast

SEARCH_LIMIT = 1000
# The most matches ranked. ts_rank reads each match's vector, so ranking every match of two
# common words (120,000 at 1,000,000 events) took 1.6 s; past this bound only the most
# recently added RANKING_BOUND matches are ranked, and the answer says so. Twice the listed
# SEARCH_LIMIT: 10,000 still took 1.0-1.5 s to find and rank there, 5,000 0.4-0.9 s, 2,000
# 0.1 s (load 7.4 on 2 cores, 2026-12-06; docs/benchmarks.md).
RANKING_BOUND = 2_000
# The name of the rank annotation, and the keyset order of a ranked list: best first, then
# the newest event among equals (both descending, so one row comparison serves the page).
RANK = "search_rank"
RANKED_ORDER = (RANK, "id")
# ts_rank's weights for D, C, B, A labels. A summary (A) counts 2.5 times a description (B):
# one word in the summary outranks the same word any number of times in the description
# only, since ts_rank's weight for repeated occurrences converges to the label's weight.
WEIGHTS = [0.1, 0.2, 0.4, 1.0]


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search_query(text: str) -> SearchQuery:
    """Web-search syntax ("quoted phrases", -exclusions, or), English stemming."""
    return SearchQuery(text, search_type="websearch", config="english")


def stored_vector(rows: QuerySet) -> RawSQL:
    # The generated column Django does not model; the table name is ours, not the user's.
    column = f'"{rows.model._meta.db_table}"."search_vector"'
    return RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611


def _every_word(rows: QuerySet, text: str, fields: tuple[str, ...]) -> QuerySet:
    """The fallback without PostgreSQL: every word must appear in one of ``fields``."""
    for word in text.split()[:20]:
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": word})
        rows = rows.filter(match)
    return rows


def search_matches(rows: QuerySet, text: str, heading: str, body: str) -> QuerySet:
    """The rows matching ``text`` (English full text over ``heading`` and ``body``).

    On PostgreSQL over the stored ``search_vector`` column, GIN-indexed, so a query is an
    index lookup, not a ``to_tsvector`` of every row."""
    if _on_postgresql():
        return rows.alias(search_document=stored_vector(rows)).filter(
            search_document=search_query(text)
        )
    return _every_word(rows, text, (heading, body))


def event_matches(events: QuerySet, text: str) -> QuerySet:
    return search_matches(events, text, "summary", "description")


def search_rank(rows: QuerySet, text: str) -> Expression:
    """How well each row matches ``text``: ts_rank over the stored vector, heading over body.
    Without PostgreSQL every match ranks the same (the list is then newest first)."""
    if not _on_postgresql():
        return Value(0.0, output_field=FloatField())
    # ts_rank is a float4, which psycopg reads from its shortest decimal text: that value is
    # not the float4 itself, so a cursor holding it would miss its own row's equals (and page
    # them again, forever). As a float8 the text round-trips exactly.
    rank = SearchRank(stored_vector(rows), search_query(text), weights=WEIGHTS)
    return Cast(rank, FloatField())


@dataclass(frozen=True)
class RankedSearch:
    """The best matches of a search, to page by ``RANKED_ORDER`` (descending)."""

    rows: QuerySet  # the same queryset narrowed to the best matches, annotated with the rank
    truncated: bool  # more than ``limit`` rows matched: the rest are not in ``rows``
    limit: int
    # More than ``bound`` rows matched, so only the latest ``bound`` added were ranked
    # (``rows`` are the best of those, not of every match); False when every match was.
    bounded: bool
    bound: int


def _newest(matches: QuerySet) -> QuerySet:
    """The most recently recorded matches first: the primary key (or the negotiation's
    (negotiation, id) index) read backwards. Not the timeline's (negotiation, date, id) index:
    where dates do not follow the order rows were stored in, reading the heap in date order is
    a random read per row, 1.1-1.5 s for 10,000 matches at 1,000,000 events against 0.17-0.29
    s in id order (EXPLAIN ANALYZE on the generated 1,000,000, 2026-12-06)."""
    return matches.order_by("-id")


def _may_pass(matches: QuerySet, bound: int) -> bool:
    """Whether the matches may be more than ``bound``: PostgreSQL's estimate (the GIN index's
    word statistics, the other filters' selectivity) within a factor of two of it. Rare words
    then cost no extra query; the bound itself is only reported once ``bound`` + 1 matches
    were actually read. Without PostgreSQL, always."""
    if not _on_postgresql():
        return True
    plan = json.loads(matches.order_by().values("id").explain(format="json"))
    return plan[0]["Plan"]["Plan Rows"] * 2 > bound


def ranked_search(
    matches: QuerySet,
    text: str,
    *,
    limit: int | None = None,
    bound: int | None = None,
    every_match: bool = False,
) -> RankedSearch:
    """``matches`` (already filtered to the rows matching ``text`` and to any other filter)
    cut to the ``limit`` best, each annotated ``search_rank``, best first.

    Two queries' worth of work, whatever the page and whatever the words. First the ids of
    the best ``limit`` + 1 (one more, to tell whether the list was cut; no COUNT of every
    match), then the page, read by primary key among those ids.

    The best ids: when the planner expects few matches (``_may_pass``), a top-N sort by rank
    over every match the GIN index finds, exact. When it expects many, the latest ``bound`` +
    1 matches added, each with its rank (a walk of the primary key backwards, stopping there;
    the rank is computed for those rows only), sorted here: at most ``bound`` of them and
    every match was ranked, exactly; more, and the best are those of the latest ``bound``,
    and the answer says so (time order, ``sort=date``, still pages every match).

    ``every_match``: never bounded. The timeline as known on a past day asks for it: its
    matches are joined to the citations of then, and for a walk in id order stopping at the
    bound PostgreSQL hashes every citation (a Seq Scan), where ranking the GIN index's
    matches looks each one's citations up by index.

    The ids are read in Python rather than nested as subqueries: ``stored_vector`` names the
    outer table, so inside a subquery it would test the outer row; and the page's query does
    not repeat the rank of every candidate."""
    # The bounds are read when called, not when defined, so a test can lower them.
    limit = SEARCH_LIMIT if limit is None else limit
    bound = RANKING_BOUND if bound is None else bound
    rank = search_rank(matches, text)
    bounded = False
    if not every_match and _may_pass(matches, bound):
        latest = list(
            _newest(matches).annotate(**{RANK: rank}).values_list("id", RANK)[: bound + 1]
        )
        bounded = len(latest) > bound
        # The database's order (rank, then id, both descending), on the same float8 values.
        ranked = sorted(latest[:bound], key=lambda row: (row[1], row[0]), reverse=True)
        best = [pk for pk, _rank in ranked[: limit + 1]]
    else:
        best = list(
            matches.annotate(**{RANK: rank})
            .order_by(f"-{RANK}", "-id")
            .values_list("id", flat=True)[: limit + 1]
        )
    truncated = bounded or len(best) > limit
    rows = (
        matches.filter(pk__in=best[:limit])
        .annotate(**{RANK: search_rank(matches, text)})
        .order_by(f"-{RANK}", "-id")
    )
    return RankedSearch(rows=rows, truncated=truncated, limit=limit, bounded=bounded, bound=bound)
