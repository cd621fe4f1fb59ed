"""The fault-and-bad-data suite, with real parts: Celery worker processes, a real SMTP server,
a Redis of our own that is stopped and started again, and the test database (PostgreSQL when
DATABASE_URL is set). Each test records what it checked (printed under "fault suite counts"
at the end of the run) and asserts that nothing was lost and nothing sent twice."""

import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
import redis
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from milestones_site import settings as site_settings
from notifications.email import send_pending_email
from notifications.models import Notification, ProcessedEvent
from notifications.tasks import sweep_outbox
from projects.models import ActivityEvent, Milestone, Role
from projects.services import milestones as milestone_services
from tests.clients import client_with_token
from tests.factories import MembershipFactory, MilestoneFactory, ProjectFactory, WorkspaceFactory
from tests.notifications.conftest import (
    BASE_DIR,
    Broker,
    Worker,
    broker_at,
    child_environment,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)
User = get_user_model()


def report(record_property, **counts) -> None:
    record_property("faults", ", ".join(f"{name}={value}" for name, value in counts.items()))


def campaign(owners: int = 0):
    """A UTC workspace, its manager (who acts) and a project with `owners` members."""
    workspace = WorkspaceFactory(timezone="UTC", reminder_lead_days=[1])
    manager = MembershipFactory(workspace=workspace, role=Role.MANAGER).user
    project = ProjectFactory(workspace=workspace, owner=manager)
    people = [MembershipFactory(workspace=workspace).user for _ in range(owners)]
    return manager, project, people


def repeated(inbox) -> int:
    """Messages that arrived more than once (by Message-ID)."""
    return sum(count - 1 for count in Counter(inbox.message_ids()).values())


def reschedule_through_the_page(browser: Client, milestone: Milestone, *, days: int):
    """Post the milestone page's reschedule form: `days` after the original due date."""
    return browser.post(
        reverse("projects:milestone_reschedule", args=[milestone.pk]),
        {
            "reschedule-new_date": (milestone.due_date + timedelta(days=days)).isoformat(),
            "reschedule-reason": f"The studio moved us by {days} days",
            "reschedule-version": Milestone.objects.get(pk=milestone.pk).version,
        },
    )


def settled() -> bool:
    return not Notification.objects.filter(email_state="pending").exists()


def test_poison_rows_of_every_kind_are_delivered_beside_good_ones(
    broker, start_worker, smtp_inbox, record_property
):
    manager, project, _ = campaign()
    titles = {
        "emoji": "Launch party 🎉🚀 confirmed",
        "right-to-left": "حملة الإطلاق — إطلاق المنتج",
        "longest title": "L" * 200,
        # Services refuse line breaks in titles now; rows from before may still hold them.
        "line breaks": "Hero banner\r\nBcc: everyone@example.com\nfinal",
    }
    bad_addresses = ["ana@b@example.com", "<>", "ana@example.com\nBcc: all@example.com"]
    milestones = []
    for title in [*titles.values(), *["Press kit"] * len(bad_addresses)]:
        owner = MembershipFactory(workspace=project.workspace).user
        milestone = MilestoneFactory(project=project, owner=owner)
        Milestone.objects.filter(pk=milestone.pk).update(title=title)
        milestones.append(milestone)
    for milestone, address in zip(milestones[len(titles) :], bad_addresses, strict=True):
        User.objects.filter(pk=milestone.owner_id).update(email=address)
    too_long = client_with_token(manager).post(
        "/api/v1/milestones/",
        {"project": project.pk, "title": "x" * 10_000, "due_date": "2026-12-24"},
    )
    assert too_long.status_code == 400, "a 10,000-character title is refused where typed"

    start_worker()
    for milestone in Milestone.objects.filter(pk__in=[m.pk for m in milestones]):
        milestone_services.milestone_reschedule(
            milestone=milestone,
            new_date=milestone.due_date + timedelta(days=7),
            reason="Printer delayed. " * 600,  # 10,200 characters in every email's body
            actor=manager,
        )
    wait_for(
        lambda: Notification.objects.count() == len(milestones) and settled(),
        timeout=30,
        what="every notification to be sent or failed",
    )
    sent = Notification.objects.filter(email_state="sent").count()
    failed = Notification.objects.filter(email_state="failed")
    lost = len(titles) - sent
    report(
        record_property,
        poison_rows=len(milestones),
        delivered=len(smtp_inbox.messages),
        failed_with_error=failed.exclude(last_error="").count(),
        lost=lost,
        duplicated=repeated(smtp_inbox),
    )
    assert (lost, repeated(smtp_inbox), len(smtp_inbox.messages)) == (0, 0, len(titles))
    assert sorted(failed.values_list("recipient__email", flat=True)) == sorted(bad_addresses)
    assert all(row.last_error for row in failed)
    subjects = [" ".join(str(message["Subject"]).split()) for message in smtp_inbox.messages]
    assert any("Hero banner Bcc: everyone@example.com final" in s for s in subjects)
    assert all(message["Bcc"] is None for message in smtp_inbox.messages)


KILL_TRIALS = 20


def test_the_worker_killed_mid_batch_twenty_times_loses_nothing(
    broker, start_worker, smtp_inbox, record_property
):
    """Each trial starts a worker on the pending rows and kills it (SIGKILL) while the SMTP
    server holds its second message: on even trials before accepting it, on odd ones right
    after (the worker dies before it can mark the row sent: that message comes again later,
    with the same Message-ID, and it is the only kind of repeat allowed)."""
    _, _, owners = campaign(owners=4)
    rows = [
        Notification(recipient=owners[n % 4], kind="digest", key=f"kill:{n}", title=f"Digest {n}")
        for n in range(60)
    ]
    Notification.objects.bulk_create(rows)
    in_flight_at_kill = []
    for trial in range(KILL_TRIALS):
        worker = start_worker()
        seen = []

        def kill_on_the_second(accepted: int, trial=trial, worker=worker, seen=seen):
            seen.append(accepted)
            if len(seen) < 2:
                return None
            worker.kill()
            if trial % 2:
                in_flight_at_kill.append(accepted)  # accepted, never marked sent
                return None
            return "421 Going down"

        smtp_inbox.before_accept = kill_on_the_second
        sweep_outbox.delay()  # what beat does every five minutes
        wait_for(lambda w=worker: w.process.poll() is not None, what=f"kill {trial + 1}")
    smtp_inbox.before_accept = None
    start_worker()
    sweep_outbox.delay()
    wait_for(settled, timeout=30, what="every row to be sent after the last kill")
    ids = Counter(smtp_inbox.message_ids())
    repeats = {message_id: count for message_id, count in ids.items() if count > 1}
    lost = Notification.objects.exclude(email_state="sent").count()
    report(
        record_property,
        kill_trials=KILL_TRIALS,
        emails=len(rows),
        delivered=len(ids),
        lost=lost,
        repeated_in_flight=len(repeats),
        repeated_otherwise=sum(count - 2 for count in repeats.values()),
    )
    assert lost == 0 and len(ids) == len(rows)
    assert all(count == 2 for count in repeats.values()), repeats
    assert len(repeats) <= len(in_flight_at_kill), "only a message in flight at a kill repeats"


BEAT_AT = """
import sys, time
import django
django.setup()
from notifications import tasks
while time.time() < float(sys.argv[1]):
    time.sleep(0.005)
# What each beat fires on the hour: the reminder scan, the digests, the outbox sweep.
tasks.scan_reminders.delay(); tasks.dispatch_digests.delay(); tasks.sweep_outbox.delay()
"""


def test_two_beats_at_once_send_each_reminder_once(
    broker, start_worker, smtp_inbox, record_property
):
    _, project, owners = campaign(owners=10)
    tomorrow = project.workspace.today() + timedelta(days=1)
    for owner in owners:
        MilestoneFactory(project=project, owner=owner, due_date=tomorrow)
    start_worker()
    start_worker()  # two workers, so that both beats' tasks run at the same time
    at = str(time.time() + 3)
    beats = [
        subprocess.Popen(
            [sys.executable, "-c", BEAT_AT, at],
            cwd=BASE_DIR,
            env=child_environment(
                CELERY_BROKER_URL=broker.url, CELERY_TASK_DEFAULT_QUEUE=broker.queue
            ),
        )
        for _ in range(2)
    ]
    assert [beat.wait(60) for beat in beats] == [0, 0]
    wait_for(lambda: len(smtp_inbox.messages) >= len(owners), timeout=30, what="the reminders")
    wait_for(lambda: broker.waiting() == 0, what="the queue to drain")
    time.sleep(1)  # a second beat's late send would land in this time
    report(
        record_property,
        beats=2,
        reminders=Notification.objects.count(),
        delivered=len(smtp_inbox.messages),
        lost=len(owners) - len(set(smtp_inbox.message_ids())),
        duplicated=repeated(smtp_inbox),
    )
    assert Notification.objects.count() == len(owners)
    assert (len(smtp_inbox.messages), repeated(smtp_inbox)) == (len(owners), 0)


def test_browsing_and_saving_with_redis_stopped_then_everything_queued_is_delivered_once(
    own_redis, smtp_inbox, settings, record_property
):
    """Cache, sessions, API throttle and broker on a Redis of our own, stopped while a manager
    browses and saves through pages and the API."""
    settings.CACHES = {"default": site_settings.redis_cache(own_redis.url(1))}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    manager, project, owners = campaign(owners=3)
    milestones = [MilestoneFactory(project=project, owner=owner) for owner in owners]
    url = own_redis.url(2)
    broker = Broker(url, f"notify-test-{uuid.uuid4().hex[:12]}", redis.Redis.from_url(url))
    with broker_at(broker.url, broker.queue):
        browser = Client()
        browser.force_login(manager)
        api = client_with_token(manager)
        own_redis.stop()
        responses = [
            browser.get(reverse("projects:dashboard")),
            browser.get(reverse("projects:project_detail", args=[project.pk])),
            browser.get(reverse("projects:milestone_detail", args=[milestones[0].pk])),
            browser.get(reverse("notifications:centre")),
            Client().get(reverse("login")),
            reschedule_through_the_page(browser, milestones[0], days=3),
            api.get("/api/v1/milestones/"),
            api.post(f"/api/v1/milestones/{milestones[1].pk}/complete/", {}),
            api.get(f"/api/v1/projects/{project.pk}/"),
        ]
        milestone_services.milestone_complete(milestone=milestones[2], actor=manager)
        server_errors = [r.status_code for r in responses if r.status_code >= 500]
        saved = ActivityEvent.objects.filter(
            verb__in=("milestone.rescheduled", "milestone.completed")
        ).count()
        waiting_in_outbox = ActivityEvent.objects.exclude(
            pk__in=ProcessedEvent.objects.values("event_id")
        ).count()

        own_redis.start()
        worker = Worker(broker, smtp_inbox.port).start()
        try:
            sweep_outbox.delay()
            wait_for(
                lambda: len(smtp_inbox.messages) == 3 and settled(),
                timeout=30,
                what="the held-back emails",
            )
            time.sleep(0.5)
        finally:
            worker.stop()  # no worker left running (and holding a connection) after the test
    report(
        record_property,
        requests=len(responses),
        server_errors=len(server_errors),
        saves=saved,
        events_kept_in_outbox=waiting_in_outbox,
        delivered=len(smtp_inbox.messages),
        duplicated=repeated(smtp_inbox),
    )
    assert server_errors == [] and saved == 3
    assert [r.status_code for r in responses[:5]] == [200] * 5
    assert sorted(m["To"] for m in smtp_inbox.messages) == sorted(o.email for o in owners)
    assert repeated(smtp_inbox) == 0


def test_the_smtp_server_down_for_hours_then_back_delivers_every_email_once(
    smtp_inbox, record_property
):
    _, _, owners = campaign(owners=5)
    for n, owner in enumerate(owners * 4):
        Notification.objects.create(recipient=owner, kind="digest", key=f"down:{n}", title="D")
    smtp_inbox.controller.stop()  # the server goes away: connections are refused
    now, runs = timezone.now(), 0
    while now < timezone.now() + timedelta(hours=9):  # beat's sweep every five minutes
        send_pending_email(now=now)
        now += timedelta(minutes=5)
        runs += 1
    pending_during_outage = Notification.objects.filter(email_state="pending").count()
    smtp_inbox.controller = Controller(smtp_inbox, hostname="127.0.0.1", port=smtp_inbox.port)
    smtp_inbox.controller.start()  # back, on the same port
    send_pending_email(now=now + timedelta(hours=1))
    report(
        record_property,
        hours_down=9,
        send_runs=runs,
        emails=20,
        pending_during_outage=pending_during_outage,
        delivered=len(set(smtp_inbox.message_ids())),
        lost=Notification.objects.exclude(email_state="sent").count(),
        duplicated=repeated(smtp_inbox),
    )
    assert pending_during_outage == 20
    assert (len(smtp_inbox.messages), repeated(smtp_inbox)) == (20, 0)
    assert not Notification.objects.exclude(email_state="sent").exists()


def test_fifty_rolled_back_transactions_publish_nothing(broker, record_property):
    manager, project, _ = campaign()
    milestones = [MilestoneFactory(project=project) for _ in range(50)]
    for milestone in milestones:
        with pytest.raises(RuntimeError), transaction.atomic():
            milestone_services.milestone_complete(milestone=milestone, actor=manager)
            raise RuntimeError("the request failed after the save")
    report(
        record_property,
        rolled_back=50,
        published=broker.waiting(),
        events=ActivityEvent.objects.count(),
        completed=Milestone.objects.filter(status="completed").count(),
    )
    assert broker.waiting() == 0
    assert not ActivityEvent.objects.exists()
    assert not Milestone.objects.filter(status="completed").exists()


WRITERS = 20


def test_twenty_concurrent_writers_and_the_worker_writing_too(
    broker, start_worker, smtp_inbox, record_property
):
    """On the SQLite path this is the embedded mode (WAL, IMMEDIATE transactions, a busy
    timeout): twenty people save through the pages at once while the worker turns every
    change into notifications; no request fails and nothing reports "database is locked"."""
    manager, project, owners = campaign(owners=WRITERS)
    milestones = [MilestoneFactory(project=project, owner=owner) for owner in owners]
    worker = start_worker()
    statuses: list[int] = []
    errors: list[str] = []
    start = threading.Barrier(WRITERS)

    def write(milestone):
        browser = Client(raise_request_exception=False)
        browser.force_login(manager)
        try:
            start.wait()
            for day in range(1, 4):
                statuses.append(
                    reschedule_through_the_page(browser, milestone, days=day).status_code
                )
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    writers = [threading.Thread(target=write, args=(m,)) for m in milestones]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
    expected = WRITERS * 3
    wait_for(
        lambda: Notification.objects.count() == expected and settled(),
        timeout=60,
        what="the worker to write and send every notification",
    )
    locked = [line for line in errors + worker.output if "database is locked" in line]
    report(
        record_property,
        writers=WRITERS,
        requests=len(statuses),
        server_errors=sum(status >= 500 for status in statuses),
        database_is_locked=len(locked),
        notifications=Notification.objects.count(),
        delivered=len(smtp_inbox.messages),
        duplicated=repeated(smtp_inbox),
    )
    assert errors == [] and locked == []
    assert statuses == [302] * expected
    assert (len(smtp_inbox.messages), repeated(smtp_inbox)) == (expected, 0)
