"""`manage.py seed_bench`: a large synthetic workspace for benchmarks, built with bulk inserts.

Re-running replaces the bench workspace (it deletes the previous one first), but it never
deletes a workspace that seed_bench did not make: a slug taken by another workspace is
refused. Bench users (`bench-001`, …) are kept between runs and share one password.
The same `--seed` builds the same data relative to today.
"""

import random
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from itertools import pairwise

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from deliverables.models import Deliverable
from projects import rollups
from projects.models import (
    Client,
    Membership,
    Milestone,
    MilestoneDateChange,
    Phase,
    Project,
    Role,
    StatusUpdate,
    Workspace,
)

BENCH_NAME = "Benchmark (synthetic data)"
BENCH_PASSWORD = "milestones-bench"
BATCH = 2000
PHASES = ("Strategy", "Production", "Launch", "Follow-up")
SLIP_REASONS = (
    "Client feedback round took longer than planned.",
    "Supplier delivered late.",
    "Budget re-approval needed.",
    "Creative reshoot.",
)
# Looked up once: the enums' `.values` build a new list on every access.
PROJECT_KINDS = Project.Kind.values
CATEGORIES = Milestone.Category.values
DELIVERABLE_KINDS = Deliverable.Kind.values
# Deliverable statuses of open milestones, weighted: most work is under way or not started.
OPEN_DELIVERABLE_STATUSES, OPEN_DELIVERABLE_WEIGHTS = zip(
    ("not_started", 30),
    ("in_progress", 30),
    ("in_review", 15),
    ("changes_requested", 5),
    ("approved", 12),
    ("delivered", 8),
    strict=True,
)


class BenchBuilder:
    def __init__(self, *, slug: str, seed: int, users: int):
        self.rng = random.Random(seed)
        self.slug = slug
        self.user_count = users
        self.now = timezone.now()
        self.today = self.now.astimezone(UTC).date()
        self.managers: list = []  # owners and managers: they own projects and approve
        self.workers: list = []  # everyone but stakeholders: they own milestones

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def at_three_pm(self, day: date) -> datetime:
        """A timestamp on that day, never in the future."""
        return min(datetime.combine(day, clock(15), tzinfo=UTC), self.now)

    def bench_users(self) -> list:
        User = get_user_model()
        names = [f"bench-{n:03d}" for n in range(1, self.user_count + 1)]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        missing = [name for name in names if name not in existing]
        if missing:
            password = make_password(BENCH_PASSWORD)  # hashed once: bench users share it
            User.objects.bulk_create(User(username=name, password=password) for name in missing)
        by_name = User.objects.in_bulk(names, field_name="username")
        return [by_name[name] for name in names]

    def build(self, *, projects: int, milestones: int, deliverables: int) -> dict[str, int]:
        previous = Workspace.objects.filter(slug=self.slug).first()
        if previous and previous.name != BENCH_NAME:
            raise CommandError(
                f"The slug “{self.slug}” belongs to “{previous.name}”, which seed_bench did not "
                "create; choose another --workspace-slug."
            )
        if previous:
            previous.delete()
        users = self.bench_users()
        workspace = Workspace.objects.create(name=BENCH_NAME, slug=self.slug, timezone="UTC")
        # First user owns, a tenth manage, a tenth are stakeholders, the rest are members.
        tenth = max(1, len(users) // 10)
        roles = [Role.OWNER] + [Role.MANAGER] * tenth + [Role.VIEWER] * tenth
        roles += [Role.MEMBER] * (len(users) - len(roles))
        staff = list(zip(users, roles, strict=False))
        Membership.objects.bulk_create(
            Membership(workspace=workspace, user=user, role=role) for user, role in staff
        )
        self.managers = [user for user, role in staff if role in {Role.OWNER, Role.MANAGER}]
        self.workers = [user for user, role in staff if role != Role.VIEWER]
        clients = Client.objects.bulk_create(
            Client(workspace=workspace, name=f"Client {n:02d}") for n in range(1, 11)
        )
        project_rows = Project.objects.bulk_create(
            (self.project(workspace, n, clients) for n in range(projects)), batch_size=BATCH
        )
        Phase.objects.bulk_create(
            (phase for p in project_rows for phase in self.phases(p)), batch_size=BATCH
        )
        milestone_rows = Milestone.objects.bulk_create(
            (m for p in project_rows for m in self.milestones(p, milestones)), batch_size=BATCH
        )
        counts = self.history(project_rows, milestone_rows)
        Deliverable.objects.bulk_create(
            (d for m in milestone_rows for d in self.deliverables(m, deliverables)),
            batch_size=BATCH,
        )
        # Bulk inserts pass the services by: their roll-ups are worked out once, here.
        rollups.recompute(repair=True)
        return {
            "members": len(users),
            "projects": len(project_rows),
            "milestones": len(milestone_rows),
            "deliverables": len(milestone_rows) * deliverables,
            "completed": sum(m.status == Milestone.Status.COMPLETED for m in milestone_rows),
            "overdue": sum(m.due_date < self.today and not m.is_closed for m in milestone_rows),
            **counts,
        }

    def project(self, workspace, n: int, clients) -> Project:
        start = self.today - self.days(-30, 300)
        target = start + self.days(60, 240)
        if target < self.today:
            status = self.rng.choices(["completed", "cancelled"], [9, 1])[0]
        elif start > self.today:
            status = "planning"
        else:
            status = self.rng.choices(["active", "on_hold"], [9, 1])[0]
        planned = self.rng.randrange(10_000, 250_000, 500)
        return Project(
            workspace=workspace,
            client=self.rng.choice([*clients, None]),
            name=f"Campaign {n + 1:04d}",
            kind=PROJECT_KINDS[n % len(PROJECT_KINDS)],
            status=status,
            owner=self.rng.choice(self.managers),
            start_date=start,
            target_date=target,
            budget_planned=planned,
            budget_spent=self.rng.randrange(0, planned, 100),
            currency="EUR",
        )

    def phases(self, project: Project) -> list[Phase]:
        quarter = (project.target_date - project.start_date) / len(PHASES)
        return [
            Phase(
                project=project,
                name=name,
                order=order,
                start_date=project.start_date + quarter * order,
                end_date=project.start_date + quarter * (order + 1),
            )
            for order, name in enumerate(PHASES)
        ]

    def milestones(self, project: Project, count: int) -> list[Milestone]:
        span = (project.target_date - project.start_date).days
        rows = []
        for n in range(count):
            due = project.start_date + timedelta(days=span * (n + 1) // count)
            slipped = self.rng.random() < 0.2
            status = self.milestone_status(project, due)
            rows.append(
                Milestone(
                    project=project,
                    title=f"{project.name} milestone {n + 1:02d}",
                    category=self.rng.choice(CATEGORIES),
                    status=status,
                    owner=self.rng.choice(self.workers),
                    due_date=due,
                    baseline_due_date=due - self.days(1, 21) if slipped else due,
                    completed_at=self.at_three_pm(due - self.days(0, 3))
                    if status == "completed"
                    else None,
                    kpi_name="Sign-ups" if n % 5 == 0 else "",
                    kpi_target=1000 if n % 5 == 0 else None,
                )
            )
        return rows

    def milestone_status(self, project: Project, due: date) -> str:
        if project.status == "completed":
            return "completed"
        weights = (
            {"completed": 75, "in_progress": 10, "planned": 5, "blocked": 5, "cancelled": 5}
            if due < self.today
            else {"completed": 3, "in_progress": 30, "planned": 55, "blocked": 8, "cancelled": 4}
        )
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def deliverables(self, milestone: Milestone, count: int) -> list[Deliverable]:
        rows = []
        for n in range(count):
            if milestone.status == "completed":
                status = self.rng.choice(Deliverable.DONE_STATUSES)
            else:
                status = self.rng.choices(OPEN_DELIVERABLE_STATUSES, OPEN_DELIVERABLE_WEIGHTS)[0]
            done = status in Deliverable.DONE_STATUSES
            # Signed off before its milestone completes (completed_at is due - 3 … due).
            rows.append(
                Deliverable(
                    milestone_id=milestone.pk,
                    title=f"Deliverable {n + 1} of {milestone.title}",
                    kind=self.rng.choice(DELIVERABLE_KINDS),
                    owner_id=milestone.owner_id,
                    due_date=milestone.due_date - self.days(0, 5),
                    link=f"https://example.com/bench/{milestone.pk}/{n + 1}",
                    status=status,
                    approved_by_id=self.managers[0].pk if done else None,
                    approved_at=self.at_three_pm(milestone.due_date - self.days(4, 9))
                    if done
                    else None,
                )
            )
        return rows

    def history(self, projects, milestones) -> dict[str, int]:
        """Dependencies on the previous milestone, reschedule records and status updates."""
        through = Milestone.depends_on.through
        edges = [
            through(from_milestone_id=later.pk, to_milestone_id=earlier.pk)
            for earlier, later in pairwise(milestones)
            if later.project_id == earlier.project_id and self.rng.random() < 0.3
        ]
        through.objects.bulk_create(edges, batch_size=BATCH)
        changes = [
            MilestoneDateChange(
                milestone=m,
                old_date=m.baseline_due_date,
                new_date=m.due_date,
                reason=self.rng.choice(SLIP_REASONS),
                changed_by=m.owner,
                changed_at=self.at_three_pm(m.baseline_due_date - self.days(2, 10)),
            )
            for m in milestones
            if m.due_date != m.baseline_due_date
        ]
        MilestoneDateChange.objects.bulk_create(changes, batch_size=BATCH)
        StatusUpdate.objects.bulk_create(
            (
                StatusUpdate(
                    project=p,
                    health=self.rng.choices(["on_track", "at_risk", "off_track"], [6, 3, 1])[0],
                    summary="Weekly status.",
                    author=p.owner,
                    created_at=self.at_three_pm(self.today - self.days(0, 14)),
                )
                for p in projects
                if p.status != "planning"
            ),
            batch_size=BATCH,
        )
        return {"dependencies": len(edges), "slipped": len(changes)}


class Command(BaseCommand):
    help = "Build (or rebuild) a large synthetic benchmark workspace with bulk inserts."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=200, help="Projects to build.")
        parser.add_argument("--milestones-per-project", type=int, default=50)
        parser.add_argument("--deliverables-per-milestone", type=int, default=4)
        parser.add_argument("--users", type=int, default=50, help="Members (bench-001, …).")
        parser.add_argument(
            "--workspace-slug", default="bench", help="Replaced if seed_bench made it before."
        )
        parser.add_argument(
            "--seed", type=int, default=42, help="Random seed: same seed, same data."
        )

    def handle(self, *args, **options):
        if (
            min(options["projects"], options["users"]) < 1
            or min(options["milestones_per_project"], options["deliverables_per_milestone"]) < 0
        ):
            raise CommandError("Use at least 1 project and 1 user, and no negative counts.")
        started = time.perf_counter()
        builder = BenchBuilder(
            slug=options["workspace_slug"], seed=options["seed"], users=options["users"]
        )
        with transaction.atomic():
            made = builder.build(
                projects=options["projects"],
                milestones=options["milestones_per_project"],
                deliverables=options["deliverables_per_milestone"],
            )
        # Fresh planner statistics: a bulk load leaves them describing the empty tables, and
        # queries planned for empty tables are the slowest ones on the full ones. On
        # PostgreSQL, VACUUM also sets the visibility map that index-only scans need (the
        # replaced workspace leaves dead rows, and autovacuum may be off or not yet run).
        # VACUUM cannot run inside a transaction, as when a caller wraps the command in one.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in made.items())
        self.stdout.write(
            self.style.SUCCESS(f"Bench workspace “{options['workspace_slug']}”: {summary}.")
        )
        self.stdout.write(f"Built in {seconds:.1f} s. Bench users sign in with {BENCH_PASSWORD}.")
