"""Deliverable and checklist list filters (django-filter)."""

from django_filters import rest_framework as filters

from deliverables.models import (
    ChecklistItem,
    Deliverable,
    DeliverableVersion,
    ProofComment,
    ReviewRound,
)
from milestones_site.api.filters import BooleanFilter, ChoiceFilter, ResourceFilterSet, id_filter
from projects.api.filters import external_id_filter


class DeliverableFilter(ResourceFilterSet):
    project = id_filter("milestone__project_id", "Project id")
    external_id = external_id_filter()
    milestone = id_filter("milestone_id", "Milestone id")
    owner = id_filter("owner_id", "Owner's user id")
    status = ChoiceFilter(choices=Deliverable.Status.choices)
    kind = ChoiceFilter(choices=Deliverable.Kind.choices)
    due_before = filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label="Due on or before"
    )
    due_after = filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label="Due on or after"
    )
    overdue = BooleanFilter(field_name="is_overdue", label="Open and past its due date")

    class Meta:
        model = Deliverable
        fields = (
            "project",
            "external_id",
            "milestone",
            "owner",
            "status",
            "kind",
            "due_before",
            "due_after",
            "overdue",
        )


class ChecklistItemFilter(ResourceFilterSet):
    deliverable = id_filter("deliverable_id", "Deliverable id")
    milestone = id_filter("milestone_id", "Milestone id")
    done = BooleanFilter()

    class Meta:
        model = ChecklistItem
        fields = ("deliverable", "milestone", "done")


class VersionFilter(ResourceFilterSet):
    deliverable = id_filter("deliverable_id", "Deliverable id")

    class Meta:
        model = DeliverableVersion
        fields = ("deliverable",)


class ReviewRoundFilter(ResourceFilterSet):
    deliverable = id_filter("deliverable_id", "Deliverable id")
    decision = ChoiceFilter(choices=ReviewRound.Decision.choices)

    class Meta:
        model = ReviewRound
        fields = ("deliverable", "decision")


class ProofCommentFilter(ResourceFilterSet):
    version = id_filter("on_version_id", "Version id")
    deliverable = id_filter("on_version__deliverable_id", "Deliverable id")
    resolved = BooleanFilter(
        field_name="resolved_at", lookup_expr="isnull", exclude=True, label="Resolved"
    )

    class Meta:
        model = ProofComment
        fields = ("version", "deliverable", "resolved")
