"""Output serializers for deliverables and checklist items (annotated rows only)."""

from rest_framework import serializers

from deliverables.models import ChecklistItem, Deliverable
from deliverables.selectors import resources
from deliverables.services.deliverables import possible_moves
from milestones_site.api import representations


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


representations.register(Deliverable, DeliverableSerializer, resources.deliverable_rows)
