"""Output serializers for deliverables and checklist items (annotated rows only)."""

from collections import defaultdict
from datetime import tzinfo

from django.utils import timezone
from rest_framework import serializers

from deliverables.models import ChecklistItem, Deliverable
from deliverables.selectors import resources
from deliverables.selectors.plans import PlanRows
from deliverables.services.deliverables import possible_moves
from milestones_site.api import representations
from milestones_site.api.outputs import day, instant
from milestones_site.querysets.names import person_names
from projects.api.outputs import (
    MilestoneSerializer,
    PhaseSerializer,
    ProjectSerializer,
    milestone_outputs,
    project_outputs,
)


class PossibleMovesField(serializers.ListField):
    """The review-cycle actions a status allows, named as in their URLs."""

    def to_representation(self, status):
        return [move.replace("_", "-") for move in possible_moves(status)]


class DeliverableSerializer(serializers.ModelSerializer):
    milestone_title = serializers.CharField(read_only=True)
    project = serializers.IntegerField(source="project_pk", read_only=True)
    project_name = serializers.CharField(read_only=True)
    owner_name = serializers.CharField(read_only=True, allow_null=True)
    approver_name = serializers.CharField(
        source="approver",
        read_only=True,
        allow_null=True,
        help_text="A member, or an external reviewer's name.",
    )
    is_overdue = serializers.BooleanField(read_only=True)
    checklist_total = serializers.IntegerField(read_only=True)
    checklist_done = serializers.IntegerField(read_only=True)
    possible_moves = PossibleMovesField(
        source="status",
        child=serializers.CharField(),
        read_only=True,
        help_text="Review-cycle actions possible from the current status.",
    )

    class Meta:
        model = Deliverable
        read_only_fields = ("version", "approved_at")
        fields = (
            "id",
            "external_id",
            "milestone",
            "milestone_title",
            "project",
            "project_name",
            "title",
            "description",
            "kind",
            "status",
            "possible_moves",
            "owner",
            "owner_name",
            "due_date",
            "is_overdue",
            "link",
            "approved_by",
            "approver_name",
            "approved_at",
            "checklist_total",
            "checklist_done",
            "version",
            "created_at",
            "updated_at",
        )


class ChecklistItemSerializer(serializers.ModelSerializer):
    done_by_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = ChecklistItem
        fields = (
            "id",
            "deliverable",
            "milestone",
            "text",
            "order",
            "done",
            "done_by",
            "done_by_name",
            "done_at",
            "created_at",
            "updated_at",
        )


def deliverable_outputs(rows: list[Deliverable], *, reader=None) -> list[dict]:
    """Deliverables as DeliverableSerializer describes them; their owners' and approvers'
    names in one query for the page."""
    names = person_names({row.owner_id for row in rows} | {row.approved_by_id for row in rows})
    zone = timezone.get_current_timezone()
    return [deliverable_output(row, names, zone) for row in rows]


def deliverable_output(row: Deliverable, names: dict, zone: tzinfo) -> dict:
    return {
        "id": row.pk,
        "external_id": row.external_id,
        "milestone": row.milestone_id,
        "milestone_title": row.milestone_title,
        "project": row.project_pk,
        "project_name": row.project_name,
        "title": row.title,
        "description": row.description,
        "kind": row.kind,
        "status": row.status,
        "possible_moves": [move.replace("_", "-") for move in possible_moves(row.status)],
        "owner": row.owner_id,
        "owner_name": names.get(row.owner_id),
        "due_date": day(row.due_date),
        "is_overdue": row.is_overdue,
        "link": row.link,
        "approved_by": row.approved_by_id,
        "approver_name": names.get(row.approved_by_id) or row.approved_by_name or None,
        "approved_at": instant(row.approved_at, zone),
        "checklist_total": row.checklist_total,
        "checklist_done": row.checklist_done,
        "version": row.version,
        "created_at": instant(row.created_at, zone),
        "updated_at": instant(row.updated_at, zone),
    }


representations.register(Deliverable, rows=resources.deliverable_rows, render=deliverable_outputs)


# A whole plan (POST /plans/) ---------------------------------------------------------------


class ProjectPlanDeliverableSerializer(DeliverableSerializer):
    checklist = ChecklistItemSerializer(many=True, read_only=True)

    class Meta(DeliverableSerializer.Meta):
        fields = (*DeliverableSerializer.Meta.fields, "checklist")


class ProjectPlanMilestoneSerializer(MilestoneSerializer):
    checklist = ChecklistItemSerializer(many=True, read_only=True)
    deliverables = ProjectPlanDeliverableSerializer(many=True, read_only=True)

    class Meta(MilestoneSerializer.Meta):
        fields = (*MilestoneSerializer.Meta.fields, "checklist", "deliverables")


class ProjectPlanPhaseSerializer(PhaseSerializer):
    milestones = ProjectPlanMilestoneSerializer(many=True, read_only=True)

    class Meta(PhaseSerializer.Meta):
        fields = (*PhaseSerializer.Meta.fields, "milestones")


class ProjectPlanSerializer(ProjectSerializer):
    """The project as `projects/{id}/` shows it, with its phases (each with its milestones)
    and the milestones outside a phase, in the order the plan gave them; each milestone with
    its checklist and deliverables (each with its checklist)."""

    phases = ProjectPlanPhaseSerializer(many=True, read_only=True)
    milestones = ProjectPlanMilestoneSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = (*ProjectSerializer.Meta.fields, "phases", "milestones")


def plan_output(rows: PlanRows) -> dict:
    """What ProjectPlanSerializer describes, each row rendered as its own resource renders it."""
    checklists = defaultdict(list)
    for item in ChecklistItemSerializer(rows.checklist_items, many=True).data:
        owner = ("deliverable", item["deliverable"]) if item["deliverable"] else None
        checklists[owner or ("milestone", item["milestone"])].append(item)
    deliverables = defaultdict(list)
    for deliverable in deliverable_outputs(rows.deliverables):
        deliverable["checklist"] = checklists[("deliverable", deliverable["id"])]
        deliverables[deliverable["milestone"]].append(deliverable)
    milestones = defaultdict(list)
    for milestone in milestone_outputs(rows.milestones):
        milestone["checklist"] = checklists[("milestone", milestone["id"])]
        milestone["deliverables"] = deliverables[milestone["id"]]
        milestones[milestone["phase"]].append(milestone)
    phases = [
        {**PhaseSerializer(phase).data, "milestones": milestones[phase.pk]} for phase in rows.phases
    ]
    project = project_outputs([rows.project], today=rows.today)[0]
    return {**project, "phases": phases, "milestones": milestones[None]}
