"""The audit log writer: every service records what changed through `record`, which also
gives the workspace a new content version once the change commits."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.dispatch import Signal

from milestones_site.services.editing import save_changes
from projects.models import ActivityEvent, Project, Workspace, new_content_version

# Sent once the transaction that wrote events has committed, with their `event_ids` (once
# per transaction, so a transaction of hundreds of events rings once). Listeners (the
# notifications app) turn events into notifications; a rolled-back change sends nothing.
# This app imports none of its listeners.
events_recorded = Signal()


class RenewVersion:
    """After a commit, give the workspace a new content version, which names the state of
    everything in it (HTTP validators of pages and lists are made from it). Equal callbacks
    pending in one transaction (a bulk change records many events) renew it once.

    Renewed after the commit, not inside the transaction: an update inside it would hold the
    workspace row locked until the commit, and a transaction that locked a milestone after
    recording an event could deadlock with one that waited for the workspace while holding
    that milestone."""

    def __init__(self, workspace_id: int):
        self.workspace_id = workspace_id

    def __eq__(self, other) -> bool:
        return isinstance(other, RenewVersion) and other.workspace_id == self.workspace_id

    def __hash__(self) -> int:
        return hash(self.workspace_id)

    def __call__(self) -> None:
        Workspace.objects.filter(pk=self.workspace_id).update(content_version=new_content_version())


def renew_version_after_commit(workspace_id: int) -> None:
    """Called by `record` for every event, and by writes that record none."""
    callback = RenewVersion(workspace_id)
    # Callbacks of a rolled-back savepoint have left this list already.
    pending = transaction.get_connection().run_on_commit
    if not any(func == callback for _, func, _ in pending):
        transaction.on_commit(callback, robust=True)


class AnnounceEvents:
    """After a commit, send `events_recorded` with the ids of every event it recorded."""

    def __init__(self):
        self.event_ids: list[int] = []

    def __call__(self) -> None:
        events_recorded.send(sender=ActivityEvent, event_ids=self.event_ids)


def announce_after_commit(event_id: int) -> None:
    """Called by `record` for every event: the transaction's one announcement gets its id."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:  # autocommit: the event is committed already
        events_recorded.send(sender=ActivityEvent, event_ids=[event_id])
        return
    # Callbacks of a rolled-back savepoint have left this list already (and an id recorded in
    # one that is later rolled back names no event: listeners find nothing for it).
    pending = connection.run_on_commit
    announcement = next((func for _, func, _ in pending if isinstance(func, AnnounceEvents)), None)
    if announcement is None:
        announcement = AnnounceEvents()
        transaction.on_commit(announcement, robust=True)
    announcement.event_ids.append(event_id)


# How the audit log names rows whose model name runs two words together.
ROW_NOUNS = {"checklistitem": "checklist_item", "statusupdate": "status_update"}


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
    """Append one event. `changes` maps field → (before, after). A target outside every
    workspace (a personal API token or calendar feed) makes an account event."""
    project = project_of(target)
    if isinstance(target, Workspace):
        workspace_id = target.pk
    elif project is not None:
        workspace_id = project.workspace_id
    else:
        workspace_id = getattr(target, "workspace_id", None)
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
    if workspace_id is not None:
        renew_version_after_commit(workspace_id)
    announce_after_commit(event.pk)
    return event


def save_recorded(row: models.Model, changes: dict, *, actor, verb: str) -> models.Model:
    """Save the row's changed fields (with a new version where it keeps one) and record
    `verb` with them; no change, nothing written."""
    save_changes(row, changes)
    if changes:
        record(actor=actor, verb=verb, target=row, changes=changes)
    return row


def record_deletion(
    row: models.Model, *, actor, target: models.Model, data: dict, verb: str = ""
) -> None:
    """Delete `row`, recording `verb` (`<model>.deleted`) on `target` (what outlives it)
    with `data` naming what went: the audit trail outlives the row."""
    verb = verb or f"{ROW_NOUNS.get(row._meta.model_name, row._meta.model_name)}.deleted"
    record(actor=actor, verb=verb, target=target, data=data)
    row.delete()
