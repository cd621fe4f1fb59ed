"""Exactly once with real parts: a Celery worker process, the Redis broker, an SMTP server
and the test database shared between them, under the faults the design names."""

import logging
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification, ProcessedEvent
from notifications.reminders import reminder_scan
from notifications.tasks import scan_reminders, send_emails, sweep_outbox
from projects.models import Role
from projects.services import milestones as milestone_services
from tests.factories import MembershipFactory, MilestoneFactory, ProjectFactory, WorkspaceFactory
from tests.notifications.conftest import (
    BASE_DIR,
    broker_at,
    child_environment,
    free_port,
    redis_url,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)


def campaign(milestones: int):
    """A UTC workspace whose milestones are due tomorrow, each with its own owner."""
    workspace = WorkspaceFactory(timezone="UTC", reminder_lead_days=[1])
    manager = MembershipFactory(workspace=workspace, role=Role.MANAGER).user
    project = ProjectFactory(workspace=workspace, owner=manager)
    tomorrow = workspace.today() + timedelta(days=1)
    rows = [
        MilestoneFactory(
            project=project,
            owner=MembershipFactory(workspace=workspace).user,
            due_date=tomorrow,
        )
        for _ in range(milestones)
    ]
    return manager, rows


def all_sent() -> bool:
    return not Notification.objects.exclude(email_state="sent").exists()


def settle(broker, seconds: float = 1.0) -> None:
    """Wait until the worker took everything from the queue, and a moment more."""
    wait_for(lambda: broker.waiting() == 0, what="the queue to drain")
    time.sleep(seconds)


def assert_each_once(inbox, expected: int) -> None:
    ids = inbox.message_ids()
    assert len(ids) == expected, ids
    assert len(set(ids)) == expected, "a message arrived twice"
    assert set(ids) == {
        f"<notification-{pk}@milestones>"
        for pk in Notification.objects.values_list("pk", flat=True)
    }


def test_a_real_worker_delivers_a_due_reminder_exactly_once(broker, start_worker, smtp_inbox):
    _, [milestone] = campaign(1)
    start_worker()
    scan_reminders.delay()
    wait_for(lambda: len(smtp_inbox.messages) == 1, what="the reminder email")
    wait_for(all_sent, what="the row to be marked sent")
    scan_reminders.delay()
    sweep_outbox.delay()
    settle(broker)
    assert_each_once(smtp_inbox, 1)
    [message] = smtp_inbox.messages
    assert message["To"] == milestone.owner.email
    assert f"“{milestone.title}” is due in 1 day" in message["Subject"]


def test_killing_the_worker_mid_batch_loses_and_repeats_nothing(broker, start_worker, smtp_inbox):
    campaign(30)
    assert reminder_scan() == 30
    worker = start_worker()

    def kill_on_the_eleventh(accepted: int):
        if accepted == 10:  # the worker is waiting for our answer to its 11th message
            worker.kill()
            return "421 Going down"
        return None

    smtp_inbox.before_accept = kill_on_the_eleventh
    send_emails.delay()
    wait_for(lambda: worker.process.poll() is not None, what="the worker to be killed")
    assert len(smtp_inbox.messages) == 10
    assert Notification.objects.filter(email_state="sent").count() == 10

    smtp_inbox.before_accept = None
    start_worker()
    sweep_outbox.delay()  # what beat does every five minutes
    wait_for(lambda: len(smtp_inbox.messages) == 30, what="the rest of the batch")
    wait_for(all_sent, what="every row to be marked sent")
    sweep_outbox.delay()
    settle(broker)
    assert_each_once(smtp_inbox, 30)


def test_saves_succeed_while_the_broker_is_down_and_the_sweep_delivers_each_once(
    broker, start_worker, smtp_inbox, caplog
):
    manager, milestones = campaign(3)
    dead_broker = redis_url(port=free_port())
    with caplog.at_level(logging.WARNING), broker_at(dead_broker, broker.queue):
        started = time.monotonic()
        for milestone in milestones[:2]:
            milestone_services.milestone_complete(milestone=milestone, actor=manager)
        created = reminder_scan()
        assert time.monotonic() - started < 10, "a dead broker must not hold the save"
    assert created == 1, "the third milestone is still due tomorrow"
    assert "Broker unavailable" in caplog.text
    assert ProcessedEvent.objects.count() == 0, "no doorbell rang"
    assert broker.waiting() == 0

    start_worker()
    sweep_outbox.delay()  # the broker is back: beat's next sweep
    # two completions tell their owners (the actor, the project owner, is not told) and
    # one reminder goes to the third owner.
    wait_for(lambda: len(smtp_inbox.messages) == 3, what="the held-back emails")
    wait_for(all_sent, what="every row to be marked sent")
    sweep_outbox.delay()
    settle(broker)
    assert_each_once(smtp_inbox, 3)
    recipients = sorted(message["To"] for message in smtp_inbox.messages)
    assert recipients == sorted(milestone.owner.email for milestone in milestones)


def test_a_rolled_back_transaction_enqueues_nothing(broker, project, manager):
    milestone = MilestoneFactory(project=project, due_date=timezone.localdate())
    with pytest.raises(RuntimeError), transaction.atomic():
        milestone_services.milestone_complete(milestone=milestone, actor=manager)
        raise RuntimeError("the request failed after the save")
    assert broker.waiting() == 0
    milestone.refresh_from_db()
    assert milestone.status != "completed"

    milestone_services.milestone_complete(milestone=milestone, actor=manager)
    assert broker.waiting() == 1, "a committed change rings the doorbell once"


SCAN_AT = """
import sys, time
import django
django.setup()
from notifications.reminders import reminder_scan
while time.time() < float(sys.argv[1]):
    time.sleep(0.005)
print(reminder_scan())
"""


def test_two_scans_at_once_make_one_reminder_each():
    campaign(20)
    start_at = str(time.time() + 4)
    scans = [
        subprocess.Popen(
            [sys.executable, "-c", SCAN_AT, start_at],
            cwd=BASE_DIR,
            env=child_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [scan.communicate(timeout=60) for scan in scans]
    assert [scan.returncode for scan in scans] == [0, 0], results
    assert [out.strip() for out, _ in results] == ["20", "20"], "both saw the 20 due"
    assert Notification.objects.count() == 20
    assert Notification.objects.values("recipient", "key").distinct().count() == 20
