"""Activity events become notifications for the people concerned, once."""

from datetime import date

import pytest

from deliverables.services import deliverables as deliverable_services
from notifications.events import process_events
from notifications.models import Follow, Kind, Notification, ProcessedEvent
from projects.models import ActivityEvent, Role
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from tests.factories import (
    DeliverableFactory,
    MembershipFactory,
    MilestoneFactory,
    ShareLinkFactory,
)


def notified(kind=None):
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(rows.values_list("recipient__username", flat=True))


def process_all() -> list[int]:
    """The ids of the events processed now."""
    return process_events(list(ActivityEvent.objects.values_list("pk", flat=True))).event_ids


@pytest.fixture
def team(workspace, project, manager, member):
    follower = MembershipFactory(workspace=workspace, role=Role.VIEWER).user
    milestone = MilestoneFactory(project=project, owner=member, due_date=date(2026, 12, 10))
    Follow.objects.create(user=follower, project=project)
    return milestone, follower


def test_completing_a_milestone_tells_project_owner_and_followers_but_not_the_actor(
    team, manager, member
):
    milestone, follower = team
    milestone_services.milestone_complete(milestone=milestone, actor=member)
    process_all()
    assert notified(Kind.MILESTONE_COMPLETED) == sorted([manager.username, follower.username])
    note = Notification.objects.get(recipient=manager)
    assert note.title == f"{member.get_full_name()} completed “{milestone.title}”"
    assert note.email_state == "pending"


def test_processing_an_event_twice_notifies_once(team, manager):
    milestone, _ = team
    milestone_services.milestone_reschedule(
        milestone=milestone, new_date=date(2026, 12, 20), reason="Print slot moved", actor=manager
    )
    first = process_all()
    assert process_all() == []
    assert len(first) == ActivityEvent.objects.count()
    assert ProcessedEvent.objects.count() == len(first)
    assert notified(Kind.MILESTONE_RESCHEDULED) == sorted(
        [milestone.owner.username, team[1].username]
    )
    assert "2026-12-10 to 2026-12-20" in Notification.objects.first().title


def test_blocking_a_milestone_warns_that_it_is_at_risk(team, member, manager):
    milestone, _ = team
    milestone_services.milestone_set_status(milestone=milestone, status="blocked", actor=member)
    process_all()
    assert manager.username in notified(Kind.MILESTONE_AT_RISK)


def test_milestone_follower_hears_about_its_deliverables(workspace, project, manager, member):
    milestone = MilestoneFactory(project=project, due_date=date(2026, 12, 10))
    watcher = MembershipFactory(workspace=workspace, role=Role.MEMBER).user
    Follow.objects.create(user=watcher, milestone=milestone)
    deliverable = DeliverableFactory(milestone=milestone, owner=member)
    deliverable_services.deliverable_submit(deliverable=deliverable, actor=member)
    process_all()
    assert notified(Kind.DELIVERABLE_SUBMITTED) == sorted([manager.username, watcher.username])


def test_client_sign_off_through_a_share_link_tells_the_owner(project, member):
    milestone = MilestoneFactory(project=project, due_date=date(2026, 12, 10))
    deliverable = DeliverableFactory(milestone=milestone, owner=member, status="in_review")
    deliverable_services.deliverable_client_signoff(
        link=ShareLinkFactory(project=project),
        deliverable=deliverable,
        decision="approve",
        reviewer_name="Dana Client",
    )
    process_all()
    note = Notification.objects.get(recipient=member, kind=Kind.DELIVERABLE_APPROVED)
    assert note.title.startswith("Dana Client (client, through a share link) approved")


def test_status_update_reaches_followers_who_are_still_members(team, manager, workspace):
    milestone, follower = team
    gone = MembershipFactory(workspace=workspace, role=Role.MEMBER)
    Follow.objects.create(user=gone.user, project=milestone.project)
    gone.delete()
    project_services.status_update_post(
        project=milestone.project, actor=manager, health="at_risk", summary="Media costs up."
    )
    process_all()
    assert notified(Kind.STATUS_UPDATE_POSTED) == [follower.username]
