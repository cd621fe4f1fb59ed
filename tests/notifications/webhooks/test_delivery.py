"""Webhooks to a real receiver on loopback: signed, retried, guarded, switched off."""

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications import services as notification_services
from notifications.events import process_events
from notifications.models import Kind, Notification, WebhookDelivery, WebhookEndpoint
from notifications.webhooks.delivery import DISABLE_AFTER, send_pending_webhooks
from projects.models import ActivityEvent
from projects.services import milestones as milestone_services
from tests.clients import client_with_token
from tests.factories import MilestoneFactory


def verify(secret: str, request: dict) -> bool:
    """What a receiver does: recompute the signature over timestamp + body."""
    timestamp = request["headers"]["X-Milestones-Timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + request["body"], hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(f"sha256={expected}", request["headers"]["X-Milestones-Signature"])


@pytest.fixture
def endpoint(settings, workspace, owner, webhook_receiver):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True  # the receiver listens on loopback
    return notification_services.webhook_endpoint_create(
        workspace=workspace,
        actor=owner,
        url=webhook_receiver.url,
        event_types=["milestone.completed"],
    )


def complete_a_milestone(project, manager):
    milestone = MilestoneFactory(project=project)
    milestone_services.milestone_complete(milestone=milestone, actor=manager)
    process_events(list(ActivityEvent.objects.values_list("pk", flat=True)))
    return milestone


def test_the_receiver_gets_a_signed_payload_of_the_chosen_events(
    endpoint, project, manager, webhook_receiver
):
    milestone = complete_a_milestone(project, manager)
    assert send_pending_webhooks() == {"sent": 1}
    [request] = webhook_receiver.requests
    assert verify(endpoint.secret, request)
    assert not verify("another-secret", request)
    payload = request["json"]
    event = ActivityEvent.objects.get(verb="milestone.completed")
    assert payload["id"] == event.pk and payload["type"] == "milestone.completed"
    assert payload["created_at"] == event.created_at.isoformat()
    assert payload["object"]["id"] == milestone.pk
    assert payload["object"]["status"] == "completed"
    assert payload["object"]["title"] == milestone.title
    # The object is exactly what GET /api/v1/milestones/<id>/ shows, computed values included.
    assert payload["object"]["project_name"] == project.name
    assert payload["object"]["health"] == "completed" and "slip_days" in payload["object"]
    assert request["headers"]["X-Milestones-Event"] == "milestone.completed"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.response_status, delivery.attempts) == ("sent", 200, 1)


def test_a_500_is_retried_with_backoff_until_it_succeeds(
    endpoint, project, manager, webhook_receiver
):
    complete_a_milestone(project, manager)
    webhook_receiver.replies = [500, 500]
    now = timezone.now()
    assert send_pending_webhooks(now=now) == {"pending": 1}
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.response_status) == (1, 500)
    assert delivery.next_attempt_at == now + timedelta(seconds=30)
    assert send_pending_webhooks(now=now) == {}, "not before the backoff passed"
    assert send_pending_webhooks(now=now + timedelta(seconds=31)) == {"pending": 1}
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == now + timedelta(seconds=31 + 60)
    assert send_pending_webhooks(now=now + timedelta(minutes=5)) == {"sent": 1}
    assert len(webhook_receiver.requests) == 3
    assert all(verify(endpoint.secret, request) for request in webhook_receiver.requests)
    assert len({request["body"] for request in webhook_receiver.requests}) == 1
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_an_endpoint_failing_again_and_again_is_switched_off_and_owners_told(
    endpoint, project, manager, owner, webhook_receiver
):
    webhook_receiver.replies = [500] * DISABLE_AFTER
    for _ in range(DISABLE_AFTER):
        complete_a_milestone(project, manager)
        send_pending_webhooks()
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.consecutive_failures == DISABLE_AFTER
    assert Notification.objects.filter(recipient=owner, kind=Kind.WEBHOOK_DISABLED).count() == 1
    complete_a_milestone(project, manager)
    assert WebhookDelivery.objects.count() == DISABLE_AFTER, "nothing new for a dead endpoint"


def test_an_endpoint_registered_later_gets_no_event_from_before_it_existed(
    settings, workspace, owner, project, manager, webhook_receiver
):
    """An event still waiting to be processed when the endpoint is registered (its
    doorbell was lost; the outbox sweep finds it later) belongs to the time before."""
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True
    earlier = MilestoneFactory(project=project)
    milestone_services.milestone_complete(milestone=earlier, actor=manager)
    endpoint = notification_services.webhook_endpoint_create(
        workspace=workspace,
        actor=owner,
        url=webhook_receiver.url,
        event_types=["milestone.completed"],
    )
    later = complete_a_milestone(project, manager)  # processes both completions at once

    assert send_pending_webhooks() == {"sent": 1}
    [request] = webhook_receiver.requests
    assert request["json"]["object"]["id"] == later.pk
    assert WebhookDelivery.objects.get().endpoint == endpoint


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://localhost/hook",
        "ftp://example.com/hook",
    ],
)
def test_private_and_loopback_targets_are_refused_unless_allowed(settings, workspace, owner, url):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as error:
        notification_services.webhook_endpoint_create(workspace=workspace, actor=owner, url=url)
    assert "url" in error.value.message_dict


def test_a_target_that_turned_private_is_not_called(endpoint, settings, project, manager):
    complete_a_milestone(project, manager)
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = False
    assert send_pending_webhooks() == {"pending": 1}
    assert "private address" in WebhookDelivery.objects.get().last_error


def test_only_owners_manage_webhooks(workspace, manager, settings):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True
    with pytest.raises(PermissionDenied):
        notification_services.webhook_endpoint_create(
            workspace=workspace, actor=manager, url="http://127.0.0.1:9/hook"
        )


def test_the_payload_object_is_the_api_representation(
    endpoint, project, manager, owner, webhook_receiver
):
    milestone = complete_a_milestone(project, manager)
    send_pending_webhooks()
    [request] = webhook_receiver.requests
    shown = dict(request["json"]["object"])
    assert shown.pop("url") == f"/milestones/{milestone.pk}/"
    assert shown == client_with_token(owner).get(f"/api/v1/milestones/{milestone.pk}/").json()


def test_a_delivery_that_cannot_be_made_is_recorded_and_the_batch_goes_on(
    settings, workspace, owner, project, manager, webhook_receiver
):
    """An endpoint row saved before URLs were checked holds one the HTTP client refuses
    outright; its delivery records why, and the endpoint after it still gets its own."""
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = True
    broken = WebhookEndpoint.objects.create(
        workspace=workspace,
        url="http://127.0.0.1:9/hook\r\nX-Injected: 1",
        secret="s",
        event_types=["milestone.completed"],
    )
    notification_services.webhook_endpoint_create(
        workspace=workspace,
        actor=owner,
        url=webhook_receiver.url,
        event_types=["milestone.completed"],
    )
    complete_a_milestone(project, manager)

    assert send_pending_webhooks() == {"pending": 1, "sent": 1}

    assert len(webhook_receiver.requests) == 1
    failed = WebhookDelivery.objects.get(endpoint=broken)
    assert failed.last_error.startswith("InvalidURL: ")
    assert failed.attempts == 1
