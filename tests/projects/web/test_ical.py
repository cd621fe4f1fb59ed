"""iCalendar feeds: valid RFC 5545 that parses back, on secret and revocable URLs."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from deliverables.models import Deliverable
from projects.models import CalendarFeed, Membership, Milestone
from projects.services import access
from projects.services import workspaces as workspace_services
from tests.factories import DeliverableFactory, MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + timedelta(days=10)


def feed_url(token: str) -> str:
    return reverse("projects:calendar_feed", args=[token])


def events_of(response) -> dict[str, dict]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def plan(project, member, manager):
    """A launch milestone owned by `member` with a deliverable, and one owned by `manager`."""
    launch = MilestoneFactory(project=project, owner=member, title="Launch day", due_date=SOON)
    banner = DeliverableFactory(
        milestone=launch, owner=member, title="Banner set", due_date=SOON - timedelta(days=3)
    )
    recap = MilestoneFactory(
        project=project, owner=manager, title="Recap report", due_date=SOON + timedelta(days=7)
    )
    return launch, banner, recap


def test_project_feed_parses_back_with_all_required_properties(client, project, member, plan):
    launch, banner, recap = plan
    _, token = access.calendar_feed_create(user=member, project=project)

    response = client.get(feed_url(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Milestones//Campaign due dates//EN"
    events = events_of(response)
    assert set(events) == {
        f"milestone-{launch.pk}@127.0.0.1",
        f"deliverable-{banner.pk}@127.0.0.1",
        f"milestone-{recap.pk}@127.0.0.1",
    }
    launch_event = events[f"milestone-{launch.pk}@127.0.0.1"]
    assert launch_event.decoded("DTSTART") == SOON
    assert launch_event.decoded("DTEND") == SOON + timedelta(days=1)
    assert launch_event["DTSTART"].params["VALUE"] == "DATE"
    launch.refresh_from_db()  # its deliverable's roll-ups moved its updated_at
    assert launch_event.decoded("DTSTAMP") == launch.updated_at.replace(microsecond=0)
    assert str(launch_event["SUMMARY"]) == f"Milestone due: Launch day ({project.name})"
    assert str(launch_event["URL"]) == f"http://testserver/milestones/{launch.pk}/"
    banner_event = events[f"deliverable-{banner.pk}@127.0.0.1"]
    assert banner_event.decoded("DTSTART") == SOON - timedelta(days=3)
    assert str(banner_event["URL"]) == (
        f"http://testserver/milestones/{launch.pk}/#deliverable-{banner.pk}"
    )
    assert b"DTSTART;VALUE=DATE:" in response.content


def test_personal_feed_holds_only_what_the_user_owns_across_workspaces(
    client, project, member, manager, plan
):
    launch, banner, _recap = plan
    elsewhere = ProjectFactory()
    Membership.objects.create(user=member, workspace=elsewhere.workspace, role="member")
    abroad = MilestoneFactory(project=elsewhere, owner=member, title="EU launch", due_date=SOON)
    DeliverableFactory(milestone=abroad, owner=manager, due_date=SOON)
    _, token = access.calendar_feed_create(user=member)

    events = events_of(client.get(feed_url(token)))

    assert set(events) == {
        f"milestone-{launch.pk}@127.0.0.1",
        f"deliverable-{banner.pk}@127.0.0.1",
        f"milestone-{abroad.pk}@127.0.0.1",
    }


def test_cancelled_milestone_is_a_cancelled_event_and_undated_deliverables_are_left_out(
    client, project, member
):
    dropped = MilestoneFactory(
        project=project, due_date=SOON, title="Radio spot", status=Milestone.Status.CANCELLED
    )
    DeliverableFactory(milestone=dropped, due_date=None, status=Deliverable.Status.NOT_STARTED)
    _, token = access.calendar_feed_create(user=member, project=project)

    events = events_of(client.get(feed_url(token)))

    assert list(events) == [f"milestone-{dropped.pk}@127.0.0.1"]
    assert events[f"milestone-{dropped.pk}@127.0.0.1"]["STATUS"] == "CANCELLED"


def test_feed_leaves_out_what_is_older_than_a_year(client, project, member):
    MilestoneFactory(project=project, owner=member, due_date=date(2020, 1, 10))
    _, token = access.calendar_feed_create(user=member, project=project)

    assert events_of(client.get(feed_url(token))) == {}


def test_revoked_and_unknown_feeds_are_404(client, project, member):
    feed, token = access.calendar_feed_create(user=member, project=project)
    access.calendar_feed_revoke(feed=feed, actor=member)

    assert client.get(feed_url(token)).status_code == 404
    assert client.get(feed_url("cal_not-a-real-token")).status_code == 404


def test_project_feed_stops_when_its_owner_leaves_the_workspace(
    client, workspace, owner, project, member
):
    _, token = access.calendar_feed_create(user=member, project=project)
    assert client.get(feed_url(token)).status_code == 200

    workspace_services.membership_remove(
        membership=Membership.objects.get(user=member, workspace=workspace), actor=owner
    )

    assert client.get(feed_url(token)).status_code == 404
    assert CalendarFeed.objects.get().revoked_at is None
