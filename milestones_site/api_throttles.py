"""Request rate limits: per API token (or per browser session user) and per anonymous IP.

Rates come from settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], env-overridable) and
are read on every request, so a changed setting applies at once."""

from rest_framework import throttling
from rest_framework.settings import api_settings

from projects.models import ApiToken


class SettingsRateThrottle(throttling.SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        # The rate is parsed per request (not once per class) so overrides take effect.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class ClientRateThrottle(SettingsRateThrottle):
    """Each token has its own budget; a session user has one for the browser."""

    scope = "client"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(SettingsRateThrottle):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
