"""Request rate limits: per API token (or per browser session user) and per anonymous IP.

Rates come from settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], env-overridable) and
are read on every request, so a changed setting applies at once.

Each caller's requests are counted per fixed window of the rate's period (a calendar
minute for `1200/minute`) with one counter in the cache. DRF's own throttle keeps the
timestamp of every request in the period and reads and writes that whole list on every
request: at 300 requests a second that was 18,000 timestamps moved twice per request.

When the cache cannot count (Redis is down: django-redis answers None and logs it), the
request goes through: a throttle that fails closed would take the whole API down with it.
"""

import logging

from django.core.cache import cache
from rest_framework import throttling
from rest_framework.settings import api_settings

logger = logging.getLogger(__name__)


class WindowCounterThrottle(throttling.SimpleRateThrottle):
    """At most `num_requests` per window of `duration` seconds; a refused request answers
    429 with Retry-After set to the end of the window."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.window_ends = (window + 1) * self.duration
        self.now = now
        number = self.count(f"{key}:{window}")
        if number is None:
            logger.warning("API throttle: the cache is unreachable; request let through")
            return True
        return number <= self.num_requests

    def count(self, key: str) -> int | None:
        """This request's number in its window (None when the cache cannot count). The
        counter outlives its window by a period, so it cannot expire while its window is
        still counting."""
        try:
            return cache.incr(key)
        except ValueError:  # the window's first request, or a race with another one
            if cache.add(key, 1, timeout=2 * self.duration):
                return 1
            return cache.incr(key)

    def wait(self):
        return max(1.0, self.window_ends - self.now)


class ClientRateThrottle(WindowCounterThrottle):
    """Each token has its own budget; a session user has one for the browser."""

    scope = "client"

    def get_cache_key(self, request, view):
        if request.auth is not None:  # the token a request authenticated with
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(WindowCounterThrottle):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
