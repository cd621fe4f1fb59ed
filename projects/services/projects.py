"""Every write to workspaces, projects, phases and milestones.

Each service checks the actor's permission (projects.permissions), validates before it
saves, runs in one transaction and records an ActivityEvent. Validation failures raise
ValidationError with a message per field; a stale `expected_version` raises StaleVersion.
"""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from milestones_site.services.editing import apply_changes, lock_for_update, save_changes, validate
from milestones_site.services.errors import invalid
from projects import activity, permissions
from projects.models import (
    Client,
    Comment,
    Membership,
    Milestone,
    MilestoneDateChange,
    Phase,
    Project,
    Role,
    StatusUpdate,
    Workspace,
)
from projects.permissions import Action
from projects.statuses import DELIVERABLE_DONE_STATUSES

User = get_user_model()

WORKSPACE_FIELDS = (
    "name",
    "timezone",
    "reminder_lead_days",
    "overdue_repeat_days",
    "overdue_repeat_limit",
    "warning_window_days",
)
CLIENT_FIELDS = ("name", "contact_email")
PROJECT_FIELDS = (
    "client",
    "name",
    "description",
    "objective",
    "kind",
    "status",
    "owner",
    "start_date",
    "target_date",
    "budget_planned",
    "budget_spent",
    "currency",
)
PHASE_FIELDS = ("name", "order", "start_date", "end_date")
COMMENT_TARGETS = {"projects.milestone", "deliverables.deliverable"}
MILESTONE_FIELDS = (
    "phase",
    "title",
    "description",
    "category",
    "owner",
    "success_criteria",
    "kpi_name",
    "kpi_target",
    "kpi_actual",
    "kpi_unit",
    "reminder_days",
)


# Workspaces and members -------------------------------------------------------------------


@transaction.atomic
def workspace_create(*, name: str, owner, slug: str = "", timezone_name: str = "UTC") -> Workspace:
    """A new workspace; its creator becomes its owner."""
    workspace = Workspace(name=name, slug=slug or slugify(name)[:60], timezone=timezone_name)
    validate(workspace)
    workspace.save()
    Membership.objects.create(user=owner, workspace=workspace, role=Role.OWNER)
    activity.record(actor=owner, verb="workspace.created", target=workspace)
    return workspace


@transaction.atomic
def workspace_update(*, workspace: Workspace, actor, data: dict) -> Workspace:
    permissions.ensure(actor, Action.WORKSPACE_UPDATE, workspace)
    workspace = Workspace.objects.select_for_update().get(pk=workspace.pk)
    changes = apply_changes(workspace, data, editable=WORKSPACE_FIELDS)
    validate(workspace)
    if changes:
        workspace.save()
        activity.record(actor=actor, verb="workspace.updated", target=workspace, changes=changes)
    return workspace


def _forget_cached_role(user) -> None:
    user.__dict__.pop("_workspace_roles", None)


@transaction.atomic
def membership_add(*, workspace: Workspace, user, role: str, actor) -> Membership:
    permissions.ensure(actor, Action.MEMBERSHIP_MANAGE, workspace)
    if role not in Role.values:
        raise invalid(role=f"Choose one of: {', '.join(Role.values)}.")
    if Membership.objects.filter(workspace=workspace, user=user).exists():
        raise invalid(user=f"{user} is already a member of {workspace}.")
    membership = Membership.objects.create(workspace=workspace, user=user, role=role)
    _forget_cached_role(user)
    activity.record(
        actor=actor, verb="membership.added", target=workspace, data={"user": user.pk, "role": role}
    )
    return membership


def _ensure_an_owner_remains(membership: Membership) -> None:
    # Two owners demoting each other at once must not both pass the check: the workspace
    # row lock makes owner changes of one workspace take turns.
    Workspace.objects.select_for_update().only("pk").get(pk=membership.workspace_id)
    owners = Membership.objects.filter(workspace=membership.workspace_id, role=Role.OWNER)
    if membership.role == Role.OWNER and not owners.exclude(pk=membership.pk).exists():
        raise invalid(role="A workspace needs at least one owner; make someone else owner first.")


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor) -> Membership:
    permissions.ensure(actor, Action.MEMBERSHIP_MANAGE, membership.workspace)
    if role not in Role.values:
        raise invalid(role=f"Choose one of: {', '.join(Role.values)}.")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    before = membership.role
    if before == role:
        return membership
    if role != Role.OWNER:
        _ensure_an_owner_remains(membership)
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    _forget_cached_role(membership.user)
    activity.record(
        actor=actor,
        verb="membership.role_changed",
        target=membership.workspace,
        changes={"role": (before, role)},
        data={"user": membership.user_id},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    permissions.ensure(actor, Action.MEMBERSHIP_MANAGE, membership.workspace)
    _ensure_an_owner_remains(membership)
    workspace, user = membership.workspace, membership.user
    membership.delete()
    _forget_cached_role(user)
    activity.record(
        actor=actor, verb="membership.removed", target=workspace, data={"user": user.pk}
    )


def _ensure_member(workspace: Workspace, user, field: str) -> None:
    if user is not None and not Membership.objects.filter(workspace=workspace, user=user).exists():
        raise invalid(**{field: f"{user} is not a member of {workspace}."})


# Clients ----------------------------------------------------------------------------------


def _ensure_unique_client_name(client: Client) -> None:
    clash = Client.objects.filter(workspace=client.workspace_id, name__iexact=client.name)
    if clash.exclude(pk=client.pk).exists():
        raise invalid(name=f"A client named “{client.name}” already exists.")


@transaction.atomic
def client_create(*, workspace: Workspace, actor, name: str, contact_email: str = "") -> Client:
    permissions.ensure(actor, Action.CLIENT_EDIT, workspace)
    client = Client(workspace=workspace, name=name, contact_email=contact_email)
    validate(client)
    _ensure_unique_client_name(client)
    client.save()
    activity.record(actor=actor, verb="client.created", target=client)
    return client


@transaction.atomic
def client_update(*, client: Client, actor, data: dict) -> Client:
    permissions.ensure(actor, Action.CLIENT_EDIT, client.workspace)
    client = Client.objects.select_for_update().get(pk=client.pk)
    changes = apply_changes(client, data, editable=CLIENT_FIELDS)
    validate(client)
    _ensure_unique_client_name(client)
    if changes:
        client.save()
        activity.record(actor=actor, verb="client.updated", target=client, changes=changes)
    return client


@transaction.atomic
def client_delete(*, client: Client, actor) -> None:
    """Its projects stay, without a client."""
    permissions.ensure(actor, Action.CLIENT_EDIT, client.workspace)
    activity.record(
        actor=actor, verb="client.deleted", target=client.workspace, data={"client": client.name}
    )
    client.delete()


# Projects ---------------------------------------------------------------------------------


def _validate_project_links(project: Project) -> None:
    if project.client_id and project.client.workspace_id != project.workspace_id:
        raise invalid(client="Choose a client of this workspace.")
    _ensure_member(project.workspace, project.owner, "owner")


@transaction.atomic
def project_create(*, workspace: Workspace, actor, **fields) -> Project:
    """A new campaign; the actor owns it unless an owner is given."""
    permissions.ensure(actor, Action.PROJECT_CREATE, workspace)
    project = Project(workspace=workspace)
    apply_changes(project, {"owner": actor, **fields}, editable=PROJECT_FIELDS)
    validate(project)
    _validate_project_links(project)
    project.save()
    activity.record(actor=actor, verb="project.created", target=project)
    return project


@transaction.atomic
def project_update(
    *, project: Project, actor, data: dict, expected_version: int | None = None
) -> Project:
    permissions.ensure(actor, Action.PROJECT_UPDATE, project.workspace)
    project = lock_for_update(project, expected_version)
    changes = apply_changes(project, data, editable=PROJECT_FIELDS)
    validate(project)
    _validate_project_links(project)
    save_changes(project, changes)
    if changes:
        activity.record(actor=actor, verb="project.updated", target=project, changes=changes)
    return project


@transaction.atomic
def project_delete(*, project: Project, actor) -> None:
    permissions.ensure(actor, Action.PROJECT_DELETE, project.workspace)
    activity.record(
        actor=actor,
        verb="project.deleted",
        target=project.workspace,
        data={"project": project.name},
    )
    project.delete()


# Phases -----------------------------------------------------------------------------------


@transaction.atomic
def phase_create(
    *, project: Project, actor, name: str, order: int | None = None, start_date=None, end_date=None
) -> Phase:
    permissions.ensure(actor, Action.PHASE_EDIT, project.workspace)
    if order is None:
        order = Phase.objects.filter(project=project).count()
    phase = Phase(project=project, name=name, order=order, start_date=start_date, end_date=end_date)
    validate(phase)
    phase.save()
    activity.record(actor=actor, verb="phase.created", target=phase)
    return phase


@transaction.atomic
def phase_update(*, phase: Phase, actor, data: dict) -> Phase:
    permissions.ensure(actor, Action.PHASE_EDIT, phase.project.workspace)
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    changes = apply_changes(phase, data, editable=PHASE_FIELDS)
    validate(phase)
    if changes:
        phase.save()
        activity.record(actor=actor, verb="phase.updated", target=phase, changes=changes)
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase, actor) -> None:
    """Its milestones stay in the project, without a phase."""
    permissions.ensure(actor, Action.PHASE_EDIT, phase.project.workspace)
    activity.record(
        actor=actor, verb="phase.deleted", target=phase.project, data={"phase": phase.name}
    )
    phase.delete()


# Milestones -------------------------------------------------------------------------------


def _validate_milestone_links(milestone: Milestone) -> None:
    if milestone.phase_id and milestone.phase.project_id != milestone.project_id:
        raise invalid(phase="Choose a phase of this milestone's project.")
    _ensure_member(milestone.project.workspace, milestone.owner, "owner")


def _validate_dependencies(milestone: Milestone, prerequisites: list[Milestone]) -> None:
    """Prerequisites must be other milestones of the same project, without a cycle."""
    if any(other.project_id != milestone.project_id for other in prerequisites):
        raise invalid(depends_on="A milestone can only depend on milestones of the same project.")
    if milestone.pk and any(other.pk == milestone.pk for other in prerequisites):
        raise invalid(depends_on="A milestone cannot depend on itself.")
    if not milestone.pk:
        return
    # Walk the project's dependency graph from each prerequisite; reaching the milestone
    # itself means the new edges would close a cycle.
    edges: dict[int, set[int]] = {}
    through = Milestone.depends_on.through.objects.filter(
        from_milestone__project_id=milestone.project_id
    )
    for source, target in through.values_list("from_milestone_id", "to_milestone_id"):
        edges.setdefault(source, set()).add(target)
    seen: set[int] = set()
    stack = [other.pk for other in prerequisites]
    while stack:
        current = stack.pop()
        if current == milestone.pk:
            raise invalid(depends_on="These dependencies would create a cycle.")
        if current not in seen:
            seen.add(current)
            stack.extend(edges.get(current, ()))


@transaction.atomic
def milestone_create(
    *, project: Project, actor, title: str, due_date: date, depends_on=(), **fields
) -> Milestone:
    """A new milestone; its baseline is the due date it is planned with."""
    permissions.ensure(actor, Action.MILESTONE_CREATE, project.workspace)
    milestone = Milestone(
        project=project, title=title, due_date=due_date, baseline_due_date=due_date
    )
    apply_changes(milestone, fields, editable=(*MILESTONE_FIELDS, "status"))
    if milestone.status == Milestone.Status.COMPLETED:
        raise invalid(status="Create the milestone first, then complete it.")
    validate(milestone)
    _validate_milestone_links(milestone)
    prerequisites = list(depends_on)
    _validate_dependencies(milestone, prerequisites)
    milestone.save()
    milestone.depends_on.set(prerequisites)
    activity.record(
        actor=actor,
        verb="milestone.created",
        target=milestone,
        data={"due_date": due_date, "depends_on": [m.pk for m in prerequisites]},
    )
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, actor, data: dict, expected_version: int | None = None
) -> Milestone:
    """Edit details. Dates move only through reschedule, status through its own services."""
    permissions.ensure(actor, Action.MILESTONE_UPDATE, milestone.project.workspace)
    if "due_date" in data:
        raise invalid(
            due_date="Reschedule the milestone to move its due date (a reason is required)."
        )
    milestone = lock_for_update(milestone, expected_version)
    changes = apply_changes(milestone, data, editable=MILESTONE_FIELDS)
    validate(milestone)
    _validate_milestone_links(milestone)
    save_changes(milestone, changes)
    if changes:
        activity.record(actor=actor, verb="milestone.updated", target=milestone, changes=changes)
    return milestone


@transaction.atomic
def milestone_set_dependencies(
    *, milestone: Milestone, depends_on, actor, expected_version: int | None = None
) -> Milestone:
    permissions.ensure(actor, Action.MILESTONE_UPDATE, milestone.project.workspace)
    milestone = lock_for_update(milestone, expected_version)
    prerequisites = list(depends_on)
    _validate_dependencies(milestone, prerequisites)
    before = sorted(milestone.depends_on.values_list("pk", flat=True))
    after = sorted(m.pk for m in prerequisites)
    if before != after:
        milestone.depends_on.set(prerequisites)
        save_changes(milestone, {"depends_on": (before, after)})
        activity.record(
            actor=actor,
            verb="milestone.updated",
            target=milestone,
            changes={"depends_on": (before, after)},
        )
    return milestone


@transaction.atomic
def milestone_set_status(
    *, milestone: Milestone, status: str, actor, expected_version: int | None = None
) -> Milestone:
    """Move between planned / in progress / blocked / cancelled, or reopen a completed one.

    Completing goes through milestone_complete, which checks what is still open."""
    if status == Milestone.Status.COMPLETED:
        return milestone_complete(
            milestone=milestone, actor=actor, expected_version=expected_version
        )
    if status not in Milestone.Status.values:
        raise invalid(status=f"Choose one of: {', '.join(Milestone.Status.values)}.")
    permissions.ensure(actor, Action.MILESTONE_UPDATE, milestone.project.workspace)
    milestone = lock_for_update(milestone, expected_version)
    before = milestone.status
    if before == status:
        return milestone
    milestone.status = status
    milestone.completed_at = None
    save_changes(milestone, {"status": (before, status)})
    activity.record(
        actor=actor,
        verb="milestone.reopened"
        if before == Milestone.Status.COMPLETED
        else "milestone.status_changed",
        target=milestone,
        changes={"status": (before, status)},
    )
    return milestone


def completion_blockers(milestone: Milestone) -> dict[str, list[str]]:
    """What stops a milestone from completing: open deliverables and open dependencies."""
    open_deliverables = milestone.deliverables.exclude(status__in=DELIVERABLE_DONE_STATUSES)
    open_dependencies = milestone.depends_on.exclude(status__in=Milestone.CLOSED_STATUSES)
    blockers = {}
    titles = [f"“{title}”" for title in open_deliverables.values_list("title", flat=True)]
    if titles:
        blockers["deliverables"] = [f"Open deliverables: {', '.join(titles)}."]
    titles = [f"“{title}”" for title in open_dependencies.values_list("title", flat=True)]
    if titles:
        blockers["depends_on"] = [f"Incomplete dependencies: {', '.join(titles)}."]
    return blockers


@transaction.atomic
def milestone_complete(
    *,
    milestone: Milestone,
    actor,
    force: bool = False,
    reason: str = "",
    expected_version: int | None = None,
) -> Milestone:
    """Complete a milestone.

    Refused while deliverables are open or dependencies incomplete, naming them. A
    manager may force it with a reason, which the audit log keeps."""
    workspace = milestone.project.workspace
    permissions.ensure(actor, Action.MILESTONE_COMPLETE, workspace)
    milestone = lock_for_update(milestone, expected_version)
    if milestone.status == Milestone.Status.COMPLETED:
        raise invalid(status="This milestone is already completed.")
    if milestone.status == Milestone.Status.CANCELLED:
        raise invalid(status="A cancelled milestone cannot be completed; reopen it first.")
    blockers = completion_blockers(milestone)
    if blockers and not force:
        raise invalid(**blockers)
    if blockers:
        permissions.ensure(actor, Action.MILESTONE_FORCE_COMPLETE, workspace)
        if not (reason or "").strip():
            raise invalid(reason="Say why the milestone is completed with work still open.")
    before = milestone.status
    milestone.status = Milestone.Status.COMPLETED
    milestone.completed_at = timezone.now()
    save_changes(milestone, {"status": (before, milestone.status)})
    data = {"forced": True, "reason": reason.strip(), "open": blockers} if blockers else {}
    activity.record(
        actor=actor,
        verb="milestone.completed",
        target=milestone,
        changes={"status": (before, milestone.status)},
        data=data,
    )
    return milestone


@transaction.atomic
def milestone_reschedule(
    *, milestone: Milestone, new_date: date, reason: str, actor, expected_version: int | None = None
) -> Milestone:
    """Move the due date, keep the baseline, and log the change with its reason."""
    permissions.ensure(actor, Action.MILESTONE_RESCHEDULE, milestone.project.workspace)
    if not reason or not reason.strip():
        raise invalid(reason="Say why the date moves; the reason stays in the history.")
    # A datetime is a date too, but a due date is a calendar day: refuse it rather than
    # guess which day the time means.
    if not isinstance(new_date, date) or isinstance(new_date, datetime):
        raise invalid(due_date="Enter a valid date.")
    milestone = lock_for_update(milestone, expected_version)
    if milestone.is_closed:
        raise invalid(
            due_date=f"A {milestone.get_status_display().lower()} milestone cannot be rescheduled."
        )
    old_date = milestone.due_date
    if new_date == old_date:
        raise invalid(due_date=f"The milestone is already due on {old_date.isoformat()}.")
    milestone.due_date = new_date
    save_changes(milestone, {"due_date": (old_date, new_date)})
    MilestoneDateChange.objects.create(
        milestone=milestone,
        old_date=old_date,
        new_date=new_date,
        reason=reason.strip(),
        changed_by=actor,
    )
    activity.record(
        actor=actor,
        verb="milestone.rescheduled",
        target=milestone,
        changes={"due_date": (old_date, new_date)},
        data={"reason": reason.strip(), "slip_days": (new_date - milestone.baseline_due_date).days},
    )
    return milestone


@transaction.atomic
def milestone_rebaseline(
    *, milestone: Milestone, actor, reason: str = "", expected_version: int | None = None
) -> Milestone:
    """Accept the current due date as the new plan: the baseline moves to it, slip is 0."""
    permissions.ensure(actor, Action.MILESTONE_REBASELINE, milestone.project.workspace)
    milestone = lock_for_update(milestone, expected_version)
    before = milestone.baseline_due_date
    if before == milestone.due_date:
        raise invalid(baseline_due_date="The baseline already matches the due date.")
    milestone.baseline_due_date = milestone.due_date
    save_changes(milestone, {"baseline_due_date": (before, milestone.due_date)})
    activity.record(
        actor=actor,
        verb="milestone.rebaselined",
        target=milestone,
        changes={"baseline_due_date": (before, milestone.due_date)},
        data={"reason": (reason or "").strip()},
    )
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor) -> None:
    permissions.ensure(actor, Action.MILESTONE_DELETE, milestone.project.workspace)
    activity.record(
        actor=actor,
        verb="milestone.deleted",
        target=milestone.project,
        data={"milestone": milestone.title, "milestone_id": milestone.pk},
    )
    milestone.delete()


# Status updates and comments --------------------------------------------------------------


@transaction.atomic
def status_update_post(*, project: Project, actor, health: str, summary: str) -> StatusUpdate:
    permissions.ensure(actor, Action.STATUS_UPDATE_POST, project.workspace)
    update = StatusUpdate(
        project=project, health=health, summary=(summary or "").strip(), author=actor
    )
    validate(update)
    update.save()
    activity.record(
        actor=actor,
        verb="status_update.posted",
        target=project,
        data={"health": health, "id": update.pk},
    )
    return update


@transaction.atomic
def comment_post(*, target, actor, body: str) -> Comment:
    """A comment on a milestone or a deliverable."""
    if target._meta.label_lower not in COMMENT_TARGETS:
        raise invalid(target="Comment on a milestone or a deliverable.")
    project = target.project
    permissions.ensure(actor, Action.COMMENT_POST, project.workspace)
    comment = Comment(project=project, target=target, author=actor, body=(body or "").strip())
    validate(comment, exclude=["target_type"])
    comment.save()
    activity.record(actor=actor, verb="comment.posted", target=target, data={"comment": comment.pk})
    return comment
