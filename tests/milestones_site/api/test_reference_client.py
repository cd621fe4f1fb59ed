"""The README's reference client against a live server: its pulls copy every row page by
page and follow changes, and its creates go through."""

from datetime import timedelta

import pytest

from projects.services import milestones as milestone_services
from projects.services.access import api_token_create
from tests.clients import client_with_token
from tests.factories import DeliverableFactory, MilestoneFactory
from tests.reference_client import reference_client

RESOURCES = ("projects", "milestones", "deliverables")


@pytest.fixture
def code():
    return reference_client()


@pytest.fixture
def client(code, live_server, owner):
    _, token = api_token_create(user=owner, name="Reference client")
    return code["Milestones"](live_server.url, token)


def server_rows(owner) -> dict:
    api = client_with_token(owner)
    return {
        resource: {
            row["id"]: row
            for row in api.get(f"/api/v1/{resource}/?page_size=200").json()["results"]
        }
        for resource in RESOURCES
    }


@pytest.fixture
def planned(project):
    milestones = MilestoneFactory.create_batch(5, project=project)
    for milestone in milestones[:3]:
        DeliverableFactory(milestone=milestone)
    return milestones


def test_the_first_pull_copies_every_row_page_by_page(code, client, owner, planned):
    copy = {}
    code["pull_changes"](client, copy, page_size=2)  # 5 milestones: three pages
    assert {resource: copy[resource] for resource in RESOURCES} == server_rows(owner)
    assert len(copy["milestones"]) == 5
    newest = max(row["updated_at"] for row in copy["milestones"].values())
    assert copy["cursors"]["milestones"] == newest


def test_a_later_pull_brings_changes_and_new_rows(code, client, owner, manager, project, planned):
    copy = {}
    code["pull_changes"](client, copy, page_size=2)
    moved = milestone_services.milestone_reschedule(
        milestone=planned[0],
        new_date=planned[0].due_date + timedelta(days=7),
        reason="Printer late",
        actor=manager,
    )
    added = milestone_services.milestone_create(
        project=project, actor=manager, title="Press day", due_date=moved.due_date
    )
    code["pull_changes"](client, copy, page_size=2)
    assert {resource: copy[resource] for resource in RESOURCES} == server_rows(owner)
    assert copy["milestones"][moved.pk]["due_date"] == moved.due_date.isoformat()
    assert copy["milestones"][added.pk]["title"] == "Press day"


def test_create_posts_under_an_idempotency_key(code, client, owner, workspace):
    made = code["create"](client, "clients/", {"workspace": workspace.pk, "name": "Acme"})
    assert made["name"] == "Acme"
    listed = client_with_token(owner).get(f"/api/v1/clients/{made['id']}/").json()
    assert listed == made


def test_sync_drops_what_was_deleted_between_pulls(code, client, owner, manager, planned):
    copy = code["sync"](client, {})
    gone = planned[0]
    gone_deliverables = set(gone.deliverables.values_list("pk", flat=True))
    assert gone.pk in copy["milestones"] and gone_deliverables <= set(copy["deliverables"])
    milestone_services.milestone_delete(milestone=gone, actor=manager)
    code["sync"](client, copy)
    assert {resource: copy[resource] for resource in RESOURCES} == server_rows(owner)
    assert gone.pk not in copy["milestones"]
    assert not gone_deliverables & set(copy["deliverables"])  # deleted with it


def test_a_plan_sent_twice_under_one_key_makes_one_project(code, client, owner, workspace):
    plan = {
        "workspace": workspace.pk,
        "name": "Spring launch",
        "kind": "product_launch",
        "start_date": "2027-03-01",
        "phases": [
            {
                "name": "Strategy",
                "milestones": [
                    {"title": "Brief signed off", "due_date": "2027-03-10"},
                    {"title": "Launch day", "due_date": "2027-04-01", "depends_on": [0]},
                ],
            }
        ],
    }
    first = code["create_plan"](client, plan, key="plan-spring-2027")
    again = code["create_plan"](client, plan, key="plan-spring-2027")
    assert again == first
    projects = client_with_token(owner).get("/api/v1/projects/?page_size=200").json()
    assert [row["name"] for row in projects["results"]].count("Spring launch") == 1
