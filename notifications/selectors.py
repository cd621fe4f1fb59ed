"""Reads for the notification pages and API, scoped to the person asking."""

from django.db.models import QuerySet

from projects.models import Workspace
from projects.permissions import Action, can

from .models import Notification, WebhookDelivery, WebhookEndpoint


def notifications_of(user) -> QuerySet:
    return Notification.objects.for_user(user).only(
        "id", "kind", "title", "body", "url", "created_at", "read_at", "email_state"
    )


def manageable_workspaces(user) -> list[Workspace]:
    """Workspaces whose webhooks the user may manage (owners)."""
    workspaces = Workspace.objects.filter(memberships__user=user).order_by("name")
    return [w for w in workspaces if can(user, Action.WORKSPACE_UPDATE, w)]


def webhook_endpoints_of(user) -> QuerySet:
    """Endpoints of the workspaces the user owns; anything else is a 404."""
    return WebhookEndpoint.objects.filter(
        workspace__in=[w.pk for w in manageable_workspaces(user)]
    ).select_related("workspace")


def delivery_log(endpoint: WebhookEndpoint) -> QuerySet:
    return WebhookDelivery.objects.filter(endpoint=endpoint).defer("payload")
