"""Output serializers for deliverables and checklist items (annotated rows only)."""

from datetime import tzinfo

from django.utils import timezone
from rest_framework import serializers

from deliverables.models import ChecklistItem, Deliverable
from deliverables.selectors import resources
from deliverables.services.deliverables import possible_moves
from milestones_site.api import representations
from milestones_site.api.outputs import day, instant
from milestones_site.querysets.names import person_names


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
