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


# Query parameters: every list reads them strictly (milestones_site/api/filters.py).

LISTS = [
    "workspaces",
    "members",
    "clients",
    "projects",
    "phases",
    "milestones",
    "status-updates",
    "comments",
    "activity",
    "deleted",
    "tokens",
    "templates",
    "deliverables",
    "checklist-items",
    "versions",
    "review-rounds",
    "proof-comments",
    "notifications",
    "webhooks",
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "parameter", "hint"),
    [
        ("milestones/?overdue=maybe", "overdue", "use true or false"),
        ("deliverables/?overdue=maybe", "overdue", "use true or false"),
        ("checklist-items/?done=sometimes", "done", "use true or false"),
        ("templates/?builtin=perhaps", "builtin", "use true or false"),
        ("notifications/?unread=yes", "unread", "use true or false"),
        ("milestones/?page_size=abc", "page_size", "whole number from 1 to 200"),
        ("milestones/?page_size=-1", "page_size", "whole number from 1 to 200"),
        ("milestones/?page_size=0", "page_size", "whole number from 1 to 200"),
        ("milestones/?page_size=2.5", "page_size", "whole number from 1 to 200"),
        ("milestones/?page=first", "page", "whole number from 1"),
        ("milestones/?ordering=colour", "ordering", "order by one or more of: "),
        ("projects/?ordering=name,-budget", "ordering", "cannot order by -budget"),
        ("milestones/?stauts=planned", "stauts", "this list takes: "),
        ("tokens/?workspace=1", "workspace", "this list takes: "),
        ("milestones/?status=planned,later", "status", "use one of: planned, in_progress"),
        ("milestones/?updated_after=yesterday", "updated_after", "in ISO 8601, e.g."),
        ("milestones/?project=0", "project", "greater than or equal to 1"),
    ],
)
def test_a_bad_query_value_is_400_naming_the_parameter(api_as, member, query, parameter, hint):
    body = problem(api_as(member).get(f"{API}/{query}"))
    assert hint.lower() in " ".join(body["errors"][parameter]).lower(), body
    assert parameter in body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("resource", LISTS)
def test_every_list_refuses_unknown_parameters_and_names_those_it_takes(api_as, owner, resource):
    api = api_as(owner)
    body = problem(api.get(f"{API}/{resource}/?no_such_filter=1"))
    message = body["errors"]["no_such_filter"][0]
    for parameter in ("page", "page_size", "ordering", "updated_after"):
        assert parameter in message
    for ordering in ("updated_at", "-updated_at", "id"):
        assert api.get(f"{API}/{resource}/?ordering={ordering}").status_code == 200
    assert api.get(f"{API}/{resource}/?updated_after=2020-01-01T00:00:00Z").status_code == 200


@pytest.mark.django_db
def test_good_values_still_filter(api_as, manager, project):
    api = api_as(manager)
    planned = MilestoneFactory(project=project, status="planned")
    started = MilestoneFactory(project=project, status="in_progress")
    MilestoneFactory(project=project, status="blocked")

    def ids(query):
        response = api.get(f"{API}/milestones/?{query}")
        assert response.status_code == 200, response.content
        return sorted(row["id"] for row in response.json()["results"])

    both = sorted([planned.pk, started.pk])
    assert ids("status=planned,in_progress") == both
    assert ids("status=planned&status=in_progress") == both
    assert ids("status=planned") == [planned.pk]
    assert ids("overdue=false&ordering=-updated_at") == sorted(
        [planned.pk, started.pk, *ids("status=blocked")]
    )
    assert len(ids("page_size=1")) == 1
    assert len(ids("page_size=500")) == 3  # above 200: pages of 200


# JSON types: nothing is converted (milestones_site/api/inputs.py).


@pytest.mark.django_db
def test_wrong_json_types_are_refused_not_converted(api_as, owner, workspace, project):
    api = api_as(owner)
    milestone = MilestoneFactory(project=project)
    cases = [
        (
            "post",
            "comments/",
            {"target_type": "milestone", "target_id": milestone.pk, "body": 12345},
            "body",
            "Send a string, not a number.",
        ),
        (
            "post",
            "clients/",
            {"workspace": workspace.pk, "name": 42},
            "name",
            "Send a string, not a number.",
        ),
        (
            "patch",
            "notifications/preferences/",
            {"email_events": 0},
            "email_events",
            "Send true or false, not a number.",
        ),
        (
            "patch",
            "notifications/preferences/",
            {"digest_weekday": "2"},
            "digest_weekday",
            "Send a whole number, not a string; use one of: 0, 1, 2, 3, 4, 5, 6.",
        ),
        (
            "post",
            "milestones/",
            {"project": str(project.pk), "title": "T", "due_date": "2027-01-01"},
            "project",
            "Send a whole number, not a string.",
        ),
        (
            "post",
            "phases/",
            {"project": project.pk, "name": "P", "order": True},
            "order",
            "Send a whole number, not true or false.",
        ),
        (
            "post",
            "phases/",
            {"project": project.pk, "name": "P", "order": 1.5},
            "order",
            "Send a whole number, not a number.",
        ),
        (
            "post",
            "milestones/",
            {"project": project.pk, "title": "T", "due_date": 20270101},
            "due_date",
            "Send a string, not a number.",
        ),
        (
            "post",
            "milestones/",
            {
                "project": project.pk,
                "title": "T",
                "due_date": "2027-01-01",
                "depends_on": [str(milestone.pk)],
            },
            "depends_on",
            "Item 0: Send a whole number, not a string.",
        ),
        (
            "post",
            "webhooks/",
            {"workspace": workspace.pk, "url": "https://example.com/h", "event_types": [1]},
            "event_types",
            "Item 0: Send a string, not a number.",
        ),
        (
            "post",
            "milestones/bulk-status/",
            {"items": [{"id": milestone.pk, "status": 1}]},
            "items.0.status",
            "Send a string, not a number; use one of: planned, in_progress, blocked, completed, "
            "cancelled.",
        ),
        (
            "post",
            f"milestones/{milestone.pk}/complete/",
            {"force": "yes"},
            "force",
            "Send true or false, not a string.",
        ),
    ]
    for method, path, body, field, message in cases:
        found = problem(getattr(api, method)(f"{API}/{path}", body, format="json"))
        # A choice field goes on to name its choices.
        [said] = found["errors"][field]
        assert said == message or said.startswith(f"{message[:-1]}; use one of: "), (path, said)
    milestone.refresh_from_db()
    assert milestone.status == "planned"


@pytest.mark.django_db
def test_right_json_types_are_taken(api_as, owner, workspace, project):
    api = api_as(owner)
    response = api.patch(
        f"{API}/notifications/preferences/",
        {"email_events": False, "digest_weekday": 2},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["email_events"] is False
    response = api.post(
        f"{API}/projects/",
        {
            "workspace": workspace.pk,
            "name": "P",
            "start_date": "2027-01-01",
            "budget_planned": 100,
            "budget_spent": "12.50",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
