"""Which workspace a browser session is looking at, and the list it may switch between."""

from django.http import HttpRequest

from projects.models import Workspace
from projects.permissions import workspaces_with_roles

SESSION_KEY = "workspace_id"


def current_workspace(request: HttpRequest) -> Workspace | None:
    """The workspace chosen in the switcher, else the user's first; None for anonymous users."""
    cached = request.__dict__.get("_current_workspace", ...)
    if cached is not ...:
        return cached
    workspaces = workspaces_with_roles(request.user) if request.user.is_authenticated else []
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    current = next((w for w in workspaces if w.pk == chosen), workspaces[0] if workspaces else None)
    request.__dict__["_user_workspaces"] = workspaces
    request.__dict__["_current_workspace"] = current
    return current


def current_workspace_id(request: HttpRequest) -> int | None:
    """Which workspace the page shows (a part of page validators)."""
    workspace = current_workspace(request)
    return workspace.pk if workspace else None


def user_workspaces(request: HttpRequest) -> list[Workspace]:
    current_workspace(request)
    return request.__dict__["_user_workspaces"]


def switch_workspace(request: HttpRequest, workspace_id: int) -> Workspace | None:
    """Remember the chosen workspace for this session; None when the user is not a member."""
    workspace = next((w for w in user_workspaces(request) if w.pk == workspace_id), None)
    if workspace is not None:
        request.session[SESSION_KEY] = workspace.pk
        request.__dict__["_current_workspace"] = workspace
    return workspace
