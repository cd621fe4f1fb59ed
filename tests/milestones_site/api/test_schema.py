"""The OpenAPI schema validates without warnings, documents auth and errors on every
operation, and the docs page is served without any CDN."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

API = "/api/v1"


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    """The schema as `manage.py spectacular --validate --fail-on-warn` writes it: the
    command raises on any validation error or warning."""
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", path
    )
    return json.loads(path.read_text())


def test_schema_is_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Milestones API"


def test_every_operation_documents_auth_and_the_error_shape(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal access token (create one at POST /api/v1/tokens/).",
    }
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "errors"}
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) > 50
    for path, method, operation in operations:
        assert {"bearerAuth": []} in operation["security"], (path, method)
        for code in ("400", "401", "403", "404", "429"):
            content = operation["responses"][code]["content"]["application/json"]
            assert content["schema"]["$ref"].startswith("#/components/schemas/"), (path, code)
        if method in ("patch", "delete"):
            assert "412" in operation["responses"]
            assert any(p["name"] == "If-Match" for p in operation["parameters"])
        if method == "post":
            key = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
            assert key["in"] == "header" and key["schema"]["pattern"], (path, key)
            assert "422" in operation["responses"], path


def test_filters_and_actions_are_documented(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/milestones/"]["get"]["parameters"]}
    assert {
        "project",
        "phase",
        "status",
        "category",
        "owner",
        "due_before",
        "due_after",
        "overdue",
        "health",
        "search",
        "ordering",
        "page",
        "page_size",
    } <= parameters
    for action in ("complete", "reschedule", "rebaseline"):
        assert f"/api/v1/milestones/{{id}}/{action}/" in schema["paths"]
    assert "/api/v1/milestones/bulk-status/" in schema["paths"]
    for action in ("submit", "approve", "request-changes", "deliver"):
        assert f"/api/v1/deliverables/{{id}}/{action}/" in schema["paths"]


def test_request_bodies_and_fields_say_what_the_server_accepts(schema):
    components = schema["components"]["schemas"]
    bodies = {
        content["schema"]["$ref"].rsplit("/", 1)[-1]
        for item in schema["paths"].values()
        for operation in item.values()
        for content in operation.get("requestBody", {}).get("content", {}).values()
    }
    assert len(bodies) > 30
    for name in bodies:  # unknown fields are refused
        assert components[name]["additionalProperties"] is False, name
    items = components["MilestoneBulkStatusInputRequest"]["properties"]["items"]
    assert (items["minItems"], items["maxItems"]) == (1, 200)
    budget = components["ProjectCreateInputRequest"]["properties"]["budget_planned"]["pattern"]
    kpi = components["MilestoneCreateInputRequest"]["properties"]["kpi_target"]["pattern"]
    for text, fits_budget, fits_kpi in (
        ("12000.00", True, True),
        ("12.5", True, True),
        ("-3", False, True),
        ("", False, False),
        ("-", False, False),
        (".", False, False),
        ("1.234", False, False),
        ("1" * 13, False, True),
    ):
        assert bool(re.fullmatch(budget, text)) is fits_budget, text
        assert bool(re.fullmatch(kpi, text)) is fits_kpi, text
    for component, name in (
        ("MilestoneCreateInputRequest", "reminder_days"),
        ("Milestone", "reminder_days"),
        ("PatchedWorkspaceUpdateInputRequest", "reminder_lead_days"),
    ):
        days = components[component]["properties"][name]
        assert days["type"] == "array" and days["maxItems"] == 10, component
        assert days["items"] == {"type": "integer", "minimum": 0, "maximum": 365}, component
    for component, names in (
        ("Milestone", ("version", "baseline_due_date", "completed_at")),
        ("Project", ("version",)),
        ("Deliverable", ("version", "approved_at")),
    ):
        for name in names:
            assert components[component]["properties"][name]["readOnly"] is True, (component, name)


@pytest.mark.django_db
def test_a_saved_templates_key_fits_its_declared_pattern(schema, api_as, plan, manager):
    api = api_as(manager)
    saved = api.post(f"{API}/projects/{plan['project'].pk}/save-as-template/", {"name": "Ours"})
    pattern = schema["components"]["schemas"]["Template"]["properties"]["key"]["pattern"]
    for body in (saved.json(), api.get(f"{API}/templates/{saved.json()['id']}/").json()):
        assert re.fullmatch(pattern, body["key"]), body["key"]


@pytest.mark.django_db
def test_lead_days_are_whole_numbers_not_text(api_as, plan, member):
    url = f"{API}/milestones/{plan['film'].pk}/"
    api = api_as(member)
    assert api.patch(url, {"reminder_days": [14, 3]}).json()["reminder_days"] == [14, 3]
    for wrong in (["7"], [1.5], [True], [400], list(range(11)), "7"):
        response = api.patch(url, {"reminder_days": wrong})
        assert response.status_code == 400 and "reminder_days" in str(response.json()["errors"])
    assert api.patch(url, {"reminder_days": None}).json()["reminder_days"] is None


@pytest.mark.django_db
def test_docs_ui_is_served_from_local_static_files(anonymous_api):
    response = anonymous_api.get(f"{API}/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn" not in page.lower() and "https://" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
