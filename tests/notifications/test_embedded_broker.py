"""`make run`'s embedded stack: a real worker on the filesystem broker notifies within
seconds, even with the demo's few hundred events just seeded ahead of the change."""

import io
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from notifications.models import Notification, ProcessedEvent
from projects.demo import campaigns as plan
from projects.models import ActivityEvent, Milestone
from projects.services import milestones as milestone_services
from tests.notifications.conftest import Worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

NOTIFY_WITHIN_SECONDS = 5
User = get_user_model()


def test_a_change_right_after_seeding_reaches_the_notification_centre_within_5_s(
    filesystem_broker, smtp_inbox
):
    worker = Worker(
        filesystem_broker,
        smtp_inbox.port,
        pool="prefork",  # as `make run` starts it: its prefetch slots fill up
        MILESTONES_VAR_DIR=str(filesystem_broker.folder.parent),
    ).start()
    try:
        started = time.monotonic()
        call_command("seed_demo", stdout=io.StringIO())
        seeded_events = ActivityEvent.objects.count()
        manager = User.objects.get(username=plan.MANAGER_LOGIN)
        milestone = Milestone.objects.open().exclude(owner=None).exclude(owner=manager).first()
        changed = time.monotonic()
        milestone_services.milestone_complete(
            milestone=milestone, actor=manager, force=True, reason="Signed off in the meeting"
        )
        event = ActivityEvent.objects.filter(verb="milestone.completed").latest("id")

        wait_for(
            lambda: Notification.objects.filter(event=event, recipient=milestone.owner).exists(),
            timeout=NOTIFY_WITHIN_SECONDS,
            what="the change's notification",
        )
        notified = time.monotonic()
        wait_for(
            lambda: ProcessedEvent.objects.count() == ActivityEvent.objects.count(),
            timeout=NOTIFY_WITHIN_SECONDS,
            what="every seeded event",
        )
        print(
            f"\nembedded broker: {seeded_events} events seeded in {changed - started:.1f} s; "
            f"the change notified {notified - changed:.2f} s after its commit; "
            f"all processed {time.monotonic() - changed:.2f} s after it"
        )
    finally:
        worker.stop()
