"""The OpenAPI schema validates without warnings, documents auth and errors on every
operation, and the docs page is served without any CDN."""

import json

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


@pytest.mark.django_db
def test_docs_ui_is_served_from_local_static_files(anonymous_api):
    response = anonymous_api.get(f"{API}/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn" not in page.lower() and "https://" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
