import pytest


@pytest.fixture
def signed_in(client):
    """`signed_in(user)` → the test client with that user's session."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
