"""Signed webhook deliveries: payloads, the private-network guard, sending with retries.

Each request carries `X-Milestones-Timestamp` and `X-Milestones-Signature:
sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret>`; receivers
recompute it and reject old timestamps. A failed attempt is retried with exponential
backoff; after DISABLE_AFTER consecutive failures the endpoint is switched off and the
workspace owners are told.
"""

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.request
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F
from django.forms.models import model_to_dict
from django.utils import timezone

from milestones_site.api.representations import api_representation
from notifications.links import page_path
from notifications.models import (
    DeliveryState,
    Kind,
    Notification,
    WebhookDelivery,
    WebhookEndpoint,
    backoff,
)
from projects.models import ActivityEvent, Membership, Role

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_ATTEMPTS = 8
DISABLE_AFTER = 10
TIMEOUT_SECONDS = 10
USER_AGENT = "Milestones-Webhooks/1"


class UnsafeTarget(ValueError):
    """The URL points at a private, loopback or otherwise internal address."""


def resolve_addresses(host: str, port: int) -> set[str]:
    return {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}


def ensure_public_target(url: str) -> None:
    """Refuse URLs that reach into our own network, unless the settings allow it.

    Checked when an endpoint is saved and again before each request (DNS may change)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget("Use an http:// or https:// URL.")
    if settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE:
        return
    try:
        addresses = resolve_addresses(parts.hostname, parts.port or 443)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeTarget(f"Cannot resolve {parts.hostname}.") from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise UnsafeTarget(f"{parts.hostname} resolves to a private address ({ip}).")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def represent(target: models.Model | None, *, reader) -> dict | None:
    """The object as the API shows it (read as a workspace owner, who sees everything in
    it); objects the API does not expose fall back to their fields, with ids for relations."""
    if target is None:
        return None
    data = api_representation(target, reader=reader) if reader else None
    if data is None:
        fields = [field.name for field in target._meta.concrete_fields]
        data = json.loads(json.dumps(model_to_dict(target, fields=fields), cls=DjangoJSONEncoder))
        data["id"] = target.pk
    data["url"] = page_path(
        target._meta.model_name, target.pk, milestone_id=getattr(target, "milestone_id", None)
    )
    return data


def payload_for(event: ActivityEvent, *, reader) -> dict:
    return {
        "id": event.pk,
        "type": event.verb,
        "created_at": event.created_at.isoformat(),
        "workspace": event.workspace_id,
        "project": event.project_id,
        "actor": event.actor_name,
        "changes": event.changes,
        "data": event.data,
        "object_type": event.target_type.model,
        "object": represent(event.target, reader=reader),
    }


def workspace_readers(workspace_ids: set[int]) -> dict[int, object]:
    """One owner per workspace, whose view of an object the payload shows."""
    owners = Membership.objects.filter(workspace_id__in=workspace_ids, role=Role.OWNER)
    readers = {}
    for membership in owners.select_related("user").order_by("workspace_id", "id"):
        readers.setdefault(membership.workspace_id, membership.user)
    return readers


def deliveries_for(events: list[ActivityEvent]) -> list[WebhookDelivery]:
    """Unsaved deliveries of the events to every active endpoint that wants them."""
    if not events:
        return []
    endpoints = list(
        WebhookEndpoint.objects.filter(
            active=True, workspace_id__in={event.workspace_id for event in events}
        )
    )
    readers = workspace_readers({endpoint.workspace_id for endpoint in endpoints})
    deliveries = []
    for event in events:
        wanted = [
            endpoint
            for endpoint in endpoints
            if endpoint.workspace_id == event.workspace_id and endpoint.wants(event.verb)
        ]
        payload = payload_for(event, reader=readers.get(event.workspace_id)) if wanted else None
        deliveries.extend(
            WebhookDelivery(endpoint=endpoint, event=event, event_type=event.verb, payload=payload)
            for endpoint in wanted
        )
    return deliveries


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead past the private-network guard: treat it as a failure."""

    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> int:
    """POST the signed payload; returns the HTTP status (raises on network errors)."""
    ensure_public_target(endpoint.url)
    body = json.dumps(delivery.payload, cls=DjangoJSONEncoder).encode()
    timestamp = str(int(timezone.now().timestamp()))
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
            "X-Milestones-Signature": signature(endpoint.secret, timestamp, body),
        },
    )
    try:
        with OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


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
    with transaction.atomic():
        locked = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery.pk, state=DeliveryState.PENDING)
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
        except (OSError, UnsafeTarget) as error:
            return _record_failure(locked, endpoint, attempts, str(error), None, now)
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
        WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .only("pk")[:limit]
    )
    outcomes: dict[str, int] = {}
    for delivery in batch:
        state = _deliver_one(delivery, now=now)
        outcomes[state] = outcomes.get(state, 0) + 1
    return outcomes
