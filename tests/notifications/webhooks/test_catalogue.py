"""The event catalogue: every event the services record is in it (or is never sent), an
endpoint can subscribe only to its names, and what a delivery carries is the payload the
schema's `webhooks` section declares for its type."""

import ast
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from drf_spectacular.generators import SchemaGenerator

from deliverables.services import deliverables as deliverable_services
from notifications import services as notification_services
from notifications.events import process_events
from notifications.models import WebhookEndpoint
from notifications.webhooks.catalogue import EVENT_TYPE_NAMES, EVENT_TYPES, NEVER_SENT
from notifications.webhooks.delivery import send_pending_webhooks
from projects.models import ActivityEvent
from projects.services import comments as comment_services
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from projects.services import workspaces as workspace_services
from tests.clients import client_with_token
from tests.factories import DeliverableFactory, MilestoneFactory

APPS = ("projects", "deliverables", "notifications")


def literal_verbs(node: ast.expr) -> set[str]:
    """The verbs a `verb=` argument names: a literal, or either side of a conditional."""
    values = [node.body, node.orelse] if isinstance(node, ast.IfExp) else [node]
    return {v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)}


def deletion_verb(call: ast.Call) -> str | None:
    """`record_deletion(milestone, …)` without a `verb=` records `milestone.deleted` (the
    row's model name, which the services' variables are named after)."""
    name = call.func.attr if isinstance(call.func, ast.Attribute) else None
    if name != "record_deletion" or any(k.arg == "verb" for k in call.keywords):
        return None
    return f"{call.args[0].id}.deleted" if isinstance(call.args[0], ast.Name) else None


def recorded_verbs() -> set[str]:
    """Every verb the apps' code records: the `verb=` literals, the deletions recorded
    under the row's name, and the review moves of deliverables."""
    from deliverables.services.deliverables import TRANSITIONS

    verbs = {f"deliverable.{move.verb}" for move in TRANSITIONS.values()}
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.keyword) and node.arg == "verb":
                    verbs |= literal_verbs(node.value)
                elif isinstance(node, ast.Call) and deletion_verb(node):
                    verbs.add(deletion_verb(node))
    return verbs


def test_every_recorded_event_is_in_the_catalogue_or_never_sent():
    verbs = recorded_verbs()
    assert {"milestone.completed", "deliverable.approved", "milestone.deleted"} <= verbs
    assert "checklist_item.unchecked" in verbs, "both sides of a conditional verb"
    assert verbs <= set(EVENT_TYPE_NAMES) | set(NEVER_SENT), (
        "Add these to notifications/webhooks/catalogue.py and the README's table: "
        f"{sorted(verbs - set(EVENT_TYPE_NAMES) - set(NEVER_SENT))}"
    )
    assert len(EVENT_TYPE_NAMES) == len(set(EVENT_TYPE_NAMES))
    assert not set(EVENT_TYPE_NAMES) & set(NEVER_SENT)


@pytest.mark.parametrize("method", ["post", "patch"])
def test_unknown_event_types_are_a_400_naming_the_entry(settings, workspace, owner, method):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True
    client = client_with_token(owner)
    body = {"workspace": workspace.pk, "url": "http://127.0.0.1:9/hook"}
    if method == "patch":
        pk = client.post("/api/v1/webhooks/", body, format="json").json()["id"]
        response = client.patch(
            f"/api/v1/webhooks/{pk}/",
            {"event_types": ["milestone.completed", "milestone.finished"]},
            format="json",
        )
    else:
        body["event_types"] = ["milestone.completed", "milestone.finished"]
        response = client.post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "urn:milestones:problem:invalid"
    assert list(problem["errors"]) == ["event_types.1"]
    assert '"milestone.finished" is not an event type' in problem["errors"]["event_types.1"][0]


def test_the_service_refuses_unknown_event_types_for_every_caller(settings, workspace, owner):
    """The settings page calls the same service as the API."""
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True
    with pytest.raises(ValidationError) as error:
        notification_services.webhook_endpoint_create(
            workspace=workspace,
            actor=owner,
            url="http://127.0.0.1:9/hook",
            event_types=["milestone.completed", "nothing.happened"],
        )
    assert "nothing.happened" in error.value.message_dict["event_types"][0]


@pytest.fixture(scope="module")
def webhooks_schema() -> dict:
    return SchemaGenerator().get_schema(public=True)


def payload_schema(schema: dict, event_type: str) -> dict:
    body = schema["webhooks"][event_type]["post"]["requestBody"]
    return {**body["content"]["application/json"]["schema"], "components": schema["components"]}


def test_the_schema_lists_every_event_type_with_its_payload_and_headers(webhooks_schema):
    assert webhooks_schema["openapi"].startswith("3.1")
    assert list(webhooks_schema["webhooks"]) == list(EVENT_TYPE_NAMES)
    for event in EVENT_TYPES:
        operation = webhooks_schema["webhooks"][event.name]["post"]
        assert operation["summary"] == event.fires
        headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert headers == {
            "X-Milestones-Event",
            "X-Milestones-Delivery",
            "X-Milestones-Timestamp",
            "X-Milestones-Signature",
        }
        payload = payload_schema(webhooks_schema, event.name)
        envelope = webhooks_schema["components"]["schemas"][payload["$ref"].rsplit("/", 1)[1]]
        assert event.name in envelope["properties"]["type"]["enum"]
        assert envelope["properties"]["object_type"]["enum"] == list(event.objects)


def test_deliveries_carry_the_payload_the_schema_declares(
    settings, webhooks_schema, workspace, owner, project, manager, webhook_receiver
):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True
    notification_services.webhook_endpoint_create(
        workspace=workspace, actor=owner, url=webhook_receiver.url
    )
    # One event about each kind of object a payload carries.
    workspace_services.client_create(workspace=workspace, actor=manager, name="Acme")
    project_services.phase_create(project=project, actor=manager, name="Teaser")
    project_services.status_update_post(
        project=project, actor=manager, health="at_risk", summary="Print is late"
    )
    milestone = MilestoneFactory(project=project)
    deliverable = DeliverableFactory(milestone=milestone)
    comment_services.comment_post(target=deliverable, actor=manager, body="Looks good")
    milestone_services.milestone_reschedule(
        milestone=milestone,
        new_date=milestone.due_date + timedelta(days=3),
        reason="Printer late",
        actor=manager,
    )
    deliverable_services.deliverable_update(
        deliverable=deliverable, actor=manager, data={"title": "Banner, final"}
    )
    process_events(list(ActivityEvent.objects.values_list("pk", flat=True)))
    send_pending_webhooks()

    delivered = {request["json"]["type"]: request for request in webhook_receiver.requests}
    kinds = {request["json"]["object_type"] for request in delivered.values()}
    assert kinds == {"workspace", "client", "project", "phase", "milestone", "deliverable"}
    assert {"webhook.created", "comment.posted", "milestone.rescheduled"} <= set(delivered)
    for event_type, request in delivered.items():
        assert request["headers"]["X-Milestones-Event"] == event_type
        jsonschema.validate(request["json"], payload_schema(webhooks_schema, event_type))
    assert delivered["comment.posted"]["json"]["object_type"] == "deliverable"


def test_the_readme_lists_every_event_type_with_when_it_fires():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    for event in EVENT_TYPES:
        assert f"| `{event.name}` | {event.fires} | {' or '.join(event.objects)} |" in readme


def test_an_endpoint_holding_a_retired_event_type_can_still_be_switched(settings, workspace, owner):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True
    endpoint = notification_services.webhook_endpoint_create(
        workspace=workspace, actor=owner, url="http://127.0.0.1:9/hook"
    )
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(event_types=["milestone.retired"])
    endpoint.refresh_from_db()
    switched = notification_services.webhook_endpoint_update(
        endpoint=endpoint, actor=owner, data={"active": False}
    )
    assert switched.active is False
    with pytest.raises(ValidationError):
        notification_services.webhook_endpoint_update(
            endpoint=switched, actor=owner, data={"event_types": ["milestone.retired"]}
        )
