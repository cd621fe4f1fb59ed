"""Personal access tokens: shown once, stored hashed, expiring, revocable, scoped."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from projects.models import ApiToken, hash_secret
from projects.services.access import api_token_create

API = "/api/v1"


def bearer(plain: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    return client


@pytest.mark.django_db
def test_secret_is_shown_once_and_stored_only_as_a_hash(api_as, member):
    created = api_as(member).post(f"{API}/tokens/", {"name": "CRM sync", "read_only": True})
    assert created.status_code == 201
    plain = created.json()["token"]
    row = ApiToken.objects.get(pk=created.json()["id"])
    assert row.secret_hash == hash_secret(plain) and plain.startswith(row.prefix)
    assert plain not in {row.secret_hash, row.prefix, row.name}
    listed = api_as(member).get(f"{API}/tokens/").json()["results"]
    assert all("token" not in item for item in listed)
    assert api_as(member).get(f"{API}/tokens/{row.pk}/").json()["read_only"] is True


@pytest.mark.django_db
def test_using_a_token_records_when_it_was_last_used(member):
    token, plain = api_token_create(user=member, name="Reporting")
    assert token.last_used_at is None
    assert bearer(plain).get(f"{API}/projects/").status_code == 200
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)


@pytest.mark.django_db
def test_expired_revoked_and_unknown_tokens_are_401_with_a_challenge(member):
    expired, expired_plain = api_token_create(user=member, name="Old")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    revoked, revoked_plain = api_token_create(user=member, name="Leaked")
    assert bearer(revoked_plain).delete(f"{API}/tokens/{revoked.pk}/").status_code == 204
    for plain in (expired_plain, revoked_plain, "ms_not-a-real-token"):
        response = bearer(plain).get(f"{API}/projects/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["detail"] == "The token is unknown, expired or revoked."


@pytest.mark.django_db
def test_no_credentials_is_401_with_a_bearer_challenge(anonymous_api):
    response = anonymous_api.get(f"{API}/milestones/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["title"] == "Authentication required"


@pytest.mark.django_db
def test_read_only_token_reads_but_every_write_is_403(api_as, project, manager):
    api = api_as(manager, read_only=True)
    assert api.get(f"{API}/projects/{project.pk}/").status_code == 200
    writes = [
        api.patch(f"{API}/projects/{project.pk}/", {"name": "Nope"}),
        api.post(f"{API}/phases/", {"project": project.pk, "name": "Nope"}),
        api.delete(f"{API}/projects/{project.pk}/"),
        api.post(f"{API}/tokens/", {"name": "escalate"}),
    ]
    assert [response.status_code for response in writes] == [403] * 4
    assert "read-only" in writes[0].json()["detail"]
    project.refresh_from_db()
    assert project.name != "Nope"


@pytest.mark.django_db
def test_a_token_acts_with_its_owners_role(api_as, project, viewer):
    response = api_as(viewer).patch(f"{API}/projects/{project.pk}/", {"name": "Nope"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_browser_session_works_and_needs_csrf_for_writes(project, manager):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.get(f"{API}/projects/{project.pk}/").status_code == 200
    refused = client.patch(f"{API}/projects/{project.pk}/", {"name": "No token"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]


@pytest.mark.django_db
def test_cannot_see_or_revoke_someone_elses_token(api_as, member, manager):
    token, _ = api_token_create(user=manager, name="Manager's")
    assert api_as(member).get(f"{API}/tokens/{token.pk}/").status_code == 404
    assert api_as(member).delete(f"{API}/tokens/{token.pk}/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
