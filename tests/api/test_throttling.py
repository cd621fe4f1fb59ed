"""Rate limits per token and per anonymous address, from settings: 429 with Retry-After."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from milestones_site.api_throttles import AnonymousRateThrottle, ClientRateThrottle
from projects.access import api_token_create

API = "/api/v1"
ADDRESS = "203.0.113.7"


@pytest.fixture
def low_limits(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"client": "3/minute", "anonymous": "2/minute"},
    }


def forget_history(throttle_class, ident: str) -> None:
    """The cache outlives test transactions (and may be a shared Redis): start clean."""
    throttle = throttle_class.__new__(throttle_class)
    cache.delete(throttle.cache_format % {"scope": throttle.scope, "ident": ident})


@pytest.mark.django_db
def test_each_token_has_its_own_budget(low_limits, member):
    tokens = [api_token_create(user=member, name=name) for name in ("CRM", "Chat")]
    clients = []
    for token, plain in tokens:
        forget_history(ClientRateThrottle, f"token-{token.pk}")
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
    forget_history(AnonymousRateThrottle, ADDRESS)
    anonymous = APIClient(REMOTE_ADDR=ADDRESS)
    guesser = APIClient(REMOTE_ADDR=ADDRESS)
    guesser.credentials(HTTP_AUTHORIZATION="Bearer ms_guess")
    assert anonymous.get(f"{API}/projects/").status_code == 401
    assert guesser.get(f"{API}/projects/").status_code == 401
    refused = guesser.get(f"{API}/projects/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert anonymous.get(f"{API}/schema/").status_code == 429
