"""Milestone services: creation, edits, dependencies, status, completion, reschedule and
re-baseline: each rule, each refusal with its message, the audit event, the version."""

from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from milestones_site.services.errors import StaleVersion
from projects.models import ActivityEvent, Milestone, MilestoneDateChange
from projects.services import milestones as milestone_services
from tests.audit import assert_recorded, table_counts
from tests.factories import (
    DeliverableFactory,
    MilestoneFactory,
    PhaseFactory,
    ProjectFactory,
    UserFactory,
    depend,
)

pytestmark = pytest.mark.django_db

DUE = date(2026, 11, 20)


@pytest.fixture
def milestone(project):
    return MilestoneFactory(project=project, title="Launch landing page live", due_date=DUE)


def chain(project, length: int) -> list[Milestone]:
    """Milestones where each one depends on the one before it."""
    milestones = [MilestoneFactory(project=project) for _ in range(length)]
    for prerequisite, dependent in pairwise(milestones):
        depend(dependent, prerequisite)
    return milestones


# Create -----------------------------------------------------------------------------------


def test_milestone_create_sets_the_baseline_to_the_due_date(project, member):
    phase = PhaseFactory(project=project)
    prerequisite = MilestoneFactory(project=project)
    milestone = milestone_services.milestone_create(
        project=project,
        actor=member,
        title="Holiday email sent",
        due_date=DUE,
        phase=phase,
        owner=member,
        depends_on=[prerequisite],
        category=Milestone.Category.SEASONAL_PEAK,
    )
    assert milestone.baseline_due_date == DUE
    assert milestone.version == 1
    assert list(milestone.depends_on.all()) == [prerequisite]
    event = assert_recorded("milestone.created", actor=member, target=milestone)
    assert event.data == {"due_date": "2026-11-20", "depends_on": [prerequisite.pk]}
    assert event.project == project


def refused_create(project, actor, **fields) -> dict[str, list[str]]:
    """Run a milestone_create that must be refused; show it wrote nothing."""
    before = table_counts(Milestone, ActivityEvent)
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_create(project=project, actor=actor, due_date=DUE, **fields)
    assert table_counts(Milestone, ActivityEvent) == before
    assert not Milestone.depends_on.through.objects.filter(from_milestone__title="New").exists()
    return error.value.message_dict


def test_milestone_create_refuses_an_owner_who_is_not_a_member(project, manager, outsider):
    assert refused_create(project, manager, title="New", owner=outsider) == {
        "owner": [f"{outsider} is not a member of {project.workspace}."]
    }


def test_milestone_create_refuses_a_phase_of_another_project(project, manager):
    assert refused_create(project, manager, title="New", phase=PhaseFactory()) == {
        "phase": ["Choose a phase of this milestone's project."]
    }


def test_milestone_create_refuses_a_dependency_on_another_project(project, manager):
    foreign = MilestoneFactory(project=ProjectFactory(workspace=project.workspace))
    assert refused_create(project, manager, title="New", depends_on=[foreign]) == {
        "depends_on": ["A milestone can only depend on milestones of the same project."]
    }


def test_milestone_create_refuses_to_start_completed(project, manager):
    assert refused_create(project, manager, title="New", status="completed") == {
        "status": ["Create the milestone first, then complete it."]
    }


def test_milestone_create_refuses_an_unknown_category_and_a_blank_title(project, manager):
    assert set(refused_create(project, manager, title="", category="party")) == {
        "title",
        "category",
    }


def test_milestone_create_refuses_bad_reminder_days(project, manager):
    assert refused_create(project, manager, title="New", reminder_days=[400]) == {
        "reminder_days": ["Enter a list of whole days between 0 and 365, e.g. [7, 1]."]
    }


def test_milestone_create_needs_a_member(project, viewer):
    with pytest.raises(PermissionDenied):
        milestone_services.milestone_create(
            project=project, actor=viewer, title="New", due_date=DUE
        )
    assert not Milestone.objects.exists()


# Update -----------------------------------------------------------------------------------


def test_milestone_update_records_before_and_after_and_bumps_the_version(milestone, member):
    updated = milestone_services.milestone_update(
        milestone=milestone,
        actor=member,
        data={"title": "Landing page live", "owner": member, "kpi_target": 5000},
        expected_version=1,
    )
    assert updated.version == 2
    assert_recorded(
        "milestone.updated",
        actor=member,
        target=milestone,
        changes={
            "title": ["Launch landing page live", "Landing page live"],
            "owner": [None, member.pk],
            "kpi_target": [None, "5000"],
        },
    )


def test_milestone_update_without_a_change_keeps_the_version(milestone, member):
    updated = milestone_services.milestone_update(
        milestone=milestone, actor=member, data={"title": milestone.title}, expected_version=1
    )
    assert updated.version == 1
    assert not ActivityEvent.objects.filter(verb="milestone.updated").exists()


def test_milestone_update_refuses_to_move_the_due_date(milestone, member):
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_update(
            milestone=milestone, actor=member, data={"due_date": DUE + timedelta(days=3)}
        )
    assert error.value.message_dict == {
        "due_date": ["Reschedule the milestone to move its due date (a reason is required)."]
    }
    milestone.refresh_from_db()
    assert milestone.due_date == DUE


@pytest.mark.parametrize(
    "field", ["status", "baseline_due_date", "completed_at", "version", "colour"]
)
def test_milestone_update_refuses_fields_with_their_own_service(milestone, member, field):
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_update(milestone=milestone, actor=member, data={field: None})
    assert error.value.message_dict == {field: ["This field cannot be changed here."]}


def test_milestone_update_refuses_a_phase_of_another_project(milestone, member):
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_update(
            milestone=milestone, actor=member, data={"phase": PhaseFactory()}
        )
    assert error.value.message_dict == {"phase": ["Choose a phase of this milestone's project."]}
    milestone.refresh_from_db()
    assert milestone.phase is None
    assert milestone.version == 1


def test_milestone_update_refuses_an_owner_who_is_not_a_member(milestone, member, outsider):
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_update(
            milestone=milestone, actor=member, data={"owner": outsider}
        )
    assert list(error.value.message_dict) == ["owner"]
    milestone.refresh_from_db()
    assert milestone.owner is None


def test_milestone_update_with_a_stale_version_carries_the_current_row(milestone, member):
    milestone_services.milestone_update(milestone=milestone, actor=member, data={"title": "First"})
    with pytest.raises(StaleVersion) as error:
        milestone_services.milestone_update(
            milestone=milestone, actor=member, data={"title": "Second"}, expected_version=1
        )
    assert (error.value.current.version, error.value.current.title) == (2, "First")
    assert "now version 2" in str(error.value)


def test_stale_version_is_checked_by_every_milestone_service(milestone, manager):
    milestone_services.milestone_update(
        milestone=milestone, actor=manager, data={"title": "Moved on"}
    )
    stale_calls = [
        lambda: milestone_services.milestone_reschedule(
            milestone=milestone, new_date=DUE, reason="x", actor=manager, expected_version=1
        ),
        lambda: milestone_services.milestone_rebaseline(
            milestone=milestone, actor=manager, expected_version=1
        ),
        lambda: milestone_services.milestone_complete(
            milestone=milestone, actor=manager, expected_version=1
        ),
        lambda: milestone_services.milestone_set_status(
            milestone=milestone, status="blocked", actor=manager, expected_version=1
        ),
        lambda: milestone_services.milestone_set_dependencies(
            milestone=milestone, depends_on=[], actor=manager, expected_version=1
        ),
    ]
    for call in stale_calls:
        with pytest.raises(StaleVersion):
            call()
    milestone.refresh_from_db()
    assert (milestone.version, milestone.status, milestone.due_date) == (2, "planned", DUE)


# Dependencies -----------------------------------------------------------------------------


def test_set_dependencies_records_the_change_and_bumps_the_version(project, member):
    first, second = MilestoneFactory(project=project), MilestoneFactory(project=project)
    updated = milestone_services.milestone_set_dependencies(
        milestone=second, depends_on=[first], actor=member, expected_version=1
    )
    assert updated.version == 2
    assert list(second.depends_on.all()) == [first]
    assert_recorded(
        "milestone.updated", actor=member, target=second, changes={"depends_on": [[], [first.pk]]}
    )


def test_set_dependencies_to_the_same_set_changes_nothing(project, member):
    first, second = chain(project, 2)
    updated = milestone_services.milestone_set_dependencies(
        milestone=second, depends_on=[first], actor=member
    )
    assert updated.version == 1
    assert not ActivityEvent.objects.exists()


def test_a_milestone_cannot_depend_on_itself(milestone, member):
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_set_dependencies(
            milestone=milestone, depends_on=[milestone], actor=member
        )
    assert error.value.message_dict == {"depends_on": ["A milestone cannot depend on itself."]}
    assert not milestone.depends_on.exists()


@pytest.mark.parametrize("length", [2, 3, 6])
def test_dependency_cycles_are_refused(project, member, length):
    milestones = chain(project, length)
    first, last = milestones[0], milestones[-1]
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_set_dependencies(
            milestone=first, depends_on=[last], actor=member
        )
    assert error.value.message_dict == {"depends_on": ["These dependencies would create a cycle."]}
    assert not first.depends_on.exists()
    first.refresh_from_db()
    assert first.version == 1


def test_a_diamond_is_not_a_cycle(project, member):
    top, left, right, bottom = (MilestoneFactory(project=project) for _ in range(4))
    depend(left, top)
    depend(right, top)
    milestone_services.milestone_set_dependencies(
        milestone=bottom, depends_on=[left, right], actor=member
    )
    assert set(bottom.depends_on.all()) == {left, right}


def test_dependencies_on_another_project_are_refused(milestone, member):
    foreign = MilestoneFactory(project=ProjectFactory(workspace=milestone.project.workspace))
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_set_dependencies(
            milestone=milestone, depends_on=[foreign], actor=member
        )
    assert error.value.message_dict == {
        "depends_on": ["A milestone can only depend on milestones of the same project."]
    }
    assert not milestone.depends_on.exists()


# Status -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["in_progress", "blocked", "cancelled"])
def test_set_status_records_the_move(milestone, member, status):
    updated = milestone_services.milestone_set_status(
        milestone=milestone, status=status, actor=member
    )
    assert (updated.status, updated.version, updated.completed_at) == (status, 2, None)
    assert_recorded(
        "milestone.status_changed",
        actor=member,
        target=milestone,
        changes={"status": ["planned", status]},
    )


def test_set_status_to_the_same_status_changes_nothing(milestone, member):
    updated = milestone_services.milestone_set_status(
        milestone=milestone, status="planned", actor=member
    )
    assert updated.version == 1
    assert not ActivityEvent.objects.exists()


def test_set_status_refuses_an_unknown_status(milestone, member):
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_set_status(milestone=milestone, status="done", actor=member)
    assert error.value.message_dict == {
        "status": ["Choose one of: planned, in_progress, blocked, completed, cancelled."]
    }


def test_set_status_to_completed_goes_through_the_completion_rules(milestone, member):
    DeliverableFactory(milestone=milestone, title="Hero banner")
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_set_status(
            milestone=milestone, status="completed", actor=member
        )
    assert error.value.message_dict == {"deliverables": ["Open deliverables: “Hero banner”."]}


def test_reopening_clears_completed_at(milestone, member):
    milestone_services.milestone_complete(milestone=milestone, actor=member)
    reopened = milestone_services.milestone_set_status(
        milestone=milestone, status="in_progress", actor=member
    )
    assert (reopened.status, reopened.completed_at, reopened.version) == ("in_progress", None, 3)
    reopened.refresh_from_db()
    assert reopened.completed_at is None
    assert_recorded(
        "milestone.reopened",
        actor=member,
        target=milestone,
        changes={"status": ["completed", "in_progress"]},
    )


def test_set_status_needs_a_member(milestone, viewer):
    with pytest.raises(PermissionDenied):
        milestone_services.milestone_set_status(milestone=milestone, status="blocked", actor=viewer)


# Complete ---------------------------------------------------------------------------------


def test_complete_without_open_work(milestone, member):
    completed = milestone_services.milestone_complete(
        milestone=milestone, actor=member, expected_version=1
    )
    assert completed.status == "completed"
    assert completed.completed_at is not None
    assert completed.version == 2
    event = assert_recorded(
        "milestone.completed",
        actor=member,
        target=milestone,
        changes={"status": ["planned", "completed"]},
    )
    assert event.data == {}


def test_force_means_nothing_when_no_work_is_open(milestone, member):
    completed = milestone_services.milestone_complete(milestone=milestone, actor=member, force=True)
    assert completed.status == "completed"
    assert ActivityEvent.objects.get().data == {}


def test_complete_counts_approved_delivered_deliverables_and_closed_dependencies_as_done(
    project, member
):
    done_dependency = MilestoneFactory(project=project, status="cancelled")
    milestone = MilestoneFactory(project=project)
    depend(milestone, done_dependency)
    for status in ("approved", "delivered"):
        DeliverableFactory(
            milestone=milestone, status=status, approved_at=datetime.now().astimezone()
        )
    assert (
        milestone_services.milestone_complete(milestone=milestone, actor=member).status
        == "completed"
    )


def blocked_milestone(project) -> Milestone:
    milestone = MilestoneFactory(project=project, title="Launch day")
    DeliverableFactory(milestone=milestone, title="Press kit")
    DeliverableFactory(milestone=milestone, title="Launch video", status="in_review")
    depend(milestone, MilestoneFactory(project=project, title="Legal sign-off"))
    return milestone


def test_complete_is_refused_while_work_is_open_naming_it(project, member):
    milestone = blocked_milestone(project)
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_complete(milestone=milestone, actor=member)
    assert error.value.message_dict == {
        "deliverables": ["Open deliverables: “Press kit”, “Launch video”."],
        "depends_on": ["Incomplete dependencies: “Legal sign-off”."],
    }
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_at, milestone.version) == ("planned", None, 1)
    assert not ActivityEvent.objects.exists()


def test_a_manager_may_force_completion_with_a_reason_the_log_keeps(project, manager):
    milestone = blocked_milestone(project)
    completed = milestone_services.milestone_complete(
        milestone=milestone, actor=manager, force=True, reason="  Client signed off by phone. "
    )
    assert completed.status == "completed"
    event = assert_recorded("milestone.completed", actor=manager, target=milestone)
    assert event.data == {
        "forced": True,
        "reason": "Client signed off by phone.",
        "open": {
            "deliverables": ["Open deliverables: “Press kit”, “Launch video”."],
            "depends_on": ["Incomplete dependencies: “Legal sign-off”."],
        },
    }


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_forcing_needs_a_reason(project, manager, reason):
    milestone = blocked_milestone(project)
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_complete(
            milestone=milestone, actor=manager, force=True, reason=reason
        )
    assert error.value.message_dict == {
        "reason": ["Say why the milestone is completed with work still open."]
    }
    milestone.refresh_from_db()
    assert milestone.status == "planned"


def test_a_member_may_not_force_completion(project, member):
    milestone = blocked_milestone(project)
    with pytest.raises(PermissionDenied):
        milestone_services.milestone_complete(
            milestone=milestone, actor=member, force=True, reason="Done"
        )
    milestone.refresh_from_db()
    assert milestone.status == "planned"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("completed", "This milestone is already completed."),
        ("cancelled", "A cancelled milestone cannot be completed; reopen it first."),
    ],
)
def test_complete_refuses_a_closed_milestone(project, member, status, message):
    completed_at = datetime.now().astimezone() if status == "completed" else None
    milestone = MilestoneFactory(project=project, status=status, completed_at=completed_at)
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_complete(milestone=milestone, actor=member)
    assert error.value.message_dict == {"status": [message]}


def test_complete_needs_a_member(milestone, viewer):
    with pytest.raises(PermissionDenied):
        milestone_services.milestone_complete(milestone=milestone, actor=viewer)


# Reschedule and re-baseline ---------------------------------------------------------------


def test_reschedule_moves_the_date_keeps_the_baseline_and_logs_the_change(milestone, member):
    new_date = DUE + timedelta(days=5)
    moved = milestone_services.milestone_reschedule(
        milestone=milestone,
        new_date=new_date,
        reason=" Printer delay ",
        actor=member,
        expected_version=1,
    )
    assert (moved.due_date, moved.baseline_due_date, moved.version) == (new_date, DUE, 2)
    change = MilestoneDateChange.objects.get()
    assert (change.old_date, change.new_date, change.reason, change.changed_by) == (
        DUE,
        new_date,
        "Printer delay",
        member,
    )
    event = assert_recorded(
        "milestone.rescheduled",
        actor=member,
        target=milestone,
        changes={"due_date": ["2026-11-20", "2026-11-25"]},
    )
    assert event.data == {"reason": "Printer delay", "slip_days": 5}


def test_each_reschedule_is_kept_and_slip_is_measured_from_the_baseline(milestone, member):
    milestone_services.milestone_reschedule(
        milestone=milestone, new_date=DUE + timedelta(days=7), reason="Late assets", actor=member
    )
    milestone_services.milestone_reschedule(
        milestone=milestone, new_date=DUE - timedelta(days=2), reason="Pulled in", actor=member
    )
    assert MilestoneDateChange.objects.filter(milestone=milestone).count() == 2
    last = ActivityEvent.objects.filter(verb="milestone.rescheduled").order_by("-id").first()
    assert last.data["slip_days"] == -2
    milestone.refresh_from_db()
    assert (milestone.baseline_due_date, milestone.version) == (DUE, 3)


def refused_reschedule(milestone, actor, **arguments) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_reschedule(milestone=milestone, actor=actor, **arguments)
    assert not MilestoneDateChange.objects.exists()
    assert not ActivityEvent.objects.filter(verb="milestone.rescheduled").exists()
    return error.value.message_dict


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reschedule_needs_a_reason(milestone, member, reason):
    new_date = DUE + timedelta(days=1)
    assert refused_reschedule(milestone, member, new_date=new_date, reason=reason) == {
        "reason": ["Say why the date moves; the reason stays in the history."]
    }
    milestone.refresh_from_db()
    assert milestone.due_date == DUE


@pytest.mark.parametrize("new_date", ["2026-12-01", None, datetime(2026, 12, 1, 9, 0)])
def test_reschedule_needs_a_calendar_date(milestone, member, new_date):
    assert refused_reschedule(milestone, member, new_date=new_date, reason="Moved") == {
        "due_date": ["Enter a valid date."]
    }


def test_reschedule_to_the_same_date_is_refused(milestone, member):
    assert refused_reschedule(milestone, member, new_date=DUE, reason="No move") == {
        "due_date": ["The milestone is already due on 2026-11-20."]
    }
    milestone.refresh_from_db()
    assert milestone.version == 1


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_a_closed_milestone_cannot_be_rescheduled(project, member, status):
    completed_at = datetime.now().astimezone() if status == "completed" else None
    milestone = MilestoneFactory(project=project, status=status, completed_at=completed_at)
    new_date = milestone.due_date + timedelta(days=1)
    assert refused_reschedule(milestone, member, new_date=new_date, reason="Late") == {
        "due_date": [f"A {status} milestone cannot be rescheduled."]
    }


def test_reschedule_needs_a_member(milestone, viewer):
    with pytest.raises(PermissionDenied):
        milestone_services.milestone_reschedule(
            milestone=milestone, new_date=DUE + timedelta(days=1), reason="Late", actor=viewer
        )
    assert not MilestoneDateChange.objects.exists()


def test_rebaseline_accepts_the_current_date_as_the_plan(milestone, manager):
    milestone_services.milestone_reschedule(
        milestone=milestone, new_date=DUE + timedelta(days=4), reason="Late", actor=manager
    )
    rebaselined = milestone_services.milestone_rebaseline(
        milestone=milestone, actor=manager, reason=" New plan agreed ", expected_version=2
    )
    assert rebaselined.baseline_due_date == DUE + timedelta(days=4)
    assert rebaselined.version == 3
    event = assert_recorded(
        "milestone.rebaselined",
        actor=manager,
        target=milestone,
        changes={"baseline_due_date": ["2026-11-20", "2026-11-24"]},
    )
    assert event.data == {"reason": "New plan agreed"}


def test_rebaseline_reason_is_optional(project, manager):
    milestone = MilestoneFactory(
        project=project, baseline_due_date=DUE, due_date=DUE + timedelta(1)
    )
    milestone_services.milestone_rebaseline(milestone=milestone, actor=manager, reason=None)
    assert ActivityEvent.objects.get(verb="milestone.rebaselined").data == {"reason": ""}


def test_rebaseline_without_a_slip_is_refused(milestone, manager):
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_rebaseline(milestone=milestone, actor=manager)
    assert error.value.message_dict == {
        "baseline_due_date": ["The baseline already matches the due date."]
    }
    assert not ActivityEvent.objects.exists()


def test_rebaseline_needs_a_manager(project, member):
    milestone = MilestoneFactory(
        project=project, baseline_due_date=DUE, due_date=DUE + timedelta(1)
    )
    with pytest.raises(PermissionDenied):
        milestone_services.milestone_rebaseline(milestone=milestone, actor=member)
    milestone.refresh_from_db()
    assert milestone.baseline_due_date == DUE


# Delete -----------------------------------------------------------------------------------


def test_milestone_delete_is_recorded_on_the_project(milestone, manager, project):
    milestone_id = milestone.pk
    milestone_services.milestone_delete(milestone=milestone, actor=manager)
    assert not Milestone.objects.exists()
    event = assert_recorded("milestone.deleted", actor=manager, target=project)
    assert event.data == {"milestone": "Launch landing page live", "milestone_id": milestone_id}


def test_milestone_delete_needs_a_manager(milestone, member):
    with pytest.raises(PermissionDenied):
        milestone_services.milestone_delete(milestone=milestone, actor=member)
    assert Milestone.objects.exists()


def test_the_system_actor_is_recorded_without_a_name(milestone):
    milestone_services.milestone_set_status(milestone=milestone, status="blocked", actor=None)
    event = assert_recorded("milestone.status_changed", actor=None, target=milestone)
    assert event.actor_name == ""
    assert str(event) == f"system milestone.status_changed {milestone.title}"


def test_the_actor_name_is_kept_in_the_log(milestone):
    actor = UserFactory(first_name="Maya", last_name="Ortiz")
    milestone.project.workspace.memberships.create(user=actor, role="member")
    milestone_services.milestone_set_status(milestone=milestone, status="blocked", actor=actor)
    assert ActivityEvent.objects.get().actor_name == "Maya Ortiz"


# One edit, several changes -----------------------------------------------------------------


def test_milestone_edit_reopens_first_then_moves_the_date_then_saves_details(milestone, member):
    milestone_services.milestone_complete(milestone=milestone, actor=member)
    edited = milestone_services.milestone_edit(
        milestone=milestone,
        actor=member,
        data={
            "status": "in_progress",
            "title": "Landing page live (EU)",
            "due_date": DUE + timedelta(days=5),
            "reschedule_reason": "Legal review of the EU copy",
        },
    )
    assert (edited.status, edited.title, edited.due_date) == (
        "in_progress",
        "Landing page live (EU)",
        DUE + timedelta(days=5),
    )
    assert edited.baseline_due_date == DUE
    verbs = list(
        ActivityEvent.objects.filter(target_id=milestone.pk)
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "milestone.completed",
        "milestone.reopened",
        "milestone.updated",
        "milestone.rescheduled",
    ]


def test_milestone_edit_closes_last_and_is_all_or_nothing(project, member):
    milestone = MilestoneFactory(project=project, due_date=DUE)
    DeliverableFactory(milestone=milestone, title="Hero banner")
    before = table_counts(ActivityEvent, MilestoneDateChange)
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_edit(
            milestone=milestone,
            actor=member,
            data={"title": "Renamed", "status": "completed"},
        )
    assert error.value.message_dict == {"deliverables": ["Open deliverables: “Hero banner”."]}
    milestone.refresh_from_db()
    assert (milestone.status, milestone.version) == ("planned", 1)
    assert milestone.title != "Renamed"
    assert table_counts(ActivityEvent, MilestoneDateChange) == before


def test_milestone_edit_moves_a_date_only_with_a_reason(milestone, member):
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_edit(
            milestone=milestone, actor=member, data={"due_date": DUE + timedelta(days=1)}
        )
    assert error.value.message_dict == {
        "due_date": ["Reschedule the milestone to move its due date (a reason is required)."]
    }
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_edit(
            milestone=milestone,
            actor=member,
            data={"due_date": DUE + timedelta(days=1), "reschedule_reason": " "},
        )
    assert list(error.value.message_dict) == ["reason"]


def test_milestone_edit_checks_the_version_once_for_all_its_steps(milestone, member):
    with pytest.raises(StaleVersion):
        milestone_services.milestone_edit(
            milestone=milestone, actor=member, data={"title": "X"}, expected_version=7
        )
    edited = milestone_services.milestone_edit(
        milestone=milestone,
        actor=member,
        data={"title": "X", "status": "blocked"},
        expected_version=1,
    )
    assert (edited.title, edited.status, edited.version) == ("X", "blocked", 3)


def test_bulk_status_names_the_position_of_a_refusal_and_changes_nothing(project, member):
    free, held = MilestoneFactory(project=project), MilestoneFactory(project=project)
    DeliverableFactory(milestone=held, title="Press kit")
    with pytest.raises(ValidationError) as error:
        milestone_services.milestones_set_status(
            changes=[(free, "in_progress"), (held, "completed")], actor=member
        )
    assert error.value.message_dict == {"items.1.deliverables": ["Open deliverables: “Press kit”."]}
    free.refresh_from_db()
    assert free.status == "planned"
    changed = milestone_services.milestones_set_status(
        changes=[(free, "in_progress"), (held, "blocked")], actor=member
    )
    assert [m.status for m in changed] == ["in_progress", "blocked"]


@pytest.mark.parametrize("title", ["Launch\nday", "Launch\r\nday", "Launch\u2028day"])
def test_a_title_is_one_line(project, member, title):
    with pytest.raises(ValidationError) as error:
        milestone_services.milestone_create(
            project=project, actor=member, title=title, due_date=DUE
        )
    assert error.value.message_dict == {"title": ["Use a single line, without line breaks."]}
    milestone = MilestoneFactory(project=project)
    with pytest.raises(ValidationError):
        milestone_services.milestone_update(
            milestone=milestone, actor=member, data={"title": title}
        )
    assert not Milestone.objects.filter(title=title).exists()
