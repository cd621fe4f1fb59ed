"""The OpenAPI schema validates without warnings, documents auth, errors and the headers of
answers on every operation, matches what the server answers, and the docs page is served
without any CDN."""

import json

import jsonschema
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tests.clients import client_with_token
from tests.factories import MilestoneFactory

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


def header_of(operation: dict, code: str, name: str) -> dict | None:
    return operation["responses"].get(code, {}).get("headers", {}).get(name)


def test_response_headers_are_declared_where_answers_carry_them(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            where = (path, method)
            assert header_of(operation, "401", "WWW-Authenticate")["required"], where
            retry_after = header_of(operation, "429", "Retry-After")
            assert retry_after["required"] and retry_after["schema"]["type"] == "integer", where
            if "201" in operation["responses"]:
                assert header_of(operation, "201", "Location"), where
            if "412" in operation["responses"]:
                assert header_of(operation, "412", "ETag"), where
    milestones = schema["paths"][f"{API}/milestones/"]
    milestone = schema["paths"][f"{API}/milestones/{{id}}/"]
    # Reads of workspace content are conditional: ETag on 200 and 304, If-None-Match taken.
    for operation in (milestones["get"], milestone["get"]):
        assert header_of(operation, "200", "ETag")["required"]
        assert header_of(operation, "304", "ETag")["required"]
        assert any(p["name"] == "If-None-Match" for p in operation["parameters"])
    for operation in (milestones["post"], milestone["patch"]):
        code = "201" if operation is milestones["post"] else "200"
        assert header_of(operation, code, "ETag")["required"]
    complete = schema["paths"][f"{API}/milestones/{{id}}/complete/"]["post"]
    assert header_of(complete, "200", "ETag")["required"]
    # Notifications are read afresh: their list has no ETag, their detail has one.
    notifications = schema["paths"][f"{API}/notifications/"]["get"]
    assert header_of(notifications, "200", "ETag") is None
    assert "304" not in notifications["responses"]
    assert header_of(schema["paths"][f"{API}/notifications/{{id}}/"]["get"], "200", "ETag")


@pytest.mark.django_db
def test_declared_headers_are_sent(anonymous_api, owner, project, settings):
    refused = anonymous_api.get(f"{API}/milestones/")
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == 'Bearer realm="api"'
    client = client_with_token(owner)
    milestone = MilestoneFactory(project=project)
    read = client.get(f"{API}/milestones/{milestone.pk}/")
    assert read["ETag"].startswith(f'"{milestone.pk}-')
    again = client.get(f"{API}/milestones/{milestone.pk}/", HTTP_IF_NONE_MATCH=read["ETag"])
    assert again.status_code == 304 and again["ETag"] == read["ETag"]
    listed = client.get(f"{API}/milestones/")
    assert client.get(f"{API}/milestones/", HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 304
    rates = {"client": "1/minute", "anonymous": "1/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    throttled = client.get(f"{API}/milestones/")
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) >= 1


@pytest.mark.django_db
def test_a_saved_template_matches_its_declared_schema(schema, owner, project):
    """A saved template has no key (only built-in playbooks have one)."""
    response = client_with_token(owner).post(
        f"{API}/projects/{project.pk}/save-as-template/", {"name": "Our launch"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["key"] == ""
    declared = schema["paths"][f"{API}/projects/{{id}}/save-as-template/"]["post"]["responses"]
    body_schema = declared["201"]["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), {**body_schema, "components": schema["components"]})
