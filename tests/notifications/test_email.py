"""Email delivery to a real SMTP server: once, by preference, retried, in batches."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

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


def pending(recipient, title: str, *, key: str, body: str = "") -> Notification:
    return Notification.objects.create(
        recipient=recipient, kind="digest", key=key, title=title, body=body, url="/"
    )


def test_a_line_break_in_a_title_becomes_a_space_in_the_subject(workspace, smtp_inbox):
    person = MembershipFactory(workspace=workspace).user
    pending(person, "Launch film\r\nBcc: everyone@example.com\n locked", key="multiline")
    assert send_pending_email(now=NOW) == {"sent": 1}
    [message] = smtp_inbox.messages
    assert message["Subject"] == "Launch film Bcc: everyone@example.com locked"
    assert message["Bcc"] is None


def test_a_message_that_cannot_be_sent_fails_alone_and_the_batch_goes_on(workspace, smtp_inbox):
    """Bad rows between good ones: each bad one ends failed with its error, every good one
    is sent, in one call that raises nothing."""
    people = [MembershipFactory(workspace=workspace).user for _ in range(6)]
    bad_addresses = {
        "header injection": "ana@example.com\nBcc: all@example.com",
        "two at signs": "ana@b@example.com",
        "empty angle brackets": "<>",
    }
    for person, address in zip(people[1::2], bad_addresses.values(), strict=True):
        type(person).objects.filter(pk=person.pk).update(email=address)
    good_titles = ["Плакаты готовы 🎉", "حملة الإطلاق جاهزة", "x" * 255]
    for n, (good, bad) in enumerate(zip(people[::2], people[1::2], strict=True)):
        pending(good, good_titles[n], key=f"good:{n}", body="long read " * 1000)
        pending(bad, "Hero banner approved", key=f"bad:{n}")

    assert send_pending_email(now=NOW) == {"sent": 3, "failed": 3}

    # A long subject is folded over lines; unfolded, it is the title.
    subjects = [str(message["Subject"]).strip() for message in smtp_inbox.messages]
    assert sorted(subjects) == sorted(good_titles)
    failed = Notification.objects.filter(email_state="failed")
    assert {row.recipient.email for row in failed} == set(bad_addresses.values())
    assert all(row.last_error and row.attempts == 1 for row in failed)
    assert send_pending_email(now=NOW + timedelta(days=2)) == {}, "failed rows stay failed"


def test_a_transient_failure_is_retried_for_a_day_at_most_an_hour_apart(due_reminder, smtp_inbox):
    reminder, _ = due_reminder
    smtp_inbox.before_accept = lambda count: "421 Service not available, closing channel"
    now, gaps = NOW, []
    while send_pending_email(now=now) == {"pending": 1}:
        reminder.refresh_from_db()
        gaps.append(int((reminder.next_attempt_at - now).total_seconds()))
        now = reminder.next_attempt_at
    reminder.refresh_from_db()
    assert reminder.email_state == "failed" and "421" in reminder.last_error
    assert gaps[:8] == [30, 60, 120, 240, 480, 960, 1920, 3600]
    assert set(gaps[7:]) == {3600}
    assert reminder.first_attempt_at == NOW
    assert now - NOW >= timedelta(hours=24), "gave up only after a day of trying"
    assert now - NOW < timedelta(hours=25)
    assert reminder.attempts == len(gaps) + 1


def test_email_sent_after_an_outage_of_hours_arrives_once(due_reminder, smtp_inbox):
    reminder, _ = due_reminder
    smtp_inbox.before_accept = lambda count: "451 Try again later"
    now = NOW
    while now < NOW + timedelta(hours=6):
        send_pending_email(now=now)
        now += timedelta(minutes=5)
    smtp_inbox.before_accept = None
    reminder.refresh_from_db()
    assert reminder.email_state == "pending"
    assert send_pending_email(now=reminder.next_attempt_at) == {"sent": 1}
    assert smtp_inbox.message_ids() == [f"<notification-{reminder.pk}@milestones>"]


@pytest.mark.django_db(transaction=True)
def test_send_tasks_started_together_try_each_row_once_per_due_time(workspace, smtp_inbox):
    """Four send tasks start at once on five rows while the server refuses for now: each row
    is tried once, and then not again before its next try is due."""
    people = [MembershipFactory(workspace=workspace).user for _ in range(5)]
    for n, person in enumerate(people):
        pending(person, f"Status digest {n}", key=f"together:{n}")
    tried = []

    def refuse_for_now(count):
        tried.append(count)
        return "451 Try again later"

    smtp_inbox.before_accept = refuse_for_now
    start = threading.Barrier(4)

    def send_task():
        try:
            start.wait()
            send_pending_email(now=NOW)
        finally:
            connection.close()

    tasks = [threading.Thread(target=send_task) for _ in range(4)]
    for task in tasks:
        task.start()
    for task in tasks:
        task.join(60)
    assert len(tried) == 5
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"pending"}
