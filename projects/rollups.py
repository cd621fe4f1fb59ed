"""Roll-ups: the counts and facts that reads would otherwise aggregate on every request,
stored on the rows that show them and kept by the services in the same transaction as the
change that moves them. Only what depends on today's date is left to the reads.

- A milestone keeps its deliverables (total, done) and the earliest and latest due dates of
  the dependencies it still waits for (open ones).
- A project keeps its milestones (total, completed, cancelled), its deliverables (all, and
  those of milestones in scope, not cancelled, with how many are done), its next open
  milestone, its latest
  status update, and what its health needs: how many open milestones are blocked or wait on
  a dependency due after them, and the earliest due date of an open milestone with open
  deliverables.

Writers take their projects' row locks first (`lock_projects`), before any other row, then
write, then `refresh` what moved. Concurrent writers of one project therefore take turns in
one order: each refresh reads the rows the other committed, and none can deadlock the other.

`recompute` works everything out from scratch, for `manage.py check_rollups`.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from projects.models import Milestone, Project, StatusUpdate
from projects.statuses import DELIVERABLE_DONE_STATUSES, MILESTONE_CLOSED_STATUSES

MILESTONE_ROLLUPS = (
    "deliverables_total",
    "deliverables_done",
    "dependencies_due_first",
    "dependencies_due_last",
)
PROJECT_ROLLUPS = (
    "milestones_total",
    "milestones_completed",
    "milestones_cancelled",
    "deliverables_total",
    "deliverables_in_scope",
    "deliverables_done",
    "milestones_blocked",
    "milestones_waiting",
    "open_deliverables_due",
    "next_milestone_id",
    "latest_update_id",
)
OPEN = ~Q(status__in=MILESTONE_CLOSED_STATUSES)


def lock_projects(project_ids: Iterable[int]) -> None:
    """Take the row locks of these projects, in id order (see the module's docstring)."""
    ids = sorted(set(project_ids))
    list(Project.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


def milestone_rollups(milestone_ids: Iterable[int]) -> dict[int, dict]:
    """The roll-ups of these milestones, worked out from their deliverables and their
    dependencies: two queries whatever their number."""
    ids = list(set(milestone_ids))
    deliverables = (
        Milestone.deliverables.rel.related_model.objects.filter(milestone_id__in=ids)
        .order_by()
        .values("milestone_id")
        .annotate(
            total=Count("pk"), done=Count("pk", filter=Q(status__in=DELIVERABLE_DONE_STATUSES))
        )
    )
    waits = (
        Milestone.depends_on.through.objects.filter(from_milestone_id__in=ids)
        .exclude(to_milestone__status__in=MILESTONE_CLOSED_STATUSES)
        .order_by()
        .values("from_milestone_id")
        .annotate(first=Min("to_milestone__due_date"), last=Max("to_milestone__due_date"))
    )
    found = {
        pk: {
            "deliverables_total": 0,
            "deliverables_done": 0,
            "dependencies_due_first": None,
            "dependencies_due_last": None,
        }
        for pk in ids
    }
    for row in deliverables:
        found[row["milestone_id"]] |= {
            "deliverables_total": row["total"],
            "deliverables_done": row["done"],
        }
    for row in waits:
        found[row["from_milestone_id"]] |= {
            "dependencies_due_first": row["first"],
            "dependencies_due_last": row["last"],
        }
    return found


@dataclass
class MilestoneFacts:
    """What a project's roll-ups read of one of its milestones (its own roll-ups stored)."""

    pk: int
    status: str
    due_date: object
    deliverables_total: int
    deliverables_done: int
    dependencies_due_last: object

    @property
    def is_open(self) -> bool:
        return self.status not in MILESTONE_CLOSED_STATUSES


def project_rollups(
    project_ids: Iterable[int], milestone_values: dict[int, dict] | None = None
) -> dict[int, dict]:
    """The roll-ups of these projects, worked out from their milestones' roll-ups (stored,
    or `milestone_values` where given) and their status updates: two queries whatever
    their number."""
    ids = list(set(project_ids))
    found = {pk: empty_project_rollups() for pk in ids}
    milestones = (
        Milestone.objects.filter(project_id__in=ids)
        .order_by("project_id", "due_date", "id")
        .values_list(
            "project_id",
            "pk",
            "status",
            "due_date",
            "deliverables_total",
            "deliverables_done",
            "dependencies_due_last",
        )
    )
    by_project: dict[int, list[MilestoneFacts]] = defaultdict(list)
    for project_id, *facts in milestones:
        milestone = MilestoneFacts(*facts)
        if milestone_values and milestone.pk in milestone_values:
            fresh = milestone_values[milestone.pk]
            milestone.deliverables_total = fresh["deliverables_total"]
            milestone.deliverables_done = fresh["deliverables_done"]
            milestone.dependencies_due_last = fresh["dependencies_due_last"]
        by_project[project_id].append(milestone)
    for project_id, facts in by_project.items():
        found[project_id] |= rollups_of(facts)
    latest = (
        StatusUpdate.objects.filter(project_id__in=ids)
        .order_by("project_id", "-created_at", "-id")
        .values_list("project_id", "pk")
    )
    for project_id, update_id in latest:
        if found[project_id]["latest_update_id"] is None:
            found[project_id]["latest_update_id"] = update_id
    return found


def empty_project_rollups() -> dict:
    return {field: None if field.endswith(("_id", "_due")) else 0 for field in PROJECT_ROLLUPS}


def rollups_of(milestones: list[MilestoneFacts]) -> dict:
    """A project's milestone roll-ups from its milestones, given by due date then id."""
    in_scope = [m for m in milestones if m.status != Milestone.Status.CANCELLED]
    open_ones = [m for m in milestones if m.is_open]
    with_open_work = [m.due_date for m in open_ones if m.deliverables_done < m.deliverables_total]
    return {
        "milestones_total": len(milestones),
        "milestones_completed": sum(m.status == Milestone.Status.COMPLETED for m in milestones),
        "milestones_cancelled": len(milestones) - len(in_scope),
        "deliverables_total": sum(m.deliverables_total for m in milestones),
        "deliverables_in_scope": sum(m.deliverables_total for m in in_scope),
        "deliverables_done": sum(m.deliverables_done for m in in_scope),
        "milestones_blocked": sum(m.status == Milestone.Status.BLOCKED for m in open_ones),
        "milestones_waiting": sum(
            m.dependencies_due_last is not None and m.dependencies_due_last > m.due_date
            for m in open_ones
        ),
        "open_deliverables_due": min(with_open_work, default=None),
        "next_milestone_id": open_ones[0].pk if open_ones else None,
    }


def dependents_of(milestone_ids: Iterable[int]) -> list[int]:
    """The milestones that wait for any of these (their dependency dates may move)."""
    through = Milestone.depends_on.through.objects.filter(to_milestone_id__in=set(milestone_ids))
    return list(through.values_list("from_milestone_id", flat=True).distinct())


def store(model, found: dict[int, dict], fields: tuple[str, ...]) -> int:
    """Write the roll-ups that differ from the stored ones; returns how many rows moved.
    A row whose roll-ups moved shows something new: its `updated_at` moves too, so that an
    incremental sync (`?updated_after=`) reads it again."""
    rows = model.objects.filter(pk__in=found).only("pk", *fields)
    changed = []
    now = timezone.now()
    for row in rows:
        values = found[row.pk]
        if any(getattr(row, field) != values[field] for field in fields):
            for field in fields:
                setattr(row, field, values[field])
            row.updated_at = now
            changed.append(row)
    model.objects.bulk_update(changed, [*fields, "updated_at"])
    return len(changed)


def refresh(*, milestones: Iterable[int] = (), projects: Iterable[int] = ()) -> None:
    """Work out again the roll-ups of these milestones and projects, after a change; the
    projects of the milestones are refreshed too. Call it after taking `lock_projects`."""
    milestone_ids = set(milestones)
    if milestone_ids:
        store(Milestone, milestone_rollups(milestone_ids), MILESTONE_ROLLUPS)
        projects = {
            *projects,
            *Milestone.objects.filter(pk__in=milestone_ids).values_list("project_id", flat=True),
        }
    project_ids = set(projects)
    if project_ids:
        store(Project, project_rollups(project_ids), PROJECT_ROLLUPS)


@dataclass(frozen=True)
class Drift:
    """A stored roll-up that differs from what its rows say."""

    model: str
    pk: int
    field: str
    stored: object
    expected: object

    def __str__(self) -> str:
        return (
            f"{self.model} {self.pk}: {self.field} is {self.stored!r}, should be {self.expected!r}"
        )


def drift(model, found: dict[int, dict], fields: tuple[str, ...]) -> list[Drift]:
    stored = model.objects.filter(pk__in=found).values("pk", *fields)
    return [
        Drift(model.__name__, row["pk"], field, row[field], found[row["pk"]][field])
        for row in stored
        for field in fields
        if row[field] != found[row["pk"]][field]
    ]


def recompute(*, repair: bool = False, chunk: int = 200) -> list[Drift]:
    """Every roll-up worked out from scratch (a project's from its deliverables, not from
    its milestones' stored roll-ups) and compared with the stored one: what differs, and
    with `repair`, fixed. A chunk of projects at a time, with their milestones."""
    differences = []
    project_ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(project_ids), chunk):
        projects = project_ids[start : start + chunk]
        milestone_ids = Milestone.objects.filter(project_id__in=projects).values_list(
            "pk", flat=True
        )
        milestones = milestone_rollups(milestone_ids)
        found = project_rollups(projects, milestones)
        differences += drift(Milestone, milestones, MILESTONE_ROLLUPS)
        differences += drift(Project, found, PROJECT_ROLLUPS)
        if repair:
            store(Milestone, milestones, MILESTONE_ROLLUPS)
            store(Project, found, PROJECT_ROLLUPS)
    return differences
