"""`manage.py seed_demo`: the demo agency workspace of projects/demo_campaigns.py.

Everything is created through the services, so the audit log is the one real use would
leave. Idempotent: when the demo workspace exists it creates nothing and only prints the
logins. Users that already exist keep their password.
"""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from deliverables.services import checklists as checklist_services
from deliverables.services import deliverables as deliverable_services
from projects.demo import campaigns as plan
from projects.models import ActivityEvent, Milestone, StatusUpdate, Workspace
from projects.services import comments as comment_services
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from projects.services import workspaces as workspace_services

# The moves of the review cycle that take a new deliverable to each status.
MOVES_TO_STATUS = {
    "not_started": (),
    "in_progress": ("start",),
    "in_review": ("start", "submit"),
    "changes_requested": ("start", "submit", "request_changes"),
    "approved": ("start", "submit", "approve"),
    "delivered": ("start", "submit", "approve", "deliver"),
}
REVIEW_MOVES = {"approve", "request_changes"}


class DemoLoader:
    """Creates the plan's workspace, people, clients and projects as of the workspace's today."""

    def __init__(self):
        self.tz = ZoneInfo(plan.WORKSPACE["tz"])
        self.today = timezone.localdate(timezone=self.tz)
        self.users = {}
        self.workspace = None

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def moment(self, day: date, hour: int) -> datetime:
        """That day at `hour` in the workspace's timezone, but never in the future."""
        return min(datetime.combine(day, time(hour), tzinfo=self.tz), timezone.now())

    @contextmanager
    def backdated(self, when: datetime):
        """Date the audit events recorded inside the block `when`, as if they happened then."""
        last = ActivityEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        yield
        ActivityEvent.objects.filter(workspace=self.workspace, pk__gt=last).update(created_at=when)

    def load(self) -> Workspace:
        User = get_user_model()
        password = make_password(plan.PASSWORD)  # hashed once: the demo users share it
        for username, (first, last, _role) in plan.PEOPLE.items():
            self.users[username], _ = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@northwind.example.com",
                    "password": password,
                    "is_staff": username == plan.ADMIN_LOGIN,
                    "is_superuser": username == plan.ADMIN_LOGIN,
                },
            )
        founder, *others = plan.PEOPLE.items()
        owner = self.users[founder[0]]
        self.workspace = workspace_services.workspace_create(
            name=plan.WORKSPACE["name"],
            slug=plan.WORKSPACE["slug"],
            timezone=plan.WORKSPACE["tz"],
            actor=owner,
        )
        for username, (_first, _last, role) in others:
            workspace_services.membership_add(
                workspace=self.workspace, user=self.users[username], role=role, actor=owner
            )
        manager = self.users[plan.MANAGER_LOGIN]
        clients = {
            key: workspace_services.client_create(
                workspace=self.workspace, actor=manager, name=name, contact_email=email
            )
            for key, (name, email) in plan.CLIENTS.items()
        }
        for project_plan in plan.PROJECTS:
            self.load_project(project_plan, clients[project_plan.client], manager)
        return self.workspace

    def load_project(self, project_plan: plan.DemoProject, client, manager) -> None:
        project = project_services.project_create(
            workspace=self.workspace,
            actor=manager,
            client=client,
            name=project_plan.name,
            description=project_plan.description,
            objective=project_plan.objective,
            kind=project_plan.kind,
            status="active",
            start_date=self.day(project_plan.start),
            target_date=self.day(project_plan.target),
            budget_planned=project_plan.budget_planned,
            budget_spent=project_plan.budget_spent,
            currency="GBP",
        )
        phases = [
            project_services.phase_create(
                project=project,
                actor=manager,
                name=name,
                order=order,
                start_date=self.day(start),
                end_date=self.day(end),
            )
            for order, (name, start, end) in enumerate(project_plan.phases)
        ]
        milestones = {}
        for milestone_plan in project_plan.milestones:
            milestones[milestone_plan.key] = self.load_milestone(
                milestone_plan, project, phases, milestones, manager
            )
        for author, health, summary, days_ago in project_plan.status_updates:
            when = self.moment(self.day(-days_ago), 9)
            with self.backdated(when):
                update = project_services.status_update_post(
                    project=project, actor=self.users[author], health=health, summary=summary
                )
            StatusUpdate.objects.filter(pk=update.pk).update(created_at=when)

    def plan_milestone(self, milestone_plan, project, phases, earlier, manager) -> Milestone:
        """The milestone as first planned (due on its baseline), then moved by its slip."""
        kpi_name, kpi_target, kpi_actual, kpi_unit = milestone_plan.kpi or ("", None, None, "")
        milestone = milestone_services.milestone_create(
            project=project,
            actor=manager,
            title=milestone_plan.title,
            due_date=self.day(milestone_plan.due - milestone_plan.slip),
            depends_on=[earlier[key] for key in milestone_plan.depends_on],
            phase=phases[milestone_plan.phase],
            category=milestone_plan.category,
            owner=self.users[milestone_plan.owner],
            success_criteria=milestone_plan.success_criteria,
            kpi_name=kpi_name,
            kpi_target=kpi_target,
            kpi_actual=kpi_actual,
            kpi_unit=kpi_unit,
        )
        if milestone_plan.slip:
            milestone = milestone_services.milestone_reschedule(
                milestone=milestone,
                new_date=self.day(milestone_plan.due),
                reason=milestone_plan.slip_reason,
                actor=manager,
            )
        return milestone

    def load_milestone(self, milestone_plan, project, phases, earlier, manager) -> Milestone:
        owner = self.users[milestone_plan.owner]
        # Planned when the project started, so its history runs creation → reschedule →
        # completion (the burn-up replays it in that order).
        planned = self.moment(project.start_date, 9)
        with self.backdated(planned):
            milestone = self.plan_milestone(milestone_plan, project, phases, earlier, manager)
        Milestone.objects.filter(pk=milestone.pk).update(created_at=planned)
        for deliverable_plan in milestone_plan.deliverables:
            self.load_deliverable(deliverable_plan, milestone, manager)
        for author, body in milestone_plan.comments:
            comment_services.comment_post(target=milestone, actor=self.users[author], body=body)
        if milestone_plan.status == Milestone.Status.COMPLETED:
            when = self.moment(milestone.due_date, 16)
            with self.backdated(when):
                milestone = milestone_services.milestone_complete(milestone=milestone, actor=owner)
            Milestone.objects.filter(pk=milestone.pk).update(completed_at=when)
        elif milestone_plan.status != Milestone.Status.PLANNED:
            milestone = milestone_services.milestone_set_status(
                milestone=milestone, status=milestone_plan.status, actor=owner
            )
        return milestone

    def load_deliverable(self, deliverable_plan, milestone, manager) -> None:
        owner = self.users[deliverable_plan.owner]
        started = deliverable_plan.status != "not_started"
        path = f"{slugify(milestone.project.name)}/{slugify(deliverable_plan.title)}"
        deliverable = deliverable_services.deliverable_create(
            milestone=milestone,
            actor=manager,
            title=deliverable_plan.title,
            kind=deliverable_plan.kind,
            owner=owner,
            due_date=milestone.due_date - timedelta(days=2),
            link=f"https://example.com/{path}" if started else "",
        )
        for text, done in deliverable_plan.checklist:
            item = checklist_services.checklist_item_add(parent=deliverable, actor=owner, text=text)
            if done:
                checklist_services.checklist_item_toggle(item=item, done=True, actor=owner)
        for move in MOVES_TO_STATUS[deliverable_plan.status]:
            service = getattr(deliverable_services, f"deliverable_{move}")
            extra = {"note": deliverable_plan.note} if move == "request_changes" else {}
            actor = manager if move in REVIEW_MOVES else owner
            deliverable = service(deliverable=deliverable, actor=actor, **extra)


class Command(BaseCommand):
    help = "Create the demo agency workspace with four live campaigns (idempotent)."

    def handle(self, *args, **options):
        if Workspace.objects.filter(slug=plan.WORKSPACE["slug"]).exists():
            self.stdout.write(f"Demo workspace “{plan.WORKSPACE['name']}” already exists.")
        else:
            with transaction.atomic():
                DemoLoader().load()
            self.stdout.write(self.style.SUCCESS(f"Created “{plan.WORKSPACE['name']}”."))
        others = ", ".join(
            f"{name} ({role})"
            for name, (_first, _last, role) in plan.PEOPLE.items()
            if name not in {plan.MANAGER_LOGIN, plan.STAKEHOLDER_LOGIN, plan.ADMIN_LOGIN}
        )
        self.stdout.write(
            f"\n  Open {settings.SITE_URL}/ and sign in as\n"
            f"    manager:              {plan.MANAGER_LOGIN} / {plan.PASSWORD}\n"
            f"    stakeholder (viewer): {plan.STAKEHOLDER_LOGIN} / {plan.PASSWORD}\n"
            f"    admin ({settings.SITE_URL}/admin/): {plan.ADMIN_LOGIN} / {plan.PASSWORD}\n"
            f"  Other demo users, same password: {others}.\n"
        )
