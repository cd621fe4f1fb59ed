"""Email delivery of pending notifications, in batches, each row committed as it is sent.

A row is locked, sent, and marked sent in its own short transaction: a worker killed in
the middle of a batch leaves the rows it had not finished pending for the next run (the
outbox sweep re-enqueues them). Each message carries a Message-ID derived from the row,
so a receiving server can recognise the unlikely repeat of a message whose commit was lost.
"""

import logging
import smtplib
from contextlib import suppress
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.links import absolute
from notifications.models import (
    REMINDER_KINDS,
    DeliveryState,
    Kind,
    Notification,
    NotificationPreference,
    backoff,
)
from notifications.reminders import still_due

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
MAX_ATTEMPTS = 6


def email_allowed(notification: Notification) -> bool:
    """Whether the recipient wants this notification by email (digests are email only)."""
    if not notification.recipient.email:
        return False
    if notification.kind in (Kind.DIGEST, Kind.WEBHOOK_DISABLED):
        return True
    try:
        preference = notification.recipient.notification_preference
    except NotificationPreference.DoesNotExist:
        return True  # the defaults: email on for everything
    if notification.kind in REMINDER_KINDS:
        return preference.email_reminders
    return preference.email_events


def build_message(notification: Notification, connection) -> EmailMultiAlternatives:
    template = "digest" if notification.kind == Kind.DIGEST else "notification"
    context = {"notification": notification, "link": absolute(notification.url)}
    message = EmailMultiAlternatives(
        subject=notification.title,
        body=render_to_string(f"notifications/email/{template}.txt", context),
        to=[notification.recipient.email],
        connection=connection,
        headers={"Message-ID": f"<notification-{notification.pk}@milestones>"},
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{template}.html", context), "text/html"
    )
    return message


def is_permanent(error: Exception) -> bool:
    """Refused recipients and 5xx replies will not succeed later; anything else might."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _finish(notification: Notification, state: str, **fields) -> None:
    Notification.objects.filter(pk=notification.pk).update(email_state=state, **fields)


def _deliver_one(notification: Notification, connection, *, moot: bool, now: datetime) -> str:
    """Send one row if it is still pending; returns the state it ends in."""
    with transaction.atomic():
        locked = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification.pk, email_state=DeliveryState.PENDING)
            .first()
        )
        if locked is None:
            return "taken"
        if moot:
            _finish(locked, DeliveryState.SKIPPED, last_error="No longer due.")
            return DeliveryState.SKIPPED
        if not email_allowed(notification):
            _finish(locked, DeliveryState.SKIPPED)
            return DeliveryState.SKIPPED
        attempts = locked.attempts + 1
        try:
            build_message(notification, connection).send()
        except (smtplib.SMTPException, OSError) as error:
            connection.close()  # the next message opens a fresh connection
            state = (
                DeliveryState.FAILED
                if is_permanent(error) or attempts >= MAX_ATTEMPTS
                else DeliveryState.PENDING
            )
            logger.warning("Email for notification %s failed: %s", notification.pk, error)
            _finish(
                locked,
                state,
                attempts=attempts,
                last_error=str(error)[:1000],
                next_attempt_at=now + backoff(attempts),
            )
            return state
        _finish(locked, DeliveryState.SENT, attempts=attempts, sent_at=timezone.now())
        return DeliveryState.SENT


def send_pending_email(*, limit: int = BATCH_SIZE, now: datetime | None = None) -> dict:
    """Send up to `limit` pending notifications whose time has come; counts by outcome."""
    now = now or timezone.now()
    batch = list(
        Notification.objects.due_for_email(now=now)
        .select_related("recipient__notification_preference")
        .order_by("next_attempt_at", "id")[:limit]
    )
    outcomes: dict[str, int] = {}
    if not batch:
        return outcomes
    due = still_due(batch)
    connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
    # One connection for the batch; if it cannot open, each message retries and records why.
    with suppress(smtplib.SMTPException, OSError):
        connection.open()
    try:
        for notification in batch:
            moot = notification.is_reminder and notification.pk not in due
            state = _deliver_one(notification, connection, moot=moot, now=now)
            outcomes[state] = outcomes.get(state, 0) + 1
    finally:
        connection.close()
    return outcomes
