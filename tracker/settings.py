"""Settings for the negotiation tracker: one file, everything from the environment.

With no environment at all the tracker runs on one machine: SQLite in ./data, tasks run
in-process, a local-memory cache. Set DATABASE_URL, CELERY_BROKER_URL and REDIS_URL for the
production-like stack (PostgreSQL, a Celery worker on Redis, a shared cache).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

from tracker.env import env_bool, env_database, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

# A local checkout: `make run` writes a git-ignored .env (DEBUG=1 and a generated SECRET_KEY),
# so every `manage.py` command typed by hand gets the same local defaults. Variables already
# set in the environment win. A deployment has no such file (the image copies no .env), so it
# stays strict. ENV_FILE names another file, or is empty to read none.
_ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if _ENV_FILE:
    load_dotenv(_ENV_FILE, override=False)
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data")) or BASE_DIR / "data")

DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET = "insecure-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off. Set SECRET_KEY to a long random string "
            "(or SECRET_KEY_FILE to a file holding one), or set DEBUG=1 for local development."
        )
    SECRET_KEY = _DEV_SECRET
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # Django's own check (security.W009) only warns; a guessable key signs sessions and
    # password-reset links, so production refuses to start with one.
    raise ImproperlyConfigured(
        f"SECRET_KEY is too short or too simple ({len(SECRET_KEY)} characters, "
        f"{len(set(SECRET_KEY))} distinct) while DEBUG is off: use at least 50 random "
        "characters, e.g. `openssl rand -hex 32`."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = (env_str("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "timeline",
    "api",
]

MIDDLEWARE = [
    "tracker.cors.ReadOnlyCorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tracker.request_guards.BadInputMiddleware",
    "tracker.request_guards.ReaderThrottleMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tracker.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

# --- Login guessing ---------------------------------------------------------------------
# django-axes counts failed logins (admin and any other form login) per user name and client
# address; after AXES_FAILURE_LIMIT failures that pair is locked out for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address by the same NUM_PROXIES rule as the throttles.
AXES_CLIENT_IP_CALLABLE = "tracker.request_guards.client_ident"

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", DATA_DIR / "tracker.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", {"redis", "rediss", "unix"})
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "tracker"),
            "TIMEOUT": 300,
            # A cache that does not answer must fail fast: the throttles then fall back.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# A timeline page rendered once is kept under its ETag, which holds the negotiation's change
# stamp: a publish or edit moves the stamp, so a kept page is never served stale and this
# number only bounds how long unused pages take space (0 turns the cache off).
API_RESPONSE_CACHE_SECONDS = env_int("API_RESPONSE_CACHE_SECONDS", 300, minimum=0)
# The same for the reader's timeline page, kept under the stamp and its query string
# (timeline.views.page_cache).
READER_PAGE_CACHE_SECONDS = env_int("READER_PAGE_CACHE_SECONDS", 300, minimum=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")) or DATA_DIR / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# whitenoise warns at every start when the folder is missing, before the first collectstatic.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS deployments (SECURE_COOKIES=1) get HSTS and the redirect to https by default; a plain
# local install keeps neither, since both would lock a browser out of http://127.0.0.1:8000.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 31_536_000 if SESSION_COOKIE_SECURE else 0, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
# Load balancers probe over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating proxy, name the header it sets (e.g. X-Forwarded-Proto), and only if
# the proxy overwrites that header from clients: otherwise anyone can claim to be on https.
_PROXY_SSL_HEADER = env_str("SECURE_PROXY_SSL_HEADER", "") or ""
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
# How many proxies in front of the app append to X-Forwarded-For. 0 (the default): the
# header is ignored and clients are told apart by the connection's address, so rotating a
# forged X-Forwarded-For cannot reset a rate limit.
NUM_PROXIES = env_int("NUM_PROXIES", 0, minimum=0)

# --- Celery -----------------------------------------------------------------------------
# Without a broker, tasks run in-process and their errors propagate to the caller: a
# single-machine install needs no Redis and no worker.
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", {"redis", "rediss", "amqp", "memory"})
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Fetching a page: connect + read timeouts are ~20 s, so a task that runs past a minute is stuck.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90, minimum=2)
# Must exceed the longest countdown used for retries, or Redis re-delivers them early.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
# A redelivered message may take over its own job (timeline/ingestion/pipeline.py, claim):
# safe only because Redis redelivers a message that is still running after no sooner than this.
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT.")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "timeline.tasks.ingestion_*": {"queue": "ingestion"},
    "timeline.tasks.feed_*": {"queue": "ingestion"},
    "timeline.tasks.article_extract*": {"queue": "default"},
}
CELERY_BEAT_SCHEDULE = {
    # Each feed has its own interval; this tick only enqueues the feeds that are due.
    "poll-due-feeds": {"task": "timeline.tasks.feeds_poll_due", "schedule": 60.0},
    "reconcile-stuck-ingestions": {
        "task": "timeline.tasks.ingestions_reconcile",
        # Cheap (two indexed queries); a job whose worker died waits at most this long
        # after its limit (see the README's table of heal times).
        "schedule": 60.0,
    },
}

# --- Ingestion --------------------------------------------------------------------------
INGESTION_MAX_BYTES = env_int("INGESTION_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
INGESTION_CONNECT_TIMEOUT = env_int("INGESTION_CONNECT_TIMEOUT", 5, minimum=1)
INGESTION_READ_TIMEOUT = env_int("INGESTION_READ_TIMEOUT", 15, minimum=1)
# Connect + headers + body of one fetch, redirects included: per-read timeouts alone let a
# server that trickles a byte a second hold a worker (or, without a broker, a web request).
INGESTION_TOTAL_TIMEOUT = env_int(
    "INGESTION_TOTAL_TIMEOUT", INGESTION_CONNECT_TIMEOUT + 2 * INGESTION_READ_TIMEOUT, minimum=1
)
INGESTION_MAX_ATTEMPTS = env_int("INGESTION_MAX_ATTEMPTS", 4, minimum=1)
# First retry after about this many seconds, doubling each time (with jitter).
INGESTION_RETRY_BASE_SECONDS = env_int("INGESTION_RETRY_BASE_SECONDS", 30, minimum=1)
INGESTION_STUCK_AFTER_SECONDS = env_int("INGESTION_STUCK_AFTER_SECONDS", 900, minimum=60)
# Hosts or networks the fetcher may reach even though they are private (tests serve the corpus
# on 127.0.0.1). Empty in production: the fetcher refuses every non-public address.
INGESTION_ALLOWED_PRIVATE_NETWORKS = env_list("INGESTION_ALLOWED_PRIVATE_NETWORKS", [])
# A PEM file of the CA certificates the fetcher trusts for https (a proxy's or the tests' own
# CA; /etc/ssl/certs/ca-certificates.crt for the system's store). Empty: certifi's bundle.
INGESTION_CA_BUNDLE = env_str("INGESTION_CA_BUNDLE", "") or ""
if INGESTION_CA_BUNDLE and not Path(INGESTION_CA_BUNDLE).is_file():
    raise ImproperlyConfigured(f"INGESTION_CA_BUNDLE: {INGESTION_CA_BUNDLE!r} is not a file.")
INGESTION_USER_AGENT = env_str(
    "INGESTION_USER_AGENT",
    "Mozilla/5.0 (compatible; NegotiationTracker/0.1; +https://github.com/negotiation-tracker)",
)

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    # Reads are open (published data only); views that write name their own permissions.
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.KeysetPagination",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonThrottle",
        "api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/min"),
        "user": env_str("API_THROTTLE_USER", "600/min"),
        "export": env_str("API_THROTTLE_EXPORT", "30/min"),
    },
    "NUM_PROXIES": NUM_PROXIES,
}
# Other sites may read the API and the exports from their pages (reads only, no credentials),
# and frame the embeddable timeline (/embed/n/<slug>/). Space-separated sources for the latter.
API_CORS_ALLOWED_ORIGINS = env_list("API_CORS_ALLOWED_ORIGINS", ["*"])
EMBED_FRAME_ANCESTORS = env_str("EMBED_FRAME_ANCESTORS", "*") or "'none'"

API_DESCRIPTION = """Timelines of negotiations, with every event linked to the reports that cite it.

## Getting started

* **Reading needs no account.** Start at `GET /api/v1/negotiations/`, then
  `GET /api/v1/negotiations/{slug}/timeline/` for one negotiation's events in time order, or a
  whole file from `GET /api/v1/negotiations/{slug}/export/{format}/` (csv, json, timelinejs, ics,
  atom). Only published material is served.
* **Lists are paginated by cursor**: follow `next` until it is null.
* **Writing needs an editor's token.** An editor runs `manage.py apitoken NAME` (or copies the key
  from the admin desk) and sends it on every request as the header
  `Authorization: Token <key>`. `Bearer` is not accepted.
* **Errors** are JSON: `{"message": ..., "code": ..., "errors": {...}}`.
"""

# Reader pages and feeds, per client address (tracker/request_guards.py); empty: no limit.
READER_THROTTLE_RATE = env_str("READER_THROTTLE_RATE", "120/min") or ""
for _name, _value in [("READER_THROTTLE_RATE", READER_THROTTLE_RATE)] + [
    (f"API_THROTTLE_{scope.upper()}", value)
    for scope, value in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].items()  # type: ignore[attr-defined]
]:
    if _value and not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", str(_value)):
        raise ImproperlyConfigured(f"{_name}={_value!r} is not a rate such as 120/min.")
# Corroboration (issue 13): when a proposed event is an existing one. Scores are 0..1 from
# timeline.selectors.matching.score; the figures below were chosen on the labelled pairs in
# tests/data/corroboration/pairs.json (`manage.py corroboration_eval` prints precision/recall).
# The score is the weighted mean of four parts. The summary weighs most: two reports of one
# meeting share its words ("talks", "Cairo", "delegation"). Actors are next: the same words
# with other parties is another meeting (two delegations arriving the same day). The same day
# counts more than the same place: the gates already drop a different place, while sessions
# of one round a day apart share place, parties and words. Chosen by a sweep over the pairs
# (0.3..0.5 x 0.2..0.3 x 0.1..0.15 x 0.1..0.25, cite 0.5..0.65): these keep precision >= 0.9
# with a margin rather than taking the top recall. Held out since: pairs_check.json, never
# tuned on (precision 0.960, recall 0.558 there; see the README). Revision 2 (summary tokens
# stemmed with a synonym table; the place part counted only when both reports name a place):
# the same sweep over the tune pairs finds no setting with better recall at precision >= 0.94
# (every best one reaches 0.897), so these weights and thresholds stay; the summary part
# still has to carry a pair, since parties, place and day alone give (0.3+0.1+0.15)/0.95 =
# 0.58, under the cite score. Revision 3 (issue 13, fresh sets): two outlets word one
# happening with few shared words ("the Good Friday accord was struck at Stormont", "negotiators
# in Belfast reached a historic agreement": overlap 0.06), so structure counts for more: the
# same parties and the same day weigh more than the summary, and the cite score rises. The
# cost, accepted: the same parties at the same named place on the same day now carry a pair
# with no shared word at all ((0.4+0.1+0.2)/1.0 = 0.70 >= 0.68), so two sessions of one day at
# one venue are cited as one (already so in the tune pairs before); without a named place
# they do not ((0.4+0.2)/0.9 = 0.67) and need a few shared words. Chosen by the same
# sweep (0.2..0.4 x 0.2..0.5 x 0.1..0.15 x 0.1..0.3, cite 0.5..0.75) over the tune pairs and
# the first fresh set together (its misses read, so it joined tuning), keeping precision >=
# 0.93 on both rather than the top recall (0.25/0.4/0.15/0.1 at 0.67 had more recall at a
# precision of 0.907). Tune 0.949/0.949 -> 0.950/0.974, first fresh 1.000/0.421 ->
# 1.000/0.684; measured once afterwards on the held-out check (0.947/0.837 -> 0.929/0.907) and
# second fresh set (1.000/0.304 -> 1.000/0.913), never chosen on them.
MATCH_WEIGHTS = {"summary": 0.3, "actors": 0.4, "place": 0.1, "date": 0.2}
# At or above: the same happening, so the new sentence becomes a candidate citation. High
# enough that a same-day meeting of other parties (actors 0, place 1) cannot reach it, even
# with every summary word shared: (0.3+0.1+0.2)/1.0 = 0.6.
MATCH_CITE_SCORE = 0.68
# From here up to the cite score: grey, a new candidate marked "possible duplicate of ...";
# below it the pair shares too little to bother an editor.
MATCH_GREY_SCORE = 0.42
# The one confident match must lead the next by this much to be cited without asking: in the
# seed, "the Hamas delegation left Cairo" (1.0) and "the Qatari team left Cairo" (0.45) are
# told apart; two near-equal scores are for an editor.
MATCH_MARGIN = 0.1
# At most this many stored events are scored per proposal (the window is a few days of
# compatible kinds; this caps a pathological negotiation with thousands of events a day).
MATCH_MAX_CANDIDATES = 200
# A venue and the city it lies in ("at Stormont", "in Belfast") agree, but less than one venue
# named twice: two meetings in one city on one day are common (Doha hosts several tracks),
# two at one venue much less so. Each level up the chain halves the place's weight (venue in
# city 0.5, venue in country 0.25): a wider place says less about where it happened. The
# place then counts as agreeing with that share of its weight, so containment never scores
# below a report naming no place (see ``matching.score``). Not tuned: the tune pairs hold no
# venue-and-city pair, so 0.5 is the midpoint between silence and the same venue.
MATCH_PLACE_WITHIN_CREDIT = 0.5

SPECTACULAR_SETTINGS = {
    "TITLE": "Negotiation tracker API",
    "DESCRIPTION": API_DESCRIPTION,
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "timeline.models.choices.EventKind",
        "ActorKindEnum": "timeline.models.choices.ActorKind",
        "AliasKindEnum": "timeline.models.choices.AliasKind",
        "NegotiationKindEnum": "timeline.models.choices.NegotiationKind",
        "PositionKindEnum": "timeline.models.choices.PositionKind",
        "NegotiationStatusEnum": "timeline.models.choices.NegotiationStatus",
        "RoundStatusEnum": "timeline.models.choices.RoundStatus",
        "ReviewStatusEnum": "timeline.models.choices.ReviewStatus",
        "IngestionStatusEnum": "timeline.models.ingestion.Ingestion.Status",
        "IngestionSourceEnum": "timeline.models.ingestion.Ingestion.Source",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # httpx logs every request at INFO; each fetch is already recorded on its Ingestion row.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # django-axes announces itself at INFO on every start.
        "axes.apps": {"level": "WARNING"},
    },
}
