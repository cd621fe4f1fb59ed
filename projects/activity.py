"""The audit log writer: every service records what changed through `record`, which also
counts the change for the read cache once it commits."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.dispatch import Signal

from . import read_cache
from .models import ActivityEvent, Project, Workspace

# Sent once the transaction that wrote the event has committed, with `event_id`.
# Listeners (the notifications app) turn events into notifications; a rolled-back
# change sends nothing. This app imports none of its listeners.
event_recorded = Signal()


def jsonable(value):
    """A value as it is kept in the audit log's JSON."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [jsonable(item) for item in value]
    return value


def display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def project_of(target) -> Project | None:
    if isinstance(target, Project):
        return target
    return getattr(target, "project", None)


def record(
    *,
    actor,
    verb: str,
    target: models.Model,
    changes: dict | None = None,
    data: dict | None = None,
    actor_name: str = "",
) -> ActivityEvent:
    """Append one event. `changes` maps field → (before, after)."""
    project = project_of(target)
    if isinstance(target, Workspace):
        workspace_id = target.pk
    else:
        workspace_id = project.workspace_id if project else target.workspace_id
    event = ActivityEvent.objects.create(
        workspace_id=workspace_id,
        project=project,
        actor=actor,
        actor_name=actor_name or display_name(actor),
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        target_repr=str(target)[:255],
        changes={field: [jsonable(a), jsonable(b)] for field, (a, b) in (changes or {}).items()},
        data={key: jsonable(value) for key, value in (data or {}).items()},
    )
    read_cache.renew_version_after_commit(workspace_id)
    transaction.on_commit(
        lambda: event_recorded.send(sender=ActivityEvent, event_id=event.pk), robust=True
    )
    return event
