"""Show times in the signed-in person's own timezone when they chose one in their
notification preferences; otherwise the workspace's timezone (projects' middleware) holds."""

import zoneinfo

from django.utils import timezone

from .models import NotificationPreference


class PersonalTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return self.get_response(request)
        chosen = (
            NotificationPreference.objects.filter(user=request.user)
            .values_list("timezone", flat=True)
            .first()
        )
        if not chosen:
            return self.get_response(request)
        with timezone.override(zoneinfo.ZoneInfo(chosen)):
            return self.get_response(request)
