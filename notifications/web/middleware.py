"""Show times in the signed-in person's own timezone when they chose one in their
notification preferences; otherwise the workspace's timezone (projects' middleware) holds."""

import zoneinfo

from django.utils import timezone


class PersonalTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return self.get_response(request)
        # Joined to the user by notifications.auth, so reading it costs no query.
        preference = getattr(request.user, "notification_preference", None)
        chosen = preference.timezone if preference is not None else ""
        if not chosen:
            return self.get_response(request)
        with timezone.override(zoneinfo.ZoneInfo(chosen)):
            return self.get_response(request)
