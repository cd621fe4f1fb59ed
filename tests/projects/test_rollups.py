"""Stored roll-ups never drift from their rows: random sequences of service calls, checked
after every step against a recomputation from scratch; concurrent writers on one project;
and `check_rollups` reporting and repairing a drift."""

import contextlib
import random
import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from deliverables.models import Deliverable
from deliverables.rollups import recompute_everything
from deliverables.services import checklists as checklist_services
from deliverables.services import deliverables as deliverable_services
from milestones_site.services.errors import StaleVersion
from projects.models import Milestone, Project, Role, Template
from projects.playbooks.planning import Direction
from projects.playbooks.services import template_instantiate
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, WorkspaceFactory

TODAY = date(2026, 11, 10)
MOVES = ["start", "submit", "approve", "request_changes", "deliver"]
STATUSES = ["planned", "in_progress", "blocked", "completed", "cancelled"]
REFUSED = (ValidationError, PermissionDenied, StaleVersion)


def refused_or_done(call) -> None:
    """Services refuse what their rules forbid; a refusal changes nothing, so the check
    after the step holds either way."""
    with contextlib.suppress(*REFUSED):
        call()


class ServiceCalls(RuleBasedStateMachine):
    """A manager works on two projects of one workspace through the services only."""

    milestones = Bundle("milestones")
    deliverables = Bundle("deliverables")
    items = Bundle("items")

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        workspace = WorkspaceFactory()
        self.manager = UserFactory()
        MembershipFactory(workspace=workspace, user=self.manager, role=Role.MANAGER)
        self.projects = [ProjectFactory(workspace=workspace) for _ in range(2)]

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @initialize(target=milestones, due_in=st.integers(-5, 20))
    def first_milestone(self, due_in):
        return milestone_services.milestone_create(
            project=self.projects[0],
            actor=self.manager,
            title="Kick-off",
            due_date=TODAY + timedelta(days=due_in),
        )

    @rule(
        target=milestones,
        project=st.integers(0, 1),
        due_in=st.integers(-5, 20),
        waits_for=st.lists(milestones, max_size=2),
    )
    def create_milestone(self, project, due_in, waits_for):
        same_project = [m for m in waits_for if m.project_id == self.projects[project].pk]
        return milestone_services.milestone_create(
            project=self.projects[project],
            actor=self.manager,
            title="Checkpoint",
            due_date=TODAY + timedelta(days=due_in),
            depends_on=same_project,
        )

    @rule(target=deliverables, milestone=milestones)
    def create_deliverable(self, milestone):
        try:
            return deliverable_services.deliverable_create(
                milestone=self.current(milestone), actor=self.manager, title="Asset"
            )
        except REFUSED:
            return None

    @rule(deliverable=deliverables, move=st.sampled_from(MOVES))
    def move_deliverable(self, deliverable, move):
        if deliverable is None or not Deliverable.objects.filter(pk=deliverable.pk).exists():
            return
        service = getattr(deliverable_services, f"deliverable_{move}")
        extra = {"note": "Tighter crop"} if move == "request_changes" else {}
        refused_or_done(lambda: service(deliverable=deliverable, actor=self.manager, **extra))

    @rule(deliverable=consumes(deliverables))
    def delete_deliverable(self, deliverable):
        if deliverable is not None and Deliverable.objects.filter(pk=deliverable.pk).exists():
            deliverable_services.deliverable_delete(deliverable=deliverable, actor=self.manager)

    @rule(target=items, deliverable=deliverables, done=st.booleans())
    def add_checklist_item(self, deliverable, done):
        if deliverable is None or not Deliverable.objects.filter(pk=deliverable.pk).exists():
            return None
        return checklist_services.checklist_item_add(
            parent=deliverable, actor=self.manager, text="Alt text", done=done
        )

    @rule(item=items, done=st.booleans())
    def tick(self, item, done):
        if item is not None and type(item).objects.filter(pk=item.pk).exists():
            checklist_services.checklist_item_toggle(item=item, done=done, actor=self.manager)

    @rule(milestone=milestones, status=st.sampled_from(STATUSES), force=st.booleans())
    def set_status(self, milestone, status, force):
        if not self.exists(milestone):
            return
        if status == "completed":
            refused_or_done(
                lambda: milestone_services.milestone_complete(
                    milestone=milestone, actor=self.manager, force=force, reason="Client call"
                )
            )
        else:
            refused_or_done(
                lambda: milestone_services.milestone_set_status(
                    milestone=milestone, status=status, actor=self.manager
                )
            )

    @rule(milestone=milestones, days=st.integers(-10, 10))
    def reschedule(self, milestone, days):
        if self.exists(milestone):
            current = self.current(milestone)
            refused_or_done(
                lambda: milestone_services.milestone_reschedule(
                    milestone=current,
                    new_date=current.due_date + timedelta(days=days),
                    reason="Supplier",
                    actor=self.manager,
                )
            )

    @rule(milestone=milestones, waits_for=st.lists(milestones, max_size=3))
    def set_dependencies(self, milestone, waits_for):
        if self.exists(milestone):
            alive = [m for m in waits_for if self.exists(m)]
            refused_or_done(
                lambda: milestone_services.milestone_set_dependencies(
                    milestone=milestone, depends_on=alive, actor=self.manager
                )
            )

    @rule(chosen=st.lists(milestones, min_size=1, max_size=3), status=st.sampled_from(STATUSES))
    def bulk_status(self, chosen, status):
        alive = list({m.pk: self.current(m) for m in chosen if self.exists(m)}.values())
        refused_or_done(
            lambda: milestone_services.milestones_set_status(
                changes=[(m, status) for m in alive], actor=self.manager
            )
        )

    @rule(milestone=consumes(milestones))
    def delete_milestone(self, milestone):
        if self.exists(milestone):
            milestone_services.milestone_delete(milestone=milestone, actor=self.manager)

    @rule(project=st.integers(0, 1), health=st.sampled_from(["on_track", "at_risk", "off_track"]))
    def post_status_update(self, project, health):
        project_services.status_update_post(
            project=self.projects[project], actor=self.manager, health=health, summary="Weekly"
        )

    @rule(backward=st.booleans())
    def instantiate_a_playbook(self, backward):
        template = Template.objects.filter(workspace__isnull=True).order_by("pk").first()
        project = template_instantiate(
            template=template,
            workspace=self.projects[0].workspace,
            actor=self.manager,
            name="From a playbook",
            direction=Direction.BACKWARD if backward else Direction.FORWARD,
            on=TODAY + timedelta(days=60),
        )
        self.projects.append(project)

    @invariant()
    def roll_ups_match_their_rows(self):
        assert recompute_everything() == []

    def exists(self, milestone) -> bool:
        return Milestone.objects.filter(pk=milestone.pk).exists()

    def current(self, milestone) -> Milestone:
        return Milestone.objects.select_related("project__workspace").get(pk=milestone.pk)


@pytest.mark.django_db
def test_random_service_calls_keep_every_roll_up_true():
    run_state_machine_as_test(
        ServiceCalls,
        settings=settings(
            max_examples=12,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_one_project_keep_its_roll_ups_true(workspace, manager):
    """Four threads, each on its own connection, change one project's milestones and
    deliverables at once; the project lock makes their refreshes take turns."""
    project = ProjectFactory(workspace=workspace, owner=manager)
    milestones = [
        milestone_services.milestone_create(
            project=project, actor=manager, title=f"Step {n}", due_date=TODAY + timedelta(n)
        )
        for n in range(4)
    ]
    failures = []

    def work(seed: int):
        rng = random.Random(seed)
        try:
            for _ in range(8):
                change_something(rng, Milestone.objects.get(pk=rng.choice(milestones).pk))
        except Exception as error:  # reported below, with the thread's seed
            failures.append((seed, error))
        finally:
            connection.close()

    def change_something(rng: random.Random, milestone: Milestone) -> None:
        action = rng.choice(["deliverable", "move", "status", "reschedule"])
        deliverable = milestone.deliverables.order_by("?").first()
        with contextlib.suppress(*REFUSED):
            if action == "deliverable":
                deliverable_services.deliverable_create(
                    milestone=milestone, actor=manager, title="Banner"
                )
            elif action == "move" and deliverable is not None:
                deliverable_services.deliverable_submit(deliverable=deliverable, actor=manager)
            elif action == "status":
                milestone_services.milestone_set_status(
                    milestone=milestone,
                    status=rng.choice(["in_progress", "blocked", "cancelled", "planned"]),
                    actor=manager,
                )
            else:
                milestone_services.milestone_reschedule(
                    milestone=milestone,
                    new_date=milestone.due_date + timedelta(rng.choice([-2, 3])),
                    reason="Printer",
                    actor=manager,
                )

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert recompute_everything() == []
    project.refresh_from_db()
    assert project.milestones_total == 4


@pytest.mark.django_db
@pytest.mark.rollups_may_drift
def test_check_rollups_reports_then_repairs_a_drift(project, capsys):
    milestone = milestone_services.milestone_create(
        project=project, actor=None, title="Launch", due_date=TODAY
    )
    deliverable_services.deliverable_create(milestone=milestone, actor=None, title="Film")
    Project.objects.filter(pk=project.pk).update(deliverables_total=7)

    with pytest.raises(SystemExit) as exit_status:
        call_command("check_rollups")
    assert exit_status.value.code == 1
    assert f"Project {project.pk}: deliverables_total is 7, should be 1" in capsys.readouterr().out

    call_command("check_rollups", "--repair")
    assert "Repaired 1 roll-ups." in capsys.readouterr().out
    project.refresh_from_db()
    assert project.deliverables_total == 1
    call_command("check_rollups")
    assert "Every roll-up matches its rows." in capsys.readouterr().out
