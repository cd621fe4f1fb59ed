"""The outbox: what lost its doorbell and must be enqueued again.

Events whose transaction committed while the broker was down were never turned into
notifications, and rows left pending (a lost message, a killed worker, a retry whose time
has come) were never sent. The sweep task finds both here and enqueues the work.
"""

from datetime import datetime, timedelta

from django.conf import settings

from notifications.models import Notification, ProcessedEvent, WebhookDelivery
from projects.models import ActivityEvent

# Events older than this are left alone (e.g. those from before notifications existed).
HORIZON = timedelta(days=2)


def unprocessed_event_ids(now: datetime) -> list[int]:
    """Recent events without a processed mark, past the grace the normal path needs."""
    grace = timedelta(seconds=settings.MILESTONES_OUTBOX_GRACE_SECONDS)
    return list(
        ActivityEvent.objects.filter(created_at__gte=now - HORIZON, created_at__lte=now - grace)
        .exclude(pk__in=ProcessedEvent.objects.values("event_id"))
        .order_by("id")
        .values_list("id", flat=True)
    )


def pending_email_count(now: datetime) -> int:
    return Notification.objects.due_for_email(now=now).count()


def pending_webhook_count(now: datetime) -> int:
    return WebhookDelivery.objects.due_for_sending(now=now).count()
