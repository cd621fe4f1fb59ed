"""ETags, If-Match and concurrent writers."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from milestones_site.api.concurrency import row_part
from projects.models import Milestone, Project
from projects.services.access import api_token_create
from tests.factories import MembershipFactory, MilestoneFactory, PhaseFactory, ProjectFactory

API = "/api/v1"


@pytest.mark.django_db
def test_detail_reads_carry_an_etag_from_the_version(api_as, project, manager):
    response = api_as(manager).get(f"{API}/projects/{project.pk}/")
    assert row_part(response["ETag"]) == f"{project.pk}-{project.version}"
    assert response.json()["version"] == project.version


@pytest.mark.django_db
def test_stale_if_match_is_412_with_the_current_representation(api_as, project, manager):
    milestone = MilestoneFactory(project=project)
    api = api_as(manager)
    url = f"{API}/milestones/{milestone.pk}/"
    etag = api.get(url)["ETag"]
    assert api.patch(url, {"title": "First"}, HTTP_IF_MATCH=etag).status_code == 200

    for method, body in (("patch", {"title": "Second"}), ("delete", None)):
        stale = getattr(api, method)(url, body, HTTP_IF_MATCH=etag)
        assert stale.status_code == 412
        problem = stale.json()
        assert problem["title"] == "Precondition failed"
        assert problem["current"]["title"] == "First"
        assert problem["current"]["version"] == milestone.version + 1
        assert row_part(stale["ETag"]) == f"{milestone.pk}-{milestone.version + 1}"
    assert Milestone.objects.filter(pk=milestone.pk, title="First").exists()

    stale_action = api.post(
        f"{url}reschedule/", {"due_date": "2030-01-01", "reason": "x"}, HTTP_IF_MATCH=etag
    )
    assert stale_action.status_code == 412


@pytest.mark.django_db
def test_if_match_for_another_row_or_garbage_never_matches(api_as, project, manager):
    api = api_as(manager)
    url = f"{API}/projects/{project.pk}/"
    for tag in (f'"{project.pk + 1}-{project.version}"', "garbage", '"1-x"'):
        assert api.patch(url, {"name": "X"}, HTTP_IF_MATCH=tag).status_code == 412
    assert api.patch(url, {"name": "X"}, HTTP_IF_MATCH="*").status_code == 200


@pytest.mark.django_db
def test_rows_without_a_version_use_their_modification_time(api_as, project, manager):
    phase = PhaseFactory(project=project)
    api = api_as(manager)
    url = f"{API}/phases/{phase.pk}/"
    etag = api.get(url)["ETag"]
    assert api.patch(url, {"name": "Strategy"}, HTTP_IF_MATCH=etag).status_code == 200
    stale = api.patch(url, {"name": "Lost"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["current"]["name"] == "Strategy"
    assert api.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert api.delete(url, HTTP_IF_MATCH=stale["ETag"]).status_code == 204


@pytest.mark.django_db
def test_patch_without_if_match_writes_only_the_fields_sent(api_as, project, manager, member):
    milestone = MilestoneFactory(project=project)
    url = f"{API}/milestones/{milestone.pk}/"
    assert api_as(manager).patch(url, {"title": "Press day"}).status_code == 200
    assert api_as(member).patch(url, {"kpi_name": "Sign-ups"}).status_code == 200
    milestone.refresh_from_db()
    assert (milestone.title, milestone.kpi_name) == ("Press day", "Sign-ups")


WRITERS = 20


@pytest.mark.django_db(transaction=True)
def test_concurrent_patches_with_the_same_if_match_exactly_one_wins():
    """Twenty clients, each on its own connection, PATCH the same version at once: one
    succeeds, nineteen get 412, and the winner's change is what is stored. Runs on
    PostgreSQL (row locks) and SQLite (IMMEDIATE transactions) alike."""
    project = ProjectFactory()
    manager = MembershipFactory(workspace=project.workspace, role="manager").user
    _, plain = api_token_create(user=manager, name="Load")
    etag = f'"{project.pk}-{project.version}"'
    statuses, bodies = [], []
    start = threading.Barrier(WRITERS)

    def write(number: int) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
        try:
            start.wait()
            response = client.patch(
                f"{API}/projects/{project.pk}/",
                {"objective": f"writer {number}"},
                HTTP_IF_MATCH=etag,
                format="json",
            )
            statuses.append(response.status_code)
            bodies.append(response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] + [412] * (WRITERS - 1)
    winner = next(body for body in bodies if "objective" in body)
    project.refresh_from_db()
    assert project.version == 2 and project.objective == winner["objective"]
    losers = [body for body in bodies if body.get("status") == 412]
    assert all(body["current"]["objective"] == project.objective for body in losers)
    assert Project.objects.count() == 1
