"""The milestone page's read, in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
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
