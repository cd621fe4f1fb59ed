"""Rotating an endpoint's signing secret: a new secret shown once, the old one still
signing deliveries beside it for the overlap, then only the new one."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from notifications import services as notification_services
from notifications.models import WebhookEndpoint
from notifications.webhooks.delivery import send_pending_webhooks
from projects.models import ActivityEvent
from tests.clients import client_with_token
from tests.notifications.webhooks.test_delivery import complete_a_milestone, verify


@pytest.fixture
def endpoint(settings, workspace, owner, webhook_receiver):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True
    return notification_services.webhook_endpoint_create(
        workspace=workspace,
        actor=owner,
        url=webhook_receiver.url,
        event_types=["milestone.completed"],
    )


def signed_by(secret: str, request: dict) -> list[bool]:
    """For each signature the request lists, in order: is it `secret`'s? (A receiver
    accepts the request when any one is its own.)"""
    listed = request["headers"]["X-Milestones-Signature"].split(", ")
    return [
        verify(secret, {**request, "headers": {**request["headers"], "X-Milestones-Signature": s}})
        for s in listed
    ]


def test_rotation_signs_with_both_secrets_during_the_overlap_then_the_new_one(
    endpoint, owner, project, manager, webhook_receiver
):
    old_secret = endpoint.secret
    with time_machine.travel(timezone.now(), tick=False) as clock:
        response = client_with_token(owner).post(
            f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/", {}, format="json"
        )
        assert response.status_code == 200, response.content
        rotated = response.json()
        new_secret = rotated["secret"]
        assert new_secret != old_secret and len(new_secret) > 30
        expires = timezone.now() + timedelta(hours=24)
        assert rotated["previous_secret_expires_at"] == expires.isoformat().replace("+00:00", "Z")
        assert (
            "secret" not in client_with_token(owner).get(f"/api/v1/webhooks/{endpoint.pk}/").json()
        )

        complete_a_milestone(project, manager)
        send_pending_webhooks()
        [during] = webhook_receiver.requests
        assert signed_by(new_secret, during) == [True, False], "the new one first"
        assert signed_by(old_secret, during) == [False, True]
        assert signed_by("a-guess", during) == [False, False]

        clock.shift(timedelta(hours=24, seconds=1))
        complete_a_milestone(project, manager)
        send_pending_webhooks()
        after = webhook_receiver.requests[1]
        assert signed_by(new_secret, after) == [True]
    event = ActivityEvent.objects.get(verb="webhook.secret_rotated")
    assert event.actor == owner and event.data["url"] == endpoint.url


def test_an_overlap_of_zero_ends_the_old_secret_at_once(
    endpoint, owner, project, manager, webhook_receiver
):
    old_secret = endpoint.secret
    response = client_with_token(owner).post(
        f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/", {"overlap_hours": 0}, format="json"
    )
    assert response.status_code == 200, response.content
    complete_a_milestone(project, manager)
    send_pending_webhooks()
    [request] = webhook_receiver.requests
    assert signed_by(response.json()["secret"], request) == [True]
    assert signed_by(old_secret, request) == [False]


def test_a_second_rotation_drops_the_oldest_secret(endpoint, owner):
    first = endpoint.secret
    second = notification_services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=owner)
    third = notification_services.webhook_endpoint_rotate_secret(endpoint=second, actor=owner)
    stored = WebhookEndpoint.objects.get(pk=endpoint.pk)
    assert stored.signing_secrets(now=timezone.now()) == [third.secret, second.secret]
    assert first not in (stored.secret, stored.previous_secret)


@pytest.mark.parametrize("overlap", [-1, 169, "a day", 2.5])
def test_a_bad_overlap_is_a_400_naming_the_field(endpoint, owner, overlap):
    response = client_with_token(owner).post(
        f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/", {"overlap_hours": overlap}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["overlap_hours"]
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == endpoint.secret


def test_only_owners_rotate(endpoint, manager, outsider):
    path = f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/"
    assert client_with_token(manager).post(path, {}, format="json").status_code == 403
    assert client_with_token(outsider).post(path, {}, format="json").status_code == 404
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == endpoint.secret
