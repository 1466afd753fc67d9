"""Same report, same article.

Exact: the same canonical URL, or the same SHA-256 of the normalised text (the unique
constraints on ``Article`` make this hold under concurrency too). Near: a MinHash over
word shingles, compared with the stored signatures of recent originals; a copy above
``NEAR_DUPLICATE_THRESHOLD`` is kept as a syndicated copy of the original and not analysed.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from timeline.models import Article

from .errors import Duplicate
from .extract_text import comparable

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 128
SHINGLE_WORDS = 3
NEAR_DUPLICATE_THRESHOLD = 0.8
# Syndicated copies appear within days of the original; comparing against older articles
# costs time and finds only boilerplate-heavy false positives.
NEAR_DUPLICATE_WINDOW = timedelta(days=60)
NEAR_DUPLICATE_POOL = 5000
# A near duplicate agrees with the new text on about 80% or more of its signature's values, so
# it agrees on at least one of the first PROBE_VALUES of them all but surely (a miss needs all
# eight among the ~25 of 128 values that differ: p < 1e-6). The database keeps only such rows,
# so a job reads a few signatures instead of every recent original's 1 KB.
PROBE_VALUES = 8
_VALUE_BYTES = 8  # each signature value is stored as a little-endian uint64
_WORD = re.compile(r"\w+", re.UNICODE)
_SEED = 7  # fixed so signatures stored today compare with signatures computed next year


def text_key(text: str) -> str:
    return " ".join(_WORD.findall(comparable(text)))


def content_hash(text: str) -> str:
    return hashlib.sha256(text_key(text).encode("utf-8")).hexdigest()


def _shingles(key: bytes) -> set[bytes]:
    """The distinct runs of ``SHINGLE_WORDS`` words of a text key (single-spaced, as bytes).

    Each shingle is a slice of the key between word boundaries, the same bytes as joining
    the words with spaces, without building a list of words and a string per shingle.
    """
    words = key.split(b" ") if key else []
    if len(words) < SHINGLE_WORDS:
        return {key} if key else set()
    # starts[i] is where word i begins; word j ends one byte (a space) before word j + 1.
    starts = list(accumulate((len(word) + 1 for word in words), initial=0))
    span = SHINGLE_WORDS
    return {key[starts[i] : starts[i + span] - 1] for i in range(len(words) - span + 1)}


_permutations = None


def _signature(items: set[bytes]) -> bytes:
    global _permutations
    from datasketch import MinHash  # datasketch pulls numpy and scipy: ~0.8 s, import when used

    # crc32 rather than datasketch's default SHA-1: a C call per shingle instead of a hash
    # object, several times faster, and as good for estimating Jaccard similarity.
    # The permutations depend only on the seed: drawing them anew cost as much as hashing.
    # The scheme is named so a new datasketch default cannot change the stored signatures.
    sketch = MinHash(
        num_perm=NUM_PERM,
        seed=_SEED,
        hashfunc=zlib.crc32,
        permutations=_permutations,
        scheme="affine32",
    )
    _permutations = sketch.permutations
    sketch.update_batch(items)
    return sketch.hashvalues.astype("<u8").tobytes()


def fingerprint(text: str) -> tuple[str, bytes]:
    """(content hash, MinHash signature), normalising the text once for both."""
    key = text_key(text).encode("utf-8")
    return hashlib.sha256(key).hexdigest(), _signature(_shingles(key))


def _as_array(signature: bytes | memoryview) -> np.ndarray:
    import numpy as np

    return np.frombuffer(bytes(signature), dtype="<u8")


def _duplicate(article: Article, *, by_url: bool) -> Duplicate:
    if by_url:
        return Duplicate(article, "same_url", f"Same URL as article {article.pk}.")
    return Duplicate(article, "same_content", f"Same text as article {article.pk}.")


def raise_if_exact(*, canonical_url: str | None = None, digest: str | None = None) -> None:
    """Raise ``Duplicate`` for the article with this canonical URL, else with this text."""
    if not canonical_url and not digest:
        return
    condition = Q(pk__in=[])
    if canonical_url:
        condition |= Q(canonical_url=canonical_url)
    if digest:
        condition |= Q(content_hash=digest)
    matches = list(Article.objects.filter(condition).order_by()[:2])
    by_url = [a for a in matches if canonical_url and a.canonical_url == canonical_url]
    if by_url:
        raise _duplicate(by_url[0], by_url=True)
    if matches:
        raise _duplicate(matches[0], by_url=False)


@dataclass(frozen=True)
class NearDuplicate:
    original: Article
    similarity: float


def _best_near(rows: list[tuple[int, bytes]], signature: bytes) -> NearDuplicate | None:
    import numpy as np

    mine = _as_array(signature)
    # Signatures of another size (another NUM_PERM) cannot be compared: skip them.
    rows = [(pk, sig) for pk, sig in rows if len(sig) == mine.nbytes]
    if not rows:
        return None
    matrix = np.frombuffer(b"".join(sig for _pk, sig in rows), dtype="<u8").reshape(len(rows), -1)
    scores = (matrix == mine).mean(axis=1)
    best = int(scores.argmax())
    if scores[best] < NEAR_DUPLICATE_THRESHOLD:
        return None
    return NearDuplicate(Article.objects.get(pk=rows[best][0]), round(float(scores[best]), 3))


def _duplicate_sql() -> str:
    article = Article._meta.db_table
    probes = " OR ".join(
        f"substr(minhash, {index * _VALUE_BYTES + 1}, {_VALUE_BYTES}) = %s"
        for index in range(PROBE_VALUES)
    )
    return f"""
        SELECT id,
            CASE WHEN canonical_url = %s THEN 1 ELSE 0 END AS by_url,
            CASE WHEN content_hash = %s THEN 1 ELSE 0 END AS by_text,
            minhash
        FROM {article}
        WHERE canonical_url = %s OR content_hash = %s OR (
            syndication_of_id IS NULL AND minhash IS NOT NULL AND first_seen_at >= %s
            AND ({probes})
        )
        ORDER BY by_url DESC, by_text DESC, first_seen_at DESC
        LIMIT %s
    """  # noqa: S608 - the table name from the model; every value is a parameter


# Advisory-lock keys of the near-duplicate lock: this namespace in the high bits, a probe value
# (a 32-bit MinHash value) in the low ones, so no other user of advisory locks collides.
_LOCK_NAMESPACE = 0x4E44 << 32


def lock_near(signature: bytes) -> None:
    """Serialise the near-duplicate decision with every job whose text could be a near copy.

    Takes a transaction-level advisory lock on each of the first ``PROBE_VALUES`` values of the
    signature: a near copy shares at least one of them (the same reasoning as the probe lookup),
    so of two near copies the second waits until the first is stored and committed, then finds
    it. Unrelated texts share no value and do not wait for each other. The keys are taken in
    sorted order, so two jobs never hold one each and wait for the other. PostgreSQL only;
    SQLite runs one writer at a time anyway.
    """
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return
    keys = sorted(
        {
            _LOCK_NAMESPACE
            | int.from_bytes(signature[i * _VALUE_BYTES : (i + 1) * _VALUE_BYTES], "little")
            & 0xFFFFFFFF
            for i in range(PROBE_VALUES)
        }
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(k)) FROM"
            " (SELECT unnest(%s::bigint[]) AS k ORDER BY 1) AS keys",
            [keys],
        )


def find_duplicate(
    *, canonical_url: str | None, digest: str, signature: bytes
) -> NearDuplicate | None:
    """Raise ``Duplicate`` for the same URL or text; else return the nearest recent original.

    One query answers both questions: the exact matches (sorted first, the same URL before
    the same text, as ``raise_if_exact`` prefers) and the signatures of the recent originals
    that share a probe value with ``signature``. Every ingested page asks, so this is plain
    SQL (``substr`` reads bytes of a bytea in PostgreSQL and of a blob in SQLite): building
    it with the ORM cost more CPU than the database spent answering it.
    """
    connection = transaction.get_connection()
    since = connection.ops.adapt_datetimefield_value(timezone.now() - NEAR_DUPLICATE_WINDOW)
    url = canonical_url or None  # NULL matches nothing
    text = digest or None
    probes = [
        signature[index * _VALUE_BYTES : (index + 1) * _VALUE_BYTES]
        for index in range(PROBE_VALUES)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            _duplicate_sql(), [url, text, url, text, since, *probes, NEAR_DUPLICATE_POOL]
        )
        rows = cursor.fetchall()
    if rows and (rows[0][1] or rows[0][2]):
        raise _duplicate(Article.objects.get(pk=rows[0][0]), by_url=bool(rows[0][1]))
    return _best_near([(pk, bytes(sig)) for pk, _u, _t, sig in rows], signature)
