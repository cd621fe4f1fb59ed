"""Reads for the notification pages and API, scoped to the person asking."""

from django.db.models import QuerySet

from notifications.models import Follow, Notification, WebhookDelivery, WebhookEndpoint
from projects.models import Workspace
from projects.permissions import Action, workspaces_allowing


def notifications_of(user) -> QuerySet:
    return Notification.objects.for_user(user).only(
        "id", "kind", "title", "body", "url", "created_at", "updated_at", "read_at", "email_state"
    )


def unread_count(user) -> int:
    """The bell's count."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def following(user, subject) -> bool:
    """Whether `user` follows `subject` (a project or a milestone)."""
    return Follow.objects.filter(user=user, **{subject._meta.model_name: subject}).exists()


def follows_of(user) -> QuerySet:
    """The projects and milestones the user follows."""
    return Follow.objects.filter(user=user)


def manageable_workspaces(user) -> list[Workspace]:
    """Workspaces whose webhooks the user may manage (owners)."""
    return list(workspaces_allowing(user, Action.WORKSPACE_UPDATE).order_by("name"))


def webhook_endpoints_of(user) -> QuerySet:
    """Endpoints of the workspaces the user owns; anything else is a 404."""
    return WebhookEndpoint.objects.filter(
        workspace__in=workspaces_allowing(user, Action.WORKSPACE_UPDATE).values("pk")
    ).select_related("workspace")


def delivery_log(endpoint: WebhookEndpoint) -> QuerySet:
    return WebhookDelivery.objects.filter(endpoint=endpoint).defer("payload")
