import pytest
from django.core.exceptions import ImproperlyConfigured

from tracker import env


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_env_bool_rejects_junk(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)

    with pytest.raises(ImproperlyConfigured, match=r"DEBUG=.* is not a boolean"):
        env.env_bool("DEBUG", default=False)


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("off", False), ("TRUE", True)])
def test_env_bool_accepts_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("DEBUG", value)

    assert env.env_bool("DEBUG", default=not expected) is expected


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("INGESTION_MAX_BYTES", "five megabytes")

    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env.env_int("INGESTION_MAX_BYTES", 10)


def test_env_int_rejects_below_minimum(monkeypatch):
    monkeypatch.setenv("INGESTION_MAX_ATTEMPTS", "0")

    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env.env_int("INGESTION_MAX_ATTEMPTS", 4, minimum=1)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mysql://root@localhost/db", "must start with postgres:// or sqlite:///"),
        ("postgres//no-colon", "must start with postgres"),
        ("postgres://127.0.0.1:5432", "names no database"),
        ("postgres://127.0.0.1:notaport/tracker", "not a valid database URL"),
    ],
)
def test_env_database_rejects_malformed_urls(monkeypatch, tmp_path, value, message):
    monkeypatch.setenv("DATABASE_URL", value)

    with pytest.raises(ImproperlyConfigured, match=message):
        env.env_database("DATABASE_URL", tmp_path / "db.sqlite3")


def test_env_database_defaults_to_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    config = env.env_database("DATABASE_URL", tmp_path / "db.sqlite3")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")


def test_env_database_parses_postgres(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://editor:pw@db.internal:6543/tracker")

    config = env.env_database("DATABASE_URL", tmp_path / "db.sqlite3")

    assert (config["ENGINE"], config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        6543,
        "tracker",
        "editor",
    )


def test_env_url_rejects_wrong_scheme(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "http://127.0.0.1:6379/0")

    with pytest.raises(ImproperlyConfigured, match="not a URL of scheme"):
        env.env_url("CELERY_BROKER_URL", {"redis", "amqp"})


def test_env_str_reads_secret_from_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))

    assert env.env_str("SECRET_KEY") == "from-a-file"


def test_env_url_accepts_a_unix_socket_for_redis(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "unix:///run/redis/redis.sock?db=1")

    assert (
        env.env_url("REDIS_URL", {"redis", "rediss", "unix"}) == "unix:///run/redis/redis.sock?db=1"
    )


def test_env_url_rejects_a_network_url_without_a_host(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "redis:///0")

    with pytest.raises(ImproperlyConfigured, match="not a URL of scheme"):
        env.env_url("CELERY_BROKER_URL", {"redis"})
