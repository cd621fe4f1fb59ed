"""The private-network guard (notifications/webhooks/targets.py) against IPv6 addresses that
carry a private IPv4 address, at registration, on a URL change and before each send."""

import pytest
from django.core.exceptions import ValidationError

from notifications import services as notification_services
from notifications.events import process_events
from notifications.models import WebhookDelivery, WebhookEndpoint
from notifications.webhooks.delivery import send_pending_webhooks
from projects.models import ActivityEvent
from projects.services import milestones as milestone_services
from tests.factories import MilestoneFactory

# The forms named in the issue, each reaching a private IPv4 address.
EMBEDDING_A_PRIVATE_IPV4 = {
    "NAT64 to the metadata service": "http://[64:ff9b::a9fe:a9fe]/hook",  # 169.254.169.254
    "NAT64 local use": "http://[64:ff9b:1::a9fe:a9fe]/hook",
    "NAT64 local use to a public address": "http://[64:ff9b:1::808:808]/hook",
    "6to4 of the metadata service": "http://[2002:a9fe:a9fe::1]/hook",
    "IPv4-mapped loopback": "http://[::ffff:127.0.0.1]/hook",
    "IPv4-translated loopback": "http://[::ffff:0:7f00:1]/hook",
    "IPv4-compatible loopback": "http://[::127.0.0.1]/hook",
    "IPv4-compatible private network": "http://[::10.0.0.8]:8080/hook",
}
# The same forms carrying a public address (8.8.8.8) stay allowed.
EMBEDDING_A_PUBLIC_IPV4 = [
    "http://[64:ff9b::808:808]/hook",
    "http://[2002:808:808::1]/hook",
    "http://[::ffff:8.8.8.8]/hook",
]


@pytest.fixture
def guarded(settings):
    settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE = False


@pytest.mark.parametrize(
    "url", EMBEDDING_A_PRIVATE_IPV4.values(), ids=EMBEDDING_A_PRIVATE_IPV4.keys()
)
def test_an_ipv6_address_embedding_a_private_ipv4_is_refused_at_registration(
    guarded, workspace, owner, url
):
    with pytest.raises(ValidationError) as error:
        notification_services.webhook_endpoint_create(workspace=workspace, actor=owner, url=url)
    assert "private address" in error.value.message_dict["url"][0]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("url", EMBEDDING_A_PUBLIC_IPV4)
def test_an_ipv6_address_embedding_a_public_ipv4_is_accepted(guarded, workspace, owner, url):
    endpoint = notification_services.webhook_endpoint_create(
        workspace=workspace, actor=owner, url=url
    )
    assert endpoint.url == url


@pytest.mark.parametrize(
    "url", EMBEDDING_A_PRIVATE_IPV4.values(), ids=EMBEDDING_A_PRIVATE_IPV4.keys()
)
def test_changing_the_url_to_one_embedding_a_private_ipv4_is_refused(
    guarded, workspace, owner, url
):
    endpoint = notification_services.webhook_endpoint_create(
        workspace=workspace, actor=owner, url=EMBEDDING_A_PUBLIC_IPV4[0]
    )
    with pytest.raises(ValidationError) as error:
        notification_services.webhook_endpoint_update(
            endpoint=endpoint, actor=owner, data={"url": url}
        )
    assert "private address" in error.value.message_dict["url"][0]
    endpoint.refresh_from_db()
    assert endpoint.url == EMBEDDING_A_PUBLIC_IPV4[0]


def test_a_stored_url_embedding_a_private_ipv4_is_not_called(
    guarded, workspace, owner, project, manager
):
    """Rows saved before the guard knew these forms are checked again before each send."""
    endpoint = notification_services.webhook_endpoint_create(
        workspace=workspace, actor=owner, url=EMBEDDING_A_PUBLIC_IPV4[0]
    )
    stored = list(EMBEDDING_A_PRIVATE_IPV4.values())
    for url in stored[1:]:
        WebhookEndpoint.objects.create(workspace=workspace, url=url, secret="s")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=stored[0])
    milestone = MilestoneFactory(project=project)
    milestone_services.milestone_complete(milestone=milestone, actor=manager)
    completed = ActivityEvent.objects.filter(verb="milestone.completed")
    process_events(list(completed.values_list("pk", flat=True)))

    outcomes = send_pending_webhooks()

    assert outcomes == {"pending": len(stored)}
    for delivery in WebhookDelivery.objects.select_related("endpoint"):
        assert "private address" in delivery.last_error, delivery.endpoint.url
        assert delivery.response_status is None
