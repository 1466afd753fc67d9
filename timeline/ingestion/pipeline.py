"""One ingestion job as an ordered list of small steps.

    preflight -> fetch -> extract -> dedupe -> persist

Each step takes the job's ``Context`` and either fills it in or raises ``Stop`` (with a
reason) or ``Duplicate`` (of a known article). ``ingestion_process`` claims the job with a
conditional update, runs the steps outside any transaction (they do network I/O), records
per-step timings and the status on the row, and says whether a transient failure should be
retried. No step holds a transaction open.

A job that stores an article costs eight statements: the claim (which also answers the
preflight's "already known?"), "extracting", "analysing" (which also finds the outlet), then,
in one transaction (BEGIN and COMMIT besides), the near-duplicate lock, the duplicate lookup,
the article INSERT and the link from the job to its article, and the final status. On a busy machine each round trip
costs milliseconds, as much as cleaning a page, so lookups ride on the updates that happen
anyway rather than being dropped: every status is still written when it starts.

The pipeline is plain functions below the tasks: it hands an analysis back to the queue by
task name (``timeline.services.analysis.analysis_request``) and never imports the tasks.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from timeline.models import AnalysisStatus, Article, Ingestion, Outlet
from timeline.services.analysis import analysis_enqueue, analysis_request

from . import dedupe, errors, safe_fetch
from .errors import Duplicate, Stop
from .extract_text import ExtractedArticle, at_noon, extract_html, extract_plain, parse_date
from .urls import outlet_domain, url_host, url_normalize

logger = logging.getLogger(__name__)
Status = Ingestion.Status
Source = Ingestion.Source


@dataclass
class Claimed:
    """What rides on the status updates a job makes anyway, and which step uses it.

    ``ingestion``: the job row the claim read back (``UPDATE ... RETURNING *``), already in
    its first status; every step reads it. ``known_article_id``: filled by the claim (a
    subquery in the same RETURNING), read by ``step_preflight`` to answer "is an article
    already known at this URL?". ``outlet_id``: filled
    by ``step_dedupe`` (the "analysing" update's RETURNING finds the outlet of the source's
    domain), read by ``step_persist``, which creates the outlet only when it is still None.
    """

    ingestion: Ingestion
    known_article_id: int | None = None
    outlet_id: int | None = None


@dataclass
class Context:
    claimed: Claimed
    url: str = ""  # normalised submitted URL, if any
    fetched: safe_fetch.FetchResult | None = None
    html: bytes | str | None = None
    extracted: ExtractedArticle | None = None
    canonical_url: str | None = None
    digest: str = ""
    signature: bytes | None = None
    near: dedupe.NearDuplicate | None = None
    article: Article | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ingestion(self) -> Ingestion:
        return self.claimed.ingestion

    @property
    def fetches(self) -> bool:
        """A job fetches when it has a URL and nothing was pasted or uploaded."""
        return bool(self.ingestion.url) and not self.ingestion.payload


@dataclass(frozen=True)
class Outcome:
    status: str
    reason_code: str = ""
    article_id: int | None = None
    retry_in: float | None = None  # seconds, when a transient failure should be retried


def _set_status(ctx: Context, status: str) -> None:
    if ctx.ingestion.status == status:
        return  # pasted text is claimed straight into "extracting"
    # The timings of the steps done so far ride along: a job that hangs shows where.
    Ingestion.objects.filter(pk=ctx.ingestion.pk).update(
        status=status, timings=ctx.timings, updated_at=timezone.now()
    )
    ctx.ingestion.status = status


# --- the steps --------------------------------------------------------------------------


def step_preflight(ctx: Context) -> None:
    ingestion = ctx.ingestion
    if not ingestion.url and not ingestion.payload.strip():
        raise Stop(errors.EMPTY_INPUT, "Nothing to ingest: no URL and no text.")
    if not ingestion.url:
        return
    ctx.url = url_normalize(ingestion.url)
    if ingestion.normalized_url == ctx.url:
        known_id = ctx.claimed.known_article_id  # the claim looked it up
    else:
        # Stored under an older normalisation: store the current one and look again.
        ingestion.normalized_url = ctx.url
        Ingestion.objects.filter(pk=ingestion.pk).update(normalized_url=ctx.url)
        known_id = _known_article_id(ctx.url)
    if known_id is not None:
        known = Article.objects.get(pk=known_id)
        raise Duplicate(known, "same_url", f"This URL was already ingested as article {known.pk}.")


def _known_article_id(normalized_url: str) -> int | None:
    """An article at this address: its canonical URL, or the submitted URL of a finished job
    (a URL that redirected, or whose page named another canonical address)."""
    return (
        Article.objects.filter(
            Q(canonical_url=normalized_url)
            | Q(
                pk__in=Ingestion.objects.filter(
                    normalized_url=normalized_url, status=Status.DONE
                ).values("article_id")
            )
        )
        .order_by()
        .values_list("pk", flat=True)
        .first()
    )


def step_fetch(ctx: Context) -> None:
    if not ctx.fetches:
        ctx.html = ctx.ingestion.payload if ctx.ingestion.source != Source.TEXT else None
        return
    ctx.fetched = safe_fetch.fetch(ctx.ingestion.url)
    ctx.html = ctx.fetched.content
    if ctx.fetched.final_url != ctx.ingestion.url:
        dedupe.raise_if_exact(canonical_url=url_normalize(ctx.fetched.final_url))


def step_extract(ctx: Context) -> None:
    _set_status(ctx, Status.EXTRACTING)
    ingestion = ctx.ingestion
    if ctx.html is not None:
        base_url = ctx.fetched.final_url if ctx.fetched else (ingestion.url or None)
        ctx.extracted = extract_html(ctx.html, url=base_url)
        return
    meta = ingestion.submitted_metadata or {}
    given = meta.get("published_at") or ""
    published = parse_date(given)
    if published is not None and len(given) == 10:  # a date without a time
        published = at_noon(published.date())
    ctx.extracted = extract_plain(
        ingestion.payload,
        title=meta.get("title") or "",
        published_at=published,
        byline=meta.get("byline") or "",
    )


def _same_site(a: str, b: str) -> bool:
    """Same host, give or take the "www." / "m." / "amp." spellings of one site.

    Deliberately not "same registrable domain": telling bbc.co.uk from evil.co.uk needs the
    public-suffix list, and hosted blogs share a domain with strangers.
    """

    def site(url: str) -> str:
        host = url_host(url)
        for prefix in ("www.", "m.", "amp."):
            if host.startswith(prefix):
                return host[len(prefix) :]
        return host

    return site(a) == site(b)


def choose_canonical(ctx: Context) -> str | None:
    """The dedupe key for the article.

    A fetched page's own canonical link is trusted only on the site that served it: any page
    can claim any canonical URL, and a foreign one would make a later, genuine ingestion of
    that URL look like a duplicate of the impostor. Cross-site copies are caught by content.
    Pasted or uploaded material comes from an editor, so its canonical link is believed.
    """
    page = ctx.extracted.canonical_url if ctx.extracted else ""
    candidates: list[str] = []
    if ctx.fetched is not None:
        served = url_normalize(ctx.fetched.final_url)
        if page and _same_site(page, served):
            candidates.append(page)
        candidates.append(served)
    else:
        if ctx.url:
            candidates.append(ctx.url)
        if page:
            candidates.append(page)
    for candidate in candidates:
        try:
            return url_normalize(candidate)
        except Stop:
            continue
    return None


def _source_url(ctx: Context) -> str:
    """Where the report was read: the fetched address, else what the editor gave."""
    if ctx.fetched is not None:
        return ctx.fetched.final_url
    return ctx.ingestion.url or ctx.canonical_url or ""


def step_dedupe(ctx: Context) -> None:
    """The dedupe keys: canonical URL, content hash and MinHash signature.

    The lookup itself happens in ``step_persist``, under the near-duplicate lock, in the
    transaction that stores the article: looked up here, two near copies arriving at the same
    moment would each find no original and both be stored as one.
    """
    assert ctx.extracted is not None
    ctx.canonical_url = choose_canonical(ctx)
    ctx.claimed.outlet_id = _set_analysing(ctx, outlet_domain(_source_url(ctx)))
    ctx.digest, ctx.signature = dedupe.fingerprint(ctx.extracted.text)


def _set_analysing(ctx: Context, domain: str) -> int | None:
    """Move the job to "analysing" and return the id of the outlet at ``domain``, if any.

    Every job that stores an article needs its outlet, so the lookup rides on the status
    change (a subquery in RETURNING, as in the claim) instead of costing a round trip.
    """
    if not domain:
        _set_status(ctx, Status.ANALYSING)
        return None
    connection = transaction.get_connection()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    timings = Ingestion._meta.get_field("timings").get_db_prep_save(ctx.timings, connection)
    ingestion, outlet = Ingestion._meta.db_table, Outlet._meta.db_table
    sql = f"""
        UPDATE {ingestion} SET status = %s, timings = %s, updated_at = %s WHERE id = %s
        RETURNING (SELECT o.id FROM {outlet} o WHERE o.domain = %s ORDER BY o.id LIMIT 1)
    """  # noqa: S608 - table names from the models; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [Status.ANALYSING.value, timings, now, ctx.ingestion.pk, domain])
        row = cursor.fetchone()
    ctx.ingestion.status = Status.ANALYSING
    return row[0] if row else None


def _outlet_for(url: str, sitename: str) -> Outlet | None:
    domain = outlet_domain(url) if url else ""
    if not domain:
        return None
    outlet = Outlet.objects.filter(domain=domain).first()
    if outlet is not None:
        return outlet
    slug = slugify(domain)[:190] or "outlet"
    try:
        with transaction.atomic():
            return Outlet.objects.create(name=(sitename or domain)[:200], slug=slug, domain=domain)
    except IntegrityError:
        # Another worker created it first, or another domain already has this slug.
        outlet = Outlet.objects.filter(domain=domain).first()
        if outlet is not None:
            return outlet
        with transaction.atomic():
            return Outlet.objects.create(
                name=(sitename or domain)[:200],
                slug=f"{slug}-{dedupe.content_hash(domain)[:8]}",
                domain=domain,
            )


def step_persist(ctx: Context) -> None:
    """Look up duplicates and store the article, serialised against near copies.

    One transaction holds the near-duplicate lock (``dedupe.lock_near``), the lookup, the
    INSERT and the job's link to its article. The link makes a re-run after a worker died
    here know the article as its own (it ends done, pointing at it) rather than as a
    duplicate of someone else's.
    """
    extracted = ctx.extracted
    assert extracted is not None
    assert ctx.signature is not None
    source_url = _source_url(ctx)
    outlet_id = ctx.claimed.outlet_id
    if outlet_id is None:
        outlet = _outlet_for(source_url, extracted.sitename)
        outlet_id = outlet.pk if outlet else None
    try:
        with transaction.atomic():
            dedupe.lock_near(ctx.signature)
            ctx.near = dedupe.find_duplicate(
                canonical_url=ctx.canonical_url, digest=ctx.digest, signature=ctx.signature
            )
            article = _new_article(ctx, source_url, outlet_id)
            article.save()
            Ingestion.objects.filter(pk=ctx.ingestion.pk).update(article=article)
    except IntegrityError:
        # Lost a race with a concurrent job for the same URL or text (exact copies do not wait
        # for the lock): the unique constraints decided which one is the article; this job is
        # its duplicate.
        dedupe.raise_if_exact(canonical_url=ctx.canonical_url, digest=ctx.digest)
        raise
    # Copies too: the analysis service decides to skip them, and says so on the article.
    analysis_enqueue(article.pk)
    ctx.article = article
    ctx.ingestion.article = article


def _new_article(ctx: Context, source_url: str, outlet_id: int | None) -> Article:
    """The unsaved article row, a syndicated copy when a near original was found."""
    extracted = ctx.extracted
    assert extracted is not None
    original = ctx.near.original if ctx.near else None
    if original is not None and original.syndication_of_id:
        original = original.syndication_of
    return Article(
        url=source_url[:2000],
        canonical_url=ctx.canonical_url,
        outlet_id=outlet_id,
        title=extracted.title,
        byline=extracted.byline,
        published_at=extracted.published_at,
        published_on=extracted.published_on,
        language=extracted.language,
        text=extracted.text,
        content_hash=ctx.digest,
        minhash=ctx.signature,
        syndication_of=original,
        syndication_similarity=ctx.near.similarity if ctx.near else None,
        # Asked for in the same INSERT: the message is sent when this commits.
        analysis_status=AnalysisStatus.PENDING,
        analysis_queued_at=timezone.now(),
        analysis_updated_at=timezone.now(),
    )


STEPS: tuple[tuple[str, Callable[[Context], None]], ...] = (
    ("preflight", step_preflight),
    ("fetch", step_fetch),
    ("extract", step_extract),
    ("dedupe", step_dedupe),
    ("persist", step_persist),
)


# --- running a job ----------------------------------------------------------------------


def _claim_sql() -> str:
    # Raw SQL because the ORM has no UPDATE ... RETURNING; PostgreSQL and SQLite >= 3.35
    # both run it. Only table names are formatted in; every value is a parameter.
    ingestion, article = Ingestion._meta.db_table, Article._meta.db_table
    return f"""
        UPDATE {ingestion}
        SET status = CASE WHEN payload = '' AND url <> '' THEN %s ELSE %s END,
            attempts = attempts + 1, started_at = %s, updated_at = %s, finished_at = NULL,
            task_id = %s
        WHERE id = %s AND (
            status = %s OR (status IN (%s, %s, %s) AND task_id = %s AND task_id <> '')
        )
        RETURNING *, CASE WHEN {ingestion}.normalized_url <> '' THEN COALESCE(
            (
                SELECT known.id FROM {article} known
                WHERE known.canonical_url = {ingestion}.normalized_url
                LIMIT 1
            ),
            (
                SELECT done.article_id FROM {ingestion} done
                WHERE done.normalized_url = {ingestion}.normalized_url AND done.status = %s
                    AND done.article_id IS NOT NULL
                LIMIT 1
            )
        ) END AS known_article_id
    """  # noqa: S608
    # Two lookups, each on its own unique or plain index (article.canonical_url,
    # ingestion.normalized_url). Written as one "canonical_url = … OR id IN (…)" the planner
    # could use neither and read every article: 0.49 s a job at 250,000 articles.


def claim(ingestion_id: int, task_id: str = "") -> Claimed | None:
    """Take a pending job. Two workers handed the same id: exactly one update matches.

    Also takes a job still marked as running by ``task_id``: that is the same message
    delivered again because the worker running it died (a SIGKILLed pool child, a lost
    connection), and waiting for the reconciler would strand it for minutes. Any other message
    for a running job finds nothing to claim.

    One statement claims the job, sets its first status (a URL alone is fetched, anything
    pasted is not), reads the row back, and answers the preflight's question (is an article
    already known at this URL?): every job asks, so a round trip each was worth saving.
    """
    now = transaction.get_connection().ops.adapt_datetimefield_value(timezone.now())
    task_id = task_id[:64]
    params = [
        Status.FETCHING.value,
        Status.EXTRACTING.value,
        now,
        now,
        task_id,
        ingestion_id,
        Status.PENDING.value,
        *(status.value for status in Ingestion.RUNNING_STATUSES),
        task_id,
        Status.DONE.value,
    ]
    row = next(iter(Ingestion.objects.raw(_claim_sql(), params)), None)
    if row is None:
        return None
    # raw() keeps the extra column of the RETURNING as an attribute.
    return Claimed(row, known_article_id=getattr(row, "known_article_id", None))


def retry_delay(attempt: int) -> float:
    """Exponential back-off with full jitter: spread retries so a flapping site is not hammered
    by every queued job at the same second."""
    base = float(settings.INGESTION_RETRY_BASE_SECONDS)
    # Below the broker's visibility timeout (or Redis delivers it twice), and below the
    # reconciler's limit (or it re-queues a job that is only waiting for its retry).
    ceiling = min(
        base * 2 ** max(attempt - 1, 0), 3000.0, settings.INGESTION_STUCK_AFTER_SECONDS * 0.8
    )
    return round(ceiling / 2 + random.uniform(0, ceiling / 2), 3)  # noqa: S311 - jitter, not crypto


def _finish(
    ctx: Context,
    status: str,
    *,
    reason_code: str = "",
    message: str = "",
    article: Article | None = None,
) -> None:
    fields = {
        "status": status,
        "reason_code": reason_code[:50],
        "message": message,
        "timings": ctx.timings,
        "updated_at": timezone.now(),
    }
    if status in Ingestion.FINAL_STATUSES:
        fields["finished_at"] = timezone.now()
        fields["task_id"] = ""
    else:
        fields["enqueued_at"] = timezone.now()  # the caller sends the retry now
    if article is not None:
        fields["article"] = article
    Ingestion.objects.filter(pk=ctx.ingestion.pk).update(**fields)


def run_steps(ctx: Context) -> None:
    for name, step in STEPS:
        started = time.perf_counter()
        try:
            step(ctx)
        except SoftTimeLimitExceeded as exc:
            # The worker's time limit hit mid-step (a server dripping bytes, a huge page):
            # a timeout like any other, worth another attempt later.
            raise Stop(
                errors.TIMEOUT, f"The {name} step ran past the task time limit.", transient=True
            ) from exc
        finally:
            ctx.timings[name] = round(time.perf_counter() - started, 4)


def _finish_stored(ctx: Context) -> Outcome:
    """The job stored its article in an earlier attempt that died before the final status:
    end it as that attempt would have, pointing at its own article."""
    article = Article.objects.get(pk=ctx.ingestion.article_id)
    ctx.article = article
    analysis_request([article.pk])  # in case the dead attempt never sent it
    if article.syndication_of_id is not None:
        message = f"Near-duplicate of article {article.syndication_of_id}; kept as a copy."
        _finish(ctx, Status.DUPLICATE, reason_code="near_duplicate", message=message)
        return Outcome(Status.DUPLICATE, "near_duplicate", article.pk)
    _finish(ctx, Status.DONE, article=article)
    return Outcome(Status.DONE, "", article.pk)


DATABASE_ERRORS = (OperationalError, InterfaceError)


def ingestion_process(
    ingestion_id: int, *, task_id: str = "", retries: bool = True
) -> Outcome | None:
    """Run one job to a final state (or back to pending for a retry). None if not claimable.

    ``retries=False`` is for in-process mode (no broker): nothing would come back for a
    pending job there, so a transient failure ends the job with its reason instead of saying
    "Retrying in N s" and staying pending for good. The editor's "retry" starts it again.

    Database errors propagate untouched, the job left as it is: the database being away says
    nothing about the job, and the task retries it (taking over its own claim) when it is back.
    """
    claimed = claim(ingestion_id, task_id)
    if claimed is None:
        return None
    ctx = Context(claimed)
    ingestion = claimed.ingestion
    if ingestion.article_id is not None:
        return _finish_stored(ctx)
    if ingestion.attempts > settings.INGESTION_MAX_ATTEMPTS:
        # Only a takeover gets this far: the worker died during every attempt (a page that
        # exhausts memory or kills the parser). Stop the redeliveries.
        message = f"The worker stopped during each of {ingestion.attempts - 1} attempts."
        _finish(ctx, Status.FAILED, reason_code=errors.STUCK, message=message)
        return Outcome(Status.FAILED, errors.STUCK)
    try:
        run_steps(ctx)
    except Duplicate as dup:
        _finish(
            ctx,
            Status.DUPLICATE,
            reason_code=dup.reason_code,
            message=dup.message,
            article=dup.article,
        )
        return Outcome(Status.DUPLICATE, dup.reason_code, dup.article.pk)
    except Stop as stop:
        if retries and stop.transient and ingestion.attempts < settings.INGESTION_MAX_ATTEMPTS:
            delay = retry_delay(ingestion.attempts)
            _finish(
                ctx,
                Status.PENDING,
                reason_code=stop.reason_code,
                message=f"Attempt {ingestion.attempts} of {settings.INGESTION_MAX_ATTEMPTS}: "
                f"{stop.message} Retrying in {delay:.0f} s.",
            )
            return Outcome(Status.PENDING, stop.reason_code, retry_in=delay)
        message = stop.message
        if stop.transient and not retries:
            message = (
                f"{message} Not retried: without a task queue (no broker) nothing would try "
                "it again later. Retry the job to try once more."
            )
        elif stop.transient:
            message = f"Gave up after {ingestion.attempts} attempts: {message}"
        _finish(ctx, Status.FAILED, reason_code=stop.reason_code, message=message)
        return Outcome(Status.FAILED, stop.reason_code)
    except DATABASE_ERRORS:
        raise
    except Exception as exc:
        # A bug, not a property of the input: record it so the job does not sit in
        # "fetching" until the reconciler, then let it propagate to the worker's log.
        _finish(
            ctx, Status.FAILED, reason_code="internal_error", message=f"{type(exc).__name__}: {exc}"
        )
        raise
    if ctx.near is not None:
        message = (
            f"Near-duplicate (similarity {ctx.near.similarity:.2f}) of article "
            f"{ctx.near.original.pk}; kept as a syndicated copy, not analysed again."
        )
        _finish(
            ctx,
            Status.DUPLICATE,
            reason_code="near_duplicate",
            message=message,
            article=ctx.article,
        )
        return Outcome(Status.DUPLICATE, "near_duplicate", ctx.article.pk if ctx.article else None)
    _finish(ctx, Status.DONE, article=ctx.article)
    return Outcome(Status.DONE, "", ctx.article.pk if ctx.article else None)
