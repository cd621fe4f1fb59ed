"""The README's reference client checks real deliveries: signed with the endpoint's secret
(either secret while a rotation's overlap lasts), recent, and untouched."""

import time

import pytest

from notifications import services as notification_services
from notifications.webhooks.delivery import send_pending_webhooks, signature
from tests.notifications.webhooks.test_delivery import complete_a_milestone
from tests.reference_client import reference_client


@pytest.fixture
def verify_webhook():
    return reference_client()["verify_webhook"]


@pytest.fixture
def endpoint(settings, workspace, owner, webhook_receiver):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True
    return notification_services.webhook_endpoint_create(
        workspace=workspace, actor=owner, url=webhook_receiver.url
    )


def delivered(project, manager, webhook_receiver) -> dict:
    complete_a_milestone(project, manager)
    send_pending_webhooks()
    return webhook_receiver.requests[-1]


def test_a_delivery_verifies_with_its_secret_and_nothing_else(
    verify_webhook, endpoint, project, manager, webhook_receiver
):
    request = delivered(project, manager, webhook_receiver)
    headers, body = request["headers"], request["body"]
    assert verify_webhook(endpoint.secret, headers, body)
    assert not verify_webhook("another-secret", headers, body)
    assert not verify_webhook(endpoint.secret, headers, body.replace(b"completed", b"cancelled"))
    lower_case = {name.lower(): value for name, value in headers.items()}
    assert verify_webhook(endpoint.secret, lower_case, body)


def test_an_old_delivery_is_refused_even_when_signed(
    verify_webhook, endpoint, project, manager, webhook_receiver
):
    body = delivered(project, manager, webhook_receiver)["body"]
    old = str(int(time.time()) - 301)
    replayed = {
        "X-Milestones-Timestamp": old,
        "X-Milestones-Signature": signature(endpoint.secret, old, body),
    }
    assert not verify_webhook(endpoint.secret, replayed, body)
    assert verify_webhook(endpoint.secret, replayed, body, tolerance=400)


def test_during_a_rotation_the_old_and_the_new_secret_verify(
    verify_webhook, endpoint, owner, project, manager, webhook_receiver
):
    old_secret = endpoint.secret
    rotated = notification_services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=owner)
    request = delivered(project, manager, webhook_receiver)
    assert verify_webhook(old_secret, request["headers"], request["body"])
    assert verify_webhook(rotated.secret, request["headers"], request["body"])
    assert not verify_webhook("a-guess", request["headers"], request["body"])
