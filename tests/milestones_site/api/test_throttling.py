"""Rate limits per token and per anonymous address, from settings: 429 with Retry-After."""

import os
import uuid

import pytest
from django.core.cache import cache
from django_redis.cache import RedisCache
from rest_framework.test import APIClient

from milestones_site.api.throttles import ClientRateThrottle
from projects.services.access import api_token_create

API = "/api/v1"
ADDRESS = "203.0.113.7"


CACHES = {
    "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The Redis that `make test` expects anyway (for the Celery worker tests).
    "redis": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
    },
}


@pytest.fixture(params=CACHES)
def low_limits(request, settings):
    """Low rates, counted in each kind of cache under keys of this test's own: the Redis is
    shared with parallel workers whose token ids collide with ours."""
    settings.CACHES = {"default": {**CACHES[request.param], "KEY_PREFIX": uuid.uuid4().hex}}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"client": "3/minute", "anonymous": "2/minute"},
    }


@pytest.mark.django_db
def test_each_token_has_its_own_budget(low_limits, member):
    tokens = [api_token_create(user=member, name=name) for name in ("CRM", "Chat")]
    clients = []
    for _, plain in tokens:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
        clients.append(client)

    assert [clients[0].get(f"{API}/projects/").status_code for _ in range(3)] == [200] * 3
    refused = clients[0].get(f"{API}/projects/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["title"] == "Too many requests"
    assert clients[1].get(f"{API}/projects/").status_code == 200


@pytest.mark.django_db
def test_anonymous_callers_are_limited_per_address_even_with_bad_tokens(low_limits):
    anonymous = APIClient(REMOTE_ADDR=ADDRESS)
    guesser = APIClient(REMOTE_ADDR=ADDRESS)
    guesser.credentials(HTTP_AUTHORIZATION="Bearer ms_guess")
    assert anonymous.get(f"{API}/projects/").status_code == 401
    assert guesser.get(f"{API}/projects/").status_code == 401
    refused = guesser.get(f"{API}/projects/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert anonymous.get(f"{API}/schema/").status_code == 429


@pytest.mark.django_db
def test_a_budget_is_one_counter_per_window_and_renews_with_the_next(
    low_limits, member, monkeypatch
):
    """Counting keeps one integer per caller and window, however many requests come (DRF's
    own throttle kept a timestamp per request); the next window starts a fresh budget."""
    clock = [1_800_000_000.0]  # 00:00 of a minute
    monkeypatch.setattr(ClientRateThrottle, "timer", lambda self: clock[0])
    token, plain = api_token_create(user=member, name="CRM")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")

    assert [client.get(f"{API}/projects/").status_code for _ in range(4)] == [200] * 3 + [429]
    counter = f"throttle_client_token-{token.pk}:{int(clock[0] // 60)}"
    assert cache.get(counter) == 4
    if isinstance(cache, RedisCache):  # the counter goes away a window after its own
        assert 60 < cache.ttl(counter) <= 120

    clock[0] += 45
    refused = client.get(f"{API}/projects/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 15  # the window's end, not a full minute

    clock[0] += 15
    assert client.get(f"{API}/projects/").status_code == 200
    assert cache.get(f"throttle_client_token-{token.pk}:{int(clock[0] // 60)}") == 1
