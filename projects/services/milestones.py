"""Writes to milestones: details, dependencies, status, dates and their baseline.

Each service checks the actor's permission (projects.permissions), validates before it
saves, runs in one transaction and records an ActivityEvent. Validation failures raise
ValidationError with a message per field; a stale `expected_version` raises StaleVersion."""

from datetime import date, datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from milestones_site.services.editing import (
    apply_changes,
    apply_edit,
    lock_for_update,
    save_changes,
    validate,
)
from milestones_site.services.errors import invalid
from milestones_site.services.writes import Writes
from projects import activity, permissions, rollups
from projects.models import Milestone, MilestoneDateChange, Project
from projects.permissions import Action
from projects.services.external_ids import EXTERNAL_ID, keep_external_key
from projects.services.workspaces import ensure_member
from projects.statuses import DELIVERABLE_DONE_STATUSES

# The details a person may set on a milestone, in the order the forms show them; its
# dates, status and dependencies have services of their own.
MILESTONE_FIELDS = (
    "title",
    "phase",
    "category",
    "owner",
    "description",
    "success_criteria",
    "kpi_name",
    "kpi_target",
    "kpi_actual",
    "kpi_unit",
    "reminder_days",
)


def _validate_milestone_links(milestone: Milestone) -> None:
    if milestone.phase_id and milestone.phase.project_id != milestone.project_id:
        raise invalid(phase="Choose a phase of this milestone's project.")
    ensure_member(milestone.project.workspace, milestone.owner, "owner")


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


def _refresh_around(milestone: Milestone) -> None:
    """After its status or date moved: its project's roll-ups and its dependents' (their
    open dependencies' dates)."""
    rollups.refresh(
        milestones=rollups.dependents_of([milestone.pk]), projects=[milestone.project_id]
    )


@transaction.atomic
def milestone_create(
    *, project: Project, actor, title: str, due_date: date, depends_on=(), **fields
) -> Milestone:
    """A new milestone; its baseline is the due date it is planned with."""
    permissions.ensure(actor, Action.MILESTONE_CREATE, project.workspace)
    rollups.lock_projects([project.pk])
    milestone = Milestone(
        project=project, title=title, due_date=due_date, baseline_due_date=due_date
    )
    apply_changes(milestone, fields, editable=(*MILESTONE_FIELDS, "status", EXTERNAL_ID))
    if milestone.status == Milestone.Status.COMPLETED:
        raise invalid(status="Create the milestone first, then complete it.")
    validate(milestone)
    _validate_milestone_links(milestone)
    keep_external_key(milestone, project.workspace_id)
    prerequisites = list(depends_on)
    _validate_dependencies(milestone, prerequisites)
    milestone.save()
    milestone.depends_on.set(prerequisites)
    rollups.refresh(milestones=[milestone.pk])
    activity.touch_parents(milestone, ["phase"])  # its phase counts it
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
    milestone, changes = apply_edit(
        milestone,
        data,
        editable=(*MILESTONE_FIELDS, EXTERNAL_ID),
        expected_version=expected_version,
    )
    _validate_milestone_links(milestone)
    keep_external_key(milestone, milestone.project.workspace_id)
    return activity.save_recorded(milestone, changes, actor=actor, verb="milestone.updated")


@transaction.atomic
def milestone_set_dependencies(
    *, milestone: Milestone, depends_on, actor, expected_version: int | None = None
) -> Milestone:
    """Set what the milestone waits for: milestones of its project, without a cycle."""
    permissions.ensure(actor, Action.MILESTONE_UPDATE, milestone.project.workspace)
    rollups.lock_projects([milestone.project_id])
    milestone = lock_for_update(milestone, expected_version)
    prerequisites = list(depends_on)
    _validate_dependencies(milestone, prerequisites)
    before = sorted(milestone.depends_on.values_list("pk", flat=True))
    after = sorted(m.pk for m in prerequisites)
    if before != after:
        milestone.depends_on.set(prerequisites)
        save_changes(milestone, {"depends_on": (before, after)})
        rollups.refresh(milestones=[milestone.pk])
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
    rollups.lock_projects([milestone.project_id])
    milestone = lock_for_update(milestone, expected_version)
    before = milestone.status
    if before == status:
        return milestone
    milestone.status = status
    milestone.completed_at = None
    save_changes(milestone, {"status": (before, status)})
    _refresh_around(milestone)
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
    rollups.lock_projects([milestone.project_id])
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
    _refresh_around(milestone)
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
    rollups.lock_projects([milestone.project_id])
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
    _refresh_around(milestone)
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
    """Managers delete a milestone with its deliverables; what depended on it no longer
    waits."""
    permissions.ensure(actor, Action.MILESTONE_DELETE, milestone.project.workspace)
    rollups.lock_projects([milestone.project_id])
    dependents = rollups.dependents_of([milestone.pk])
    activity.record_deletion(
        milestone,
        actor=actor,
        target=milestone.project,
        data={"milestone": milestone.title, "milestone_id": milestone.pk},
    )
    rollups.refresh(milestones=dependents, projects=[milestone.project_id])


@transaction.atomic
def milestone_edit(
    *, milestone: Milestone, actor, data: dict, expected_version: int | None = None
) -> Milestone:
    """One edit of a milestone that may change its details, dependencies, due date (only
    with a `reschedule_reason`) and status at once, each through its own service and rules: a
    reopening comes first (a closed milestone cannot move), then details, dependencies
    and the new date, and a completion or cancellation last. All or nothing.

    The first step checks `expected_version` and locks the row for the others."""
    data = dict(data)
    new_date = data.pop("due_date", None)
    if new_date is not None and "reschedule_reason" not in data:
        raise invalid(
            due_date="Reschedule the milestone to move its due date (a reason is required)."
        )
    reason = data.pop("reschedule_reason", "")
    status = data.pop("status", None)
    depends_on = data.pop("depends_on", None)
    reopens = status is not None and status not in Milestone.CLOSED_STATUSES
    steps = []
    if reopens:
        steps.append(partial(milestone_set_status, status=status))
    if data or not (reopens or depends_on is not None or new_date is not None or status):
        steps.append(partial(milestone_update, data=data))
    if depends_on is not None:
        steps.append(partial(milestone_set_dependencies, depends_on=depends_on))
    if new_date is not None:
        steps.append(partial(milestone_reschedule, new_date=new_date, reason=reason))
    if status is not None and not reopens:
        steps.append(partial(milestone_set_status, status=status))
    for step in steps:
        milestone = step(milestone=milestone, actor=actor, expected_version=expected_version)
        expected_version = None
    return milestone


@transaction.atomic
def milestones_set_status(*, changes: list[tuple[Milestone, str]], actor) -> list[Milestone]:
    """Set the status of many milestones at once, each by its own rules: all change, or
    none does, and a refusal names the position of the milestone it concerns
    (`items.2.status`)."""
    rollups.lock_projects(milestone.project_id for milestone, _ in changes)
    changed = []
    for index, (milestone, status) in enumerate(changes):
        try:
            changed.append(milestone_set_status(milestone=milestone, status=status, actor=actor))
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            prefix = f"items.{index}"
            raise ValidationError(
                {f"{prefix}.{field}" if field else prefix: texts for field, texts in found.items()}
            ) from None
    return changed


MILESTONE_WRITES = Writes(create=milestone_create, update=milestone_edit, delete=milestone_delete)
