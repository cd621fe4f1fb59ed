"""Reads for the notification pages and API, scoped to the person asking."""

from functools import cache

from django.db import connection
from django.db.models import QuerySet

from projects import prepared
from projects.models import Workspace
from projects.permissions import Action, workspaces_allowing

from .models import Follow, Notification, WebhookDelivery, WebhookEndpoint


def notifications_of(user) -> QuerySet:
    return Notification.objects.for_user(user).only(
        "id", "kind", "title", "body", "url", "created_at", "read_at", "email_state"
    )


def unread_count(user) -> int:
    """The bell's count. Every page shows it, so it is a prepared query (projects.prepared)."""
    return scalar("unread_count", [user.pk])


def following(user, subject) -> bool:
    """Whether `user` follows `subject` (a project or a milestone): the follow button of
    a page, rendered on every request of it."""
    return scalar(f"following_{subject._meta.model_name}", [user.pk, subject.pk]) is not None


@cache
def scalar_queries() -> dict[str, str]:
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    notifications, follows = quote(Notification._meta.db_table), quote(Follow._meta.db_table)
    queries = {
        "unread_count": f"SELECT COUNT(*) FROM {notifications}"
        f" WHERE {column(Notification, 'recipient')} = %s"
        f" AND {column(Notification, 'read_at')} IS NULL"
    }
    for subject in ("project", "milestone"):
        queries[f"following_{subject}"] = (
            f"SELECT 1 FROM {follows} WHERE {column(Follow, 'user')} = %s"
            f" AND {column(Follow, subject)} = %s"
        )
    return queries


def scalar(name: str, params: list):
    """The first column of the first row of one of `scalar_queries`, or None."""
    with connection.cursor() as cursor:
        cursor.execute(prepared.statement(name, scalar_queries()[name]), params)
        row = cursor.fetchone()
    return row[0] if row else None


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
