"""Pages show times in the person's own timezone when they chose one."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import NotificationPreference
from projects.models import ActivityEvent
from projects.services import projects as project_services

pytestmark = pytest.mark.django_db


def activity_page(client, user, project) -> str:
    client.force_login(user)
    response = client.get(reverse("projects:project_detail", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_times_follow_the_personal_timezone_else_the_workspace(client, workspace, manager):
    project = project_services.project_create(
        workspace=workspace, actor=manager, name="Tokyo pop-up", start_date=datetime(2026, 11, 1)
    )
    ActivityEvent.objects.filter(project=project).update(
        created_at=datetime(2026, 11, 25, 12, 5, tzinfo=UTC)
    )
    assert "12:05" in activity_page(client, manager, project)  # workspace timezone: UTC
    NotificationPreference.objects.create(user=manager, timezone="Asia/Tokyo")
    page = activity_page(client, manager, project)
    assert "21:05" in page and "12:05" not in page


def test_the_footer_names_the_timezone_the_times_are_shown_in(client, workspace, manager):
    workspace.timezone = "Europe/London"
    workspace.save(update_fields=["timezone"])
    client.force_login(manager)
    assert "times in Europe/London" in client.get(reverse("projects:my_work")).content.decode()
    NotificationPreference.objects.create(user=manager, timezone="America/New_York")
    page = client.get(reverse("projects:my_work")).content.decode()
    assert "times in America/New_York" in page and "Europe/London" not in page


def test_every_page_learns_the_timezone_and_role_without_queries_of_their_own(
    client, workspace, manager
):
    """The session's user arrives with their preference joined (notifications.auth) and the
    workspace list carries the user's role in each, so no page asks for either again."""
    NotificationPreference.objects.create(user=manager, timezone="Asia/Tokyo")
    client.force_login(manager)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("projects:dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.user.notification_preference.timezone == "Asia/Tokyo"
    assert not any(
        query["sql"].lstrip().startswith('SELECT "notifications_notificationpreference"')
        or query["sql"].lstrip().startswith('SELECT "projects_membership"."role"')
        for query in captured.captured_queries
    )
