"""Preferences, follows, notifications with their delivery state, and webhooks.

The database is the truth and the broker only a doorbell: every reminder, digest and event
notification is a Notification row with a unique key, created with conflicts ignored, so
running any producer twice makes nothing twice. Delivery state lives on the row.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from projects.models import TIMEZONE_CHOICES, ActivityEvent, Milestone, Project, Workspace


class DigestFrequency(models.TextChoices):
    NONE = "none", "No digest"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class NotificationPreference(models.Model):
    """A user's choices. Without a row the defaults apply (see notifications.preferences)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    timezone = models.CharField(
        max_length=64,
        choices=TIMEZONE_CHOICES,
        blank=True,
        help_text="Empty: the timezone of your workspace.",
    )
    email_reminders = models.BooleanField(default=True, help_text="Email due-date reminders.")
    email_events = models.BooleanField(
        default=True, help_text="Email when something you own or follow changes."
    )
    digest = models.CharField(
        max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.NONE
    )
    digest_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.MONDAY
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=8, choices=[(hour, f"{hour:02d}:00") for hour in range(24)]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(digest_hour__gte=0, digest_hour__lte=23), name="preference_hour_valid"
            ),
            models.CheckConstraint(
                condition=Q(digest_weekday__gte=0, digest_weekday__lte=6),
                name="preference_weekday_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"


class Follow(models.Model):
    """A user who wants to hear about a project or a milestone they do not own."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # A follow is made or removed, never changed: it moves with its making (for sync).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, milestone__isnull=True)
                | Q(project__isnull=True, milestone__isnull=False),
                name="follow_one_subject",
            ),
            models.UniqueConstraint(
                fields=["user", "project"],
                condition=Q(project__isnull=False),
                name="follow_unique_project",
            ),
            models.UniqueConstraint(
                fields=["user", "milestone"],
                condition=Q(milestone__isnull=False),
                name="follow_unique_milestone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.project or self.milestone}"


class Kind(models.TextChoices):
    REMINDER_DUE = "reminder_due", "Due soon"
    REMINDER_OVERDUE = "reminder_overdue", "Overdue"
    DIGEST = "digest", "Digest"
    MILESTONE_COMPLETED = "milestone_completed", "Milestone completed"
    MILESTONE_AT_RISK = "milestone_at_risk", "Milestone at risk"
    MILESTONE_RESCHEDULED = "milestone_rescheduled", "Milestone rescheduled"
    DELIVERABLE_SUBMITTED = "deliverable_submitted", "Submitted for review"
    DELIVERABLE_APPROVED = "deliverable_approved", "Deliverable approved"
    DELIVERABLE_CHANGES_REQUESTED = "deliverable_changes_requested", "Changes requested"
    DELIVERABLE_VERSION_UPLOADED = "deliverable_version_uploaded", "New version"
    PROOF_COMMENT_POSTED = "proof_comment_posted", "Comment on a proof"
    STATUS_UPDATE_POSTED = "status_update_posted", "Status update"
    WEBHOOK_DISABLED = "webhook_disabled", "Webhook disabled"


REMINDER_KINDS = (Kind.REMINDER_DUE, Kind.REMINDER_OVERDUE)


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not emailed"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user) if user.is_authenticated else self.none()

    def unread(self):
        return self.filter(read_at__isnull=True)

    def due_for_email(self, *, now=None):
        return self.filter(
            email_state=DeliveryState.PENDING, next_attempt_at__lte=now or timezone.now()
        )


class Notification(models.Model):
    """One message to one person about one occasion.

    `key` names the occasion (e.g. `milestone:12:2026-12-01:7` for the 7-day reminder of
    milestone 12 due on 1 December); (recipient, key) is unique, so producers insert with
    conflicts ignored and a second run creates nothing."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    key = models.CharField(max_length=120)
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        ActivityEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the notification is about, for reminders: checked again before sending.
    subject_model = models.CharField(max_length=20, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    email_state = models.CharField(
        max_length=8, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # Retries of a transient failure run for a fixed time from here (notifications.email).
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key"),
            models.CheckConstraint(
                condition=Q(email_state__in=DeliveryState.values),
                name="notification_state_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["email_state", "next_attempt_at"]),
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["subject_model", "subject_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient}: {self.title}"

    @property
    def is_reminder(self) -> bool:
        return self.kind in REMINDER_KINDS


class ProcessedEvent(models.Model):
    """Marks an ActivityEvent as turned into notifications and webhook deliveries.

    The outbox sweep looks for recent events without a mark (their doorbell was lost)."""

    event = models.OneToOneField(
        ActivityEvent, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    processed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Processed event {self.event_id}"


class WebhookEndpoint(models.Model):
    """A URL of an integration that receives signed JSON for the chosen events."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=80, help_text="Shared secret for the signature.")
    # After a rotation the secret before it still signs deliveries until it expires, so a
    # receiver can switch over without missing one (notifications.services).
    previous_secret = models.CharField(max_length=80, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    event_types = models.JSONField(
        default=list, blank=True, help_text="Event types to send; empty means all."
    )
    active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["workspace", "id"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types

    def previous_secret_valid_until(self, *, now):
        """When the secret before the last rotation stops signing; None once it has."""
        expires = self.previous_secret_expires_at
        return expires if self.previous_secret and expires is not None and now < expires else None

    def signing_secrets(self, *, now) -> list[str]:
        """The secrets a delivery made at `now` is signed with: the current one first, then
        the previous one while its overlap lasts."""
        if self.previous_secret_valid_until(now=now):
            return [self.secret, self.previous_secret]
        return [self.secret]


class WebhookDeliveryQuerySet(models.QuerySet):
    def due_for_sending(self, *, now=None):
        return self.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now or timezone.now())


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one endpoint: the delivery log."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        ActivityEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event_type = models.CharField(max_length=64)
    payload = models.JSONField()
    state = models.CharField(
        max_length=8, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint}"


def backoff(attempts: int, *, base_seconds: int = 30, cap_seconds: int = 6 * 3600) -> timedelta:
    """Exponential backoff after the `attempts`-th failure: 30 s, 1 min, 2 min, … ≤ the cap."""
    # The exponent stops growing once past any cap, so a long outage's count cannot overflow.
    doubling = min(max(attempts - 1, 0), 30)
    return timedelta(seconds=min(cap_seconds, base_seconds * 2**doubling))
