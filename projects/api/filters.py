"""List filters (django-filter). Querysets are already scoped to what the caller can see,
so an id of another workspace simply matches nothing."""

from datetime import UTC

from django import forms
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from milestones_site.api.inputs import MAX_ID
from projects.models import (
    ActivityEvent,
    Client,
    Comment,
    Health,
    Membership,
    Milestone,
    MilestoneHealth,
    Phase,
    Project,
    Role,
    StatusUpdate,
    Template,
)


class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField


def id_filter(field_name: str, label: str) -> IdFilter:
    return IdFilter(field_name=field_name, label=label, min_value=1, max_value=MAX_ID)


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 instant taken in UTC: any offset Python accepts (up to ±23:59) is valid,
    while PostgreSQL refuses offsets beyond ±15:59 when the value is sent as typed."""

    def clean(self, value):
        instant = super().clean(value)
        if instant is None:
            return None
        try:
            return instant.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError("Enter a date and time between years 1 and 9999.") from None


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class MembershipFilter(filters.FilterSet):
    workspace = id_filter("workspace_id", "Workspace id")
    role = filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ("workspace", "role")


class ClientFilter(filters.FilterSet):
    workspace = id_filter("workspace_id", "Workspace id")

    class Meta:
        model = Client
        fields = ("workspace",)


class ProjectFilter(filters.FilterSet):
    workspace = id_filter("workspace_id", "Workspace id")
    client = id_filter("client_id", "Client id")
    owner = id_filter("owner_id", "Owner's user id")
    status = filters.ChoiceFilter(choices=Project.Status.choices)
    kind = filters.ChoiceFilter(choices=Project.Kind.choices)
    health = filters.ChoiceFilter(choices=Health.choices, label="Derived project health")

    class Meta:
        model = Project
        fields = ("workspace", "client", "owner", "status", "kind", "health")


class PhaseFilter(filters.FilterSet):
    project = id_filter("project_id", "Project id")

    class Meta:
        model = Phase
        fields = ("project",)


class MilestoneFilter(filters.FilterSet):
    project = id_filter("project_id", "Project id")
    phase = id_filter("phase_id", "Phase id")
    owner = id_filter("owner_id", "Owner's user id")
    status = filters.ChoiceFilter(choices=Milestone.Status.choices)
    category = filters.ChoiceFilter(choices=Milestone.Category.choices)
    due_before = filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label="Due on or before"
    )
    due_after = filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label="Due on or after"
    )
    overdue = filters.BooleanFilter(field_name="is_overdue", label="Open and past its due date")
    health = filters.ChoiceFilter(choices=MilestoneHealth.choices, label="Derived health")

    class Meta:
        model = Milestone
        fields = (
            "project",
            "phase",
            "owner",
            "status",
            "category",
            "due_before",
            "due_after",
            "overdue",
            "health",
        )


class StatusUpdateFilter(filters.FilterSet):
    project = id_filter("project_id", "Project id")
    health = filters.ChoiceFilter(choices=Health.choices)

    class Meta:
        model = StatusUpdate
        fields = ("project", "health")


TARGET_TYPES = (
    ("workspace", "Workspace"),
    ("client", "Client"),
    ("project", "Project"),
    ("phase", "Phase"),
    ("milestone", "Milestone"),
    ("deliverable", "Deliverable"),
)


class CommentFilter(filters.FilterSet):
    project = id_filter("project_id", "Project id")
    target_type = filters.ChoiceFilter(field_name="target_type__model", choices=TARGET_TYPES[4:])
    target_id = id_filter("target_id", "Id of the milestone or deliverable")

    class Meta:
        model = Comment
        fields = ("project", "target_type", "target_id")


class ActivityEventFilter(filters.FilterSet):
    project = id_filter("project_id", "Project id")
    workspace = id_filter("workspace_id", "Workspace id")
    actor = id_filter("actor_id", "Acting user's id")
    verb = filters.CharFilter(label="Event verb, e.g. milestone.rescheduled")
    target_type = filters.ChoiceFilter(field_name="target_type__model", choices=TARGET_TYPES)
    target_id = id_filter("target_id", "Target id (with target_type)")
    since = UtcDateTimeFilter(
        field_name="created_at", lookup_expr="gte", label="At or after (ISO 8601)"
    )
    until = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt", label="Before (ISO 8601)")

    class Meta:
        model = ActivityEvent
        fields = (
            "project",
            "workspace",
            "actor",
            "verb",
            "target_type",
            "target_id",
            "since",
            "until",
        )


class TemplateFilter(filters.FilterSet):
    workspace = id_filter("workspace_id", "Workspace id (its own templates)")
    builtin = filters.BooleanFilter(
        field_name="workspace", lookup_expr="isnull", label="Built-in playbooks only (true/false)"
    )
    project_kind = filters.ChoiceFilter(choices=Project.Kind.choices)

    class Meta:
        model = Template
        fields = ("workspace", "builtin", "project_kind")
