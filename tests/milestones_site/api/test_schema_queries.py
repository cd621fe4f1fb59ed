"""The schema describes the query parameters the server reads: id filters are integers
from 1, boolean filters booleans, choice filters arrays of their choices, each list's
ordering fields an enum, and every list has `updated_after` (tests/…/test_schema.py
checks the whole schema validates without warnings)."""

import pytest

from tests.milestones_site.api.test_schema import schema  # noqa: F401 (the fixture)

LISTS = [
    "/api/v1/projects/",
    "/api/v1/milestones/",
    "/api/v1/deliverables/",
    "/api/v1/notifications/",
    "/api/v1/tokens/",
    "/api/v1/deleted/",
    "/api/v1/activity/",
]


def parameters_of(schema, path) -> dict[str, dict]:  # noqa: F811
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


def test_id_filters_are_integers_from_1(schema):  # noqa: F811
    for path, name in [
        ("/api/v1/milestones/", "project"),
        ("/api/v1/deliverables/", "milestone"),
        ("/api/v1/comments/", "target_id"),
    ]:
        found = parameters_of(schema, path)[name]["schema"]
        assert found["type"] == "integer" and found["minimum"] == 1, (path, name)


def test_boolean_filters_are_booleans(schema):  # noqa: F811
    for path, name in [
        ("/api/v1/milestones/", "overdue"),
        ("/api/v1/checklist-items/", "done"),
        ("/api/v1/templates/", "builtin"),
        ("/api/v1/notifications/", "unread"),
    ]:
        assert parameters_of(schema, path)[name]["schema"]["type"] == "boolean", (path, name)


def test_choice_filters_take_several_of_their_choices(schema):  # noqa: F811
    status = parameters_of(schema, "/api/v1/milestones/")["status"]
    assert status["schema"]["type"] == "array"
    assert "in_progress" in status["schema"]["items"]["enum"]
    assert status["explode"] is True


@pytest.mark.parametrize("path", LISTS)
def test_every_list_documents_sync_and_its_orderings(schema, path):  # noqa: F811
    parameters = parameters_of(schema, path)
    assert parameters["updated_after"]["schema"]["format"] == "date-time"
    terms = parameters["ordering"]["schema"]["items"]["enum"]
    assert {"updated_at", "-updated_at", "id"} <= set(terms)
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1}
    assert "at most 200 are served" in parameters["page_size"]["description"]


def test_external_ids_are_documented(schema):  # noqa: F811
    for path in ("/api/v1/projects/", "/api/v1/milestones/", "/api/v1/deliverables/"):
        found = parameters_of(schema, path)["external_id"]
        assert found["schema"]["type"] == "array"
    components = schema["components"]["schemas"]
    for component in ("Project", "Milestone", "Deliverable"):
        assert "external_id" in components[component]["properties"]
        for written in (f"{component}CreateInputRequest", f"Patched{component}UpdateInputRequest"):
            assert "external_id" in components[written]["properties"], written


def test_project_totals_say_what_they_count(schema):  # noqa: F811
    properties = schema["components"]["schemas"]["Project"]["properties"]
    assert "cancelled ones included" in properties["milestones_total"]["description"]
    assert "not cancelled" in properties["milestones_in_scope"]["description"]
    assert "deliverables/?project=" in properties["deliverables_total"]["description"]
