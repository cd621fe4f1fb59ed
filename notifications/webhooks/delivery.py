"""Signed webhook deliveries: sending with retries.

Each request carries `X-Milestones-Timestamp` and `X-Milestones-Signature:
sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret>`; receivers
recompute it and reject old timestamps. While a rotated secret's overlap lasts, the header
lists one signature per valid secret, the current one first (`sha256=<new>, sha256=<old>`):
a receiver accepts the request when any of them matches its secret. A failed attempt is
retried with exponential backoff; after DISABLE_AFTER consecutive failures the endpoint is
switched off and the workspace owners are told. Whatever goes wrong with one delivery (a
refused target, a malformed URL, a server answering garbage) is recorded on that delivery,
and the batch goes on.
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.models import (
    DeliveryState,
    Kind,
    Notification,
    WebhookDelivery,
    WebhookEndpoint,
    backoff,
)
from notifications.webhooks.targets import UnsafeTarget, ensure_public_target
from projects.models import Membership, Role

logger = logging.getLogger(__name__)


BATCH_SIZE = 100


MAX_ATTEMPTS = 8


DISABLE_AFTER = 10


TIMEOUT_SECONDS = 10


USER_AGENT = "Milestones-Webhooks/1"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def signature_header(secrets: list[str], timestamp: str, body: bytes) -> str:
    return ", ".join(signature(secret, timestamp, body) for secret in secrets)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead past the private-network guard: treat it as a failure."""

    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> int:
    """POST the signed payload; returns the HTTP status (raises on network errors)."""
    ensure_public_target(endpoint.url)
    body = json.dumps(delivery.payload, cls=DjangoJSONEncoder).encode()
    now = timezone.now()
    timestamp = str(int(now.timestamp()))
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Milestones-Event": delivery.event_type,
            "X-Milestones-Delivery": str(delivery.pk),
            "X-Milestones-Timestamp": timestamp,
            "X-Milestones-Signature": signature_header(
                endpoint.signing_secrets(now=now), timestamp, body
            ),
        },
    )
    try:
        with OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def describe(error: Exception) -> str:
    """What the delivery log shows: the refusal itself, or the error with its kind."""
    if isinstance(error, UnsafeTarget):
        return str(error)
    return f"{type(error).__name__}: {error}"


def disable_endpoint(endpoint: WebhookEndpoint, reason: str) -> None:
    """Switch the endpoint off and tell the workspace owners (in-app and by email)."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False, disabled_reason=reason)
    owners = Membership.objects.filter(workspace_id=endpoint.workspace_id, role=Role.OWNER)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                kind=Kind.WEBHOOK_DISABLED,
                key=f"webhook_disabled:{endpoint.pk}:{timezone.now():%Y%m%d%H%M%S}",
                workspace_id=endpoint.workspace_id,
                title=f"Webhook to {endpoint.url[:180]} was switched off",
                body=reason,
                url=f"/notifications/webhooks/{endpoint.pk}/",
            )
            for user_id in owners.values_list("user_id", flat=True)
        ],
        ignore_conflicts=True,
    )


def _record_failure(delivery, endpoint, attempts: int, error: str, status, now) -> str:
    state = DeliveryState.FAILED if attempts >= MAX_ATTEMPTS else DeliveryState.PENDING
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=state,
        attempts=attempts,
        response_status=status,
        last_error=error[:1000],
        next_attempt_at=now + backoff(attempts),
    )
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    endpoint.refresh_from_db(fields=["consecutive_failures", "active"])
    if endpoint.active and endpoint.consecutive_failures >= DISABLE_AFTER:
        disable_endpoint(
            endpoint, f"{endpoint.consecutive_failures} deliveries in a row failed: {error}"
        )
    return state


def _deliver_one(delivery: WebhookDelivery, *, now: datetime) -> str:
    """Send one delivery if it is still pending and due (re-read under the lock, so a
    delivery another task just retried is not tried again at once); returns its state."""
    with transaction.atomic():
        locked = (
            WebhookDelivery.objects.due_for_sending(now=now)
            .select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery.pk)
            .first()
        )
        if locked is None:
            return "taken"
        endpoint = locked.endpoint
        if not endpoint.active:
            locked.state = DeliveryState.SKIPPED
            locked.last_error = "The endpoint is switched off."
            locked.save(update_fields=["state", "last_error"])
            return DeliveryState.SKIPPED
        attempts = locked.attempts + 1
        try:
            status = post(endpoint, locked)
        except Exception as error:  # any delivery's fault ends with its row, not the batch
            logger.warning("Webhook delivery %s failed: %r", locked.pk, error)
            return _record_failure(locked, endpoint, attempts, describe(error), None, now)
        if not 200 <= status < 300:
            return _record_failure(locked, endpoint, attempts, f"HTTP {status}", status, now)
        WebhookDelivery.objects.filter(pk=locked.pk).update(
            state=DeliveryState.SENT,
            attempts=attempts,
            response_status=status,
            last_error="",
            delivered_at=timezone.now(),
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        return DeliveryState.SENT


def send_pending_webhooks(*, limit: int = BATCH_SIZE, now: datetime | None = None) -> dict:
    """Send up to `limit` deliveries whose (re)try time has come; counts by outcome."""
    now = now or timezone.now()
    batch = list(
        WebhookDelivery.objects.due_for_sending(now=now)
        .order_by("next_attempt_at", "id")
        .only("pk")[:limit]
    )
    outcomes: dict[str, int] = {}
    for delivery in batch:
        state = _deliver_one(delivery, now=now)
        outcomes[state] = outcomes.get(state, 0) + 1
    return outcomes
