"""Incremental sync: a client pulls a whole workspace once, then only what changed
(`?updated_after=` with `ordering=updated_at`) and what was deleted (`/deleted/`), and its
copy equals a fresh full pull, whatever was changed, created and deleted in between."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from deliverables.services import checklists as checklist_services
from deliverables.services import deliverables as deliverable_services
from projects.models import Deletion, Milestone
from projects.services import comments as comment_services
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from tests.clients import client_with_token
from tests.factories import ClientFactory, MilestoneFactory, UserFactory

API = "/api/v1"
# The lists a copy of a workspace holds, and the `type` of their rows in /deleted/.
LISTS = {
    "workspaces": "workspace",
    "members": "membership",
    "clients": "client",
    "projects": "project",
    "phases": "phase",
    "milestones": "milestone",
    "status-updates": "status_update",
    "comments": "comment",
    "activity": "activity",
    "templates": "template",
    "deliverables": "deliverable",
    "checklist-items": "checklist_item",
    "versions": "version",
    "review-rounds": "review_round",
    "proof-comments": "proof_comment",
}
RESOURCE_OF = {kind: resource for resource, kind in LISTS.items()}
# A small page, so that every pull pages through its lists.
PAGE = 3
# How far a cursor reaches back: rows committed a moment after others of an earlier time.
OVERLAP = timedelta(seconds=2)


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class SyncingClient:
    """What an integration keeps: a copy of every row, and when its last pull started."""

    def __init__(self, api):
        self.api = api
        self.copy: dict[tuple[str, int], dict] = {}
        self.since: datetime | None = None

    def pages(self, resource: str):
        query = {"ordering": "updated_at", "page_size": PAGE}
        if self.since is not None:
            query["updated_after"] = (self.since - OVERLAP).isoformat()
        url, params = f"{API}/{resource}/", query
        while url:
            response = self.api.get(url, params)
            assert response.status_code == 200, (resource, response.content)
            body = response.json()
            yield from body["results"]
            url, params = body["next"], None

    def pull(self) -> None:
        """Everything changed since the last pull started (all of it the first time), then
        what was deleted since."""
        started = timezone.now()
        for resource in LISTS:
            for row in self.pages(resource):
                self.copy[(resource, row["id"])] = row
        if self.since is not None:
            for gone in self.pages("deleted"):
                self.copy.pop((RESOURCE_OF[gone["type"]], gone["id"]), None)
        self.since = started


def full_copy(api) -> dict:
    client = SyncingClient(api)
    client.pull()
    return client.copy


@pytest.mark.django_db(transaction=True)
def test_incremental_pulls_keep_an_exact_copy_of_the_workspace(plan, owner, manager, workspace):
    film, launch, project, phase = plan["film"], plan["launch"], plan["project"], plan["phase"]
    # Rows that each change below alters only through another row (so that a row whose
    # `updated_at` a change fails to move is caught): a status update showing the
    # project's name, a milestone in the phase that goes, a second phase, a second project
    # of the client that goes, and a project that goes whole.
    project_services.status_update_post(
        project=project, actor=manager, health="on_track", summary="Shooting"
    )
    bystander = milestone_services.milestone_create(
        project=project, actor=manager, title="Press kit", due_date=plan["today"], phase=phase
    )
    follow_up = project_services.phase_create(project=project, actor=manager, name="Follow-up")
    sibling = project_services.project_create(
        workspace=workspace,
        actor=manager,
        name="Winter",
        start_date=plan["today"],
        client=project.client,
    )
    doomed = project_services.project_create(
        workspace=workspace, actor=manager, name="Autumn", start_date=plan["today"]
    )
    milestone_services.milestone_create(
        project=doomed, actor=manager, title="Autumn kick-off", due_date=plan["today"]
    )
    # The clock moves on between pulls, so that a row the changes did not touch is not
    # read again for having been written within OVERLAP of a pull.
    clock = time_machine.travel(timezone.now() + timedelta(minutes=1), tick=True)
    traveller = clock.start()
    api = client_with_token(owner)
    integration = SyncingClient(api)
    integration.pull()
    assert ("projects", doomed.pk) in integration.copy
    traveller.shift(timedelta(minutes=1))
    manager_api = client_with_token(manager)

    # Through the API: renames shown on the rows below (a milestone's title on its
    # deliverable, a project's name on its phases and status updates), an external id, a
    # status move, a new milestone in the second phase (its count), a member added (the
    # workspace's count).
    ok(manager_api.patch(f"{API}/milestones/{film.pk}/", {"title": "Film locked"}))
    ok(
        manager_api.patch(
            f"{API}/projects/{project.pk}/", {"name": "Ridgeback", "external_id": "crm-1"}
        )
    )
    ok(manager_api.patch(f"{API}/milestones/{launch.pk}/", {"status": "in_progress"}))
    extra = ok(
        manager_api.post(
            f"{API}/milestones/",
            {
                "project": project.pk,
                "title": "Teaser",
                "due_date": "2030-01-10",
                "phase": follow_up.pk,
            },
        )
    )
    newcomer = UserFactory()
    ok(
        api.post(
            f"{API}/members/",
            {"workspace": workspace.pk, "username": newcomer.username, "role": "viewer"},
        )
    )
    # Through the services: a deliverable with a ticked checklist item (roll-ups), a
    # comment, a status update (the project's health).
    poster = deliverable_services.deliverable_create(
        milestone=launch, actor=manager, title="Poster", kind="creative_asset"
    )
    item = checklist_services.checklist_item_add(parent=poster, actor=manager, text="Proofread")
    checklist_services.checklist_item_toggle(item=item, actor=manager, done=True)
    comment_services.comment_post(target=launch, actor=manager, body="On its way")
    project_services.status_update_post(
        project=project, actor=manager, health="at_risk", summary="Print is late"
    )
    integration.pull()
    traveller.shift(timedelta(minutes=1))
    # Deletions: a phase (its milestone stays, without it), a milestone another depends on
    # (with its deliverable and checklist), a client (its other project stays, without
    # it), a whole project (with its milestone and audit trail).
    ok(manager_api.delete(f"{API}/phases/{phase.pk}/"), 204)
    film_id = film.pk
    ok(manager_api.delete(f"{API}/milestones/{film_id}/"), 204)
    ok(manager_api.delete(f"{API}/clients/{project.client_id}/"), 204)
    ok(manager_api.delete(f"{API}/projects/{doomed.pk}/"), 204)

    integration.pull()

    fresh = full_copy(api)
    clock.stop()
    assert integration.copy.keys() == fresh.keys()
    differing = [key for key in fresh if integration.copy[key] != fresh[key]]
    assert not differing, [(key, integration.copy[key], fresh[key]) for key in differing]
    assert ("milestones", extra["id"]) in fresh
    assert ("milestones", film_id) not in fresh
    assert fresh[("milestones", bystander.pk)]["phase"] is None
    assert fresh[("projects", sibling.pk)]["client"] is None
    assert fresh[("projects", project.pk)]["external_id"] == "crm-1"
    kinds = set(Deletion.objects.values_list("type", flat=True))
    assert {"phase", "milestone", "deliverable", "checklist_item", "client", "project"} <= kinds


def ok(response, status: int | None = None) -> dict:
    expected = status or (201 if response.request["REQUEST_METHOD"] == "POST" else 200)
    assert response.status_code == expected, response.content
    return response.json() if response.content else {}


@pytest.mark.django_db
def test_deletions_are_listed_only_to_readers_of_their_workspace(plan, manager, outsider):
    ClientFactory(workspace=plan["project"].workspace, name="Gone soon")
    ids = {name: plan[name].pk for name in ("project", "film", "launch")}
    project_services.project_delete(project=plan["project"], actor=manager)
    listed = ok(client_with_token(manager).get(f"{API}/deleted/?type=project,milestone"))
    found = {(row["type"], row["id"]) for row in listed["results"]}
    assert found == {
        ("project", ids["project"]),
        ("milestone", ids["film"]),
        ("milestone", ids["launch"]),
    }
    assert ok(client_with_token(outsider).get(f"{API}/deleted/"))["count"] == 0


@pytest.mark.django_db
def test_if_modified_since_answers_304_until_the_row_changes(plan, manager):
    api = client_with_token(manager)
    url = f"{API}/milestones/{plan['film'].pk}/"
    first = api.get(url)
    assert first.status_code == 200
    last_modified = first["Last-Modified"]
    unchanged = api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert unchanged.status_code == 304 and unchanged["ETag"] == first["ETag"]
    assert api.get(url, HTTP_IF_MODIFIED_SINCE="Thu, 01 Jan 2015 00:00:00 GMT").status_code == 200
    assert api.get(url, HTTP_IF_MODIFIED_SINCE="not a date").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=True):
        ok(api.patch(url, {"title": "Film locked"}))
        changed = api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
        assert changed.status_code == 200 and changed.json()["title"] == "Film locked"
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=True):
        # A day later, overdue and health may have moved whatever updated_at says.
        tomorrow = api.get(url, HTTP_IF_MODIFIED_SINCE=changed["Last-Modified"])
        assert tomorrow.status_code == 200


@pytest.mark.django_db
def test_paging_by_updated_at_lists_rows_of_equal_times_once(project, manager):
    made = [MilestoneFactory(project=project).pk for _ in range(7)]
    Milestone.objects.filter(pk__in=made).update(updated_at=timezone.now())
    api = client_with_token(manager)
    for ordering in ("updated_at", "-updated_at"):
        seen = []
        for page in (1, 2, 3, 4):
            response = api.get(f"{API}/milestones/?ordering={ordering}&page_size=2&page={page}")
            seen += [row["id"] for row in ok(response)["results"]]
        assert sorted(seen) == sorted(made)


@pytest.mark.django_db
def test_a_rename_moves_updated_at_of_every_row_showing_the_name(api_as, plan, manager):
    film, cut, project = plan["film"], plan["cut"], plan["project"]
    assert type(project).objects.get(pk=project.pk).next_milestone_id == film.pk

    def stamps():
        return {
            "project": type(project).objects.get(pk=project.pk).updated_at,
            "cut": type(cut).objects.get(pk=cut.pk).updated_at,
            "launch": Milestone.objects.get(pk=plan["launch"].pk).updated_at,
        }

    before = stamps()
    ok(api_as(manager).patch(f"{API}/milestones/{film.pk}/", {"title": "Film locked"}))
    after = stamps()
    assert after["project"] > before["project"]  # next_milestone_title
    assert after["cut"] > before["cut"]  # milestone_title
    assert after["launch"] == before["launch"]  # shows nothing of it
