"""Email delivery to a real SMTP server: once, by preference, retried, in batches."""

from datetime import UTC, date, datetime, timedelta

import pytest

from notifications.email import send_pending_email
from notifications.models import Notification, NotificationPreference
from notifications.reminders import reminder_scan
from projects.models import Role
from projects.services import milestones as milestone_services
from tests.factories import MembershipFactory, MilestoneFactory

NOW = datetime(2026, 12, 9, 9, tzinfo=UTC)


@pytest.fixture
def due_reminder(workspace, project):
    owner = MembershipFactory(workspace=workspace, role=Role.MEMBER).user
    milestone = MilestoneFactory(
        project=project, owner=owner, due_date=date(2026, 12, 10), title="Launch email goes out"
    )
    reminder_scan(now=NOW)
    return Notification.objects.get(recipient=owner), milestone


def test_a_reminder_is_emailed_once_as_text_and_html_with_a_link(
    due_reminder, smtp_inbox, settings
):
    settings.SITE_URL = "http://testserver"
    reminder, _ = due_reminder
    assert send_pending_email(now=NOW) == {"sent": 1}
    assert send_pending_email(now=NOW) == {}
    [message] = smtp_inbox.messages
    assert message["To"] == reminder.recipient.email
    assert message["Subject"].strip() == "“Launch email goes out” is due in 1 day (Thu 10 Dec)"
    assert message["Message-ID"] == f"<notification-{reminder.pk}@milestones>"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"http://testserver{reminder.url}" in text
    assert f'href="http://testserver{reminder.url}"' in html
    reminder.refresh_from_db()
    assert (reminder.email_state, reminder.attempts) == ("sent", 1)


def test_completing_the_milestone_stops_its_pending_reminder(due_reminder, smtp_inbox, manager):
    reminder, milestone = due_reminder
    milestone_services.milestone_complete(milestone=milestone, actor=manager)
    assert send_pending_email(now=NOW) == {"skipped": 1}
    assert smtp_inbox.messages == []
    reminder.refresh_from_db()
    assert reminder.email_state == "skipped" and reminder.read_at is None


def test_no_reminder_email_for_someone_who_turned_them_off(due_reminder, smtp_inbox):
    reminder, _ = due_reminder
    NotificationPreference.objects.create(user=reminder.recipient, email_reminders=False)
    send_pending_email(now=NOW)
    assert smtp_inbox.messages == []
    assert Notification.objects.get(pk=reminder.pk).email_state == "skipped"


def test_a_transient_failure_is_retried_later_and_a_permanent_one_gives_up(
    due_reminder, smtp_inbox
):
    reminder, _ = due_reminder
    smtp_inbox.before_accept = lambda count: "451 Try again later"
    assert send_pending_email(now=NOW) == {"pending": 1}
    reminder.refresh_from_db()
    assert reminder.attempts == 1 and "451" in reminder.last_error
    assert reminder.next_attempt_at == NOW + timedelta(seconds=30)
    assert send_pending_email(now=NOW) == {}, "not before its backoff has passed"
    smtp_inbox.before_accept = None
    assert send_pending_email(now=NOW + timedelta(minutes=1)) == {"sent": 1}
    assert len(smtp_inbox.messages) == 1

    Notification.objects.filter(pk=reminder.pk).update(email_state="pending")
    smtp_inbox.before_accept = lambda count: "550 No such mailbox"
    assert send_pending_email(now=NOW + timedelta(minutes=2)) == {"failed": 1}


def test_one_call_sends_a_whole_batch(workspace, project, smtp_inbox):
    owners = [MembershipFactory(workspace=workspace).user for _ in range(4)]
    for n in range(30):
        MilestoneFactory(project=project, owner=owners[n % 4], due_date=date(2026, 12, 10))
    assert reminder_scan(now=NOW) == 30
    rows = [
        Notification(
            recipient=owners[n % 4], kind="digest", key=f"extra:{n}", title=f"Digest {n}", url="/"
        )
        for n in range(90)
    ]
    Notification.objects.bulk_create(rows)
    assert send_pending_email(now=NOW) == {"sent": 120}
    assert len(set(smtp_inbox.message_ids())) == 120
