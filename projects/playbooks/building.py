"""A whole project in one go: its phases, milestones (with their dependencies and
checklists) and deliverables (with theirs), each made by its own service, in one
transaction. Playbooks build their plans with it (template_instantiate), and so does the
API's `POST /plans/`.

A draft names a milestone's dependencies by position: the index of the other milestone in
`ProjectDraft.milestones` (the phases' milestones in order, then those outside any phase), or
by the `external_id` another milestone of the draft carries. A refusal names where in the
draft it is, as the API's nested input does: `phases.1.milestones.0.due_date`,
`milestones.2.deliverables.0.owner`.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from deliverables.services import checklists as checklist_services
from deliverables.services import deliverables as deliverable_services
from milestones_site.services.errors import errors_under, invalid
from projects import permissions
from projects.models import Milestone, Phase, Project, Workspace
from projects.permissions import Action
from projects.services import milestones as milestone_services
from projects.services import projects as project_services


@dataclass
class DeliverableDraft:
    title: str
    fields: dict = field(default_factory=dict)  # deliverable_services.DELIVERABLE_FIELDS
    checklist: list[str] = field(default_factory=list)


@dataclass
class MilestoneDraft:
    title: str
    due_date: date
    fields: dict = field(default_factory=dict)  # MILESTONE_FIELDS but phase, and status
    # Positions in the draft, or external ids of its milestones.
    depends_on: list[int | str] = field(default_factory=list)
    checklist: list[str] = field(default_factory=list)
    deliverables: list[DeliverableDraft] = field(default_factory=list)


@dataclass
class PhaseDraft:
    name: str
    start_date: date | None = None
    end_date: date | None = None
    milestones: list[MilestoneDraft] = field(default_factory=list)


@dataclass
class ProjectDraft:
    fields: dict  # project_services.PROJECT_FIELDS
    phases: list[PhaseDraft] = field(default_factory=list)
    loose: list[MilestoneDraft] = field(default_factory=list)  # outside any phase

    @property
    def milestones(self) -> list[MilestoneDraft]:
        """Every milestone in position order (what `depends_on` counts)."""
        return [m for phase in self.phases for m in phase.milestones] + self.loose

    def paths(self) -> list[str]:
        """Where each milestone is in the draft, in position order."""
        return [
            f"phases.{p}.milestones.{m}"
            for p, phase in enumerate(self.phases)
            for m in range(len(phase.milestones))
        ] + [f"milestones.{m}" for m in range(len(self.loose))]


def _resolve_external_ids(draft: ProjectDraft) -> None:
    """Dependencies named by external id become positions; a name that no milestone of the
    draft carries is refused where it is named."""
    positions = {
        m.fields["external_id"]: p
        for p, m in enumerate(draft.milestones)
        if m.fields.get("external_id")
    }
    for milestone, path in zip(draft.milestones, draft.paths(), strict=True):
        unknown = [n for n in milestone.depends_on if isinstance(n, str) and n not in positions]
        if unknown:
            names = ", ".join(f"“{name}”" for name in unknown)
            raise invalid(
                **{f"{path}.depends_on": f"No milestone of this plan has the external id {names}."}
            )
        milestone.depends_on = [
            positions[n] if isinstance(n, str) else n for n in milestone.depends_on
        ]


def _check_positions(draft: ProjectDraft) -> None:
    """Each dependency names another milestone of the draft."""
    _resolve_external_ids(draft)
    count = len(draft.milestones)
    for position, (milestone, path) in enumerate(zip(draft.milestones, draft.paths(), strict=True)):
        wrong = [p for p in milestone.depends_on if not 0 <= p < count or p == position]
        if wrong:
            raise invalid(
                **{
                    f"{path}.depends_on": f"Name other milestones of this plan by their "
                    f"position, 0 to {count - 1} (phases' milestones in order, then those "
                    f"outside a phase); not {', '.join(map(str, wrong))}."
                }
            )


def _milestone_build(
    *, project: Project, phase: Phase | None, draft: MilestoneDraft, actor, path: str
) -> Milestone:
    with errors_under(path):
        milestone = milestone_services.milestone_create(
            project=project,
            actor=actor,
            title=draft.title,
            due_date=draft.due_date,
            phase=phase,
            **draft.fields,
        )
    for index, text in enumerate(draft.checklist):
        with errors_under(f"{path}.checklist.{index}"):
            checklist_services.checklist_item_add(parent=milestone, actor=actor, text=text)
    for index, deliverable_draft in enumerate(draft.deliverables):
        where = f"{path}.deliverables.{index}"
        with errors_under(where):
            deliverable = deliverable_services.deliverable_create(
                milestone=milestone,
                actor=actor,
                title=deliverable_draft.title,
                **deliverable_draft.fields,
            )
        for number, text in enumerate(deliverable_draft.checklist):
            with errors_under(f"{where}.checklist.{number}"):
                checklist_services.checklist_item_add(parent=deliverable, actor=actor, text=text)
    return milestone


@transaction.atomic
def project_build(*, workspace: Workspace, actor, draft: ProjectDraft) -> Project:
    """A project with everything the draft holds, each row made by its own service (so by
    its rules, with its audit event): all of it, or nothing. Dependencies are set once
    every milestone exists; one that would close a cycle is refused where it is named."""
    permissions.ensure(actor, Action.PROJECT_CREATE, workspace)
    _check_positions(draft)
    project = project_services.project_create(workspace=workspace, actor=actor, **draft.fields)
    made: list[Milestone] = []
    for order, phase_draft in enumerate(draft.phases):
        with errors_under(f"phases.{order}"):
            phase = project_services.phase_create(
                project=project,
                actor=actor,
                name=phase_draft.name,
                order=order,
                start_date=phase_draft.start_date,
                end_date=phase_draft.end_date,
            )
        for index, milestone_draft in enumerate(phase_draft.milestones):
            path = f"phases.{order}.milestones.{index}"
            made.append(
                _milestone_build(
                    project=project, phase=phase, draft=milestone_draft, actor=actor, path=path
                )
            )
    for index, milestone_draft in enumerate(draft.loose):
        made.append(
            _milestone_build(
                project=project,
                phase=None,
                draft=milestone_draft,
                actor=actor,
                path=f"milestones.{index}",
            )
        )
    for milestone_draft, milestone, path in zip(draft.milestones, made, draft.paths(), strict=True):
        if milestone_draft.depends_on:
            with errors_under(path):
                milestone_services.milestone_set_dependencies(
                    milestone=milestone,
                    depends_on=[made[position] for position in milestone_draft.depends_on],
                    actor=actor,
                )
    return project
