"""Writes to projects, their phases and their status updates.

Each service checks the actor's permission (projects.permissions), validates before it
saves, runs in one transaction and records an ActivityEvent. Validation failures raise
ValidationError with a message per field; a stale `expected_version` raises StaleVersion."""

from django.db import transaction

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


@transaction.atomic
def phase_create(
    *, project: Project, actor, name: str, order: int | None = None, start_date=None, end_date=None
) -> Phase:
    """Managers add a stage to a project; without an order it comes last."""
    permissions.ensure(actor, Action.PHASE_EDIT, project.workspace)
    if order is None:
        order = Phase.objects.filter(project=project).count()
    phase = Phase(project=project, name=name, order=order, start_date=start_date, end_date=end_date)
    validate(phase)
    phase.save()
    activity.record(actor=actor, verb="phase.created", target=phase)
    return phase


@transaction.atomic
def phase_update(*, phase: Phase, actor, data: dict, expected_version: int | None = None) -> Phase:
    """Managers rename, reorder or re-date a phase; it cannot end before it starts."""
    permissions.ensure(actor, Action.PHASE_EDIT, phase.project.workspace)
    phase, changes = apply_edit(
        phase, data, editable=PHASE_FIELDS, expected_version=expected_version
    )
    return activity.save_recorded(phase, changes, actor=actor, verb="phase.updated")


@transaction.atomic
def phase_delete(*, phase: Phase, actor) -> None:
    """Its milestones stay in the project, without a phase."""
    permissions.ensure(actor, Action.PHASE_EDIT, phase.project.workspace)
    activity.record_deletion(phase, actor=actor, target=phase.project, data={"phase": phase.name})


@transaction.atomic
def status_update_post(*, project: Project, actor, health: str, summary: str) -> StatusUpdate:
    """Managers post a dated word on the project's health; it is never edited."""
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
STATUS_UPDATE_WRITES = Writes(create=status_update_post)
