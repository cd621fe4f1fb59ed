"""/api/v1/notifications/, /api/v1/notifications/preferences/ and /api/v1/webhooks/."""

import pytest
from rest_framework.test import APIClient

from notifications.models import Notification, WebhookDelivery, WebhookEndpoint
from projects.services.access import api_token_create


def api(user) -> APIClient:
    _, plain = api_token_create(user=user, name="Notifications test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    return client


def note(user, n: int, **fields) -> Notification:
    return Notification.objects.create(
        recipient=user, kind="milestone_completed", key=f"test:{n}", title=f"Note {n}", **fields
    )


@pytest.fixture(autouse=True)
def generous_throttles(settings):
    rates = {"client": "100000/minute", "anonymous": "100000/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_lists_only_my_notifications_in_a_constant_number_of_queries(
    member, manager, django_assert_max_num_queries
):
    client = api(member)
    client.get("/api/v1/notifications/")  # the token's first use is recorded once
    note(manager, 0)
    counts = []
    for total in (3, 30):
        for n in range(len(counts) * 3 + 1, total + 1):
            note(member, n)
        with django_assert_max_num_queries(20) as queries:
            response = client.get("/api/v1/notifications/")
        counts.append(len(queries.captured_queries))
        assert response.status_code == 200
        assert response.json()["count"] == total
    assert counts[0] == counts[1]
    titles = {row["title"] for row in response.json()["results"]}
    assert "Note 0" not in titles


def test_mark_one_read_then_all(member, manager):
    client = api(member)
    first, second = note(member, 1), note(member, 2)
    response = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    unread = client.get("/api/v1/notifications/?unread=true").json()
    assert [row["id"] for row in unread["results"]] == [second.pk]
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    others = note(manager, 3)
    assert client.post(f"/api/v1/notifications/{others.pk}/read/").status_code == 404


def test_preferences_start_from_defaults_and_validate(viewer):
    client = api(viewer)
    assert client.get("/api/v1/notifications/preferences/").json()["digest"] == "weekly"
    response = client.patch(
        "/api/v1/notifications/preferences/",
        {"digest": "daily", "digest_hour": 7, "timezone": "Asia/Tokyo"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["digest"] == "daily"
    bad = client.patch("/api/v1/notifications/preferences/", {"digest_hour": 25}, format="json")
    assert bad.status_code == 400 and "digest_hour" in bad.json()["errors"]
    unknown = client.patch("/api/v1/notifications/preferences/", {"colour": 1}, format="json")
    assert unknown.status_code == 400


def test_owners_manage_webhooks_and_read_the_delivery_log(
    settings, workspace, owner, member, outsider
):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True
    client = api(owner)
    created = client.post(
        "/api/v1/webhooks/",
        {"workspace": workspace.pk, "url": "http://127.0.0.1:9/hook", "event_types": []},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert len(created.json()["secret"]) > 30
    pk = created.json()["id"]
    assert "secret" not in client.get(f"/api/v1/webhooks/{pk}/").json()
    endpoint = WebhookEndpoint.objects.get(pk=pk)
    WebhookDelivery.objects.create(endpoint=endpoint, event_type="milestone.completed", payload={})
    log = client.get(f"/api/v1/webhooks/{pk}/deliveries/").json()
    assert [row["event_type"] for row in log["results"]] == ["milestone.completed"]
    patched = client.patch(f"/api/v1/webhooks/{pk}/", {"active": False}, format="json")
    assert patched.status_code == 200 and patched.json()["active"] is False

    assert api(member).get("/api/v1/webhooks/").json()["count"] == 0
    assert api(member).get(f"/api/v1/webhooks/{pk}/").status_code == 403
    assert api(outsider).get(f"/api/v1/webhooks/{pk}/").status_code == 404
    assert client.delete(f"/api/v1/webhooks/{pk}/").status_code == 204


def test_a_private_target_is_a_400_with_a_field_message(settings, workspace, owner):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = False
    response = api(owner).post(
        "/api/v1/webhooks/",
        {"workspace": workspace.pk, "url": "http://10.0.0.8/hook"},
        format="json",
    )
    assert response.status_code == 400
    assert "private address" in response.json()["errors"]["url"][0]


def test_anonymous_callers_are_refused(db):
    assert APIClient().get("/api/v1/notifications/").status_code == 401
    assert APIClient().get("/api/v1/notifications/preferences/").status_code == 401
