"""The read cache (projects/read_cache.py): pages and API reads served from the cache are
exactly what a fresh render would show, for the reader who asked, after any change.

These tests commit for real (transactional database), since a workspace's content version
is renewed after the commit of each change, as in production."""

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliverables import services as deliverable_services
from notifications import services as notification_services
from notifications.models import Notification
from projects import read_cache, services
from projects.models import Membership, Role, Workspace
from tests.api.conftest import client_with_token

pytestmark = pytest.mark.django_db(transaction=True)

# A masked CSRF token differs on every render of the same page.
CSRF_VALUES = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def comparable(response) -> str:
    assert response.status_code == 200, response.content[:300]
    return CSRF_VALUES.sub(r"\1…", response.content.decode())


def fresh(settings, read) -> str:
    """What `read()` shows rendered afresh, bypassing the cache."""
    kept = settings.READ_CACHE_SECONDS
    settings.READ_CACHE_SECONDS = 0
    try:
        return comparable(read())
    finally:
        settings.READ_CACHE_SECONDS = kept


def version_of(workspace) -> int:
    return Workspace.objects.values_list("content_version", flat=True).get(pk=workspace.pk)


@pytest.fixture
def campaign(plan):
    """The campaign of the `plan` fixture, with its client and checklist item at hand."""
    project = plan["project"]
    return {**plan, "client": project.client, "item": plan["cut"].checklist.get()}


@pytest.fixture
def reads(campaign, manager, member):
    """Each read the benchmark measures, as a callable that makes the request."""
    browser = Client()
    browser.force_login(manager)
    worker = Client()
    worker.force_login(member)
    api = client_with_token(manager)
    project, film = campaign["project"], campaign["film"]
    return {
        "dashboard": lambda: browser.get(reverse("projects:dashboard")),
        "project page": lambda: browser.get(reverse("projects:project_detail", args=[project.pk])),
        "my work": lambda: worker.get(reverse("projects:my_work")),
        "api milestones": lambda: api.get("/api/v1/milestones/?page_size=100"),
        "api milestone": lambda: api.get(f"/api/v1/milestones/{film.pk}/"),
        "api deliverables": lambda: api.get("/api/v1/deliverables/?ordering=due_date"),
        "api projects": lambda: api.get("/api/v1/projects/"),
    }


def reschedule(c, users):
    services.milestone_reschedule(
        milestone=c["film"],
        new_date=c["film"].due_date + timedelta(days=9),
        reason="Studio moved",
        actor=users["member"],
    )


def approve(c, users):
    cut = deliverable_services.deliverable_start(deliverable=c["cut"], actor=users["member"])
    cut = deliverable_services.deliverable_submit(deliverable=cut, actor=users["member"])
    deliverable_services.deliverable_approve(deliverable=cut, actor=users["manager"])


CHANGES = {
    "milestone status": lambda c, users: services.milestone_set_status(
        milestone=c["film"], status="blocked", actor=users["member"]
    ),
    "reschedule": reschedule,
    "deliverable review": approve,
    "checklist tick": lambda c, users: deliverable_services.checklist_item_toggle(
        item=c["item"], done=True, actor=users["member"]
    ),
    "status update": lambda c, users: services.status_update_post(
        project=c["project"], actor=users["manager"], health="off_track", summary="Stalled"
    ),
    "project renamed": lambda c, users: services.project_update(
        project=c["project"], actor=users["manager"], data={"name": "Ridgeback relaunch"}
    ),
    "client renamed": lambda c, users: services.client_update(
        client=c["client"], actor=users["manager"], data={"name": "Fjordline AS"}
    ),
    "warning window": lambda c, users: services.workspace_update(
        workspace=c["project"].workspace, actor=users["owner"], data={"warning_window_days": 30}
    ),
    "role changed": lambda c, users: services.membership_change_role(
        membership=Membership.objects.get(user=users["manager"]),
        role=Role.VIEWER,
        actor=users["owner"],
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_after_a_change_every_read_is_what_a_fresh_render_shows(
    settings, reads, campaign, owner, manager, member, change
):
    before = {name: comparable(read()) for name, read in reads.items()}  # now cached
    assert {name: comparable(read()) for name, read in reads.items()} == before

    CHANGES[change](campaign, {"owner": owner, "manager": manager, "member": member})

    after = {name: comparable(read()) for name, read in reads.items()}
    assert after == {name: fresh(settings, read) for name, read in reads.items()}
    assert after != before


def test_a_hit_reads_only_the_reader_and_their_workspaces(reads):
    """The API: the token and the caller's workspaces; a page: the session, the user, their
    workspaces with their roles, the unread count of its bell and its follow buttons."""
    allowed = {"projects_apitoken", "projects_workspace", "projects_membership"}
    allowed |= {"django_session", "auth_user", "notifications_notification"}
    allowed |= {"notifications_follow"}
    for name, read in reads.items():
        with CaptureQueriesContext(connection) as miss:
            read()
        with CaptureQueriesContext(connection) as hit:
            read()
        tables = {table for q in hit for table in re.findall(r'FROM "(\w+)"', q["sql"])}
        assert tables <= allowed, (name, tables)
        assert len(hit) < len(miss), name


def test_readers_of_one_page_get_their_own_copy(campaign, manager, viewer, outsider):
    path = reverse("projects:project_detail", args=[campaign["project"].pk])
    managing, viewing, outside = Client(), Client(), Client()
    managing.force_login(manager)
    viewing.force_login(viewer)
    outside.force_login(outsider)

    assert "Edit project" in managing.get(path).content.decode()  # cached for the manager
    assert "Edit project" not in viewing.get(path).content.decode()
    assert outside.get(path).status_code == 404
    api = client_with_token(outsider)
    assert api.get(f"/api/v1/milestones/{campaign['film'].pk}/").status_code == 404


def test_a_removed_member_no_longer_reads_what_was_cached_for_them(campaign, owner, member):
    path = reverse("projects:project_detail", args=[campaign["project"].pk])
    browser = Client()
    browser.force_login(member)
    api = client_with_token(member)
    milestone = f"/api/v1/milestones/{campaign['film'].pk}/"
    assert browser.get(path).status_code == 200
    assert api.get(milestone).status_code == 200

    services.membership_remove(membership=Membership.objects.get(user=member), actor=owner)

    assert browser.get(path).status_code == 404
    assert api.get(milestone).status_code == 404


def test_a_cached_page_carries_the_csrf_token_of_the_session_reading_it(campaign, member):
    """Signing in again starts a new CSRF secret: the inline status form of a page cached
    in the first session must still post in the second."""
    path = reverse("projects:project_detail", args=[campaign["project"].pk])
    first = Client(enforce_csrf_checks=True)
    first.force_login(member)
    first.get(path)
    second = Client(enforce_csrf_checks=True)
    second.force_login(member)

    page = second.get(path).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    film = campaign["film"]
    response = second.post(
        reverse("projects:milestone_status", args=[film.pk]),
        {"status": "in_progress", "version": film.version, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    film.refresh_from_db()
    assert film.status == "in_progress"


def test_messages_unread_count_and_follow_state_are_rendered_per_request(campaign, member):
    browser = Client()
    browser.force_login(member)
    project = campaign["project"]
    path = reverse("projects:project_detail", args=[project.pk])
    first = browser.get(path).content.decode()
    assert "bell__count" not in first and "Unfollow" not in first

    notification_services.follow_set(user=member, subject=project, following=True)
    Notification.objects.create(
        recipient=member, kind="reminder_due", key="test-unread", title="Launch film locked"
    )
    response = browser.post(
        reverse("projects:switch_workspace"),
        {"workspace": project.workspace_id, "next": path},
        follow=True,
    )

    page = response.content.decode()
    assert '<span class="bell__count">1</span>' in page
    assert "Unfollow" in page
    assert f"Switched to {project.workspace.name}." in page
    assert browser.get(path).content.decode().count("Switched to") == 0


def test_a_new_day_is_a_new_read(settings, reads, campaign, monkeypatch):
    """Overdue and health are derived for today: a later day's read is rendered afresh."""
    api = reads["api milestone"]
    assert api().json()["is_overdue"] is False
    after_due = timezone.now() + timedelta(days=11)
    monkeypatch.setattr(timezone, "now", lambda: after_due)
    assert comparable(api()) == fresh(settings, api)
    assert api().json()["is_overdue"] is True


def test_a_transaction_renews_each_workspace_once_and_a_rollback_not_at_all(campaign, member):
    workspace = campaign["project"].workspace
    start = version_of(workspace)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for status in ("in_progress", "blocked", "in_progress"):
            services.milestone_set_status(milestone=campaign["film"], status=status, actor=member)
    renewals = [q for q in queries if 'UPDATE "projects_workspace"' in q["sql"]]
    assert len(renewals) == 1
    renewed = version_of(workspace)
    assert renewed != start

    with pytest.raises(RuntimeError), transaction.atomic():
        services.milestone_set_status(milestone=campaign["film"], status="blocked", actor=member)
        raise RuntimeError("the change is rolled back")
    assert version_of(workspace) == renewed


def test_renaming_a_person_in_the_admin_renews_their_workspaces(campaign, member, admin_client):
    workspace = campaign["project"].workspace
    start = version_of(workspace)
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[member.pk]),
        {
            "username": member.username,
            "first_name": "Ana",
            "last_name": "Ruiz",
            "email": member.email,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert version_of(workspace) != start


def test_a_page_rendered_for_another_release_is_not_served(settings, reads):
    dashboard = reads["dashboard"]
    dashboard()
    with CaptureQueriesContext(connection) as same:
        dashboard()
    read_cache.release.cache_clear()
    settings.READ_CACHE_RELEASE = "next-release"
    try:
        with CaptureQueriesContext(connection) as upgraded:
            dashboard()
    finally:
        read_cache.release.cache_clear()
    assert len(upgraded) > len(same)


def test_text_that_looks_like_a_slot_is_shown_as_written(campaign, manager):
    services.project_update(
        project=campaign["project"], actor=manager, data={"name": "csrf :csrf: slot"}
    )
    browser = Client()
    browser.force_login(manager)
    path = reverse("projects:project_detail", args=[campaign["project"].pk])
    browser.get(path)
    assert "csrf :csrf: slot" in browser.get(path).content.decode()
