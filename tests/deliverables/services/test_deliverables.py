"""Deliverable and checklist services: the review cycle move by move, sign-off by members
and external reviewers, and checklists."""

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deliverables.models import ChecklistItem, Deliverable
from deliverables.services import checklists as checklist_services
from deliverables.services import deliverables as deliverable_services
from milestones_site.services.errors import StaleVersion
from projects.models import ActivityEvent
from tests.audit import assert_recorded, table_counts
from tests.factories import (
    ChecklistItemFactory,
    DeliverableFactory,
    MilestoneFactory,
    ProjectFactory,
    ShareLinkFactory,
)

pytestmark = pytest.mark.django_db

STATUSES = [
    "not_started",
    "in_progress",
    "in_review",
    "changes_requested",
    "approved",
    "delivered",
]
# The review cycle of DESIGN.md, written out: (move, from) → to. Every other pair is illegal.
LEGAL_MOVES = {
    ("start", "not_started"): "in_progress",
    ("start", "changes_requested"): "in_progress",
    ("submit", "not_started"): "in_review",
    ("submit", "in_progress"): "in_review",
    ("submit", "changes_requested"): "in_review",
    ("approve", "in_review"): "approved",
    ("request_changes", "in_review"): "changes_requested",
    ("deliver", "approved"): "delivered",
}
POSSIBLE_FROM = {
    "not_started": "start, submit",
    "in_progress": "submit",
    "in_review": "approve, request_changes",
    "changes_requested": "start, submit",
    "approved": "deliver",
    "delivered": "none",
}
MOVES = {
    "start": deliverable_services.deliverable_start,
    "submit": deliverable_services.deliverable_submit,
    "approve": deliverable_services.deliverable_approve,
    "request_changes": deliverable_services.deliverable_request_changes,
    "deliver": deliverable_services.deliverable_deliver,
}


@pytest.fixture
def milestone(project):
    return MilestoneFactory(project=project, title="Launch")


def deliverable_in(milestone, status: str, **fields) -> Deliverable:
    approved_at = datetime.now().astimezone() if status in ("approved", "delivered") else None
    return DeliverableFactory(
        milestone=milestone, status=status, approved_at=approved_at, title="Hero video", **fields
    )


def make_move(move: str, deliverable: Deliverable, actor, **arguments) -> Deliverable:
    if move == "request_changes":
        arguments.setdefault("note", "Shorter intro, please.")
    return MOVES[move](deliverable=deliverable, actor=actor, **arguments)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("move", list(MOVES))
def test_every_move_from_every_status(milestone, manager, move, status):
    deliverable = deliverable_in(milestone, status)
    target = LEGAL_MOVES.get((move, status))
    if target is None:
        with pytest.raises(ValidationError) as error:
            make_move(move, deliverable, manager)
        label = Deliverable.Status(status).label.lower()
        assert error.value.message_dict == {
            "status": [
                f"Cannot {move.replace('_', ' ')} a deliverable that is {label} "
                f"(possible: {POSSIBLE_FROM[status]})."
            ]
        }
        deliverable.refresh_from_db()
        assert (deliverable.status, deliverable.version) == (status, 1)
        assert not ActivityEvent.objects.exists()
    else:
        moved = make_move(move, deliverable, manager, expected_version=1)
        assert (moved.status, moved.version) == (target, 2)
        moved.refresh_from_db()
        assert moved.status == target
        assert ActivityEvent.objects.get().changes == {"status": [status, target]}


def test_the_whole_cycle_with_its_events(milestone, member, manager):
    deliverable = deliverable_in(milestone, "not_started")
    deliverable_services.deliverable_start(deliverable=deliverable, actor=member)
    deliverable_services.deliverable_submit(deliverable=deliverable, actor=member)
    deliverable_services.deliverable_request_changes(
        deliverable=deliverable, actor=manager, note=" Logo "
    )
    deliverable_services.deliverable_submit(deliverable=deliverable, actor=member)
    deliverable_services.deliverable_approve(deliverable=deliverable, actor=manager)
    delivered = deliverable_services.deliverable_deliver(deliverable=deliverable, actor=member)
    assert delivered.version == 7
    verbs = list(ActivityEvent.objects.order_by("id").values_list("verb", "actor"))
    assert verbs == [
        ("deliverable.started", member.pk),
        ("deliverable.submitted", member.pk),
        ("deliverable.changes_requested", manager.pk),
        ("deliverable.submitted", member.pk),
        ("deliverable.approved", manager.pk),
        ("deliverable.delivered", member.pk),
    ]
    # The decision closes the review round the submission opened (no files: no version).
    assert ActivityEvent.objects.get(verb="deliverable.changes_requested").data == {
        "note": "Logo",
        "round": 1,
        "version": None,
        "decision": "changes_requested",
    }
    assert delivered.approved_by == manager
    assert delivered.approved_at is not None


def test_approve_by_a_manager_records_the_approver(milestone, manager):
    approved = deliverable_services.deliverable_approve(
        deliverable=deliverable_in(milestone, "in_review"), actor=manager
    )
    assert approved.approved_by == manager
    assert (approved.approved_by_name, approved.approved_by_email) == ("", "")
    assert approved.approved_at is not None
    event = assert_recorded(
        "deliverable.approved",
        actor=manager,
        target=approved,
        changes={"status": ["in_review", "approved"]},
    )
    assert event.data == {}


def signoff(deliverable, **decision):
    """A client's decision through a link to the deliverable's project."""
    link = ShareLinkFactory(project=deliverable.milestone.project)
    return deliverable_services.deliverable_client_signoff(
        link=link, deliverable=deliverable, **decision
    )


def test_approve_by_an_external_reviewer_keeps_their_name_and_email(milestone):
    approved = signoff(
        deliverable_in(milestone, "in_review"),
        decision="approve",
        reviewer_name=" Dana Client ",
        reviewer_email="dana@client.test",
    )
    approved.refresh_from_db()
    assert approved.approved_by is None
    assert (approved.approved_by_name, approved.approved_by_email) == (
        "Dana Client",
        "dana@client.test",
    )
    assert approved.approved_at is not None
    assert approved.approver_name == "Dana Client"
    event = assert_recorded("deliverable.approved", actor=None, target=approved)
    assert event.actor_name == "Dana Client"
    assert event.data == {
        "reviewer_name": "Dana Client",
        "reviewer_email": "dana@client.test",
        "external": True,
    }


@pytest.mark.parametrize(
    ("link_state", "refusal"),
    [
        ({"revoked_at": datetime(2026, 1, 1).astimezone()}, PermissionDenied),
        ({"allow_signoff": False}, PermissionDenied),
        ({"project": None}, Deliverable.DoesNotExist),
    ],
    ids=["revoked link", "link without sign-off", "link to another project"],
)
def test_client_signoff_checks_the_link_itself(milestone, link_state, refusal):
    deliverable = deliverable_in(milestone, "in_review")
    link = ShareLinkFactory(project=milestone.project)
    for field, value in link_state.items():
        setattr(link, field, value if field != "project" else ProjectFactory())
    with pytest.raises(refusal):
        deliverable_services.deliverable_client_signoff(
            link=link, deliverable=deliverable, decision="approve", reviewer_name="Dana"
        )
    deliverable.refresh_from_db()
    assert deliverable.status == "in_review"
    assert not ActivityEvent.objects.filter(verb="deliverable.approved").exists()


def test_an_external_reviewer_must_give_a_name(milestone):
    deliverable = deliverable_in(milestone, "in_review")
    with pytest.raises(ValidationError) as error:
        signoff(deliverable, decision="approve", reviewer_name="  ")
    assert error.value.message_dict == {"reviewer_name": ["Tell us who signs off."]}
    with pytest.raises(ValidationError) as error:
        signoff(deliverable, decision="request_changes", reviewer_name="", note="Brighter")
    assert error.value.message_dict == {"reviewer_name": ["Tell us who asks for changes."]}
    deliverable.refresh_from_db()
    assert deliverable.status == "in_review"


def test_an_external_reviewer_may_request_changes(milestone):
    deliverable = signoff(
        deliverable_in(milestone, "in_review"),
        decision="request_changes",
        note="Use the new logo.",
        reviewer_name="Dana Client",
    )
    assert deliverable.status == "changes_requested"
    event = ActivityEvent.objects.get()
    assert (event.actor, event.actor_name) == (None, "Dana Client")
    assert event.data["note"] == "Use the new logo."


@pytest.mark.parametrize("note", ["", "   ", None])
def test_request_changes_needs_a_note(milestone, manager, note):
    deliverable = deliverable_in(milestone, "in_review")
    with pytest.raises(ValidationError) as error:
        deliverable_services.deliverable_request_changes(
            deliverable=deliverable, actor=manager, note=note
        )
    assert error.value.message_dict == {"note": ["Say what needs to change."]}
    deliverable.refresh_from_db()
    assert deliverable.status == "in_review"


@pytest.mark.parametrize("move", ["approve", "request_changes"])
def test_review_needs_a_manager(milestone, member, move):
    deliverable = deliverable_in(milestone, "in_review")
    with pytest.raises(PermissionDenied):
        make_move(move, deliverable, member)
    deliverable.refresh_from_db()
    assert deliverable.status == "in_review"


def test_moves_need_a_member(milestone, viewer):
    with pytest.raises(PermissionDenied):
        deliverable_services.deliverable_submit(
            deliverable=deliverable_in(milestone, "in_progress"), actor=viewer
        )


def test_a_stale_version_refuses_the_move(milestone, member):
    deliverable = deliverable_in(milestone, "not_started")
    deliverable_services.deliverable_start(deliverable=deliverable, actor=member)
    with pytest.raises(StaleVersion) as error:
        deliverable_services.deliverable_submit(
            deliverable=deliverable, actor=member, expected_version=1
        )
    assert (error.value.current.status, error.value.current.version) == ("in_progress", 2)


# Create, update, delete -------------------------------------------------------------------


def test_deliverable_create_records_it(milestone, member):
    deliverable = deliverable_services.deliverable_create(
        milestone=milestone, actor=member, title="Launch email", kind="email", owner=member
    )
    assert (deliverable.status, deliverable.version) == ("not_started", 1)
    event = assert_recorded("deliverable.created", actor=member, target=deliverable)
    assert event.project == milestone.project


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_deliverable_create_on_a_closed_milestone_is_refused(project, member, status):
    completed_at = datetime.now().astimezone() if status == "completed" else None
    milestone = MilestoneFactory(
        project=project, title="Launch", status=status, completed_at=completed_at
    )
    with pytest.raises(ValidationError) as error:
        deliverable_services.deliverable_create(
            milestone=milestone, actor=member, title="Late email"
        )
    assert error.value.message_dict == {"milestone": [f"“Launch” is {status}; reopen it first."]}
    assert not Deliverable.objects.exists()


def test_deliverable_create_refuses_an_owner_who_is_not_a_member(milestone, member, outsider):
    before = table_counts(Deliverable, ActivityEvent)
    with pytest.raises(ValidationError) as error:
        deliverable_services.deliverable_create(
            milestone=milestone, actor=member, title="Ad", owner=outsider
        )
    assert error.value.message_dict == {
        "owner": [f"{outsider} is not a member of {milestone.project.workspace}."]
    }
    assert table_counts(Deliverable, ActivityEvent) == before


def test_deliverable_create_refuses_a_bad_link_and_kind(milestone, member):
    with pytest.raises(ValidationError) as error:
        deliverable_services.deliverable_create(
            milestone=milestone, actor=member, title="Ad", link="not a url", kind="poster"
        )
    assert set(error.value.message_dict) == {"link", "kind"}


def test_deliverable_update_records_changes_and_bumps_the_version(milestone, member):
    deliverable = deliverable_in(milestone, "in_progress")
    updated = deliverable_services.deliverable_update(
        deliverable=deliverable,
        actor=member,
        data={"link": "https://drive.example.com/hero.mp4", "due_date": "2026-11-18"},
        expected_version=1,
    )
    assert updated.version == 2
    assert_recorded(
        "deliverable.updated",
        actor=member,
        target=deliverable,
        changes={
            "link": ["", "https://drive.example.com/hero.mp4"],
            "due_date": [None, "2026-11-18"],
        },
    )


def test_deliverable_update_without_a_change_keeps_the_version(milestone, member):
    deliverable = deliverable_in(milestone, "in_progress")
    updated = deliverable_services.deliverable_update(
        deliverable=deliverable, actor=member, data={"title": deliverable.title}
    )
    assert updated.version == 1
    assert not ActivityEvent.objects.exists()


def test_deliverable_update_refuses_a_status(milestone, member):
    deliverable = deliverable_in(milestone, "in_progress")
    with pytest.raises(ValidationError) as error:
        deliverable_services.deliverable_update(
            deliverable=deliverable, actor=member, data={"status": "approved"}
        )
    assert error.value.message_dict == {
        "status": ["Change the status with submit, approve, request changes or deliver."]
    }


@pytest.mark.parametrize("field", ["approved_by", "approved_at", "milestone", "version", "colour"])
def test_deliverable_update_refuses_fields_it_does_not_own(milestone, member, field):
    with pytest.raises(ValidationError) as error:
        deliverable_services.deliverable_update(
            deliverable=deliverable_in(milestone, "in_progress"), actor=member, data={field: None}
        )
    assert error.value.message_dict == {field: ["This field cannot be changed here."]}


def test_deliverable_update_with_a_stale_version(milestone, member):
    deliverable = deliverable_in(milestone, "in_progress")
    deliverable_services.deliverable_update(
        deliverable=deliverable, actor=member, data={"title": "Cut A"}
    )
    with pytest.raises(StaleVersion) as error:
        deliverable_services.deliverable_update(
            deliverable=deliverable, actor=member, data={"title": "Cut B"}, expected_version=1
        )
    assert error.value.current.title == "Cut A"


def test_deliverable_delete_is_recorded_on_the_milestone(milestone, manager):
    deliverable = deliverable_in(milestone, "in_progress")
    deliverable_services.deliverable_delete(deliverable=deliverable, actor=manager)
    assert not Deliverable.objects.exists()
    event = assert_recorded("deliverable.deleted", actor=manager, target=milestone)
    assert event.data == {"deliverable": "Hero video"}


def test_deliverable_delete_needs_a_manager(milestone, member):
    with pytest.raises(PermissionDenied):
        deliverable_services.deliverable_delete(
            deliverable=deliverable_in(milestone, "in_progress"), actor=member
        )


# Checklists -------------------------------------------------------------------------------


def test_checklist_items_are_added_in_order_on_a_deliverable_or_a_milestone(milestone, member):
    deliverable = deliverable_in(milestone, "in_progress")
    first = checklist_services.checklist_item_add(
        parent=deliverable, actor=member, text=" Alt text "
    )
    second = checklist_services.checklist_item_add(
        parent=deliverable, actor=member, text="UTM tags"
    )
    on_milestone = checklist_services.checklist_item_add(
        parent=milestone, actor=member, text="Go/no-go"
    )
    assert (first.text, first.order, second.order, on_milestone.order) == ("Alt text", 0, 1, 0)
    assert on_milestone.milestone == milestone
    assert on_milestone.deliverable is None
    event = ActivityEvent.objects.filter(verb="checklist_item.added").order_by("id").first()
    assert (event.target, event.data) == (deliverable, {"text": "Alt text"})


def test_checklist_item_add_refuses_empty_text(milestone, member):
    with pytest.raises(ValidationError) as error:
        checklist_services.checklist_item_add(parent=milestone, actor=member, text="  ")
    assert list(error.value.message_dict) == ["text"]
    assert not ChecklistItem.objects.exists()


def test_checklist_toggle_sets_and_clears_who_and_when(milestone, member):
    item = ChecklistItemFactory(deliverable=deliverable_in(milestone, "in_progress"))
    ticked = checklist_services.checklist_item_toggle(item=item, done=True, actor=member)
    ticked.refresh_from_db()
    assert (ticked.done, ticked.done_by) == (True, member)
    assert ticked.done_at is not None
    event = assert_recorded(
        "checklist_item.checked",
        actor=member,
        target=item.deliverable,
        changes={"done": [False, True]},
    )
    assert event.data == {"item": item.pk, "text": item.text}

    unticked = checklist_services.checklist_item_toggle(item=item, done=False, actor=member)
    unticked.refresh_from_db()
    assert (unticked.done, unticked.done_by, unticked.done_at) == (False, None, None)
    assert_recorded(
        "checklist_item.unchecked",
        actor=member,
        target=item.deliverable,
        changes={"done": [True, False]},
    )


def test_checklist_toggle_to_the_same_state_records_nothing(milestone, member):
    item = ChecklistItemFactory(deliverable=None, milestone=milestone)
    checklist_services.checklist_item_toggle(item=item, done=False, actor=member)
    assert not ActivityEvent.objects.exists()


def test_checklist_edits_need_a_member(milestone, viewer):
    item = ChecklistItemFactory(deliverable=None, milestone=milestone)
    with pytest.raises(PermissionDenied):
        checklist_services.checklist_item_toggle(item=item, done=True, actor=viewer)
    item.refresh_from_db()
    assert not item.done


def test_checklist_item_delete_is_recorded_on_its_parent(milestone, member):
    item = ChecklistItemFactory(deliverable=None, milestone=milestone, text="Go/no-go")
    checklist_services.checklist_item_delete(item=item, actor=member)
    assert not ChecklistItem.objects.exists()
    event = assert_recorded("checklist_item.removed", actor=member, target=milestone)
    assert event.data == {"text": "Go/no-go"}
