"""Small, strict readers for environment variables.

Each helper returns a typed value or raises ``ImproperlyConfigured`` naming the variable and
what was wrong with it, so a typo in a deployment fails at start-up instead of at 3 a.m.
A ``NAME_FILE`` variable (Docker/Kubernetes secrets) is read when ``NAME`` itself is unset.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None and os.environ.get(f"{name}_FILE"):
        path = Path(os.environ[f"{name}_FILE"])
        try:
            value = path.read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE points at {path}, which cannot be read: {exc}"
            ) from exc
    return default if value is None else value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = env_str(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str, default_sqlite_path: Path) -> dict:
    """Parse ``DATABASE_URL``: ``postgres://`` (psycopg 3) or ``sqlite:///path``."""
    import dj_database_url

    value = env_str(name)
    if not value:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite_path),
            "OPTIONS": {"timeout": 20},
        }
    scheme = urlsplit(value).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name} must start with postgres:// or sqlite:///, got scheme {scheme!r} "
            f"(example: postgres://user:password@127.0.0.1:5432/tracker)."
        )
    try:
        config = dict(dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True))
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from exc
    if scheme == "sqlite":
        if not config.get("NAME"):
            raise ImproperlyConfigured(
                f"{name}: sqlite URLs need a path, e.g. sqlite:///data/db.sqlite3"
            )
        config.pop("CONN_MAX_AGE", None)
    elif not config.get("NAME"):
        raise ImproperlyConfigured(
            f"{name} names no database: add it after the host, e.g. postgres://127.0.0.1:5432/tracker"
        )
    return config


# Schemes whose URLs name a socket path or nothing at all instead of a host.
_HOSTLESS_SCHEMES = {"memory", "unix"}


def env_url(name: str, schemes: set[str]) -> str | None:
    """A URL of one of ``schemes`` (e.g. the broker), or None when unset."""
    value = env_str(name)
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in schemes or (not parts.netloc and parts.scheme not in _HOSTLESS_SCHEMES):
        raise ImproperlyConfigured(
            f"{name}={redact_url(value)!r} is not a URL of scheme {' or '.join(sorted(schemes))}."
        )
    return value


def redact_url(value: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return "<unparsable URL>"
    if parts.password is None:
        return value
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
