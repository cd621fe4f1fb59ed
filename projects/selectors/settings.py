"""Reads for the workspace settings page: members, clients, and the secrets the user
manages."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from projects.models import (
    ApiToken,
    CalendarFeed,
    Client,
    Membership,
    Project,
    ShareLink,
    Workspace,
)


@dataclass
class WorkspaceSettings:
    workspace: Workspace
    memberships: list[Membership]
    clients: list[Client]
    api_tokens: list[ApiToken]
    share_links: list[ShareLink]
    calendar_feeds: list[CalendarFeed]


def workspace_projects(*, user, workspace: Workspace) -> QuerySet:
    """The workspace's projects the user can see, for choosing one in a form."""
    return Project.objects.visible_to(user).filter(workspace=workspace).order_by("name", "id")


def workspace_settings(*, user, workspace: Workspace) -> WorkspaceSettings:
    """Members of the workspace, its clients with their project counts, the share links of
    its projects, and the user's own API tokens and calendar feeds (personal feeds, and
    feeds of this workspace's projects)."""
    projects = workspace_projects(user=user, workspace=workspace)
    return WorkspaceSettings(
        workspace=workspace,
        memberships=list(
            Membership.objects.filter(workspace=workspace)
            .select_related("user")
            .order_by("user__username")
        ),
        clients=list(
            Client.objects.filter(workspace=workspace)
            .annotate(project_count=Count("projects"))
            .order_by("name", "id")
        ),
        api_tokens=list(ApiToken.objects.filter(user=user)),
        share_links=list(
            ShareLink.objects.filter(project__in=projects).select_related("project", "created_by")
        ),
        calendar_feeds=list(
            CalendarFeed.objects.filter(user=user)
            .filter(Q(project__isnull=True) | Q(project__workspace=workspace))
            .select_related("project")
        ),
    )
