"""“My work”: what a person owns, grouped by when it is due, a page at a time, in a fixed
number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q

from deliverables.models import Deliverable
from projects.models import Milestone, Workspace

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
