"""Every list endpoint costs the same number of queries for 10 rows as for 200 (a full
page of 500): serializers read only annotated and prefetched data."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deliverables.models import ChecklistItem, Deliverable
from notifications.models import Follow
from projects.models import (
    ActivityEvent,
    ApiToken,
    CalendarFeed,
    Client,
    Comment,
    Deletion,
    Membership,
    Milestone,
    Phase,
    Project,
    Role,
    ShareLink,
    StatusUpdate,
    Workspace,
)
from tests.clients import client_with_token
from tests.factories import depend, made_in_bulk
from tests.milestones_site.api.test_permission_matrix import OPERATIONS

LIST_ROUTES = sorted(route for route, method, action in OPERATIONS if action == "list")
# The lists `seed` fills; a list added elsewhere is still held to a constant count here,
# and its own tests seed its rows.
SEEDED = {
    "workspaces/",
    "members/",
    "clients/",
    "projects/",
    "phases/",
    "milestones/",
    "deliverables/",
    "checklist-items/",
    "status-updates/",
    "comments/",
    "activity/",
    "tokens/",
    "share-links/",
    "calendar-feeds/",
    "follows/",
    "deleted/",
}
DUE = date(2027, 1, 15)


def seed(workspace, user, count: int, start: int) -> None:
    """`count` more rows of every listed kind, related the way real data is."""
    numbers = range(start, start + count)
    people = get_user_model().objects.bulk_create(
        get_user_model()(username=f"seed{n}", first_name="Sam", last_name=f"No{n}") for n in numbers
    )
    Membership.objects.bulk_create(
        Membership(workspace=workspace, user=person, role=Role.MEMBER) for person in people
    )
    other_workspaces = Workspace.objects.bulk_create(
        Workspace(name=f"Team {n}", slug=f"team-{n}") for n in numbers
    )
    Membership.objects.bulk_create(
        Membership(workspace=team, user=user, role=Role.VIEWER) for team in other_workspaces
    )
    clients = Client.objects.bulk_create(
        Client(workspace=workspace, name=f"Client {n}") for n in numbers
    )
    projects = Project.objects.bulk_create(
        Project(workspace=workspace, client=client, owner=person, name=f"P{n}", start_date=DUE)
        for n, client, person in zip(numbers, clients, people, strict=True)
    )
    phases = Phase.objects.bulk_create(Phase(project=p, name="Build") for p in projects)
    milestones = Milestone.objects.bulk_create(
        Milestone(
            project=project,
            phase=phase,
            owner=person,
            title=f"M{n}",
            due_date=DUE - timedelta(days=n % 40),
            baseline_due_date=DUE,
        )
        for n, project, phase, person in zip(numbers, projects, phases, people, strict=True)
    )
    Milestone.depends_on.through.objects.bulk_create(
        Milestone.depends_on.through(from_milestone=later, to_milestone=earlier)
        for earlier, later in pairwise(milestones)
    )
    deliverables = Deliverable.objects.bulk_create(
        Deliverable(milestone=m, title=f"D{m.pk}", owner=m.owner, due_date=DUE) for m in milestones
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(deliverable=d, text="Proofread") for d in deliverables
    )
    StatusUpdate.objects.bulk_create(
        StatusUpdate(project=p, health="at_risk", summary="Late print", author=user)
        for p in projects
    )
    milestone_type = ContentType.objects.get_for_model(Milestone)
    Comment.objects.bulk_create(
        Comment(
            project=m.project, target_type=milestone_type, target_id=m.pk, author=user, body="ok"
        )
        for m in milestones
    )
    ActivityEvent.objects.bulk_create(
        ActivityEvent(
            workspace=workspace,
            project=m.project,
            actor=user,
            actor_name="Seeder",
            verb="milestone.created",
            target_type=milestone_type,
            target_id=m.pk,
            target_repr=m.title,
        )
        for m in milestones
    )
    ApiToken.objects.bulk_create(
        ApiToken(user=user, name=f"T{n}", prefix=f"ms_{n}", secret_hash=f"{n:064d}")
        for n in numbers
    )
    ShareLink.objects.bulk_create(
        ShareLink(project=p, created_by=user, prefix=f"sh_{p.pk}", secret_hash=f"s{p.pk:063d}")
        for p in projects
    )
    CalendarFeed.objects.bulk_create(
        CalendarFeed(user=user, project=p, prefix=f"cal_{p.pk}", secret_hash=f"c{p.pk:063d}")
        for p in projects
    )
    Follow.objects.bulk_create(Follow(user=user, milestone=m) for m in milestones)
    Deletion.objects.bulk_create(
        Deletion(workspace=workspace, type="comment", object_id=n) for n in numbers
    )
    made_in_bulk()


def queries_for(api, route: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(f"/api/v1/{route}?page_size=200")
    assert response.status_code == 200, response.content
    return len(captured), len(response.json()["results"])


@pytest.mark.django_db
def test_list_endpoints_cost_a_constant_number_of_queries(workspace, owner):
    api = client_with_token(owner)
    api.get("/api/v1/projects/")  # the token's first use records last_used_at once
    seed(workspace, owner, 10, start=0)
    few = {route: queries_for(api, route) for route in LIST_ROUTES}
    seed(workspace, owner, 490, start=10)
    many = {route: queries_for(api, route) for route in LIST_ROUTES}
    for route in LIST_ROUTES:
        if route in SEEDED:
            assert many[route][1] > few[route][1], f"{route} did not list the new rows"
        assert many[route][0] == few[route][0], f"{route}: {few[route][0]} → {many[route][0]}"


@pytest.mark.django_db
def test_reading_and_patching_a_milestone_cost_a_fixed_number_of_queries(project, manager):
    api = client_with_token(manager)
    api.get("/api/v1/projects/")  # the token's first use records last_used_at once
    # Content types are cached per process, unless an earlier test in this worker flushed
    # the database: the PATCH's activity event must find its type in the cache.
    ContentType.objects.get_for_model(Milestone)
    earlier, milestone = (
        Milestone.objects.create(project=project, title=title, due_date=DUE, baseline_due_date=DUE)
        for title in ("Brief", "Launch")
    )
    depend(milestone, earlier)
    Deliverable.objects.create(milestone=milestone, title="Poster", due_date=DUE)
    made_in_bulk()
    path = f"/api/v1/milestones/{milestone.pk}/"
    with CaptureQueriesContext(connection) as read:
        assert api.get(path).status_code == 200
    with CaptureQueriesContext(connection) as write:
        assert api.patch(path, {"status": "in_progress"}, format="json").status_code == 200
    # The token with its user, the caller's workspaces (for the date health is derived on),
    # the row with its stored roll-ups, the ids it depends on (no owner: no name to fetch).
    assert len(read) == 4, [query["sql"] for query in read]
    # The token with its user, the row with its workspace, the role, the project's lock, the
    # locked row (which keeps the project already read), the update, the dependents and the
    # project's roll-ups worked out again (milestones, latest update, stored values: none
    # moved, so none written), the event, the caller's workspaces, the re-read row and its
    # dependencies; the test's own transaction turns the request's, milestone_edit's and the
    # status service's into three savepoints.
    assert len(write) == 20, "\n".join(query["sql"][:90] for query in write)
