import pytest
from rest_framework.test import APIClient

from projects.access import api_token_create

GENEROUS_RATES = {"client": "100000/minute", "anonymous": "100000/minute"}


@pytest.fixture(autouse=True)
def generous_throttle_rates(settings):
    """Request counts of earlier tests must not throttle later ones; the throttling test
    sets its own low limits."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": GENEROUS_RATES}


def client_with_token(user, *, read_only: bool = False) -> APIClient:
    """An API client that authenticates only with a fresh Bearer token of `user`."""
    _, plain = api_token_create(user=user, name="Test integration", read_only=read_only)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    return client


@pytest.fixture
def api_as():
    return client_with_token


@pytest.fixture
def anonymous_api():
    return APIClient()
