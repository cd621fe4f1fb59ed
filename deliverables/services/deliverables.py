"""Every write to deliverables and checklists.

A deliverable moves through a fixed review cycle (TRANSITIONS); any other move is refused
with a message that says which moves are possible from where it stands.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from deliverables.models import ChecklistItem, Deliverable
from milestones_site.services.editing import apply_changes, lock_for_update, save_changes, validate
from milestones_site.services.errors import invalid
from projects import activity, permissions
from projects.models import Membership, Milestone
from projects.permissions import Action

Status = Deliverable.Status

DELIVERABLE_FIELDS = ("title", "description", "kind", "owner", "due_date", "link")


@dataclass(frozen=True)
class Transition:
    verb: str
    sources: tuple[str, ...]
    target: str
    action: Action


TRANSITIONS = {
    "start": Transition(
        "started",
        (Status.NOT_STARTED, Status.CHANGES_REQUESTED),
        Status.IN_PROGRESS,
        Action.DELIVERABLE_EDIT,
    ),
    "submit": Transition(
        "submitted",
        (Status.NOT_STARTED, Status.IN_PROGRESS, Status.CHANGES_REQUESTED),
        Status.IN_REVIEW,
        Action.DELIVERABLE_EDIT,
    ),
    "approve": Transition(
        "approved", (Status.IN_REVIEW,), Status.APPROVED, Action.DELIVERABLE_REVIEW
    ),
    "request_changes": Transition(
        "changes_requested",
        (Status.IN_REVIEW,),
        Status.CHANGES_REQUESTED,
        Action.DELIVERABLE_REVIEW,
    ),
    "deliver": Transition(
        "delivered", (Status.APPROVED,), Status.DELIVERED, Action.DELIVERABLE_EDIT
    ),
}


def possible_moves(status: str) -> list[str]:
    return [name for name, move in TRANSITIONS.items() if status in move.sources]


def _workspace(deliverable: Deliverable):
    return deliverable.milestone.project.workspace


def _ensure_owner_is_member(deliverable: Deliverable) -> None:
    workspace = _workspace(deliverable)
    owner = deliverable.owner
    if (
        owner is not None
        and not Membership.objects.filter(workspace=workspace, user=owner).exists()
    ):
        raise invalid(owner=f"{owner} is not a member of {workspace}.")


@transaction.atomic
def deliverable_create(*, milestone: Milestone, actor, title: str, **fields) -> Deliverable:
    permissions.ensure(actor, Action.DELIVERABLE_EDIT, milestone.project.workspace)
    if milestone.is_closed:
        raise invalid(
            milestone=f"“{milestone}” is {milestone.get_status_display().lower()}; reopen it first."
        )
    deliverable = Deliverable(milestone=milestone, title=title)
    apply_changes(deliverable, fields, editable=DELIVERABLE_FIELDS)
    validate(deliverable)
    _ensure_owner_is_member(deliverable)
    deliverable.save()
    activity.record(actor=actor, verb="deliverable.created", target=deliverable)
    return deliverable


@transaction.atomic
def deliverable_update(
    *, deliverable: Deliverable, actor, data: dict, expected_version: int | None = None
) -> Deliverable:
    """Edit details; the status moves only through the review cycle."""
    permissions.ensure(actor, Action.DELIVERABLE_EDIT, _workspace(deliverable))
    if "status" in data:
        raise invalid(status="Change the status with submit, approve, request changes or deliver.")
    deliverable = lock_for_update(deliverable, expected_version)
    changes = apply_changes(deliverable, data, editable=DELIVERABLE_FIELDS)
    validate(deliverable)
    _ensure_owner_is_member(deliverable)
    save_changes(deliverable, changes)
    if changes:
        activity.record(
            actor=actor, verb="deliverable.updated", target=deliverable, changes=changes
        )
    return deliverable


@transaction.atomic
def _move(
    *,
    deliverable: Deliverable,
    move: str,
    actor,
    expected_version: int | None,
    note: str = "",
    reviewer_name: str = "",
    reviewer_email: str = "",
) -> Deliverable:
    transition = TRANSITIONS[move]
    external = actor is None and bool(reviewer_name)
    permissions.ensure(actor, transition.action, _workspace(deliverable))
    deliverable = lock_for_update(deliverable, expected_version)
    if deliverable.status not in transition.sources:
        allowed = ", ".join(possible_moves(deliverable.status)) or "none"
        raise invalid(
            status=f"Cannot {move.replace('_', ' ')} a deliverable that is "
            f"{deliverable.get_status_display().lower()} (possible: {allowed})."
        )
    before = deliverable.status
    deliverable.status = transition.target
    if transition.target == Status.APPROVED:
        deliverable.approved_at = timezone.now()
        deliverable.approved_by = None if external else actor
        deliverable.approved_by_name = reviewer_name if external else ""
        deliverable.approved_by_email = reviewer_email if external else ""
    elif transition.target not in Deliverable.DONE_STATUSES:
        deliverable.approved_at = None
        deliverable.approved_by = None
        deliverable.approved_by_name = deliverable.approved_by_email = ""
    save_changes(deliverable, {"status": (before, deliverable.status)})
    data = {"note": note} if note else {}
    if external:
        data |= {"reviewer_name": reviewer_name, "reviewer_email": reviewer_email, "external": True}
    activity.record(
        actor=actor,
        actor_name=reviewer_name if external else "",
        verb=f"deliverable.{transition.verb}",
        target=deliverable,
        changes={"status": (before, deliverable.status)},
        data=data,
    )
    return deliverable


def deliverable_start(
    *, deliverable: Deliverable, actor, expected_version: int | None = None
) -> Deliverable:
    return _move(
        deliverable=deliverable, move="start", actor=actor, expected_version=expected_version
    )


def deliverable_submit(
    *, deliverable: Deliverable, actor, expected_version: int | None = None
) -> Deliverable:
    """Hand the deliverable in for review."""
    return _move(
        deliverable=deliverable, move="submit", actor=actor, expected_version=expected_version
    )


def deliverable_approve(
    *,
    deliverable: Deliverable,
    actor,
    reviewer_name: str = "",
    reviewer_email: str = "",
    expected_version: int | None = None,
) -> Deliverable:
    """Sign off a deliverable in review: by a manager, or (actor=None) by an external
    reviewer who gave a name and email through a share link."""
    if actor is None and not reviewer_name.strip():
        raise invalid(reviewer_name="Tell us who signs off.")
    return _move(
        deliverable=deliverable,
        move="approve",
        actor=actor,
        expected_version=expected_version,
        reviewer_name=reviewer_name.strip(),
        reviewer_email=reviewer_email.strip(),
    )


def deliverable_request_changes(
    *,
    deliverable: Deliverable,
    actor,
    note: str,
    reviewer_name: str = "",
    reviewer_email: str = "",
    expected_version: int | None = None,
) -> Deliverable:
    """Send a deliverable in review back, saying what to change."""
    if not note or not note.strip():
        raise invalid(note="Say what needs to change.")
    if actor is None and not reviewer_name.strip():
        raise invalid(reviewer_name="Tell us who asks for changes.")
    return _move(
        deliverable=deliverable,
        move="request_changes",
        actor=actor,
        expected_version=expected_version,
        note=note.strip(),
        reviewer_name=reviewer_name.strip(),
        reviewer_email=reviewer_email.strip(),
    )


def deliverable_deliver(
    *, deliverable: Deliverable, actor, expected_version: int | None = None
) -> Deliverable:
    return _move(
        deliverable=deliverable, move="deliver", actor=actor, expected_version=expected_version
    )


@transaction.atomic
def deliverable_delete(*, deliverable: Deliverable, actor) -> None:
    permissions.ensure(actor, Action.DELIVERABLE_DELETE, _workspace(deliverable))
    activity.record(
        actor=actor,
        verb="deliverable.deleted",
        target=deliverable.milestone,
        data={"deliverable": deliverable.title},
    )
    deliverable.delete()


# Checklists -------------------------------------------------------------------------------


@transaction.atomic
def checklist_item_add(*, parent: Deliverable | Milestone, actor, text: str) -> ChecklistItem:
    permissions.ensure(actor, Action.CHECKLIST_EDIT, parent.project.workspace)
    parent_field = "deliverable" if isinstance(parent, Deliverable) else "milestone"
    order = ChecklistItem.objects.filter(**{parent_field: parent}).count()
    item = ChecklistItem(text=(text or "").strip(), order=order, **{parent_field: parent})
    validate(item)
    item.save()
    activity.record(
        actor=actor, verb="checklist_item.added", target=parent, data={"text": item.text}
    )
    return item


@transaction.atomic
def checklist_item_toggle(*, item: ChecklistItem, done: bool, actor) -> ChecklistItem:
    """Tick or untick; records who ticked it and when."""
    permissions.ensure(actor, Action.CHECKLIST_EDIT, item.project.workspace)
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if item.done == done:
        return item
    item.done = done
    item.done_by = actor if done else None
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done", "done_by", "done_at", "updated_at"])
    activity.record(
        actor=actor,
        verb="checklist_item.checked" if done else "checklist_item.unchecked",
        target=item.parent,
        changes={"done": (not done, done)},
        data={"item": item.pk, "text": item.text},
    )
    return item


@transaction.atomic
def checklist_item_delete(*, item: ChecklistItem, actor) -> None:
    permissions.ensure(actor, Action.CHECKLIST_EDIT, item.project.workspace)
    parent = item.parent
    activity.record(
        actor=actor, verb="checklist_item.removed", target=parent, data={"text": item.text}
    )
    item.delete()
