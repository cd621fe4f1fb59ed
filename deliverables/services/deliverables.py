"""Every write to deliverables: details and the review cycle.

A deliverable moves through a fixed review cycle (TRANSITIONS); any other move is refused
with a message that says which moves are possible from where it stands. Submitting opens a
review round on the latest version, approving or requesting changes closes it
(deliverables.services.reviews).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from deliverables.models import Deliverable
from deliverables.services import reviews
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
from projects.models import Milestone, ShareLink
from projects.permissions import Action
from projects.services.external_ids import EXTERNAL_ID, keep_external_key
from projects.services.workspaces import ensure_member

Status = Deliverable.Status


DELIVERABLE_FIELDS = ("title", "kind", "owner", "due_date", "link", "description")


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
    """The review-cycle moves a deliverable in `status` allows, in cycle order."""
    return [name for name, move in TRANSITIONS.items() if status in move.sources]


def _workspace(deliverable: Deliverable):
    return deliverable.milestone.project.workspace


@transaction.atomic
def deliverable_create(*, milestone: Milestone, actor, title: str, **fields) -> Deliverable:
    """A new deliverable of an open milestone; its owner must be a member."""
    permissions.ensure(actor, Action.DELIVERABLE_EDIT, milestone.project.workspace)
    rollups.lock_projects([milestone.project_id])
    if milestone.is_closed:
        raise invalid(
            milestone=f"“{milestone}” is {milestone.get_status_display().lower()}; reopen it first."
        )
    deliverable = Deliverable(milestone=milestone, title=title)
    apply_changes(deliverable, fields, editable=(*DELIVERABLE_FIELDS, EXTERNAL_ID))
    validate(deliverable)
    ensure_member(_workspace(deliverable), deliverable.owner, "owner")
    keep_external_key(deliverable, _workspace(deliverable).pk)
    deliverable.save()
    rollups.refresh(milestones=[milestone.pk])
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
    deliverable, changes = apply_edit(
        deliverable,
        data,
        editable=(*DELIVERABLE_FIELDS, EXTERNAL_ID),
        expected_version=expected_version,
    )
    ensure_member(_workspace(deliverable), deliverable.owner, "owner")
    keep_external_key(deliverable, _workspace(deliverable).pk)
    return activity.save_recorded(deliverable, changes, actor=actor, verb="deliverable.updated")


@dataclass(frozen=True)
class ExternalReviewer:
    """A client without an account who signs off through a share link."""

    name: str
    email: str = ""


@transaction.atomic
def _move(
    *,
    deliverable: Deliverable,
    move: str,
    actor,
    expected_version: int | None,
    note: str = "",
    reviewer: ExternalReviewer | None = None,
    version_seen: int | None = None,
) -> Deliverable:
    transition = TRANSITIONS[move]
    external = reviewer is not None
    if not external:
        permissions.ensure(actor, transition.action, _workspace(deliverable))
    rollups.lock_projects([deliverable.milestone.project_id])
    deliverable = lock_for_update(deliverable, expected_version)
    if deliverable.status not in transition.sources:
        allowed = ", ".join(possible_moves(deliverable.status)) or "none"
        raise invalid(
            status=f"Cannot {move.replace('_', ' ')} a deliverable that is "
            f"{deliverable.get_status_display().lower()} (possible: {allowed})."
        )
    deciding = move in reviews.DECISIONS
    seen = reviews.version_to_decide(deliverable, version_seen) if deciding else None
    before = deliverable.status
    deliverable.status = transition.target
    if transition.target == Status.APPROVED:
        deliverable.approved_at = timezone.now()
        deliverable.approved_by = None if external else actor
        deliverable.approved_by_name = reviewer.name if external else ""
        deliverable.approved_by_email = reviewer.email if external else ""
    elif transition.target not in Deliverable.DONE_STATUSES:
        deliverable.approved_at = None
        deliverable.approved_by = None
        deliverable.approved_by_name = deliverable.approved_by_email = ""
    save_changes(deliverable, {"status": (before, deliverable.status)})
    rollups.refresh(milestones=[deliverable.milestone_id])
    data = {"note": note} if note else {}
    if external:
        data |= {"reviewer_name": reviewer.name, "reviewer_email": reviewer.email, "external": True}
    if move == "submit":
        review_round = reviews.review_round_open(deliverable=deliverable, actor=actor)
    elif deciding:
        review_round = reviews.review_round_close(
            deliverable=deliverable,
            move=move,
            actor=None if external else actor,
            version=seen,
            note=note,
            reviewer_name=reviewer.name if external else "",
            reviewer_email=reviewer.email if external else "",
        )
    else:
        review_round = None
    if review_round is not None:
        shown = review_round.version_seen if deciding else review_round.opened_on
        data |= {"round": review_round.number, "version": shown.number if shown else None}
        if deciding:
            data["decision"] = review_round.decision
    activity.record(
        actor=actor,
        actor_name=reviewer.name if external else "",
        verb=f"deliverable.{transition.verb}",
        target=deliverable,
        changes={"status": (before, deliverable.status)},
        data=data,
    )
    return deliverable


def deliverable_start(
    *, deliverable: Deliverable, actor, expected_version: int | None = None
) -> Deliverable:
    """Start work on the deliverable (again, after changes were requested)."""
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
    expected_version: int | None = None,
    version_seen: int | None = None,
) -> Deliverable:
    """Sign off a deliverable in review (managers and owners): its latest version, which
    `version_seen` (the number the reviewer looked at) must be when given."""
    return _move(
        deliverable=deliverable,
        move="approve",
        actor=actor,
        expected_version=expected_version,
        version_seen=version_seen,
    )


def _change_note(note: str) -> str:
    if not (note or "").strip():
        raise invalid(note="Say what needs to change.")
    return note.strip()


def deliverable_request_changes(
    *,
    deliverable: Deliverable,
    actor,
    note: str,
    expected_version: int | None = None,
    version_seen: int | None = None,
) -> Deliverable:
    """Send a deliverable in review back, saying what to change (managers and owners); as
    with approving, about its latest version."""
    return _move(
        deliverable=deliverable,
        move="request_changes",
        actor=actor,
        expected_version=expected_version,
        note=_change_note(note),
        version_seen=version_seen,
    )


APPROVE, REQUEST_CHANGES = "approve", "request_changes"


@transaction.atomic
def deliverable_client_signoff(
    *,
    link: ShareLink,
    deliverable: Deliverable,
    decision: str,
    reviewer_name: str,
    reviewer_email: str = "",
    note: str = "",
    expected_version: int | None = None,
    version_seen: int | None = None,
) -> Deliverable:
    """A client without an account approves or requests changes on a deliverable in review,
    through a share link. The link must be active and allow sign-off, the deliverable must
    be of the link's project (else it does not exist for this link), the client gives a
    name, and a change request says what to change. The decision closes the review round
    with the version the client saw, which must be the latest."""
    reviews.ensure_link_reaches(link, deliverable)
    if decision not in (APPROVE, REQUEST_CHANGES):
        raise invalid(decision="Approve or request changes.")
    name = (reviewer_name or "").strip()
    if not name:
        who = "signs off" if decision == APPROVE else "asks for changes"
        raise invalid(reviewer_name=f"Tell us who {who}.")
    return _move(
        deliverable=deliverable,
        move=decision,
        actor=None,
        expected_version=expected_version,
        note=_change_note(note) if decision == REQUEST_CHANGES else "",
        reviewer=ExternalReviewer(name, (reviewer_email or "").strip()),
        version_seen=version_seen,
    )


def deliverable_deliver(
    *, deliverable: Deliverable, actor, expected_version: int | None = None
) -> Deliverable:
    """Mark an approved deliverable delivered."""
    return _move(
        deliverable=deliverable, move="deliver", actor=actor, expected_version=expected_version
    )


@transaction.atomic
def deliverable_delete(*, deliverable: Deliverable, actor) -> None:
    """Managers delete a deliverable with its checklist."""
    permissions.ensure(actor, Action.DELIVERABLE_DELETE, _workspace(deliverable))
    rollups.lock_projects([deliverable.milestone.project_id])
    activity.record_deletion(
        deliverable,
        actor=actor,
        target=deliverable.milestone,
        data={"deliverable": deliverable.title},
    )
    rollups.refresh(milestones=[deliverable.milestone_id])


DELIVERABLE_WRITES = Writes(
    create=deliverable_create, update=deliverable_update, delete=deliverable_delete
)
