"""Deliverable and checklist list filters (django-filter)."""

from django_filters import rest_framework as filters

from deliverables.models import (
    ChecklistItem,
    Deliverable,
    DeliverableVersion,
    ProofComment,
    ReviewRound,
)
from projects.api.filters import id_filter


class DeliverableFilter(filters.FilterSet):
    project = id_filter("milestone__project_id", "Project id")
    milestone = id_filter("milestone_id", "Milestone id")
    owner = id_filter("owner_id", "Owner's user id")
    status = filters.ChoiceFilter(choices=Deliverable.Status.choices)
    kind = filters.ChoiceFilter(choices=Deliverable.Kind.choices)
    due_before = filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label="Due on or before"
    )
    due_after = filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label="Due on or after"
    )
    overdue = filters.BooleanFilter(field_name="is_overdue", label="Open and past its due date")

    class Meta:
        model = Deliverable
        fields = (
            "project",
            "milestone",
            "owner",
            "status",
            "kind",
            "due_before",
            "due_after",
            "overdue",
        )


class ChecklistItemFilter(filters.FilterSet):
    deliverable = id_filter("deliverable_id", "Deliverable id")
    milestone = id_filter("milestone_id", "Milestone id")
    done = filters.BooleanFilter()

    class Meta:
        model = ChecklistItem
        fields = ("deliverable", "milestone", "done")


class VersionFilter(filters.FilterSet):
    deliverable = id_filter("deliverable_id", "Deliverable id")

    class Meta:
        model = DeliverableVersion
        fields = ("deliverable",)


class ReviewRoundFilter(filters.FilterSet):
    deliverable = id_filter("deliverable_id", "Deliverable id")
    decision = filters.ChoiceFilter(choices=ReviewRound.Decision.choices)

    class Meta:
        model = ReviewRound
        fields = ("deliverable", "decision")


class ProofCommentFilter(filters.FilterSet):
    version = id_filter("on_version_id", "Version id")
    deliverable = id_filter("on_version__deliverable_id", "Deliverable id")
    resolved = filters.BooleanFilter(
        field_name="resolved_at", lookup_expr="isnull", exclude=True, label="Resolved"
    )

    class Meta:
        model = ProofComment
        fields = ("version", "deliverable", "resolved")
