"""Writes to projects, their phases and their status updates.

Each service checks the actor's permission (projects.permissions), validates before it
saves, runs in one transaction and records an ActivityEvent. Validation failures raise
ValidationError with a message per field; a stale `expected_version` raises StaleVersion."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from milestones_site.services.editing import apply_changes, apply_edit, validate
from milestones_site.services.errors import invalid
from milestones_site.services.writes import Writes
from projects import activity, permissions, rollups
from projects.models import Phase, Project, StatusUpdate, Workspace
from projects.permissions import Action
from projects.services.external_ids import EXTERNAL_ID, keep_external_key
from projects.services.workspaces import ensure_member

# What a person may set on a project, in the order the forms show it (the browser, the
# admin and the API offer exactly these).
PROJECT_FIELDS = (
    "name",
    "client",
    "kind",
    "status",
    "owner",
    "start_date",
    "target_date",
    "budget_planned",
    "budget_spent",
    "currency",
    "objective",
    "description",
)


PHASE_FIELDS = ("name", "order", "start_date", "end_date")
STATUS_UPDATE_FIELDS = ("health", "summary")
MAX_PHASE_ORDER = 32767  # the column's range (a small integer)


def _validate_project_links(project: Project) -> None:
    if project.client_id and project.client.workspace_id != project.workspace_id:
        raise invalid(client="Choose a client of this workspace.")
    ensure_member(project.workspace, project.owner, "owner")


@transaction.atomic
def project_create(*, workspace: Workspace, actor, **fields) -> Project:
    """A new campaign; the actor owns it unless an owner is given."""
    permissions.ensure(actor, Action.PROJECT_CREATE, workspace)
    project = Project(workspace=workspace)
    apply_changes(project, {"owner": actor, **fields}, editable=(*PROJECT_FIELDS, EXTERNAL_ID))
    validate(project)
    _validate_project_links(project)
    keep_external_key(project, workspace.pk)
    project.save()
    activity.touch_parents(project, ["client"])  # its client counts it
    activity.record(actor=actor, verb="project.created", target=project)
    return project


@transaction.atomic
def project_update(
    *, project: Project, actor, data: dict, expected_version: int | None = None
) -> Project:
    """Managers change a campaign's details; its client must be of the workspace and its
    owner a member."""
    permissions.ensure(actor, Action.PROJECT_UPDATE, project.workspace)
    project, changes = apply_edit(
        project, data, editable=(*PROJECT_FIELDS, EXTERNAL_ID), expected_version=expected_version
    )
    _validate_project_links(project)
    keep_external_key(project, project.workspace_id)
    return activity.save_recorded(project, changes, actor=actor, verb="project.updated")


@transaction.atomic
def project_delete(*, project: Project, actor) -> None:
    """Managers delete a campaign with everything in it."""
    permissions.ensure(actor, Action.PROJECT_DELETE, project.workspace)
    activity.record_deletion(
        project, actor=actor, target=project.workspace, data={"project": project.name}
    )


def _make_room(*, project: Project, order: int, moving: Phase | None = None) -> None:
    """Free `order` in the project for a new phase, or for `moving` (a phase that leaves its
    current order for this one). For a new phase every phase from `order` on moves one
    down the list; for a moved one, the phases between its two places shift one step
    towards the place it leaves. The caller holds the project's lock, so placements in a
    project happen one at a time."""
    if order > MAX_PHASE_ORDER:
        raise invalid(order=f"Phases are numbered up to {MAX_PHASE_ORDER}.")
    orders = dict(Phase.objects.filter(project=project).values_list("pk", "order"))
    was = orders.pop(moving.pk) if moving else None
    if order not in orders.values():
        return
    if was is None or order < was:
        new_orders = {
            pk: at + 1 for pk, at in orders.items() if order <= at and (was is None or at < was)
        }
    else:
        new_orders = {pk: at - 1 for pk, at in orders.items() if was < at <= order}
    if moving:
        new_orders[moving.pk] = order
    # The unique constraint is checked row by row, so the phases that move first step
    # aside, above every order in use, then take their places: no two ever share one.
    aside = max(order, was or 0, *orders.values()) + 1
    if aside + len(new_orders) - 1 > MAX_PHASE_ORDER:
        raise invalid(order="There is no room to move phases there: number them lower.")
    now = timezone.now()
    for step in ({pk: aside + n for n, pk in enumerate(new_orders)}, new_orders):
        Phase.objects.bulk_update(
            [Phase(pk=pk, order=at, updated_at=now) for pk, at in step.items()],
            ["order", "updated_at"],
        )


@transaction.atomic
def phase_create(
    *, project: Project, actor, name: str, order: int | None = None, start_date=None, end_date=None
) -> Phase:
    """Managers add a stage to a project; without an order it comes last, at a taken order
    the phases from there on move one down."""
    permissions.ensure(actor, Action.PHASE_EDIT, project.workspace)
    rollups.lock_projects([project.pk])  # see _make_room
    if order is None:
        last = Phase.objects.filter(project=project).aggregate(last=Max("order"))["last"]
        order = 0 if last is None else last + 1
    phase = Phase(project=project, name=name, order=order, start_date=start_date, end_date=end_date)
    validate(phase)
    _make_room(project=project, order=order)
    phase.save()
    activity.record(actor=actor, verb="phase.created", target=phase)
    return phase


@transaction.atomic
def phase_update(*, phase: Phase, actor, data: dict, expected_version: int | None = None) -> Phase:
    """Managers rename, reorder or re-date a phase; it cannot end before it starts. Moved
    to a taken order, the phases in between shift one step to close the gap it leaves."""
    permissions.ensure(actor, Action.PHASE_EDIT, phase.project.workspace)
    rollups.lock_projects([phase.project_id])  # see _make_room; before the phase's own lock
    phase, changes = apply_edit(
        phase, data, editable=PHASE_FIELDS, expected_version=expected_version
    )
    if "order" in changes:
        _make_room(project=phase.project, order=phase.order, moving=phase)
    return activity.save_recorded(phase, changes, actor=actor, verb="phase.updated")


@transaction.atomic
def phase_delete(*, phase: Phase, actor) -> None:
    """Its milestones stay in the project, without a phase."""
    permissions.ensure(actor, Action.PHASE_EDIT, phase.project.workspace)
    activity.record_deletion(phase, actor=actor, target=phase.project, data={"phase": phase.name})


@transaction.atomic
def status_update_post(*, project: Project, actor, health: str, summary: str) -> StatusUpdate:
    """Managers post a dated word on the project's health."""
    permissions.ensure(actor, Action.STATUS_UPDATE_POST, project.workspace)
    update = StatusUpdate(
        project=project, health=health, summary=(summary or "").strip(), author=actor
    )
    validate(update)
    rollups.lock_projects([project.pk])
    update.save()
    rollups.refresh(projects=[project.pk])
    activity.record(
        actor=actor,
        verb="status_update.posted",
        target=project,
        data={"health": health, "id": update.pk},
    )
    return update


PROJECT_WRITES = Writes(create=project_create, update=project_update, delete=project_delete)
PHASE_WRITES = Writes(create=phase_create, update=phase_update, delete=phase_delete)


def _ensure_may_change(update: StatusUpdate, actor) -> None:
    permissions.ensure_author_or_moderator(
        actor,
        author_id=update.author_id,
        posting=Action.STATUS_UPDATE_POST,
        workspace=update.project.workspace,
    )


@transaction.atomic
def status_update_edit(
    *, status_update: StatusUpdate, actor, data: dict, expected_version: int | None = None
) -> StatusUpdate:
    """Its author (while still allowed to post) or a manager corrects a status post's health
    or summary; its date stays. The project's health follows when it is the latest."""
    _ensure_may_change(status_update, actor)
    if "summary" in data:
        data = {**data, "summary": (data["summary"] or "").strip()}
    rollups.lock_projects([status_update.project_id])
    update, changes = apply_edit(
        status_update, data, editable=STATUS_UPDATE_FIELDS, expected_version=expected_version
    )
    if changes:
        update.save()
        rollups.refresh(projects=[update.project_id])
        activity.record(
            actor=actor,
            verb="status_update.edited",
            target=update.project,
            changes=changes,
            data={"id": update.pk},
        )
    return update


@transaction.atomic
def status_update_delete(*, status_update: StatusUpdate, actor) -> None:
    """Its author (while still allowed to post) or a manager removes a status post; the
    project's health falls back to the post before it, else to its milestones."""
    _ensure_may_change(status_update, actor)
    project = status_update.project
    rollups.lock_projects([project.pk])
    activity.record_deletion(
        status_update,
        actor=actor,
        target=project,
        data={"id": status_update.pk, "health": status_update.health},
    )
    rollups.refresh(projects=[project.pk])


STATUS_UPDATE_WRITES = Writes(
    create=status_update_post,
    update=status_update_edit,
    delete=status_update_delete,
    row_arg="status_update",
)
