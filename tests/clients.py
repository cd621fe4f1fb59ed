"""Clients that call the app as a caller would."""

from rest_framework.test import APIClient

from projects.services.access import api_token_create


def client_with_token(user, *, read_only: bool = False) -> APIClient:
    """An API client that authenticates only with a fresh Bearer token of `user`."""
    _, plain = api_token_create(user=user, name="Test integration", read_only=read_only)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    return client
