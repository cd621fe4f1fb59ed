"""Celery tasks: small, taking ids (or nothing), safe to run twice.

Every task here is idempotent (rows are keyed and locked), so they acknowledge late and are
requeued if the worker dies. Publishing happens after commit and never fails a user's save:
when the broker is down the rows stay pending and the outbox sweep rings again.
"""

from celery import shared_task
from django.utils import timezone

from milestones_site.services.publishing import enqueue
from notifications import digests, email, events, outbox, reminders
from notifications.webhooks import delivery as webhooks

IDEMPOTENT = {"acks_late": True, "reject_on_worker_lost": True}
EVENT_CHUNK = 100


def enqueue_events(event_ids: list[int]) -> None:
    """Ring for committed events, EVENT_CHUNK to a message."""
    for start in range(0, len(event_ids), EVENT_CHUNK):
        enqueue(notify_events, event_ids[start : start + EVENT_CHUNK])


@shared_task(**IDEMPOTENT)
def notify_events(event_ids: list[int]) -> int:
    """Turn recorded events into notifications and webhook deliveries, then ring the senders
    that have something new to send (most events make no email and no delivery)."""
    made = events.process_events(event_ids)
    if made.notifications:
        enqueue(send_emails)
    if made.deliveries:
        enqueue(send_webhooks)
    return len(made.event_ids)


@shared_task(**IDEMPOTENT)
def send_emails() -> dict:
    """Send one batch of pending emails; if the batch was full, ring for the next one."""
    outcomes = email.send_pending_email()
    if sum(outcomes.values()) >= email.BATCH_SIZE:
        enqueue(send_emails)
    return outcomes


@shared_task(**IDEMPOTENT)
def send_webhooks() -> dict:
    """Send (or retry) one batch of webhook deliveries whose time has come."""
    outcomes = webhooks.send_pending_webhooks()
    if sum(outcomes.values()) >= webhooks.BATCH_SIZE:
        enqueue(send_webhooks)
    return outcomes


@shared_task(**IDEMPOTENT)
def scan_reminders() -> int:
    created = reminders.reminder_scan()
    if created:
        enqueue(send_emails)
    return created


@shared_task(**IDEMPOTENT)
def dispatch_digests() -> int:
    created = digests.dispatch_digests()
    if created:
        enqueue(send_emails)
    return created


@shared_task(**IDEMPOTENT)
def sweep_outbox() -> dict:
    """Enqueue event processing in chunks and one send task per batch of pending rows."""
    now = timezone.now()
    unprocessed = outbox.unprocessed_event_ids(now)
    enqueue_events(unprocessed)
    pending_email = outbox.pending_email_count(now)
    for _ in range(0, pending_email, email.BATCH_SIZE):
        enqueue(send_emails)
    pending_webhooks = outbox.pending_webhook_count(now)
    if pending_webhooks:
        enqueue(send_webhooks)
    return {"events": len(unprocessed), "emails": pending_email, "webhooks": pending_webhooks}
