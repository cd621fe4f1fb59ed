"""Show dates and times in the timezone of the workspace the user is looking at."""

import zoneinfo

from django.utils import timezone

from projects.web.workspaces import current_workspace


class CurrentWorkspaceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        workspace = current_workspace(request) if request.user.is_authenticated else None
        if workspace is None:
            return self.get_response(request)
        with timezone.override(zoneinfo.ZoneInfo(workspace.timezone)):
            return self.get_response(request)
