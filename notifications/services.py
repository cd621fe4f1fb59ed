"""Every write a person makes in the notifications app: read marks, preferences, follows and
webhook endpoints. Keyword-only; ValidationError with field messages, PermissionDenied."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from milestones_site.services.errors import invalid
from milestones_site.services.writes import Writes
from notifications.models import Follow, Notification, NotificationPreference, WebhookEndpoint
from notifications.preferences import preference_for
from notifications.webhooks.catalogue import unknown_event_types
from notifications.webhooks.targets import UnsafeTarget, ensure_public_target
from projects import activity, permissions
from projects.models import Milestone, Project, Workspace
from projects.permissions import Action

# What a person sets in their notification preferences (the page, the API).
PREFERENCE_FIELDS = (
    "timezone",
    "email_reminders",
    "email_events",
    "digest",
    "digest_weekday",
    "digest_hour",
)
WEBHOOK_ENDPOINT_FIELDS = ("url", "event_types", "active")
# How many hours the secret before a rotation keeps signing deliveries, unless the rotation
# says otherwise, and at most.
SECRET_OVERLAP_HOURS = 24
SECRET_OVERLAP_MAX_HOURS = 7 * 24


def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Only the recipient marks their own notification; a second mark changes nothing."""
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = notification.updated_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at, updated_at=notification.read_at
        )
    return notification


def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of the person read; returns how many."""
    now = timezone.now()
    return Notification.objects.for_user(user).unread().update(read_at=now, updated_at=now)


@transaction.atomic
def preference_update(*, user, data: dict) -> NotificationPreference:
    """Save the person's choices (the first save turns the defaults into a row)."""
    unknown = sorted(set(data) - set(PREFERENCE_FIELDS))
    if unknown:
        raise invalid(**dict.fromkeys(unknown, "This field cannot be changed here."))
    preference = preference_for(user)
    for name, value in data.items():
        setattr(preference, name, value)
    try:
        preference.full_clean(exclude=["user"])
    except ValidationError as error:
        raise invalid(**error.message_dict) from None
    preference.save()
    return preference


def _followed(subject: Project | Milestone) -> tuple[Project, dict]:
    """The project of a followed subject, and the Follow fields naming it."""
    project = subject if isinstance(subject, Project) else subject.project
    return project, {"project" if isinstance(subject, Project) else "milestone": subject}


def follow_start(*, user, subject: Project | Milestone) -> tuple[Follow, bool]:
    """Follow a project or milestone the user can read; following it again changes nothing.
    The row, and whether it is new. Pages show the follow button: the workspace's pages are
    renewed for their validators."""
    project, fields = _followed(subject)
    if not permissions.can_read(user, project.workspace):
        raise Milestone.DoesNotExist if isinstance(subject, Milestone) else Project.DoesNotExist
    follow, created = Follow.objects.get_or_create(user=user, **fields)
    activity.renew_version_after_commit(project.workspace_id)
    return follow, created


def follow_stop(*, user, subject: Project | Milestone) -> None:
    """Stop following a project or milestone (not following it is no change; anyone may
    stop following, also what they can no longer read)."""
    project, fields = _followed(subject)
    Follow.objects.filter(user=user, **fields).delete()
    activity.renew_version_after_commit(project.workspace_id)


def follow_set(*, user, subject: Project | Milestone, following: bool) -> bool:
    """Follow or unfollow (the follow button); returns the new state."""
    if following:
        follow_start(user=user, subject=subject)
    else:
        follow_stop(user=user, subject=subject)
    return following


def _validate_endpoint(url: str, event_types) -> None:
    if not isinstance(event_types, list) or not all(isinstance(t, str) for t in event_types):
        raise invalid(event_types='Give a list of event types, e.g. ["milestone.completed"].')
    unknown = unknown_event_types(event_types)
    if unknown:
        raise invalid(
            event_types=f"Unknown event types: {', '.join(unknown)}. The API schema's "
            "`webhooks` section lists them all."
        )
    try:
        ensure_public_target(url)
    except UnsafeTarget as error:
        raise invalid(url=str(error)) from None


@transaction.atomic
def webhook_endpoint_create(
    *, workspace: Workspace, actor, url: str, event_types: list[str] | None = None
) -> WebhookEndpoint:
    """Register an endpoint with a fresh secret; private targets are refused (settings)."""
    permissions.ensure(actor, Action.WORKSPACE_UPDATE, workspace)
    event_types = event_types or []
    endpoint = WebhookEndpoint(
        workspace=workspace,
        url=url,
        event_types=event_types,
        secret=secrets.token_urlsafe(32),
        created_by=actor,
    )
    try:
        endpoint.full_clean(exclude=["created_by"])
    except ValidationError as error:
        raise invalid(**error.message_dict) from None
    _validate_endpoint(url, event_types)
    endpoint.save()
    activity.record(actor=actor, verb="webhook.created", target=workspace, data={"url": url})
    return endpoint


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, actor, data: dict, expected_version: int | None = None
) -> WebhookEndpoint:
    """Change URL, event types or switch it on/off; switching on resets the failure count."""
    permissions.ensure(actor, Action.WORKSPACE_UPDATE, endpoint.workspace)
    unknown = sorted(set(data) - set(WEBHOOK_ENDPOINT_FIELDS))
    if unknown:
        raise invalid(**dict.fromkeys(unknown, "This field cannot be changed here."))
    for name, value in data.items():
        setattr(endpoint, name, value)
    if data.get("active"):
        endpoint.consecutive_failures = 0
        endpoint.disabled_reason = ""
    # Only the event types sent are checked: a row may hold a name the catalogue has
    # dropped since, and switching it off must not depend on that.
    _validate_endpoint(endpoint.url, data.get("event_types", []))
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, actor, overlap_hours: int = SECRET_OVERLAP_HOURS
) -> WebhookEndpoint:
    """Give the endpoint a new secret; the one it had keeps signing deliveries beside it
    for `overlap_hours` (0 to 168), so the receiver can switch without missing one. A
    second rotation within the overlap drops the oldest secret."""
    permissions.ensure(actor, Action.WORKSPACE_UPDATE, endpoint.workspace)
    if not 0 <= overlap_hours <= SECRET_OVERLAP_MAX_HOURS:
        raise invalid(
            overlap_hours=f"Give a whole number of hours from 0 to {SECRET_OVERLAP_MAX_HOURS}."
        )
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + timedelta(hours=overlap_hours)
    endpoint.secret = secrets.token_urlsafe(32)
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    activity.record(
        actor=actor,
        verb="webhook.secret_rotated",
        target=endpoint.workspace,
        data={
            "url": endpoint.url,
            "previous_secret_expires_at": endpoint.previous_secret_expires_at,
        },
    )
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, actor) -> None:
    """Owners delete an endpoint with its delivery log."""
    permissions.ensure(actor, Action.WORKSPACE_UPDATE, endpoint.workspace)
    activity.record_deletion(
        endpoint,
        actor=actor,
        target=endpoint.workspace,
        data={"url": endpoint.url},
        verb="webhook.deleted",
    )


WEBHOOK_ENDPOINT_WRITES = Writes(
    update=webhook_endpoint_update, delete=webhook_endpoint_delete, row_arg="endpoint"
)
