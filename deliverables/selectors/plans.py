"""A project with everything in it, as `POST /plans/` answers: each kind of row in one
query, annotated as its own resource shows it."""

from dataclasses import dataclass

from django.db.models import Q

from deliverables.models import ChecklistItem, Deliverable
from deliverables.selectors.resources import checklist_item_rows, deliverable_rows
from projects.models import Milestone, Phase, Project
from projects.selectors.resources import milestone_rows, phase_rows, project_rows, reader_today


@dataclass
class PlanRows:
    today: object
    project: Project
    phases: list[Phase]
    milestones: list[Milestone]  # in the order they were made, as the plan listed them
    deliverables: list[Deliverable]
    checklist_items: list[ChecklistItem]


def plan_rows(reader, project_id: int) -> PlanRows:
    today = reader_today(reader)
    in_project = Q(milestone__project_id=project_id) | Q(
        deliverable__milestone__project_id=project_id
    )
    return PlanRows(
        today=today,
        project=project_rows(reader, today).get(pk=project_id),
        phases=list(phase_rows(reader).filter(project_id=project_id).order_by("order", "id")),
        milestones=list(milestone_rows(reader, today).filter(project_id=project_id).order_by("id")),
        deliverables=list(
            deliverable_rows(reader, today).filter(milestone__project_id=project_id).order_by("id")
        ),
        checklist_items=list(
            checklist_item_rows(reader).filter(in_project).order_by("order", "id")
        ),
    )
