"""The OpenAPI schema, its two viewers, and a schemathesis run against a live server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from rest_framework.authtoken.models import Token

from tests.conftest import skip_or_fail
from timeline import models as m

SIDECAR_ASSETS = {
    "/api/docs/": "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
    "/api/redoc/": "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js",
}


def test_schema_is_openapi_3_with_every_endpoint(db, anon_client):
    response = anon_client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in [
        "/api/v1/negotiations/",
        "/api/v1/negotiations/{slug}/",
        "/api/v1/negotiations/{negotiation_slug}/timeline/",
        "/api/v1/negotiations/{slug}/export/{export_format}/",
        "/api/v1/events/",
        "/api/v1/events/changes/",
        "/api/v1/rounds/",
        "/api/v1/actors/",
        "/api/v1/issues/",
        "/api/v1/articles/",
        "/api/v1/citations/",
        "/api/v1/ingestions/",
        "/api/v1/review/events/{id}/merge/",
        "/api/v1/review/positions/",
        "/api/v1/review/positions/{id}/publish/",
        "/api/v1/review/positions/{id}/reject/",
    ]:
        assert path in paths, path
    export = paths["/api/v1/negotiations/{slug}/export/{export_format}/"]["get"]
    export_format = next(p for p in export["parameters"] if p["name"] == "export_format")
    assert sorted(export_format["schema"]["enum"]) == [
        "atom",
        "csv",
        "excel",
        "ics",
        "json",
        "positions",
        "timelinejs",
    ]
    assert set(export["responses"]["200"]["content"]) == {
        "text/csv",
        "application/json",
        "text/calendar",
        "application/atom+xml",
    }
    timeline_params = {
        p["name"]
        for p in paths["/api/v1/negotiations/{negotiation_slug}/timeline/"]["get"]["parameters"]
    }
    assert {"as_of", "party", "kind", "disputed", "cursor", "page_size"} <= timeline_params


@pytest.mark.parametrize("page", list(SIDECAR_ASSETS))
def test_docs_page_loads_its_assets_from_this_server(db, anon_client, settings, page):
    response = anon_client.get(page)

    assert response.status_code == 200
    html = response.content.decode()
    asset = SIDECAR_ASSETS[page]
    assert f"/static/{asset}" in html
    assert finders.find(asset) is not None
    assert "cdn.jsdelivr.net" not in html
    assert "/api/schema/" in html


@pytest.mark.slow
def test_schemathesis_finds_no_server_errors_or_schema_violations(
    transactional_db, live_server, talks, editor, tmp_path
):
    cli = Path(sys.executable).with_name("schemathesis")
    if not cli.exists():
        skip_or_fail(f"the schemathesis command line is not installed at {cli}")
    token = Token.objects.create(user=editor).key
    # A pending candidate citation (issue 13), so its queue's detail is exercised too.
    quote_end = talks.article.text.index(".") + 1
    proposal = m.CitationProposal.objects.create(
        event=talks.meeting,
        article=talks.article,
        start=0,
        end=quote_end,
        quote=talks.article.text[:quote_end],
        score=0.7,
    )
    # Real ids for the detail operations, so they are exercised beyond their 404s.
    known = {
        "/api/v1/events/{id}/": talks.meeting.pk,
        "/api/v1/rounds/{id}/": talks.round.pk,
        "/api/v1/issues/{id}/": talks.issue.pk,
        "/api/v1/articles/{id}/": talks.article.pk,
        "/api/v1/citations/{id}/": talks.meeting.citations.first().pk,
        "/api/v1/review/events/{id}/": talks.candidate.pk,
        "/api/v1/review/positions/{id}/": talks.issue.positions.get(
            status=m.ReviewStatus.CANDIDATE
        ).pk,
        "/api/v1/review/citations/{id}/": proposal.pk,
    }
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "".join(
            f'[[operations]]\ninclude-path = "{path}"\nparameters = {{ id = {pk} }}\n\n'
            for path, pk in known.items()
        )
    )

    result = subprocess.run(
        [
            str(cli),
            "--config-file",
            str(config),
            "run",
            f"{live_server.url}/api/schema/",
            "--header",
            f"Authorization: Token {token}",
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,"
            "response_schema_conformance,response_headers_conformance",
            # Submitting URLs queues fetch jobs; tests/api/test_workflow.py covers it.
            "--exclude-operation-id",
            "ingestions_create",
            # Creating or revoking a token would replace the one this run authenticates with.
            "--exclude-operation-id",
            "auth_token_create",
            "--exclude-operation-id",
            "auth_token_revoke",
            "--max-examples",
            "12",
            "--phases",
            "fuzzing",
            "--workers",
            "1",
            "--seed",
            "20241125",
            "--no-shrink",
            "--request-timeout",
            "10",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    # 28 operations, and issue 13's six: the candidate citations' queue (list, detail, attach,
    # dismiss) and a candidate's attach / keep-separate.
    assert "Tested: 34" in result.stdout, result.stdout[-3000:]
