"""List filters (django-filter). Querysets are already scoped to what the caller can see,
so an id of another workspace simply matches nothing."""

from django_filters import rest_framework as filters

from milestones_site.api.filters import (
    BooleanFilter,
    ChoiceFilter,
    ResourceFilterSet,
    UtcDateTimeFilter,
    ValuesFilter,
    id_filter,
)
from projects.models import (
    ActivityEvent,
    Client,
    Comment,
    Deletion,
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


class MembershipFilter(ResourceFilterSet):
    workspace = id_filter("workspace_id", "Workspace id")
    role = ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ("workspace", "role")


class ClientFilter(ResourceFilterSet):
    workspace = id_filter("workspace_id", "Workspace id")

    class Meta:
        model = Client
        fields = ("workspace",)


def external_id_filter() -> ValuesFilter:
    return ValuesFilter(
        field_name="external_id", label="Your system's id; repeat the parameter for several."
    )


class ProjectFilter(ResourceFilterSet):
    workspace = id_filter("workspace_id", "Workspace id")
    external_id = external_id_filter()
    client = id_filter("client_id", "Client id")
    owner = id_filter("owner_id", "Owner's user id")
    status = ChoiceFilter(choices=Project.Status.choices)
    kind = ChoiceFilter(choices=Project.Kind.choices)
    health = ChoiceFilter(choices=Health.choices, label="Derived project health")

    class Meta:
        model = Project
        fields = ("workspace", "external_id", "client", "owner", "status", "kind", "health")


class PhaseFilter(ResourceFilterSet):
    project = id_filter("project_id", "Project id")

    class Meta:
        model = Phase
        fields = ("project",)


class MilestoneFilter(ResourceFilterSet):
    project = id_filter("project_id", "Project id")
    external_id = external_id_filter()
    phase = id_filter("phase_id", "Phase id")
    owner = id_filter("owner_id", "Owner's user id")
    status = ChoiceFilter(choices=Milestone.Status.choices)
    category = ChoiceFilter(choices=Milestone.Category.choices)
    due_before = filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label="Due on or before"
    )
    due_after = filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label="Due on or after"
    )
    overdue = BooleanFilter(field_name="is_overdue", label="Open and past its due date")
    health = ChoiceFilter(choices=MilestoneHealth.choices, label="Derived health")

    class Meta:
        model = Milestone
        fields = (
            "project",
            "external_id",
            "phase",
            "owner",
            "status",
            "category",
            "due_before",
            "due_after",
            "overdue",
            "health",
        )


class StatusUpdateFilter(ResourceFilterSet):
    project = id_filter("project_id", "Project id")
    health = ChoiceFilter(choices=Health.choices)

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


class CommentFilter(ResourceFilterSet):
    project = id_filter("project_id", "Project id")
    target_type = ChoiceFilter(field_name="target_type__model", choices=TARGET_TYPES[4:])
    target_id = id_filter("target_id", "Id of the milestone or deliverable")

    class Meta:
        model = Comment
        fields = ("project", "target_type", "target_id")


class ActivityEventFilter(ResourceFilterSet):
    project = id_filter("project_id", "Project id")
    workspace = id_filter("workspace_id", "Workspace id")
    actor = id_filter("actor_id", "Acting user's id")
    verb = filters.CharFilter(label="Event verb, e.g. milestone.rescheduled")
    target_type = ChoiceFilter(field_name="target_type__model", choices=TARGET_TYPES)
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


class TemplateFilter(ResourceFilterSet):
    workspace = id_filter("workspace_id", "Workspace id (its own templates)")
    builtin = BooleanFilter(
        field_name="workspace", lookup_expr="isnull", label="Built-in playbooks only (true/false)"
    )
    project_kind = ChoiceFilter(choices=Project.Kind.choices)

    class Meta:
        model = Template
        fields = ("workspace", "builtin", "project_kind")


DELETION_TYPES = sorted(
    (name, name)
    for name in (
        "activity",
        "client",
        "membership",
        "project",
        "phase",
        "milestone",
        "status_update",
        "comment",
        "template",
        "deliverable",
        "checklist_item",
        "version",
        "proof_file",
        "review_round",
        "proof_comment",
        "webhook",
    )
)


class DeletionFilter(ResourceFilterSet):
    workspace = id_filter("workspace_id", "Workspace id")
    type = ChoiceFilter(choices=DELETION_TYPES, label="Kind of row")

    class Meta:
        model = Deletion
        fields = ("workspace", "type")
