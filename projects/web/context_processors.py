"""Template context every page needs: the current workspace and the switcher's choices."""

from projects.web.workspaces import current_workspace, user_workspaces


def workspace_switcher(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_workspace": current_workspace(request),
        "user_workspaces": user_workspaces(request),
    }
