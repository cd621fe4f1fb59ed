"""Reads behind the playbook pages: the gallery's cards, a template's outline and the preview
of a plan, with every count, offset label and weekend move worked out here, not in templates."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.shortcuts import get_object_or_404

from deliverables.models import DeliverableKind
from projects.models import Template, TemplateDeliverable, TemplateMilestone, Workspace
from projects.playbooks.planning import Step, anchor_of, is_weekend
from projects.playbooks.services import (
    Plan,
    PlannedMilestone,
    PlannedPhase,
    template_with_structure,
)

# Gallery -------------------------------------------------------------------------------------


@dataclass
class Gallery:
    workspace: Workspace
    builtins: list[Template]
    workspace_templates: list[Template]


def playbook_gallery(*, user, workspace: Workspace) -> Gallery:
    """Built-in playbooks and the workspace's own templates, each annotated with
    `phase_count`, `milestone_count`, `deliverable_count`, `anchor_title` and
    `plans_backward` (it marks an anchor milestone, e.g. the sale date) — one query."""
    templates = (
        Template.objects.visible_to(user)
        .filter(Q(workspace__isnull=True) | Q(workspace=workspace))
        .select_related("created_by")
        .with_summary()
        .order_by("name", "id")
    )
    templates = list(templates)
    return Gallery(
        workspace=workspace,
        builtins=[t for t in templates if t.is_builtin],
        workspace_templates=[t for t in templates if not t.is_builtin],
    )


# Template outline -------------------------------------------------------------------------


def offset_label(offset_days: int) -> str:
    """“day 0”, “day 0 + 49”, “day 0 - 3”."""
    if offset_days == 0:
        return "day 0"
    sign = "+" if offset_days > 0 else "-"
    return f"day 0 {sign} {abs(offset_days)}"


def kind_label(kind: str) -> str:
    return DeliverableKind(kind).label if kind in DeliverableKind.values else kind


@dataclass
class OutlineDeliverable:
    deliverable: TemplateDeliverable
    kind_label: str


@dataclass
class OutlineMilestone:
    milestone: TemplateMilestone
    offset_label: str
    is_anchor: bool
    depends_on: list[str]
    deliverables: list[OutlineDeliverable]


@dataclass
class OutlinePhase:
    name: str
    milestones: list[OutlineMilestone] = field(default_factory=list)


@dataclass
class TemplateOutline:
    template: Template
    phases: list[OutlinePhase]
    anchor: TemplateMilestone | None
    milestone_count: int
    deliverable_count: int

    @property
    def plans_backward(self) -> bool:
        """Planned from an event date by default: the template marks its anchor."""
        return self.anchor is not None and self.anchor.is_anchor


def _anchor(milestones: list[TemplateMilestone]) -> TemplateMilestone | None:
    if not milestones:
        return None
    steps = [Step(m.pk, m.offset_days, is_anchor=m.is_anchor) for m in milestones]
    key = anchor_of(steps).key
    return next(m for m in milestones if m.pk == key)


def template_outline(*, user, template_id: int) -> TemplateOutline:
    """A template's structure by phase; another workspace's template is a 404."""
    template = get_object_or_404(
        template_with_structure(Template.objects.visible_to(user).select_related("workspace")),
        pk=template_id,
    )
    milestones = list(template.milestones.all())
    anchor = _anchor(milestones)
    phases = {phase.pk: OutlinePhase(phase.name) for phase in template.phases.all()}
    loose = OutlinePhase("")
    for milestone in milestones:
        phases.get(milestone.phase_id, loose).milestones.append(
            OutlineMilestone(
                milestone=milestone,
                offset_label=offset_label(milestone.offset_days),
                is_anchor=milestone == anchor,
                depends_on=[other.title for other in milestone.depends_on.all()],
                deliverables=[
                    OutlineDeliverable(deliverable, kind_label(deliverable.kind))
                    for deliverable in milestone.deliverables.all()
                ],
            )
        )
    return TemplateOutline(
        template=template,
        phases=[phase for phase in [*phases.values(), loose] if phase.milestones],
        anchor=anchor,
        milestone_count=len(milestones),
        deliverable_count=sum(len(m.deliverables.all()) for m in milestones),
    )


# Plan preview -----------------------------------------------------------------------------


@dataclass
class PreviewMilestone:
    planned: PlannedMilestone
    offset_date: date
    moved_reason: str

    @property
    def moved(self) -> bool:
        return self.offset_date != self.planned.due_date


@dataclass
class PreviewPhase:
    phase: PlannedPhase
    milestones: list[PreviewMilestone]


def plan_preview(plan: Plan) -> list[PreviewPhase]:
    """The plan by phase, each milestone with the date its offset gives and why it moved
    from there (a weekend, or a prerequisite that is due later)."""
    phases = []
    for phase in plan.phases:
        rows = []
        for planned in phase.milestones:
            offset_date = plan.zero + timedelta(days=planned.template.offset_days)
            reason = ""
            if offset_date != planned.due_date:
                reason = "weekend" if is_weekend(offset_date) else "waits for a prerequisite"
            rows.append(PreviewMilestone(planned, offset_date, reason))
        phases.append(PreviewPhase(phase, rows))
    return phases


def template_rows(reader, *, with_structure: bool = False):
    """The playbooks `reader` may use, with their counts (and their whole structure)."""
    templates = Template.objects.visible_to(reader).with_summary()
    return template_with_structure(templates) if with_structure else templates
