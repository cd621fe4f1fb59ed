"""“My work”: what a person owns, grouped by when it is due, a page at a time, in a fixed
number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, Value

from deliverables.models import Deliverable
from projects.models import Milestone, Workspace

WORK_PER_PAGE = 50


WORK_GROUPS = (("overdue", "Overdue"), ("this_week", "This week"), ("later", "Later"))
# Rows due the same day: milestones before deliverables.
MILESTONE, DELIVERABLE = 0, 1


@dataclass(frozen=True)
class WorkRow:
    """One line of the listing: a milestone or a deliverable."""

    milestone: Milestone | None = None
    deliverable: Deliverable | None = None


@dataclass
class WorkGroup:
    key: str
    title: str
    size: int = 0  # on every page, not only this one
    rows: list[WorkRow] = field(default_factory=list)


@dataclass
class MyWork:
    today: date
    week_end: date  # the Sunday that ends this calendar week
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


def _by_due_date(milestones, deliverables):
    """(kind, id) of every row, milestones and deliverables together by due date, undated
    ones last (on every database), milestones first on a shared day."""
    listed = ("row_kind", "pk", "due_date")
    return (
        milestones.annotate(row_kind=Value(MILESTONE))
        .values_list(*listed)
        .order_by()
        .union(
            deliverables.annotate(row_kind=Value(DELIVERABLE)).values_list(*listed).order_by(),
            all=True,
        )
        .order_by(F("due_date").asc(nulls_last=True), "row_kind", "pk")
    )


def my_work(
    *,
    user,
    workspace: Workspace,
    page: int | str | None = 1,
    per_page: int = WORK_PER_PAGE,
    today: date | None = None,
) -> MyWork:
    """One page of the open milestones and deliverables the user owns in a workspace, by
    due date, grouped overdue / due this week (from today to Sunday: the calendar week of
    `today`, the reader's day) / later; five queries whatever their number (one fewer when
    the page holds only one kind)."""
    today = today or workspace.today()
    week_end = today + timedelta(days=6 - today.weekday())
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
    window = work_page.object_list
    listing = list(_by_due_date(milestones, deliverables)[window.start : window.stop])
    wanted = {
        kind: [pk for row_kind, pk, _due in listing if row_kind == kind]
        for kind in (MILESTONE, DELIVERABLE)
    }
    found: dict[tuple[int, int], WorkRow] = {}
    if wanted[MILESTONE]:
        for milestone in (
            milestones.with_derived(today=today)
            .select_related("project")
            .filter(pk__in=wanted[MILESTONE])
        ):
            found[MILESTONE, milestone.pk] = WorkRow(milestone=milestone)
    if wanted[DELIVERABLE]:
        for deliverable in deliverables.select_related("milestone__project").filter(
            pk__in=wanted[DELIVERABLE]
        ):
            found[DELIVERABLE, deliverable.pk] = WorkRow(deliverable=deliverable)
    for kind, pk, due in listing:
        groups[_group_key(due, today, week_end)].rows.append(found[kind, pk])
    return MyWork(today=today, week_end=week_end, groups=list(groups.values()), page=work_page)
