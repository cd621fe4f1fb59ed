"""Playbooks: preview a template's dates, instantiate it as a project (all or nothing),
save a project as a template, and keep the built-in playbooks in sync with the library
shipped in projects/playbooks/library/."""

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch

from milestones_site.services.errors import invalid
from projects import activity, permissions
from projects.models import (
    Membership,
    Project,
    Template,
    TemplateDeliverable,
    TemplateMilestone,
    TemplatePhase,
    Workspace,
    validate_single_line,
)
from projects.permissions import Action
from projects.playbooks.building import (
    DeliverableDraft,
    MilestoneDraft,
    PhaseDraft,
    ProjectDraft,
    project_build,
)
from projects.playbooks.planning import Direction, Step, anchor_of, plan_calendar, schedule

LIBRARY = Path(__file__).resolve().parent / "library"


@dataclass
class PlannedDeliverable:
    title: str
    kind: str
    due_date: date
    owner_role: str
    owner: object | None
    checklist: list[str]


@dataclass
class PlannedMilestone:
    source_id: int
    title: str
    category: str
    due_date: date
    is_anchor: bool
    owner_role: str
    owner: object | None
    depends_on: list[int]
    phase_name: str
    template: TemplateMilestone
    deliverables: list[PlannedDeliverable] = field(default_factory=list)


@dataclass
class PlannedPhase:
    name: str
    start_date: date | None
    end_date: date | None
    milestones: list[PlannedMilestone] = field(default_factory=list)


@dataclass
class Plan:
    template: Template
    direction: Direction
    on: date
    start_date: date
    target_date: date
    phases: list[PlannedPhase]
    zero: date  # the date offset 0 falls on

    @property
    def milestones(self) -> list[PlannedMilestone]:
        return [milestone for phase in self.phases for milestone in phase.milestones]


def template_with_structure(queryset=None):
    """Templates with phases, milestones, dependencies and deliverables prefetched."""
    queryset = queryset if queryset is not None else Template.objects.all()
    return queryset.prefetch_related(
        "phases",
        Prefetch(
            "milestones",
            queryset=TemplateMilestone.objects.select_related("phase").prefetch_related(
                "depends_on", "deliverables"
            ),
        ),
    )


def _resolve_roles(template: Template, workspace: Workspace, role_map: dict | None) -> dict:
    role_map = {role: user for role, user in (role_map or {}).items() if user is not None}
    unknown = sorted(set(role_map) - set(template.roles))
    if unknown:
        raise invalid(roles=f"This playbook has no role named {', '.join(unknown)}.")
    members = set(
        Membership.objects.filter(workspace=workspace, user__in=role_map.values()).values_list(
            "user_id", flat=True
        )
    )
    outsiders = sorted(role for role, user in role_map.items() if user.pk not in members)
    if outsiders:
        raise invalid(roles=f"Assign members of {workspace} to: {', '.join(outsiders)}.")
    return role_map


def template_plan(
    *,
    template: Template,
    workspace: Workspace,
    direction: Direction | str,
    on: date,
    skip_weekends: bool = False,
    role_map: dict | None = None,
) -> Plan:
    """Every computed date of a template, without writing anything."""
    if template.workspace_id not in (None, workspace.pk):
        raise invalid(template="Choose a built-in playbook or a template of this workspace.")
    if direction not in Direction.__members__.values():
        raise invalid(direction="Plan forward from a start date or backward from an event date.")
    direction = Direction(direction)
    roles = _resolve_roles(template, workspace, role_map)
    milestones = list(template.milestones.all())
    if not milestones:
        raise invalid(template="This template has no milestones to plan.")
    steps = [
        Step(m.pk, m.offset_days, tuple(d.pk for d in m.depends_on.all()), m.is_anchor)
        for m in milestones
    ]
    calendar = plan_calendar(steps, direction=direction, on=on, skip_weekends=skip_weekends)
    dates = schedule(steps, calendar=calendar)
    anchor_key = anchor_of(steps).key if direction == Direction.BACKWARD else None
    phases = {phase.pk: PlannedPhase(phase.name, None, None) for phase in template.phases.all()}
    loose = PlannedPhase("", None, None)
    for source in sorted(milestones, key=lambda m: (dates[m.pk], m.pk)):
        due = dates[source.pk]
        planned = PlannedMilestone(
            source_id=source.pk,
            title=source.title,
            category=source.category,
            due_date=due,
            is_anchor=source.pk == anchor_key,
            owner_role=source.owner_role,
            owner=roles.get(source.owner_role),
            depends_on=[d.pk for d in source.depends_on.all()],
            phase_name=source.phase.name if source.phase_id else "",
            template=source,
            deliverables=[
                PlannedDeliverable(
                    title=d.title,
                    kind=d.kind,
                    due_date=min(calendar.date_of(d.offset_days), due),
                    owner_role=d.owner_role,
                    owner=roles.get(d.owner_role),
                    checklist=list(d.checklist),
                )
                for d in source.deliverables.all()
            ],
        )
        phases.get(source.phase_id, loose).milestones.append(planned)
    planned_phases = [phase for phase in phases.values() if phase.milestones] + (
        [loose] if loose.milestones else []
    )
    for phase in planned_phases:
        days = [m.due_date for m in phase.milestones] + [
            d.due_date for m in phase.milestones for d in m.deliverables
        ]
        phase.start_date, phase.end_date = min(days), max(days)
    all_days = [phase.start_date for phase in planned_phases] + [
        phase.end_date for phase in planned_phases
    ]
    start = min([*all_days, calendar.zero])
    return Plan(template, direction, on, start, max(all_days), planned_phases, calendar.zero)


def _draft_of(plan: Plan, *, name: str, client) -> ProjectDraft:
    """The project a plan describes, as a draft to build: the template's phases (those with
    a milestone), its milestones with their planned dates and owners, their checklists and
    deliverables, and dependencies by position."""
    ordered = plan.milestones  # named phases first, the milestones outside one last
    position = {planned.source_id: index for index, planned in enumerate(ordered)}

    def milestone(planned: PlannedMilestone) -> MilestoneDraft:
        source = planned.template
        return MilestoneDraft(
            title=planned.title,
            due_date=planned.due_date,
            fields={
                "category": planned.category,
                "description": source.description,
                "owner": planned.owner,
                "success_criteria": source.success_criteria,
                "kpi_name": source.kpi_name,
                "kpi_unit": source.kpi_unit,
                "reminder_days": source.reminder_days,
            },
            depends_on=[position[key] for key in planned.depends_on],
            checklist=list(source.checklist),
            deliverables=[
                DeliverableDraft(
                    title=d.title,
                    fields={"kind": d.kind, "due_date": d.due_date, "owner": d.owner},
                    checklist=d.checklist,
                )
                for d in planned.deliverables
            ],
        )

    return ProjectDraft(
        fields={
            "name": name,
            "kind": plan.template.project_kind,
            "objective": plan.template.objective,
            "description": plan.template.summary,
            "client": client,
            "start_date": plan.start_date,
            "target_date": plan.target_date,
        },
        phases=[
            PhaseDraft(
                name=phase.name,
                start_date=phase.start_date,
                end_date=phase.end_date,
                milestones=[milestone(m) for m in phase.milestones],
            )
            for phase in plan.phases
            if phase.name
        ],
        loose=[milestone(m) for phase in plan.phases if not phase.name for m in phase.milestones],
    )


@transaction.atomic
def template_instantiate(
    *,
    template: Template,
    workspace: Workspace,
    actor,
    name: str,
    direction: Direction | str,
    on: date,
    skip_weekends: bool = False,
    role_map: dict | None = None,
    client=None,
) -> Project:
    """A fully planned project from a template: all of it, or nothing."""
    permissions.ensure(actor, Action.PROJECT_CREATE, workspace)
    plan = template_plan(
        template=template,
        workspace=workspace,
        direction=direction,
        on=on,
        skip_weekends=skip_weekends,
        role_map=role_map,
    )
    project = project_build(
        workspace=workspace, actor=actor, draft=_draft_of(plan, name=name, client=client)
    )
    activity.record(
        actor=actor,
        verb="project.planned_from_template",
        target=project,
        data={
            "template": template.pk,
            "direction": plan.direction,
            "on": on,
            "skip_weekends": skip_weekends,
        },
    )
    return project


@transaction.atomic
def template_save_from_project(*, project: Project, actor, name: str = "") -> Template:
    """A workspace template from a project: its dates become offsets from the project's
    start; statuses, actuals and history are dropped; owners become role placeholders."""
    permissions.ensure(actor, Action.PROJECT_CREATE, project.workspace)
    name = (name or f"{project.name} (template)").strip()
    try:
        validate_single_line(name)
    except ValidationError as error:
        raise invalid(name=error.messages) from None
    zero = project.start_date
    milestones = list(
        project.milestones.exclude(status="cancelled")
        .select_related("owner", "phase")
        .prefetch_related(
            "depends_on", "deliverables__owner", "deliverables__checklist", "checklist"
        )
    )
    owners = {m.owner for m in milestones} | {
        d.owner for m in milestones for d in m.deliverables.all()
    }
    template = Template.objects.create(
        workspace=project.workspace,
        name=name[:200],
        summary=project.description,
        objective=project.objective,
        project_kind=project.kind,
        roles=sorted(activity.display_name(user) for user in owners if user),
        created_by=actor,
    )
    phases = {
        phase.pk: TemplatePhase.objects.create(
            template=template, name=phase.name, order=phase.order
        )
        for phase in project.phases.all()
    }
    copies = {}
    for milestone in milestones:
        copies[milestone.pk] = TemplateMilestone.objects.create(
            template=template,
            phase=phases.get(milestone.phase_id),
            title=milestone.title,
            description=milestone.description,
            category=milestone.category,
            offset_days=(milestone.due_date - zero).days,
            reminder_days=milestone.reminder_days,
            success_criteria=milestone.success_criteria,
            kpi_name=milestone.kpi_name,
            kpi_unit=milestone.kpi_unit,
            owner_role=activity.display_name(milestone.owner),
            checklist=[item.text for item in milestone.checklist.all()],
        )
        TemplateDeliverable.objects.bulk_create(
            TemplateDeliverable(
                milestone=copies[milestone.pk],
                title=deliverable.title,
                kind=deliverable.kind,
                offset_days=((deliverable.due_date or milestone.due_date) - zero).days,
                owner_role=activity.display_name(deliverable.owner),
                checklist=[item.text for item in deliverable.checklist.all()],
            )
            for deliverable in milestone.deliverables.all()
        )
    for milestone in milestones:
        kept = [copies[other.pk] for other in milestone.depends_on.all() if other.pk in copies]
        copies[milestone.pk].depends_on.set(kept)
    activity.record(
        actor=actor,
        verb="project.saved_as_template",
        target=project,
        data={"template": template.pk},
    )
    return template


# Built-in library -------------------------------------------------------------------------


def library_playbooks() -> list[dict]:
    """The built-in playbooks as the library ships them (one JSON file each)."""
    return [json.loads(path.read_text()) for path in sorted(LIBRARY.glob("*.json"))]


@transaction.atomic
def playbooks_sync() -> int:
    """Create or replace every built-in playbook from the library; returns how many."""
    playbooks = library_playbooks()
    for spec in playbooks:
        template, _ = Template.objects.update_or_create(
            workspace=None,
            key=spec["key"],
            defaults={
                "name": spec["name"],
                "summary": spec["summary"],
                "objective": spec.get("objective", ""),
                "project_kind": spec["project_kind"],
                "roles": spec.get("roles", []),
            },
        )
        template.phases.all().delete()
        template.milestones.all().delete()
        by_key = {}
        for order, phase_spec in enumerate(spec["phases"]):
            phase = TemplatePhase.objects.create(
                template=template, name=phase_spec["name"], order=order
            )
            for m in phase_spec["milestones"]:
                by_key[m["key"]] = TemplateMilestone.objects.create(
                    template=template,
                    phase=phase,
                    title=m["title"],
                    description=m.get("description", ""),
                    category=m["category"],
                    offset_days=m["offset"],
                    is_anchor=m.get("anchor", False),
                    reminder_days=m.get("reminder_days"),
                    success_criteria=m.get("success_criteria", ""),
                    kpi_name=m.get("kpi_name", ""),
                    kpi_unit=m.get("kpi_unit", ""),
                    owner_role=m.get("owner_role", ""),
                    checklist=m.get("checklist", []),
                )
                TemplateDeliverable.objects.bulk_create(
                    TemplateDeliverable(
                        milestone=by_key[m["key"]],
                        title=d["title"],
                        kind=d["kind"],
                        offset_days=d["offset"],
                        owner_role=d.get("owner_role", ""),
                        checklist=d.get("checklist", []),
                    )
                    for d in m.get("deliverables", [])
                )
        for phase_spec in spec["phases"]:
            for m in phase_spec["milestones"]:
                by_key[m["key"]].depends_on.set([by_key[key] for key in m.get("depends_on", [])])
    return len(playbooks)
