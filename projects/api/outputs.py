"""Output serializers: they render rows annotated and prefetched by the viewsets'
querysets and never run a query of their own."""

from rest_framework import serializers

from milestones_site.api import representations
from projects.models import (
    ActivityEvent,
    ApiToken,
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
    TemplateDeliverable,
    TemplateMilestone,
    TemplatePhase,
    Workspace,
)
from projects.playbooks.planning import Direction
from projects.selectors import resources


def name_field() -> serializers.CharField:
    return serializers.CharField(read_only=True, allow_null=True)


def count_field() -> serializers.IntegerField:
    return serializers.IntegerField(read_only=True)


class WorkspaceSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(
        choices=Role.choices, read_only=True, allow_null=True, help_text="Your role here."
    )
    members_count = count_field()
    projects_count = count_field()

    class Meta:
        model = Workspace
        fields = (
            "id",
            "name",
            "slug",
            "timezone",
            "reminder_lead_days",
            "overdue_repeat_days",
            "overdue_repeat_limit",
            "warning_window_days",
            "role",
            "members_count",
            "projects_count",
            "created_at",
            "updated_at",
        )


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    name = name_field()

    class Meta:
        model = Membership
        fields = ("id", "workspace", "user", "username", "email", "name", "role", "created_at")


class ClientSerializer(serializers.ModelSerializer):
    projects_count = count_field()

    class Meta:
        model = Client
        fields = ("id", "workspace", "name", "contact_email", "projects_count", "created_at")


class ProjectSerializer(serializers.ModelSerializer):
    client_name = name_field()
    owner_name = name_field()
    milestones_total = count_field()
    milestones_completed = count_field()
    deliverables_total = count_field()
    deliverables_done = count_field()
    milestone_progress = serializers.IntegerField(
        read_only=True, help_text="Completed milestones in percent (cancelled ones excluded)."
    )
    deliverable_progress = serializers.IntegerField(
        read_only=True, help_text="Approved or delivered deliverables in percent."
    )
    overdue_count = count_field()
    health = serializers.ChoiceField(
        choices=Health.choices,
        read_only=True,
        help_text="The latest status update's health, else the worst open milestone's.",
    )
    next_milestone_id = serializers.IntegerField(read_only=True, allow_null=True)
    next_milestone_title = serializers.CharField(read_only=True, allow_null=True)
    next_milestone_due = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Project
        fields = (
            "id",
            "workspace",
            "client",
            "client_name",
            "name",
            "description",
            "objective",
            "kind",
            "status",
            "owner",
            "owner_name",
            "start_date",
            "target_date",
            "budget_planned",
            "budget_spent",
            "currency",
            "milestones_total",
            "milestones_completed",
            "deliverables_total",
            "deliverables_done",
            "milestone_progress",
            "deliverable_progress",
            "overdue_count",
            "health",
            "next_milestone_id",
            "next_milestone_title",
            "next_milestone_due",
            "version",
            "created_at",
            "updated_at",
        )


class PhaseSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(read_only=True)
    milestones_count = count_field()

    class Meta:
        model = Phase
        fields = (
            "id",
            "project",
            "project_name",
            "name",
            "order",
            "start_date",
            "end_date",
            "milestones_count",
            "created_at",
            "updated_at",
        )


class MilestoneSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(read_only=True)
    phase_name = name_field()
    owner_name = name_field()
    depends_on = serializers.ListField(
        child=serializers.IntegerField(), source="depends_on_ids", read_only=True
    )
    is_overdue = serializers.BooleanField(read_only=True)
    slip_days = serializers.IntegerField(
        read_only=True, help_text="Days the due date moved past the baseline (negative: ahead)."
    )
    health = serializers.ChoiceField(choices=MilestoneHealth.choices, read_only=True)
    deliverables_total = count_field()
    deliverables_done = count_field()

    class Meta:
        model = Milestone
        fields = (
            "id",
            "project",
            "project_name",
            "phase",
            "phase_name",
            "title",
            "description",
            "category",
            "status",
            "owner",
            "owner_name",
            "due_date",
            "baseline_due_date",
            "slip_days",
            "is_overdue",
            "health",
            "completed_at",
            "success_criteria",
            "kpi_name",
            "kpi_target",
            "kpi_actual",
            "kpi_unit",
            "depends_on",
            "reminder_days",
            "deliverables_total",
            "deliverables_done",
            "version",
            "created_at",
            "updated_at",
        )


class MilestoneBulkStatusSerializer(serializers.Serializer):
    items = MilestoneSerializer(many=True, read_only=True)


class StatusUpdateSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(read_only=True)
    author_name = name_field()

    class Meta:
        model = StatusUpdate
        fields = (
            "id",
            "project",
            "project_name",
            "health",
            "summary",
            "author",
            "author_name",
            "created_at",
        )


class CommentSerializer(serializers.ModelSerializer):
    target_type = serializers.CharField(source="target_type.model", read_only=True)
    author_name = name_field()

    class Meta:
        model = Comment
        fields = (
            "id",
            "project",
            "target_type",
            "target_id",
            "author",
            "author_name",
            "body",
            "created_at",
            "updated_at",
        )


class ActivityEventSerializer(serializers.ModelSerializer):
    target_type = serializers.CharField(source="target_type.model", read_only=True)

    class Meta:
        model = ActivityEvent
        fields = (
            "id",
            "workspace",
            "project",
            "actor",
            "actor_name",
            "verb",
            "target_type",
            "target_id",
            "target_repr",
            "changes",
            "data",
            "created_at",
        )


class ApiTokenSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = (
            "id",
            "name",
            "prefix",
            "read_only",
            "is_active",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
        )


class CreatedApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text="The secret: shown only in this response, never again."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = (*ApiTokenSerializer.Meta.fields, "token")


# Playbooks ----------------------------------------------------------------------------


class TemplateSerializer(serializers.ModelSerializer):
    is_builtin = serializers.BooleanField(read_only=True)
    phase_count = serializers.IntegerField(read_only=True)
    milestone_count = serializers.IntegerField(read_only=True)
    deliverable_count = serializers.IntegerField(read_only=True)
    anchor_title = serializers.CharField(
        read_only=True, allow_null=True, help_text="The milestone a backward plan lands on."
    )
    plans_backward = serializers.BooleanField(
        read_only=True, help_text="True when an anchor (launch, event, sale) is marked."
    )

    class Meta:
        model = Template
        fields = (
            "id",
            "workspace",
            "key",
            "name",
            "summary",
            "objective",
            "project_kind",
            "roles",
            "is_builtin",
            "phase_count",
            "milestone_count",
            "deliverable_count",
            "anchor_title",
            "plans_backward",
            "created_at",
        )
        read_only_fields = fields


class TemplateDeliverableSerializer(serializers.ModelSerializer):
    class Meta:
        model = TemplateDeliverable
        fields = ("id", "title", "kind", "offset_days", "owner_role", "checklist")
        read_only_fields = fields


class TemplateMilestoneSerializer(serializers.ModelSerializer):
    deliverables = TemplateDeliverableSerializer(many=True, read_only=True)
    depends_on = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = TemplateMilestone
        fields = (
            "id",
            "phase",
            "title",
            "description",
            "category",
            "offset_days",
            "is_anchor",
            "owner_role",
            "reminder_days",
            "success_criteria",
            "kpi_name",
            "kpi_unit",
            "checklist",
            "depends_on",
            "deliverables",
        )
        read_only_fields = fields


class TemplatePhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = TemplatePhase
        fields = ("id", "name", "order")
        read_only_fields = fields


class TemplateDetailSerializer(TemplateSerializer):
    phases = TemplatePhaseSerializer(many=True, read_only=True)
    milestones = TemplateMilestoneSerializer(many=True, read_only=True)

    class Meta(TemplateSerializer.Meta):
        fields = (*TemplateSerializer.Meta.fields, "phases", "milestones")
        read_only_fields = fields


class PlannedDeliverableSerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.CharField()
    due_date = serializers.DateField()
    owner_role = serializers.CharField()
    owner = serializers.IntegerField(source="owner.pk", allow_null=True, default=None)


class PlannedMilestoneSerializer(serializers.Serializer):
    template_milestone = serializers.IntegerField(source="source_id")
    title = serializers.CharField()
    category = serializers.CharField()
    due_date = serializers.DateField()
    is_anchor = serializers.BooleanField()
    owner_role = serializers.CharField()
    owner = serializers.IntegerField(source="owner.pk", allow_null=True, default=None)
    depends_on = serializers.ListField(
        child=serializers.IntegerField(), help_text="Template milestone ids it waits for."
    )
    deliverables = PlannedDeliverableSerializer(many=True)


class PlannedPhaseSerializer(serializers.Serializer):
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    milestones = PlannedMilestoneSerializer(many=True)


class PlanSerializer(serializers.Serializer):
    """Every date a plan computes, before anything is created."""

    direction = serializers.ChoiceField(choices=[d.value for d in Direction])
    date = serializers.DateField(source="on")
    start_date = serializers.DateField()
    target_date = serializers.DateField()
    phases = PlannedPhaseSerializer(many=True)


representations.register(Workspace, WorkspaceSerializer, resources.workspace_rows)
representations.register(Client, ClientSerializer, resources.client_rows)
representations.register(Project, ProjectSerializer, resources.project_rows)
representations.register(Phase, PhaseSerializer, resources.phase_rows)
representations.register(Milestone, MilestoneSerializer, resources.milestone_rows)
