"""The Celery application: JSON only, time limits, and late acks for idempotent tasks.

Idempotent tasks declare `acks_late=True, reject_on_worker_lost=True` themselves
(notifications.tasks). The broker's visibility timeout (settings) is longer than the hard
time limit here, so a running task is never handed to a second worker.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "milestones_site.settings")

app = Celery("milestones")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    task_ignore_result=True,
    task_soft_time_limit=240,
    task_time_limit=300,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    # Publishing happens after commit; a dead broker must not hold a user's request.
    broker_connection_timeout=3,
    timezone="UTC",
    beat_schedule={
        "reminder-scan": {
            "task": "notifications.tasks.scan_reminders",
            "schedule": crontab(minute="*/15"),
        },
        "digest-dispatch": {
            "task": "notifications.tasks.dispatch_digests",
            "schedule": crontab(minute=0),
        },
        "outbox-sweep": {
            "task": "notifications.tasks.sweep_outbox",
            "schedule": crontab(minute="*/5"),
        },
        "preview-sweep": {
            "task": "deliverables.tasks.sweep_pending_previews",
            "schedule": crontab(minute="*/5"),
        },
        "webhook-retries": {
            "task": "notifications.tasks.send_webhooks",
            "schedule": crontab(minute="*"),
        },
        "idempotency-key-purge": {
            "task": "milestones_site.api.tasks.purge_idempotency_keys",
            "schedule": crontab(minute=20),
        },
        "rollup-check": {
            "task": "deliverables.tasks.check_rollups",
            "schedule": crontab(hour=3, minute=30),
        },
    },
)
app.autodiscover_tasks()
