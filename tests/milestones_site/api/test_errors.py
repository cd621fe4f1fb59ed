"""Every 4xx is one JSON shape that says what to fix; nothing a client sends is a 500."""

import io
from types import SimpleNamespace

import pytest

from milestones_site.api.parsers import RequestTooLarge, SizeLimitedJSONParser
from projects.models import Milestone
from tests.factories import (
    DeliverableFactory,
    MilestoneFactory,
    PhaseFactory,
    ProjectFactory,
    WorkspaceFactory,
)

API = "/api/v1"
PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= PROBLEM_KEYS and body["status"] == status
    return body


@pytest.fixture
def api(api_as, member):
    return api_as(member)


def new_milestone(project, changes=None):
    return {"project": project.pk, "title": "Launch", "due_date": "2027-01-10", **(changes or {})}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "hint"),
    [
        ({"due_date": "next friday"}, "due_date", "YYYY-MM-DD"),
        ({"due_date": "2027-02-30"}, "due_date", "YYYY-MM-DD"),
        ({"category": "viral"}, "category", "use one of: launch, campaign_checkpoint"),
        ({"status": 7}, "status", "use one of: planned"),
        ({"title": ["a", "list"]}, "title", "Send a string, not a list"),
        ({"project": "abc"}, "project", "whole number"),
        ({"project": 10**30}, "project", "no object with id"),
        ({"depends_on": "1"}, "depends_on", "list"),
        ({"kpi_target": "lots"}, "kpi_target", "valid number"),
        ({"reminder_days": [7, -1]}, "reminder_days", "whole days between 0 and 365"),
        ({"colour": "red"}, "colour", "Unknown field"),
    ],
)
def test_bad_input_is_400_naming_the_field(api, project, changes, field, hint):
    body = problem(api.post(f"{API}/milestones/", new_milestone(project, changes)), 400)
    assert hint.lower() in " ".join(body["errors"][field]).lower()
    assert field in body["detail"]
    assert body["title"] == "Invalid input"


@pytest.mark.django_db
def test_missing_required_fields_are_listed(api):
    body = problem(api.post(f"{API}/milestones/", {}), 400)
    assert {"project", "title", "due_date"} <= set(body["errors"])


@pytest.mark.django_db
def test_malformed_json_is_400(api):
    response = api.post(f"{API}/milestones/", '{"title": ', content_type="application/json")
    body = problem(response, 400)
    assert body["title"] == "Malformed request body" and "JSON parse error" in body["detail"]


@pytest.mark.django_db
def test_a_json_list_where_an_object_belongs_is_400(api):
    body = problem(api.post(f"{API}/milestones/", [1, 2], format="json"), 400)
    assert "dictionary" in body["errors"]["__all__"][0]


@pytest.mark.django_db
def test_unsupported_media_type_is_415(api):
    response = api.post(f"{API}/milestones/", "title=x", content_type="text/plain")
    assert problem(response, 415)["title"] == "Unsupported media type"


@pytest.mark.django_db
def test_oversized_body_is_413(api, project, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    payload = new_milestone(project, {"description": "x" * 5_000})
    body = problem(api.post(f"{API}/milestones/", payload), 413)
    assert "2000 bytes" in body["detail"]
    assert not Milestone.objects.filter(title="Launch").exists()


def test_oversized_body_without_a_declared_length_is_refused(settings):
    """A chunked body declares no length: the parser stops reading past the limit."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    request = SimpleNamespace(META={})
    body = io.BytesIO(b'{"description": "' + b"x" * 5_000 + b'"}')
    with pytest.raises(RequestTooLarge):
        SizeLimitedJSONParser().parse(body, parser_context={"request": request})


@pytest.mark.django_db
def test_service_rules_come_back_as_field_errors(api, project):
    milestone = MilestoneFactory(project=project)
    DeliverableFactory(milestone=milestone, title="Hero banner")
    body = problem(api.post(f"{API}/milestones/{milestone.pk}/complete/", {}), 400)
    assert "Hero banner" in body["errors"]["deliverables"][0]
    moved = api.patch(f"{API}/milestones/{milestone.pk}/", {"due_date": "2027-01-01"})
    assert "reschedule/" in problem(moved, 400)["errors"]["due_date"][0]


@pytest.mark.django_db
def test_another_workspaces_object_is_404(api):
    foreign = MilestoneFactory(project=ProjectFactory(workspace=WorkspaceFactory()))
    body = problem(api.get(f"{API}/milestones/{foreign.pk}/"), 404)
    assert body["title"] == "Not found"
    problem(api.post(f"{API}/milestones/{foreign.pk}/complete/", {}), 404)


@pytest.mark.django_db
def test_a_write_naming_another_workspaces_object_is_400(api, project):
    foreign_phase = PhaseFactory(project=ProjectFactory(workspace=WorkspaceFactory()))
    milestone = MilestoneFactory(project=project)
    body = problem(api.patch(f"{API}/milestones/{milestone.pk}/", {"phase": foreign_phase.pk}), 400)
    assert "phase" in body["errors"]
    milestone.refresh_from_db()
    assert milestone.phase_id is None


@pytest.mark.django_db
def test_a_phase_of_another_project_in_the_same_workspace_is_400(api, project):
    sibling_phase = PhaseFactory(project=ProjectFactory(workspace=project.workspace))
    milestone = MilestoneFactory(project=project)
    response = api.patch(f"{API}/milestones/{milestone.pk}/", {"phase": sibling_phase.pk})
    assert "this milestone's project" in problem(response, 400)["errors"]["phase"][0]


@pytest.mark.django_db
def test_unknown_paths_and_filters_are_json_problems(api):
    problem(api.get(f"{API}/no-such-thing/"), 404)
    problem(api.get(f"{API}/milestones/1.5/"), 404)
    problem(api.get(f"{API}/milestones/?page=999"), 404)
    body = problem(api.get(f"{API}/milestones/?status=done&due_before=soon"), 400)
    assert {"status", "due_before"} <= set(body["errors"])


@pytest.mark.django_db
def test_bulk_status_is_all_or_nothing(api, project):
    first = MilestoneFactory(project=project)
    blocked_by_work = MilestoneFactory(project=project)
    DeliverableFactory(milestone=blocked_by_work)
    items = [
        {"id": first.pk, "status": "in_progress"},
        {"id": blocked_by_work.pk, "status": "completed"},
    ]
    body = problem(api.post(f"{API}/milestones/bulk-status/", {"items": items}), 400)
    assert "items.1.deliverables" in body["errors"]
    first.refresh_from_db()
    assert first.status == "planned"

    items[1]["status"] = "blocked"
    done = api.post(f"{API}/milestones/bulk-status/", {"items": items})
    assert done.status_code == 200
    assert {m["status"] for m in done.json()["items"]} == {"in_progress", "blocked"}


@pytest.mark.django_db
def test_bulk_status_names_the_bad_item(api, project):
    milestone = MilestoneFactory(project=project)
    items = [{"id": milestone.pk, "status": "planned"}, {"id": milestone.pk, "status": "paused"}]
    body = problem(api.post(f"{API}/milestones/bulk-status/", {"items": items}), 400)
    assert list(body["errors"]) == ["items.1.status"]


@pytest.mark.django_db
def test_a_long_choice_list_is_cut_short_in_the_message(api_as, workspace, owner):
    response = api_as(owner).patch(f"{API}/workspaces/{workspace.pk}/", {"timezone": "Mars/Base"})
    message = problem(response, 400)["errors"]["timezone"][0]
    assert message.startswith('"Mars/Base" is not a valid choice; use one of: Africa/Abidjan')
    assert message.endswith(", ….") and len(message) < 300
