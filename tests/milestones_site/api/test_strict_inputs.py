"""Strict inputs: what a client sends is taken as sent or refused with a 400 that names the
field or parameter and what it accepts; nothing is coerced, ignored or a 500."""

import pytest
from rest_framework.parsers import JSONParser

from milestones_site.api.parsers import SizeLimitedJSONParser
from milestones_site.urls import api_v1
from tests.factories import DeliverableFactory, MilestoneFactory

API = "/api/v1"
DEEP = "[" * 1000 + "]" * 1000  # 2 KB, 1,000 levels


def problem(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert {"type", "title", "status", "detail", "errors"} <= set(body)
    return body


def json_views():
    for pattern in api_v1:
        view = getattr(pattern.callback, "cls", None)
        parsers = getattr(view, "parser_classes", ()) if view else ()
        if any(issubclass(parser, JSONParser) for parser in parsers):
            yield view


def test_every_json_endpoint_parses_with_the_limited_parser():
    views = list(json_views())
    assert len(views) > 10
    for view in views:
        json_parsers = [p for p in view.parser_classes if issubclass(p, JSONParser)]
        assert all(issubclass(p, SizeLimitedJSONParser) for p in json_parsers), view


@pytest.mark.django_db
@pytest.mark.parametrize("body", [DEEP, '{"a":' * 1000 + "1" + "}" * 1000, "[" * 40 + "]" * 40])
def test_a_deeply_nested_body_is_a_400_problem_everywhere(api_as, manager, project, body):
    api = api_as(manager)
    milestone = MilestoneFactory(project=project)
    deliverable = DeliverableFactory(milestone=milestone)
    requests = [
        ("post", f"{API}/milestones/"),
        ("post", f"{API}/projects/"),
        ("post", f"{API}/comments/"),
        ("patch", f"{API}/milestones/{milestone.pk}/"),
        ("post", f"{API}/milestones/{milestone.pk}/reschedule/"),
        ("post", f"{API}/milestones/bulk-status/"),
        ("patch", f"{API}/deliverables/{deliverable.pk}/"),
        ("patch", f"{API}/notifications/preferences/"),
        ("post", f"{API}/webhooks/"),
    ]
    for method, url in requests:
        response = getattr(api, method)(url, body, content_type="application/json")
        found = problem(response)
        assert found["title"] == "Malformed request body", url
        assert "nests deeper" in found["detail"]


@pytest.mark.django_db
def test_ordinary_nesting_still_parses(api_as, manager, project):
    milestone = MilestoneFactory(project=project)
    items = [{"id": milestone.pk, "status": "in_progress"}]
    response = api_as(manager).post(f"{API}/milestones/bulk-status/", {"items": items})
    assert response.status_code == 200, response.content
