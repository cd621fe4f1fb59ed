"""Reads for the milestone page and the "my work" page, in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404

from deliverables.models import ChecklistItem, Deliverable
from projects.models import Comment, Milestone, MilestoneDateChange, Workspace
from projects.statuses import DELIVERABLE_DONE_STATUSES


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


WORK_PER_PAGE = 50
WORK_GROUPS = (("overdue", "Overdue"), ("this_week", "This week"), ("later", "Later"))


@dataclass
class WorkGroup:
    key: str
    title: str
    size: int = 0  # on every page, not only this one
    milestones: list[Milestone] = field(default_factory=list)
    deliverables: list[Deliverable] = field(default_factory=list)


@dataclass
class MyWork:
    today: date
    groups: list[WorkGroup]
    page: Page

    @property
    def total(self) -> int:
        return self.page.paginator.count


def _group_key(due: date | None, today: date, week_end: date) -> str:
    if due is None:
        return "later"
    if due < today:
        return "overdue"
    return "this_week" if due <= week_end else "later"


def _group_counts(rows, today: date, week_end: date) -> dict[str, int]:
    """How many rows fall in each group, in one query (the same rules as _group_key)."""
    return rows.aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        this_week=Count("pk", filter=Q(due_date__gte=today, due_date__lte=week_end)),
        later=Count("pk", filter=Q(due_date__gt=week_end) | Q(due_date__isnull=True)),
    )


def _page_slices(window: range, milestones: dict[str, int], deliverables: dict[str, int]):
    """The milestones and the deliverables on the page `window` of the listing, as slices
    of each kind's own due-date order. The listing runs group by group, a group's
    milestones before its deliverables; each kind keeps its order in it, so the rows of a
    kind on one page are one contiguous slice."""
    listed = 0  # rows of the listing before the current run
    before = {"milestones": 0, "deliverables": 0}  # rows of each kind before the current run
    ends: dict[str, list[int]] = {"milestones": [], "deliverables": []}
    for key, _title in WORK_GROUPS:
        for kind, counts in (("milestones", milestones), ("deliverables", deliverables)):
            run = counts[key]
            first, stop = max(window.start, listed), min(window.stop, listed + run)
            if first < stop:
                ends[kind] += [before[kind] + first - listed, before[kind] + stop - listed]
            listed += run
            before[kind] += run
    return {kind: slice(min(e), max(e)) if e else slice(0, 0) for kind, e in ends.items()}


def my_work(
    *,
    user,
    workspace: Workspace,
    page: int | str | None = 1,
    per_page: int = WORK_PER_PAGE,
    today: date | None = None,
) -> MyWork:
    """One page of the open milestones and deliverables the user owns in a workspace,
    grouped overdue / due this week (the next 7 days) / later, each group's milestones
    before its deliverables, by due date; four queries whatever their number."""
    today = today or workspace.today()
    week_end = today + timedelta(days=7)
    milestones = (
        Milestone.objects.visible_to(user).filter(project__workspace=workspace, owner=user).open()
    )
    deliverables = (
        Deliverable.objects.visible_to(user)
        .filter(milestone__project__workspace=workspace, owner=user)
        .open()
        .exclude(milestone__status__in=Milestone.CLOSED_STATUSES)
    )
    milestone_counts = _group_counts(milestones, today, week_end)
    deliverable_counts = _group_counts(deliverables, today, week_end)
    groups = {
        key: WorkGroup(key, title, size=milestone_counts[key] + deliverable_counts[key])
        for key, title in WORK_GROUPS
    }
    total = sum(group.size for group in groups.values())
    work_page = Paginator(range(total), per_page).get_page(page)
    wanted = _page_slices(work_page.object_list, milestone_counts, deliverable_counts)
    # Undated deliverables belong to "later": last, on every database.
    by_due = (F("due_date").asc(nulls_last=True), "id")
    for milestone in (
        milestones.with_derived(today=today)
        .select_related("project")
        .order_by(*by_due)[wanted["milestones"]]
    ):
        groups[_group_key(milestone.due_date, today, week_end)].milestones.append(milestone)
    for deliverable in deliverables.select_related("milestone__project").order_by(*by_due)[
        wanted["deliverables"]
    ]:
        groups[_group_key(deliverable.due_date, today, week_end)].deliverables.append(deliverable)
    return MyWork(today=today, groups=list(groups.values()), page=work_page)
