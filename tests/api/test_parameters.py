"""One parameter convention (issue 18.9): slugs for issues and parties, and every list
parameter takes comma-separated values and repeated ones alike, as the schema says."""

from __future__ import annotations

import pytest

from tests import factories as f
from timeline import models as m

pytestmark = pytest.mark.django_db
EVENTS = "/api/v1/events/"


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def test_events_issue_is_a_slug_like_the_timeline(talks, anon_client):
    by_slug = _ids(anon_client.get(EVENTS, {"issue": "duration"}))
    on_timeline = anon_client.get(
        f"/api/v1/negotiations/{talks.negotiation.slug}/timeline/", {"issue": "duration"}
    )

    assert by_slug == sorted([talks.meeting.pk, talks.statement.pk])
    assert on_timeline.status_code == 200


def test_events_issue_id_or_unknown_slug_is_a_400_naming_it(talks, anon_client):
    for value in (str(talks.issue.pk), "nonesuch"):
        response = anon_client.get(EVENTS, {"issue": value})

        assert response.status_code == 400
        assert f"There is no issue '{value}'." in str(response.json())


@pytest.mark.parametrize("name", ["party", "kind", "issue"])
def test_events_lists_take_commas_and_repeats_alike(talks, anon_client, name):
    second_issue = f.IssueFactory(negotiation=talks.negotiation, slug="hostages")
    talks.crisis.issue = second_issue
    talks.crisis.save()
    values = {
        "party": ["hamas", "israel"],
        "kind": ["meeting", "statement"],
        "issue": ["duration", "hostages"],
    }[name]

    commas = _ids(anon_client.get(EVENTS, {name: ",".join(values)}))
    repeated = _ids(anon_client.get(f"{EVENTS}?{name}={values[0]}&{name}={values[1]}"))
    first_only = _ids(anon_client.get(EVENTS, {name: values[0]}))

    assert commas == repeated
    assert set(first_only) < set(commas)  # the second value adds events: both were read
    assert talks.crisis.pk in commas


def test_review_queue_kind_takes_commas(talks, editor_client):
    f.EventFactory(
        negotiation=talks.negotiation,
        kind=m.EventKind.MEETING,
        status=m.ReviewStatus.CANDIDATE,
        origin=m.EventOrigin.EXTRACTOR,
    )

    both = _ids(editor_client.get("/api/v1/review/events/", {"kind": "proposal,meeting"}))
    repeated = _ids(editor_client.get("/api/v1/review/events/?kind=proposal&kind=meeting"))

    assert len(both) == 2 and both == repeated


def test_position_queue_takes_issue_and_party_slugs_with_commas(talks, editor_client):
    queue = "/api/v1/review/positions/"
    candidate = m.Position.objects.get(status=m.ReviewStatus.CANDIDATE)

    assert _ids(editor_client.get(queue, {"issue": "duration"})) == [candidate.pk]
    assert _ids(editor_client.get(queue, {"party": "hamas,israel"})) == [candidate.pk]
    assert _ids(editor_client.get(queue, {"party": "hamas"})) == []


def test_schema_documents_every_list_parameter_as_comma_or_repeated(db, anon_client):
    schema = anon_client.get("/api/schema/", {"format": "json"}).json()

    def parameter(path: str, name: str) -> dict:
        params = schema["paths"][path]["get"]["parameters"]
        return next(p for p in params if p["name"] == name)

    for path, name in [
        (EVENTS, "party"),
        (EVENTS, "kind"),
        (EVENTS, "issue"),
        ("/api/v1/review/events/", "kind"),
        ("/api/v1/review/positions/", "kind"),
        ("/api/v1/review/positions/", "party"),
        ("/api/v1/review/positions/", "issue"),
    ]:
        documented = parameter(path, name)
        assert documented["schema"]["type"] == "array", (path, name)
        assert documented["schema"]["items"]["type"] == "string", (path, name)
        assert "Comma-separated (a,b) or repeated" in documented["description"], (path, name)
