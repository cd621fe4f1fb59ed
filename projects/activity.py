"""The audit log writer: every service records what changed through `record`, which also
gives the workspace a new content version once the change commits."""

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.deletion import Collector
from django.dispatch import Signal
from django.utils import timezone

from milestones_site.services.editing import save_changes
from projects.models import ActivityEvent, Deletion, Project, Workspace, new_content_version

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
        # Its counts of members and projects may have moved: it reads as changed for sync.
        Workspace.objects.filter(pk=self.workspace_id).update(
            content_version=new_content_version(), updated_at=timezone.now()
        )


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
        touch_shown_with(row, changes)
        record(actor=actor, verb=verb, target=row, changes=changes)
    return row


# Incremental sync (`?updated_after=`) reads again every row whose `updated_at` moved, so a
# change moves it on every row whose representation shows what changed: the row itself
# (auto_now), rows whose roll-ups moved (projects.rollups.store), the workspace after each
# commit (RenewVersion), and the rows `touch_*` name below. What depends on today's date
# (overdue, health) and people's names are outside it.

# The fields of a row that the rows below it show beside their own (`project_name`, …).
SHOWN_BELOW = ("name", "title")
# Rows that never show another row's name or count, however they point to it.
NOT_TOUCHED = {"projects.activityevent", "projects.workspace"}


def shows_changes(model) -> bool:
    label = model._meta.label_lower
    return label not in NOT_TOUCHED and any(
        field.name == "updated_at" for field in model._meta.concrete_fields
    )


def touch(model, pks) -> None:
    """These rows show something that changed: their `updated_at` moves."""
    pks = {pk for pk in pks if pk is not None}
    if pks and shows_changes(model):
        model._base_manager.filter(pk__in=pks).update(updated_at=timezone.now())


def touch_parents(row: models.Model, fields=None) -> None:
    """The rows `row` points to (through `fields`, else every foreign key) count it or
    list it: they changed with it."""
    for field in row._meta.concrete_fields:
        if field.many_to_one and (fields is None or field.name in fields):
            touch(field.related_model, [getattr(row, field.attname)])


def touch_shown_with(row: models.Model, changes: dict) -> None:
    """After an update: a row moved to another parent changes both parents' counts; a
    renamed row changes the rows that show its name: those below it, two levels down (a
    project's name is shown on its deliverables), and those that point to it otherwise (a
    project shows the title of its next milestone)."""
    for name, (before, after) in changes.items():
        field = row._meta.get_field(name)
        if field.many_to_one:
            touch(field.related_model, [before, after])
    if SHOWN_BELOW & changes.keys():
        touch_below(type(row), [row.pk], levels=2)


def touch_below(model, pks: list, *, levels: int) -> None:
    """Touch the rows that point to these rows (`levels` deep): two queries per relation,
    however many rows."""
    relations = model._meta.get_fields(include_hidden=True)
    for relation in relations:
        if not (relation.one_to_many and relation.auto_created):
            continue
        below = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": pks})
        found = list(below.values_list("pk", flat=True)) if shows_changes(below.model) else []
        touch(below.model, found)
        if levels > 1 and found and not relation.hidden:  # rows below, not beside
            touch_below(below.model, found, levels=levels - 1)


def record_deletion(
    row: models.Model, *, actor, target: models.Model, data: dict, verb: str = ""
) -> None:
    """Delete `row`, recording `verb` (`<model>.deleted`) on `target` (what outlives it)
    with `data` naming what went: the audit trail outlives the row. Every row that goes
    with it and that the API shows leaves a Deletion (`GET /api/v1/deleted/`), and the rows
    that outlive it but showed it (parents counting it, rows pointing to it) are touched."""
    verb = verb or f"{ROW_NOUNS.get(row._meta.model_name, row._meta.model_name)}.deleted"
    event = record(actor=actor, verb=verb, target=target, data=data)
    delete_recorded(row, workspace_id=event.workspace_id)


# The kinds of row the API shows, as `Deletion.type` names them.
DELETION_TYPES = {
    "projects.activityevent": "activity",  # a project's audit trail goes with it
    "projects.client": "client",
    "projects.membership": "membership",
    "projects.project": "project",
    "projects.phase": "phase",
    "projects.milestone": "milestone",
    "projects.statusupdate": "status_update",
    "projects.comment": "comment",
    "projects.template": "template",
    "deliverables.deliverable": "deliverable",
    "deliverables.checklistitem": "checklist_item",
    "deliverables.deliverableversion": "version",
    "deliverables.prooffile": "proof_file",
    "deliverables.reviewround": "review_round",
    "deliverables.proofcomment": "proof_comment",
    "notifications.webhookendpoint": "webhook",
}


def delete_recorded(row: models.Model, *, workspace_id: int | None) -> None:
    """Delete `row` and what cascades from it (Django's deletion collector, as
    `Model.delete` does), leaving a Deletion for each row the API shows."""
    collector = Collector(using=row._state.db or "default", origin=row)
    collector.collect([row])
    gone: dict[type, list] = {}
    batches = [*collector.data.items(), *((qs.model, qs) for qs in collector.fast_deletes)]
    for model, rows in batches:
        # The rows the API shows, and the links between them (a milestone's dependencies):
        # not the audit trail or other rows that go with them unseen.
        if model._meta.label_lower in DELETION_TYPES or model._meta.auto_created:
            gone.setdefault(model, []).extend(rows)
    # What outlives them but showed them: the rows they pointed to (counting or listing
    # them), and the rows whose reference to them is cleared (SET_NULL).
    outliving: dict[type, set] = defaultdict(set)
    for objs in gone.values():
        for obj in objs:
            for field in obj._meta.concrete_fields:
                if field.many_to_one:
                    outliving[field.related_model].add(getattr(obj, field.attname))
    for (field, _value), updates in collector.field_updates.items():
        for rows in updates:
            outliving[field.model].update(obj.pk for obj in rows)
    for model, pks in outliving.items():
        deleted = {obj.pk for obj in gone.get(model, ())}
        touch(model, pks - deleted)
    if workspace_id is not None:
        Deletion.objects.bulk_create(
            Deletion(
                workspace_id=workspace_id,
                type=DELETION_TYPES[model._meta.label_lower],
                object_id=obj.pk,
                external_id=getattr(obj, "external_id", ""),
            )
            for model, objs in gone.items()
            if model._meta.label_lower in DELETION_TYPES
            for obj in objs
        )
    collector.delete()
