"""Email delivery of pending notifications, in batches, each row committed as it is sent.

A row is locked, sent, and marked sent in its own short transaction: a worker killed in
the middle of a batch leaves the rows it had not finished pending for the next run (the
outbox sweep re-enqueues them). Each message carries a Message-ID derived from the row,
so a receiving server can recognise the unlikely repeat of a message whose commit was lost.

No row can stop the others: whatever goes wrong with one message (a header that cannot be
built, an address that cannot be parsed, a server that refuses it) ends that row failed
with its error, or pending for a later try when the fault may pass, and the batch goes on.
Transient faults are retried with a capped backoff for RETRY_FOR since the first attempt,
so a mail server down overnight delays email instead of losing it.
"""

import logging
import smtplib
from contextlib import suppress
from datetime import datetime, timedelta

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
# A transient failure is retried until this long after the row's first attempt...
RETRY_FOR = timedelta(hours=24)
# ...every 30 s, 1 min, 2 min, … at most an hour apart.
RETRY_CAP_SECONDS = 3600


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


def one_line(text: str) -> str:
    """The text on a single line: a header may not contain line breaks (rows written before
    titles were checked, or by another path, may hold them)."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def build_message(notification: Notification, connection) -> EmailMultiAlternatives:
    template = "digest" if notification.kind == Kind.DIGEST else "notification"
    context = {"notification": notification, "link": absolute(notification.url)}
    message = EmailMultiAlternatives(
        subject=one_line(notification.title),
        body=render_to_string(f"notifications/email/{template}.txt", context),
        to=[notification.recipient.email],
        connection=connection,
        headers={"Message-ID": f"<notification-{notification.pk}@milestones>"},
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{template}.html", context), "text/html"
    )
    return message


def is_transient(error: Exception) -> bool:
    """A network fault or a 4xx reply may pass; refused recipients, 5xx replies, a message the
    server cannot take (SMTPUTF8) and any error of the message itself will not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPNotSupportedError):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return isinstance(error, smtplib.SMTPException | OSError)


def _finish(notification: Notification, state: str, **fields) -> None:
    Notification.objects.filter(pk=notification.pk).update(email_state=state, **fields)


def _record_failure(locked: Notification, error: Exception, connection, *, now: datetime) -> str:
    """Keep the row pending for a later try while the fault may pass and RETRY_FOR has not
    run out since its first attempt; otherwise it ends failed. Returns the state."""
    connection.close()  # the next message opens a fresh connection
    attempts = locked.attempts + 1
    first_attempt_at = locked.first_attempt_at or now
    retry = is_transient(error) and now - first_attempt_at < RETRY_FOR
    state = DeliveryState.PENDING if retry else DeliveryState.FAILED
    logger.warning(
        "Email for notification %s failed (%s): %r", locked.pk, state, error, exc_info=not retry
    )
    _finish(
        locked,
        state,
        attempts=attempts,
        first_attempt_at=first_attempt_at,
        last_error=f"{type(error).__name__}: {error}"[:1000],
        next_attempt_at=now + backoff(attempts, cap_seconds=RETRY_CAP_SECONDS),
    )
    return state


def _deliver_one(notification: Notification, connection, *, moot: bool, now: datetime) -> str:
    """Send one row if it is still pending and due; returns the state it ends in.

    The lock re-reads both: another send task may have just sent the row, or failed it and
    set its next try later, and either way this one must leave it alone."""
    with transaction.atomic():
        locked = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification.pk)
            .due_for_email(now=now)
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
        try:
            build_message(notification, connection).send()
        except Exception as error:  # any message's fault ends with its row, not the batch
            return _record_failure(locked, error, connection, now=now)
        _finish(
            locked,
            DeliveryState.SENT,
            attempts=locked.attempts + 1,
            first_attempt_at=locked.first_attempt_at or now,
            sent_at=timezone.now(),
        )
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
