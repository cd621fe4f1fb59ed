"""Digests: the right local hour and day, the right content, never empty, once a period."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifications.digests import digest_period, dispatch_digests
from notifications.email import send_pending_email
from notifications.models import DigestFrequency, Kind, Notification, NotificationPreference
from projects.models import Role
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from tests.factories import DeliverableFactory, MembershipFactory, MilestoneFactory

LOS_ANGELES, TOKYO = "America/Los_Angeles", "Asia/Tokyo"


@given(
    instant=st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)),
    zone=st.sampled_from([LOS_ANGELES, TOKYO]),
    hour=st.integers(0, 23),
    weekday=st.integers(0, 6),
)
def test_a_digest_period_is_the_recipients_local_day_or_week_once_their_hour_came(
    instant, zone, hour, weekday
):
    local = instant.astimezone(ZoneInfo(zone))
    daily = digest_period(
        now=instant, timezone_name=zone, frequency="daily", weekday=weekday, hour=hour
    )
    weekly = digest_period(
        now=instant, timezone_name=zone, frequency="weekly", weekday=weekday, hour=hour
    )
    assert daily == (f"daily:{local.date().isoformat()}" if local.hour >= hour else None)
    if local.hour >= hour and local.weekday() == weekday:
        year, week, _ = local.isocalendar()
        assert weekly == f"weekly:{year}-W{week:02d}"
    else:
        assert weekly is None
    assert (
        digest_period(now=instant, timezone_name=zone, frequency="none", weekday=0, hour=0) is None
    )


@pytest.fixture
def busy_project(project, manager, member):
    today = date(2026, 12, 1)
    MilestoneFactory(project=project, title="Press kit", due_date=today + timedelta(days=3))
    MilestoneFactory(project=project, title="Teaser video", due_date=today - timedelta(days=2))
    done = MilestoneFactory(project=project, title="Brand brief", due_date=today)
    milestone_services.milestone_complete(milestone=done, actor=manager)
    # completed the afternoon before the digest (the tests' clock is not the calendar's)
    type(done).objects.filter(pk=done.pk).update(
        completed_at=datetime(2026, 11, 30, 12, tzinfo=UTC)
    )
    in_review = MilestoneFactory(project=project, title="Landing page", due_date=today)
    DeliverableFactory(milestone=in_review, title="Hero copy", status="in_review", owner=member)
    return project


def subscribe(user, zone, frequency="daily", hour=8, weekday=0):
    return NotificationPreference.objects.create(
        user=user, timezone=zone, digest=frequency, digest_hour=hour, digest_weekday=weekday
    )


def test_a_daily_digest_arrives_at_the_local_hour_once_with_all_sections(
    busy_project, manager, smtp_inbox, settings
):
    settings.SITE_URL = "https://milestones.example"
    subscribe(manager, TOKYO, hour=8)
    # 07:59 in Tokyo on 1 December is 22:59 UTC on 30 November.
    assert dispatch_digests(now=datetime(2026, 11, 30, 22, 59, tzinfo=UTC)) == 0
    assert dispatch_digests(now=datetime(2026, 11, 30, 23, 0, tzinfo=UTC)) == 1
    assert dispatch_digests(now=datetime(2026, 12, 1, 0, 0, tzinfo=UTC)) == 0, "once a day"
    digest = Notification.objects.get(kind=Kind.DIGEST)
    assert digest.key == "digest:daily:2026-12-01"
    sections = digest.data["sections"]
    assert [item["title"] for item in sections["due_soon"]] == ["Landing page", "Press kit"]
    assert [item["title"] for item in sections["overdue"]] == ["Teaser video"]
    assert [item["title"] for item in sections["completed"]] == ["Brand brief"]
    assert [item["title"] for item in sections["awaiting_review"]] == ["Hero copy"]
    assert [item["title"] for item in sections["at_risk"]] == ["Landing page"]

    send_pending_email(now=datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    [message] = smtp_inbox.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    for heading in ("Due in the next 7 days", "Overdue", "Awaiting your review"):
        assert heading in text and heading in html
    assert 'href="https://milestones.example/' in html
    assert "https://milestones.example/notifications/preferences/" in text


def test_a_status_update_since_the_last_digest_is_included(project, manager, viewer):
    subscribe(viewer, "UTC", frequency="daily", hour=0)
    project_services.status_update_post(
        project=project, actor=manager, health="at_risk", summary="Print run delayed a week."
    )
    dispatch_digests()
    [digest] = Notification.objects.filter(recipient=viewer, kind=Kind.DIGEST)
    [update] = digest.data["sections"]["status_updates"]
    assert "Print run delayed a week." in update["title"]


def test_an_empty_digest_is_not_sent(project, manager):
    subscribe(manager, "UTC", hour=0)
    assert dispatch_digests(now=datetime(2026, 12, 1, 9, tzinfo=UTC)) == 0
    assert not Notification.objects.exists()


def test_stakeholders_get_a_weekly_digest_until_they_choose(busy_project, workspace):
    stakeholder = MembershipFactory(workspace=workspace, role=Role.VIEWER).user
    workspace.timezone = LOS_ANGELES
    workspace.save()
    # Monday 7 December 2026, 08:30 in Los Angeles = 16:30 UTC.
    assert dispatch_digests(now=datetime(2026, 12, 7, 16, 30, tzinfo=UTC)) == 1
    digest = Notification.objects.get(recipient=stakeholder)
    assert digest.key == "digest:weekly:2026-W50"
    assert "awaiting_review" not in digest.data["sections"], "viewers do not review"
    NotificationPreference.objects.create(user=stakeholder, digest=DigestFrequency.NONE)
    assert dispatch_digests(now=datetime(2026, 12, 14, 16, 30, tzinfo=UTC)) == 0


def test_a_digest_dates_a_status_update_on_the_readers_own_day(project, manager, viewer):
    """Posted at 19:30 on 3 December in Los Angeles, which is already 4 December in UTC."""
    subscribe(viewer, LOS_ANGELES, frequency="daily", hour=20)
    update = project_services.status_update_post(
        project=project, actor=manager, health="on_track", summary="Shoot wrapped."
    )
    type(update).objects.filter(pk=update.pk).update(
        created_at=datetime(2026, 12, 3, 19, 30, tzinfo=ZoneInfo(LOS_ANGELES))
    )
    # 20:00 on 3 December in Los Angeles.
    assert dispatch_digests(now=datetime(2026, 12, 4, 4, 0, tzinfo=UTC)) == 1
    digest = Notification.objects.get(recipient=viewer, kind=Kind.DIGEST)
    assert digest.key == "digest:daily:2026-12-03"
    [item] = digest.data["sections"]["status_updates"]
    assert item["date"] == "2026-12-03"
    assert digest.title.endswith("for Thursday 03 December")


def test_one_digest_that_cannot_be_made_does_not_stop_the_others(
    busy_project, workspace, manager, member, viewer
):
    subscribe(manager, "UTC", hour=0)
    broken = subscribe(member, "UTC", hour=0)
    NotificationPreference.objects.filter(pk=broken.pk).update(timezone="Mars/Olympus_Mons")
    # Saved without a timezone: theirs is their workspace's.
    NotificationPreference.objects.create(user=viewer, digest="daily", digest_hour=0)
    workspace.timezone = TOKYO
    workspace.save()

    # 20:00 on 30 November in UTC is 05:00 on 1 December in Tokyo.
    assert dispatch_digests(now=datetime(2026, 11, 30, 20, tzinfo=UTC)) == 2

    made = Notification.objects.filter(kind=Kind.DIGEST)
    assert sorted(made.values_list("recipient_id", flat=True)) == sorted([manager.pk, viewer.pk])
    assert made.get(recipient=manager).key == "digest:daily:2026-11-30"
    assert made.get(recipient=viewer).key == "digest:daily:2026-12-01"
