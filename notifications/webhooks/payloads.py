"""What a webhook delivery carries: the event with the object as the API shows it to a
workspace owner, made once per event for every endpoint that wants it."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict

from milestones_site.api.representations import representation
from notifications.links import page_path
from notifications.models import WebhookDelivery, WebhookEndpoint
from projects.models import ActivityEvent, Membership, Role


def represent(target: models.Model | None, *, reader) -> dict | None:
    """The object as the API shows it (read as a workspace owner, who sees everything in
    it); objects the API does not expose fall back to their fields, with ids for relations."""
    if target is None:
        return None
    data = representation(target, reader=reader) if reader else None
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
    """Unsaved deliveries of the events to every active endpoint that wants them and
    existed when they happened: an endpoint registered while older events were still
    waiting to be processed (a lost doorbell, a busy worker) never gets them."""
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
            if endpoint.workspace_id == event.workspace_id
            and endpoint.created_at <= event.created_at
            and endpoint.wants(event.verb)
        ]
        payload = payload_for(event, reader=readers.get(event.workspace_id)) if wanted else None
        deliveries.extend(
            WebhookDelivery(endpoint=endpoint, event=event, event_type=event.verb, payload=payload)
            for endpoint in wanted
        )
    return deliveries
