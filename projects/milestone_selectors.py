"""Reads for the milestone page and the "my work" page, in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.http import Http404

from deliverables.models import ChecklistItem, Deliverable

from .models import Comment, Milestone, MilestoneDateChange, Workspace
from .statuses import DELIVERABLE_DONE_STATUSES


@dataclass
class MilestoneDetail:
    milestone: Milestone
    today: date
    deliverables: list[Deliverable]
    checklist: list[ChecklistItem]
    date_changes: list[MilestoneDateChange]
    comments: list[Comment]
    depends_on: list[Milestone]
    dependents: list[Milestone]
    open_deliverables: list[Deliverable]
    open_dependencies: list[Milestone]


def milestone_detail(*, user, milestone_id: int, today: date | None = None) -> MilestoneDetail:
    """Everything the milestone page shows; Http404 outside the user's workspaces."""
    workspace_id = (
        Milestone.objects.visible_to(user)
        .filter(pk=milestone_id)
        .values_list("project__workspace_id", flat=True)
        .first()
    )
    if workspace_id is None:
        raise Http404("No such milestone.")
    today = today or Workspace.objects.get(pk=workspace_id).today()
    milestone = (
        Milestone.objects.with_derived(today=today)
        .select_related("project__workspace", "project__client", "phase", "owner")
        .get(pk=milestone_id)
    )
    checklist = ChecklistItem.objects.select_related("done_by").order_by("order", "id")
    deliverables = list(
        Deliverable.objects.filter(milestone=milestone)
        .select_related("owner", "approved_by")
        .prefetch_related(Prefetch("checklist", queryset=checklist))
        .order_by("due_date", "id")
    )
    related = Milestone.objects.with_health(today=today).select_related("owner")
    depends_on = list(related.filter(dependents=milestone).order_by("due_date", "id"))
    return MilestoneDetail(
        milestone=milestone,
        today=today,
        deliverables=deliverables,
        checklist=list(checklist.filter(milestone=milestone)),
        date_changes=list(milestone.date_changes.select_related("changed_by")),
        comments=list(
            Comment.objects.filter(
                target_type=ContentType.objects.get_for_model(Milestone), target_id=milestone.pk
            ).select_related("author")
        ),
        depends_on=depends_on,
        dependents=list(related.filter(depends_on=milestone).order_by("due_date", "id")),
        open_deliverables=[d for d in deliverables if d.status not in DELIVERABLE_DONE_STATUSES],
        open_dependencies=[m for m in depends_on if not m.is_closed],
    )


@dataclass
class WorkGroup:
    key: str
    title: str
    milestones: list[Milestone] = field(default_factory=list)
    deliverables: list[Deliverable] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.milestones) + len(self.deliverables)


@dataclass
class MyWork:
    today: date
    groups: list[WorkGroup]

    @property
    def total(self) -> int:
        return sum(group.size for group in self.groups)


def _group_key(due: date | None, today: date, week_end: date) -> str:
    if due is None:
        return "later"
    if due < today:
        return "overdue"
    return "this_week" if due <= week_end else "later"


def my_work(*, user, workspace: Workspace, today: date | None = None) -> MyWork:
    """The open milestones and deliverables the user owns in a workspace, grouped overdue /
    due this week (the next 7 days) / later; two queries whatever their number."""
    today = today or workspace.today()
    week_end = today + timedelta(days=7)
    groups = {
        "overdue": WorkGroup("overdue", "Overdue"),
        "this_week": WorkGroup("this_week", "This week"),
        "later": WorkGroup("later", "Later"),
    }
    milestones = (
        Milestone.objects.visible_to(user)
        .filter(project__workspace=workspace, owner=user)
        .open()
        .with_derived(today=today)
        .select_related("project", "phase")
        .order_by("due_date", "id")
    )
    for milestone in milestones:
        groups[_group_key(milestone.due_date, today, week_end)].milestones.append(milestone)
    deliverables = (
        Deliverable.objects.visible_to(user)
        .filter(milestone__project__workspace=workspace, owner=user)
        .open()
        .exclude(milestone__status__in=Milestone.CLOSED_STATUSES)
        .select_related("milestone__project")
        .order_by("due_date", "id")
    )
    for deliverable in deliverables:
        groups[_group_key(deliverable.due_date, today, week_end)].deliverables.append(deliverable)
    return MyWork(today=today, groups=list(groups.values()))
