"""Every API route, method and role, generated from the URL configuration.

`OPERATIONS` is read from milestones_site.urls (api_v1) at collection time, so a new route or
method appears here by itself, and fails until EXPECTATIONS says who may use it."""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from rest_framework.test import APIClient

from deliverables.models import Deliverable, ReviewRound
from deliverables.services.proofs import proof_comment_post
from deliverables.services.versions import version_upload
from milestones_site.urls import api_v1
from notifications.models import Follow, Notification, WebhookEndpoint
from projects import activity
from projects.models import MilestoneDateChange, Role
from projects.playbooks.services import template_save_from_project
from projects.services.access import calendar_feed_create
from projects.services.comments import comment_post
from tests.clients import client_with_token
from tests.deliverables.proof_files import png
from tests.factories import (
    ChecklistItemFactory,
    ClientFactory,
    DeliverableFactory,
    MembershipFactory,
    MilestoneFactory,
    PhaseFactory,
    ProjectFactory,
    ShareLinkFactory,
    StatusUpdateFactory,
    UserFactory,
    WorkspaceFactory,
)

ROLES = ("owner", "manager", "member", "viewer", "outsider", "anonymous")
RANK = {"viewer": 0, "member": 1, "manager": 2, "owner": 3}
ALL_METHODS = ("get", "post", "put", "patch", "delete")


def route_template(pattern) -> str:
    """`^milestones/(?P<pk>[^/.]+)/complete/$` → `milestones/<pk>/complete/`."""
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", str(pattern.pattern)).strip("^$")


def discover_operations() -> list[tuple[str, str, str]]:
    """(route, method, view action) for every route of the API's URL configuration."""
    operations = []
    for pattern in api_v1:
        assert not isinstance(pattern, URLResolver), "flatten nested includes here"
        assert isinstance(pattern, URLPattern)
        route = route_template(pattern)
        actions = getattr(pattern.callback, "actions", None)
        if actions is None:  # a plain APIView: the methods it implements
            view_class = pattern.callback.cls
            actions = {m: m for m in ALL_METHODS if hasattr(view_class, m)}
        for method, action in actions.items():
            operations.append((route, method, action))
    return operations


OPERATIONS = discover_operations()
VIEWSET_ROUTES = sorted(
    route_template(pattern) for pattern in api_v1 if hasattr(pattern.callback, "actions")
)


@dataclass(frozen=True)
class Rule:
    """Who may do it: `open` (anyone signed in), `own` (each caller's own row), `public`
    (no credentials needed), else the minimum workspace role. `success` is the status
    for those allowed."""

    access: str
    success: int = 200
    body: object = field(default=None)  # world -> request body
    prepare: object = field(default=None)  # world -> None, adjusts the target's state
    target: object = field(default=None)  # world -> pk of a detail route's row (else TARGETS)
    format: str = "json"  # of the request body: "multipart" for file uploads


def role(
    min_role: str, success: int = 200, body=None, prepare=None, target=None, format="json"
) -> Rule:
    return Rule(min_role, success, body, prepare, target, format)


def set_deliverable_status(status: str):
    def prepare(world):
        Deliverable.objects.filter(pk=world.deliverable.pk).update(
            status=status, approved_at=timezone.now() if status == "approved" else None
        )

    return prepare


def move_due_date(world):
    type(world.milestone).objects.filter(pk=world.milestone.pk).update(
        due_date=world.milestone.due_date + timedelta(days=3)
    )


LIST = Rule("open")
READ = Rule("viewer")
EXPECTATIONS: dict[tuple[str, str, str], Rule] = {
    ("schema/", "get", "get"): Rule("public"),
    ("docs/", "get", "get"): Rule("public"),
    ("workspaces/", "get", "list"): LIST,
    ("workspaces/", "post", "create"): Rule("open", 201, lambda w: {"name": "Fresh team"}),
    ("workspaces/<pk>/", "get", "retrieve"): READ,
    ("workspaces/<pk>/", "patch", "partial_update"): role("owner", body=lambda w: {"name": "X"}),
    ("members/", "get", "list"): LIST,
    ("members/", "post", "create"): role(
        "owner",
        201,
        lambda w: {"workspace": w.workspace.pk, "username": w.newcomer.username, "role": "viewer"},
    ),
    ("members/<pk>/", "get", "retrieve"): READ,
    ("members/<pk>/", "patch", "partial_update"): role("owner", body=lambda w: {"role": "manager"}),
    ("members/<pk>/", "delete", "destroy"): role("owner", 204),
    ("clients/", "get", "list"): LIST,
    ("clients/", "post", "create"): role(
        "manager", 201, lambda w: {"workspace": w.workspace.pk, "name": "Northwind Outdoor"}
    ),
    ("clients/<pk>/", "get", "retrieve"): READ,
    ("clients/<pk>/", "patch", "partial_update"): role(
        "manager", body=lambda w: {"contact_email": "cmo@example.com"}
    ),
    ("clients/<pk>/", "delete", "destroy"): role("manager", 204),
    ("projects/", "get", "list"): LIST,
    ("projects/", "post", "create"): role(
        "manager",
        201,
        lambda w: {"workspace": w.workspace.pk, "name": "Holiday push", "start_date": "2026-11-01"},
    ),
    ("projects/<pk>/", "get", "retrieve"): READ,
    ("projects/<pk>/", "patch", "partial_update"): role(
        "manager", body=lambda w: {"status": "on_hold"}
    ),
    ("projects/<pk>/", "delete", "destroy"): role("manager", 204),
    ("projects/<pk>/save-as-template/", "post", "save_as_template"): role(
        "manager", 201, lambda w: {"name": "Our launch"}
    ),
    ("phases/", "get", "list"): LIST,
    ("phases/", "post", "create"): role(
        "manager", 201, lambda w: {"project": w.project.pk, "name": "Follow-up"}
    ),
    ("phases/<pk>/", "get", "retrieve"): READ,
    ("phases/<pk>/", "patch", "partial_update"): role("manager", body=lambda w: {"name": "Ads"}),
    ("phases/<pk>/", "delete", "destroy"): role("manager", 204),
    ("milestones/", "get", "list"): LIST,
    ("milestones/", "post", "create"): role(
        "member",
        201,
        lambda w: {"project": w.project.pk, "title": "Press day", "due_date": "2027-01-15"},
    ),
    ("milestones/bulk-status/", "post", "bulk_status"): role(
        "member", body=lambda w: {"items": [{"id": w.milestone.pk, "status": "blocked"}]}
    ),
    ("milestones/<pk>/", "get", "retrieve"): READ,
    ("milestones/<pk>/", "patch", "partial_update"): role(
        "member", body=lambda w: {"title": "Press day moved"}
    ),
    ("milestones/<pk>/", "delete", "destroy"): role("manager", 204),
    ("milestones/<pk>/complete/", "post", "complete"): role("member", body=lambda w: {}),
    ("milestones/<pk>/reschedule/", "post", "reschedule"): role(
        "member", body=lambda w: {"due_date": "2027-02-01", "reason": "Venue moved"}
    ),
    ("milestones/<pk>/rebaseline/", "post", "rebaseline"): role(
        "manager", body=lambda w: {"reason": "New plan"}, prepare=move_due_date
    ),
    ("milestones/<pk>/reschedules/", "get", "reschedules"): READ,
    ("deliverables/", "get", "list"): LIST,
    ("deliverables/", "post", "create"): role(
        "member", 201, lambda w: {"milestone": w.milestone.pk, "title": "Banner set"}
    ),
    ("deliverables/<pk>/", "get", "retrieve"): READ,
    ("deliverables/<pk>/", "patch", "partial_update"): role(
        "member", body=lambda w: {"link": "https://example.com/banners"}
    ),
    ("deliverables/<pk>/", "delete", "destroy"): role("manager", 204),
    ("deliverables/<pk>/start/", "post", "start"): role("member"),
    ("deliverables/<pk>/submit/", "post", "submit"): role("member"),
    ("deliverables/<pk>/approve/", "post", "approve"): role(
        "manager", prepare=set_deliverable_status("in_review")
    ),
    ("deliverables/<pk>/request-changes/", "post", "request_changes"): role(
        "manager", body=lambda w: {"note": "Brighter"}, prepare=set_deliverable_status("in_review")
    ),
    ("deliverables/<pk>/deliver/", "post", "deliver"): role(
        "member", prepare=set_deliverable_status("approved")
    ),
    ("versions/", "get", "list"): LIST,
    ("versions/", "post", "create"): role(
        "member",
        201,
        lambda w: {"deliverable": w.deliverable.pk, "files": [png()], "summary": "Brighter"},
        format="multipart",
    ),
    ("versions/<pk>/", "get", "retrieve"): READ,
    ("proof-files/<pk>/", "get", "retrieve"): READ,
    ("proof-files/<pk>/download/", "get", "download"): READ,
    ("review-rounds/", "get", "list"): LIST,
    ("review-rounds/<pk>/", "get", "retrieve"): READ,
    ("proof-comments/", "get", "list"): LIST,
    ("proof-comments/", "post", "create"): role(
        "member",
        201,
        lambda w: {
            "version": w.version.pk,
            "body": "Logo larger",
            "file": w.proof_file.pk,
            "page": 1,
            "x": 0.25,
            "y": 0.5,
        },
    ),
    ("proof-comments/<pk>/", "get", "retrieve"): READ,
    ("proof-comments/<pk>/", "patch", "partial_update"): role(
        "member", body=lambda w: {"resolved": True}
    ),
    ("checklist-items/", "get", "list"): LIST,
    ("checklist-items/", "post", "create"): role(
        "member", 201, lambda w: {"deliverable": w.deliverable.pk, "text": "Alt texts"}
    ),
    ("checklist-items/<pk>/", "get", "retrieve"): READ,
    ("checklist-items/<pk>/", "patch", "partial_update"): role(
        "member", body=lambda w: {"done": True}
    ),
    ("checklist-items/<pk>/", "delete", "destroy"): role("member", 204),
    ("status-updates/", "get", "list"): LIST,
    ("status-updates/", "post", "create"): role(
        "manager",
        201,
        lambda w: {"project": w.project.pk, "health": "at_risk", "summary": "Printer late."},
    ),
    ("status-updates/<pk>/", "get", "retrieve"): READ,
    # The author (a manager here) or any manager; members and viewers are refused.
    ("status-updates/<pk>/", "patch", "partial_update"): role(
        "manager", body=lambda w: {"summary": "Printer on time after all."}
    ),
    ("status-updates/<pk>/", "delete", "destroy"): role("manager", 204),
    ("comments/", "get", "list"): LIST,
    ("comments/", "post", "create"): role(
        "member",
        201,
        lambda w: {"target_type": "milestone", "target_id": w.milestone.pk, "body": "Looks good"},
    ),
    ("comments/<pk>/", "get", "retrieve"): READ,
    # The comment's author is the member; managers and owners moderate.
    ("comments/<pk>/", "patch", "partial_update"): role("member", body=lambda w: {"body": "Hm"}),
    ("comments/<pk>/", "delete", "destroy"): role("member", 204),
    ("activity/", "get", "list"): LIST,
    ("activity/<pk>/", "get", "retrieve"): READ,
    ("deleted/", "get", "list"): LIST,
    ("tokens/", "get", "list"): LIST,
    ("tokens/", "post", "create"): Rule("open", 201, lambda w: {"name": "Chat bot"}),
    ("tokens/<pk>/", "get", "retrieve"): Rule("own"),
    ("tokens/<pk>/", "delete", "destroy"): Rule("own", 204),
    ("plans/", "post", "create"): role(
        "manager",
        201,
        lambda w: {
            "workspace": w.workspace.pk,
            "name": "Spring plan",
            "start_date": "2027-03-01",
            "phases": [
                {
                    "name": "Build-up",
                    "milestones": [
                        {"title": "Brief", "due_date": "2027-03-05"},
                        {"title": "Launch", "due_date": "2027-03-20", "depends_on": [0]},
                    ],
                }
            ],
        },
    ),
    ("share-links/", "get", "list"): LIST,
    ("share-links/", "post", "create"): role(
        "manager", 201, lambda w: {"project": w.project.pk, "label": "For the client"}
    ),
    ("share-links/<pk>/", "get", "retrieve"): READ,
    ("share-links/<pk>/", "delete", "destroy"): role("manager", 204),
    ("calendar-feeds/", "get", "list"): LIST,
    ("calendar-feeds/", "post", "create"): Rule("open", 201, lambda w: {}),
    ("calendar-feeds/<pk>/", "get", "retrieve"): Rule("own"),
    ("calendar-feeds/<pk>/", "delete", "destroy"): Rule("own", 204),
    ("follows/", "get", "list"): LIST,
    ("follows/", "post", "create"): role("viewer", 201, lambda w: {"milestone": w.milestone.pk}),
    ("follows/<pk>/", "get", "retrieve"): Rule("own"),
    ("follows/<pk>/", "delete", "destroy"): Rule("own", 204),
    ("templates/", "get", "list"): LIST,
    ("templates/<pk>/", "get", "retrieve"): READ,
    ("templates/<pk>/instantiate/", "post", "instantiate"): role(
        "manager",
        201,
        lambda w: {
            "workspace": w.workspace.pk,
            "name": "From our playbook",
            "direction": "forward",
            "date": "2027-01-04",
        },
    ),
    ("notifications/", "get", "list"): LIST,
    ("notifications/read-all/", "post", "read_all"): Rule("open"),
    ("notifications/<pk>/", "get", "retrieve"): Rule("own"),
    ("notifications/<pk>/read/", "post", "read"): Rule("own"),
    ("notifications/preferences/", "get", "get"): Rule("open"),
    ("notifications/preferences/", "patch", "patch"): Rule(
        "open", body=lambda w: {"digest": "daily"}
    ),
    ("webhooks/", "get", "list"): LIST,
    ("webhooks/", "post", "create"): role(
        "owner", 201, lambda w: {"workspace": w.workspace.pk, "url": "https://93.184.216.34/in"}
    ),
    ("webhooks/<pk>/", "get", "retrieve"): role("owner"),
    ("webhooks/<pk>/", "patch", "partial_update"): role("owner", body=lambda w: {"active": False}),
    ("webhooks/<pk>/", "delete", "destroy"): role("owner", 204),
    ("webhooks/<pk>/deliveries/", "get", "deliveries"): role("owner"),
    ("webhooks/<pk>/rotate-secret/", "post", "rotate_secret"): role(
        "owner", body=lambda w: {"overlap_hours": 1}
    ),
}

# The row each detail route acts on (tokens: the caller's own).
TARGETS = {
    "workspaces": "workspace",
    "members": "membership",
    "clients": "client",
    "projects": "project",
    "phases": "phase",
    "milestones": "milestone",
    "deliverables": "deliverable",
    "checklist-items": "checklist_item",
    "versions": "version",
    "proof-files": "proof_file",
    "review-rounds": "review_round",
    "proof-comments": "proof_comment",
    "status-updates": "status_update",
    "comments": "comment",
    "activity": "event",
    "webhooks": "webhook_endpoint",
    "templates": "template",
    "share-links": "share_link",
}
# Routes whose detail rows are each caller's own: {resource: user → that user's row}.
OWN_ROWS = {
    "tokens": lambda user: user.api_tokens.first(),
    "notifications": lambda user: user.notifications.first(),
    "calendar-feeds": lambda user: user.calendar_feeds.first(),
    "follows": lambda user: Follow.objects.filter(user=user).first(),
}


def expected_status(rule: Rule, route: str, method: str, who: str) -> int:
    if rule.access == "public":
        return 200
    if who == "anonymous":
        return 401
    is_detail = "<pk>" in route
    if rule.access in ("open", "own"):
        return rule.success
    if who == "outsider":
        if is_detail:
            return 404
        # A list shows nothing of ours; a write naming our rows finds none it can see.
        return 200 if method == "get" else 400
    if rule.access == "viewer" or RANK[who] >= RANK[rule.access]:
        return rule.success
    return 403


def build_world():
    workspace = WorkspaceFactory()
    users = {
        name: MembershipFactory(workspace=workspace, role=Role(name)).user
        for name in ("owner", "manager", "member", "viewer")
    }
    users["outsider"] = MembershipFactory(workspace=WorkspaceFactory(), role=Role.OWNER).user
    project = ProjectFactory(workspace=workspace, owner=users["manager"])
    deliverable_milestone = MilestoneFactory(project=project)
    world = SimpleNamespace(
        workspace=workspace,
        users=users,
        newcomer=UserFactory(),
        membership=MembershipFactory(workspace=workspace, role=Role.MEMBER),
        client=ClientFactory(workspace=workspace),
        project=project,
        phase=PhaseFactory(project=project),
        milestone=MilestoneFactory(project=project),
        deliverable=DeliverableFactory(milestone=deliverable_milestone),
        status_update=StatusUpdateFactory(project=project, author=users["manager"]),
    )
    world.checklist_item = ChecklistItemFactory(deliverable=world.deliverable)
    world.version = version_upload(
        deliverable=world.deliverable, actor=users["member"], files=[png()]
    )
    world.proof_file = world.version.files.get()
    world.review_round = ReviewRound.objects.create(
        deliverable=world.deliverable,
        number=1,
        opened_on=world.version,
        decision=ReviewRound.Decision.CHANGES_REQUESTED,
        note="Brighter",
        closed_at=timezone.now(),
    )
    world.proof_comment = proof_comment_post(
        version=world.version, actor=users["member"], body="Logo larger"
    )
    world.event = activity.record(actor=users["owner"], verb="project.updated", target=project)
    world.comment = comment_post(target=world.milestone, actor=users["member"], body="First!")
    world.template = template_save_from_project(project=project, actor=None, name="Our way")
    world.webhook_endpoint = WebhookEndpoint.objects.create(
        workspace=workspace, url="https://93.184.216.34/in", secret="matrix-secret"
    )
    world.share_link = ShareLinkFactory(project=project)
    MilestoneDateChange.objects.create(
        milestone=world.milestone,
        old_date=world.milestone.due_date - timedelta(days=2),
        new_date=world.milestone.due_date,
        reason="Printer",
        changed_by=users["member"],
    )
    for n, user in enumerate(users.values()):
        Notification.objects.create(recipient=user, kind="digest", key=f"m:{n}", title="Hi")
        calendar_feed_create(user=user)
        followed = project if user != users["outsider"] else ProjectFactory()
        Follow.objects.create(user=user, project=followed)
    world.clients = {who: client_with_token(user) for who, user in users.items()}
    world.clients["anonymous"] = APIClient()
    return world


def url_for(world, rule: Rule, route: str, who: str) -> str:
    if "<pk>" not in route:
        return f"/api/v1/{route}"
    resource = route.split("/")[0]
    if rule.target:
        pk = rule.target(world)
    elif resource in OWN_ROWS:
        own = OWN_ROWS[resource](world.users[who]) if who != "anonymous" else None
        pk = own.pk if own else 1
    else:
        pk = getattr(world, TARGETS[resource]).pk
    return f"/api/v1/{route.replace('<pk>', str(pk))}"


def test_every_route_has_an_expectation():
    missing = [op for op in OPERATIONS if op not in EXPECTATIONS]
    stale = [op for op in EXPECTATIONS if op not in OPERATIONS]
    assert not missing, f"Say who may use these routes in EXPECTATIONS: {missing}"
    assert not stale, f"These expectations name routes that no longer exist: {stale}"


def assert_nothing_leaks(world, route: str, rows: list[dict]) -> None:
    """A list shows an outsider none of the workspace's rows."""
    attribute = TARGETS.get(route.split("/")[0])
    if attribute:
        assert getattr(world, attribute).pk not in {row["id"] for row in rows}, route


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "method", "action"), OPERATIONS, ids=[f"{m.upper()} {r}" for r, m, _ in OPERATIONS]
)
def test_role_matrix(route, method, action):
    rule = EXPECTATIONS[(route, method, action)]
    world = build_world()
    # A public route answers before looking at the caller; two callers show it (and each
    # schema request costs a full schema generation).
    callers = ("anonymous", "outsider") if rule.access == "public" else ROLES
    for who in callers:
        with transaction.atomic():
            if rule.prepare:
                rule.prepare(world)
            body = rule.body(world) if rule.body else None
            client = world.clients[who]
            response = getattr(client, method)(
                url_for(world, rule, route, who), body, format=rule.format
            )
            expected = expected_status(rule, route, method, who)
            assert response.status_code == expected, (who, response.content[:300])
            if response.status_code == 201:
                # Every 201 names where the new row lives: a detail route that answers.
                location = response["Location"]
                assert location.startswith("http://testserver/api/v1/"), location
                assert location.endswith(f"/{response.json()['id']}/"), location
            if who == "outsider" and action == "list":
                assert_nothing_leaks(world, route, response.json()["results"])
            transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("route", VIEWSET_ROUTES)
def test_methods_a_route_does_not_offer_are_405(route):
    offered = {method for r, method, _ in OPERATIONS if r == route}
    world = build_world()
    for method in sorted(set(ALL_METHODS) - offered):
        some_rule = next(EXPECTATIONS[op] for op in OPERATIONS if op[0] == route)
        url = url_for(world, some_rule, route, "owner")
        response = getattr(world.clients["owner"], method)(url, {})
        assert response.status_code == 405, (method, response.content[:200])
        assert response.json()["status"] == 405
