"""Celebrating progress: completing a milestone or a project is said to the person who did
it, marked in the activity feed and listed in the digest."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from notifications.digests import digest_content
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from tests.factories import MembershipFactory, ProjectFactory
from tests.projects.web.test_project_page import project_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def campaign(workspace, manager):
    project = ProjectFactory(workspace=workspace, owner=manager, name="Spring launch")
    today = workspace.today()
    first, last = (
        milestone_services.milestone_create(
            project=project, actor=manager, title=title, due_date=today + timedelta(days=days)
        )
        for title, days in (("Brief signed off", 3), ("Launch day", 10))
    )
    return project, first, last


def complete_url(milestone) -> str:
    return reverse("projects:milestone_complete", args=[milestone.pk])


def test_completing_a_milestone_celebrates_with_the_projects_progress(signed_in, campaign, manager):
    _, first, last = campaign
    client = signed_in(manager)
    page = client.post(
        complete_url(first), {"complete-version": first.version}, follow=True
    ).content.decode()
    assert 'class="alert alert--success alert--celebration"' in page
    assert "🎉 “Brief signed off” completed: 1 of 2 milestones of “Spring launch” done." in page

    page = client.post(
        complete_url(last), {"complete-version": last.version}, follow=True
    ).content.decode()
    assert "every milestone of “Spring launch” is done." in page


def test_the_inline_status_change_celebrates_only_a_completion(signed_in, campaign, manager):
    _, first, _ = campaign
    client = signed_in(manager)
    url = reverse("projects:milestone_status", args=[first.pk])
    started = client.post(url, {"status": "in_progress", "version": first.version}, **HTMX)
    assert 'class="celebration"' not in started.content.decode()
    assert "Saved: In progress" in started.content.decode()

    first.refresh_from_db()
    done = client.post(url, {"status": "completed", "version": first.version}, **HTMX)
    html = done.content.decode()
    assert done.status_code == 200
    assert '<span class="celebration" role="status">🎉 “Brief signed off” completed: 1 of 2' in html


def test_completing_a_project_celebrates_and_an_ordinary_save_does_not(
    signed_in, workspace, manager
):
    project = ProjectFactory(workspace=workspace, owner=manager, name="Awards entry")
    client = signed_in(manager)
    url = reverse("projects:project_edit", args=[project.pk])
    page = client.post(
        url, project_data(name="Awards entry", version=project.version), follow=True
    ).content.decode()
    assert "Project saved." in page and "alert--celebration" not in page

    project.refresh_from_db()
    page = client.post(
        url,
        project_data(name="Awards entry", status="completed", version=project.version),
        follow=True,
    ).content.decode()
    assert "🎉 “Awards entry” is complete. Well done to everyone on it." in page
    assert "alert--celebration" in page


def test_the_activity_feed_marks_completions(signed_in, campaign, manager):
    project, first, _ = campaign
    milestone_services.milestone_complete(milestone=first, actor=manager)
    project_services.project_update(project=project, actor=manager, data={"status": "completed"})
    page = (
        signed_in(manager)
        .get(reverse("projects:project_activity", args=[project.pk]))
        .content.decode()
    )
    assert page.count('class="feed__celebration"') == 2  # the milestone and the project
    assert page.count('aria-label="Celebrated"') == 2
    assert page.count("<li") >= 5  # creations and the status change are listed unmarked


def test_the_digest_lists_projects_completed_since_and_only_visible_ones(
    campaign, workspace, manager, viewer, outsider
):
    project, *_ = campaign
    since = datetime.now(UTC) - timedelta(hours=1)
    project_services.project_update(project=project, actor=manager, data={"status": "completed"})
    elsewhere = ProjectFactory(name="Not yours")
    owner = MembershipFactory(workspace=elsewhere.workspace, role="manager").user
    project_services.project_update(project=elsewhere, actor=owner, data={"status": "completed"})

    content = digest_content(user=viewer, since=since, today=workspace.today())
    [item] = content["completed"]
    assert item["title"] == "Spring launch: the whole project is complete"
    assert item["url"].endswith(f"/projects/{project.pk}/")
    assert "completed" not in digest_content(
        user=viewer, since=datetime.now(UTC) + timedelta(minutes=1), today=workspace.today()
    )
    assert "completed" not in digest_content(user=outsider, since=since, today=workspace.today())
