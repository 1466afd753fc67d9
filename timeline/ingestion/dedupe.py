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
from typing import TYPE_CHECKING

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
_WORD = re.compile(r"\w+", re.UNICODE)
_SEED = 7  # fixed so signatures stored today compare with signatures computed next year


def text_key(text: str) -> str:
    return " ".join(_WORD.findall(comparable(text)))


def content_hash(text: str) -> str:
    return hashlib.sha256(text_key(text).encode("utf-8")).hexdigest()


def _shingles(words: list[str]) -> set[bytes]:
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def _signature(items: set[bytes]) -> bytes:
    from datasketch import MinHash  # datasketch pulls numpy and scipy: ~0.8 s, import when used

    # crc32 rather than datasketch's default SHA-1: a C call per shingle instead of a hash
    # object, several times faster, and as good for estimating Jaccard similarity.
    sketch = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=zlib.crc32)
    sketch.update_batch(list(items))
    return sketch.hashvalues.astype("<u8").tobytes()


def fingerprint(text: str) -> tuple[str, bytes]:
    """(content hash, MinHash signature), normalising the text once for both."""
    key = text_key(text)
    return hashlib.sha256(key.encode("utf-8")).hexdigest(), _signature(_shingles(key.split()))


def _as_array(signature: bytes | memoryview) -> np.ndarray:
    import numpy as np

    return np.frombuffer(bytes(signature), dtype="<u8")


def find_exact(*, canonical_url: str | None, digest: str | None) -> Article | None:
    """The article with this canonical URL, else the one with this text (one query)."""
    condition = Q(pk__in=[])
    if canonical_url:
        condition |= Q(canonical_url=canonical_url)
    if digest:
        condition |= Q(content_hash=digest)
    if not canonical_url and not digest:
        return None
    matches = list(Article.objects.filter(condition).order_by()[:2])
    by_url = [a for a in matches if canonical_url and a.canonical_url == canonical_url]
    return (by_url or matches or [None])[0]


def raise_if_exact(*, canonical_url: str | None = None, digest: str | None = None) -> None:
    article = find_exact(canonical_url=canonical_url, digest=digest)
    if article is None:
        return
    if canonical_url and article.canonical_url == canonical_url:
        raise Duplicate(article, "same_url", f"Same URL as article {article.pk}.")
    raise Duplicate(article, "same_content", f"Same text as article {article.pk}.")


@dataclass(frozen=True)
class NearDuplicate:
    original: Article
    similarity: float


def find_near_duplicate(signature: bytes, *, exclude_pk: int | None = None) -> NearDuplicate | None:
    """The most similar recent original above the threshold, if any."""
    import numpy as np

    since = timezone.now() - NEAR_DUPLICATE_WINDOW
    candidates = Article.objects.originals().filter(minhash__isnull=False, first_seen_at__gte=since)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    mine = _as_array(signature)
    rows = [
        (pk, bytes(sig))
        for pk, sig in candidates.order_by("-first_seen_at").values_list("pk", "minhash")[
            :NEAR_DUPLICATE_POOL
        ]
        if sig is not None and len(bytes(sig)) == mine.nbytes  # signatures of another size: skip
    ]
    if not rows:
        return None
    matrix = np.stack([_as_array(sig) for _pk, sig in rows])
    pks = [pk for pk, _sig in rows]
    scores = (matrix == mine).mean(axis=1)
    best = int(scores.argmax())
    if scores[best] < NEAR_DUPLICATE_THRESHOLD:
        return None
    return NearDuplicate(Article.objects.get(pk=pks[best]), round(float(scores[best]), 3))
