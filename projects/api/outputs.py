"""Output serializers: they render rows annotated and prefetched by the viewsets'
querysets and never run a query of their own."""

from datetime import tzinfo

from django.db.models import Count
from django.utils import timezone
from rest_framework import serializers

from milestones_site.api import representations
from milestones_site.api.inputs import LeadDaysField
from milestones_site.api.outputs import day, decimal, instant
from milestones_site.querysets.names import person_names
from projects.models import (
    ActivityEvent,
    ApiToken,
    CalendarFeed,
    Client,
    Comment,
    Deletion,
    Health,
    Membership,
    Milestone,
    MilestoneDateChange,
    MilestoneHealth,
    Phase,
    Project,
    Role,
    ShareLink,
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
    reminder_lead_days = LeadDaysField(
        read_only=True, help_text="Days before a due date when owners are reminded."
    )
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
            "weekly_load_limit",
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
        fields = (
            "id",
            "workspace",
            "user",
            "username",
            "email",
            "name",
            "role",
            "created_at",
            "updated_at",
        )


class ClientSerializer(serializers.ModelSerializer):
    projects_count = count_field()

    class Meta:
        model = Client
        fields = (
            "id",
            "workspace",
            "name",
            "contact_email",
            "projects_count",
            "created_at",
            "updated_at",
        )


class ProjectSerializer(serializers.ModelSerializer):
    client_name = name_field()
    owner_name = name_field()
    milestones_total = serializers.IntegerField(
        read_only=True,
        help_text="All its milestones, cancelled ones included: the count of "
        "`GET /milestones/?project=<id>`.",
    )
    milestones_in_scope = serializers.IntegerField(
        read_only=True,
        help_text="Its milestones that are not cancelled: what `milestone_progress` divides by.",
    )
    milestones_completed = serializers.IntegerField(
        read_only=True, help_text="Its completed milestones."
    )
    deliverables_total = serializers.IntegerField(
        read_only=True,
        help_text="All its deliverables, those of cancelled milestones included: the count of "
        "`GET /deliverables/?project=<id>`.",
    )
    deliverables_in_scope = serializers.IntegerField(
        read_only=True,
        help_text="Its deliverables of milestones that are not cancelled: what "
        "`deliverable_progress` divides by.",
    )
    deliverables_done = serializers.IntegerField(
        read_only=True,
        help_text="Approved or delivered deliverables of milestones that are not cancelled.",
    )
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
        read_only_fields = ("version",)
        fields = (
            "id",
            "external_id",
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
            "milestones_in_scope",
            "milestones_completed",
            "deliverables_total",
            "deliverables_in_scope",
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

    reminder_days = LeadDaysField(
        read_only=True,
        allow_null=True,
        help_text="Overrides the workspace's reminder lead days; null: the workspace's.",
    )

    class Meta:
        model = Milestone
        read_only_fields = ("baseline_due_date", "completed_at", "version")
        fields = (
            "id",
            "external_id",
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
            "updated_at",
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
    updated_at = serializers.DateTimeField(
        read_only=True, help_text="Events are never changed: the time it was recorded."
    )

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
            "updated_at",
        )


class MilestoneDateChangeSerializer(serializers.ModelSerializer):
    changed_by_name = name_field()
    slip_days = serializers.SerializerMethodField(
        help_text="How many days the move shifted the date (negative: earlier)."
    )

    class Meta:
        model = MilestoneDateChange
        fields = (
            "id",
            "milestone",
            "old_date",
            "new_date",
            "slip_days",
            "reason",
            "changed_by",
            "changed_by_name",
            "changed_at",
        )

    def get_slip_days(self, change) -> int:
        return (change.new_date - change.old_date).days


class ShareLinkSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(read_only=True)
    created_by_name = name_field()
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ShareLink
        fields = (
            "id",
            "project",
            "project_name",
            "label",
            "allow_signoff",
            "prefix",
            "is_active",
            "created_by",
            "created_by_name",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_viewed_at",
            "updated_at",
        )


class CreatedShareLinkSerializer(ShareLinkSerializer):
    url = serializers.URLField(
        read_only=True,
        help_text="The page to share, with its secret: shown only in this response, never again.",
    )

    class Meta(ShareLinkSerializer.Meta):
        fields = (*ShareLinkSerializer.Meta.fields, "url")


class CalendarFeedSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(read_only=True, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = CalendarFeed
        fields = (
            "id",
            "project",
            "project_name",
            "prefix",
            "is_active",
            "created_at",
            "expires_at",
            "revoked_at",
            "updated_at",
        )


class CreatedCalendarFeedSerializer(CalendarFeedSerializer):
    url = serializers.URLField(
        read_only=True,
        help_text="The iCalendar URL to subscribe to, with its secret: shown only in this "
        "response, never again.",
    )

    class Meta(CalendarFeedSerializer.Meta):
        fields = (*CalendarFeedSerializer.Meta.fields, "url")


class DeletionSerializer(serializers.ModelSerializer):
    type = serializers.CharField(
        read_only=True,
        help_text="The kind of row: activity, client, membership, project, phase, milestone, "
        "status_update, comment, template, deliverable, checklist_item, version, proof_file, "
        "review_round, proof_comment or webhook.",
    )
    id = serializers.IntegerField(source="object_id", read_only=True, help_text="Its id.")

    class Meta:
        model = Deletion
        fields = ("type", "id", "external_id", "workspace", "deleted_at")


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
            "updated_at",
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
    # Declared, not derived from the model's slug field: the pattern a read-only field keeps
    # would rule out the empty key of every saved (not built-in) template.
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

    key = serializers.RegexField(
        r"^[-a-zA-Z0-9_]*$",
        read_only=True,
        help_text="Identifies a built-in playbook; empty for a workspace's own templates.",
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
            "updated_at",
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
    reminder_days = LeadDaysField(read_only=True, allow_null=True)

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


# Plain rendering of the busiest lists: one function per row, related data fetched once
# for the page. Each renders what its serializer above describes.


def project_outputs(rows: list[Project], *, today) -> list[dict]:
    """Projects as ProjectSerializer describes them; their overdue counts (which depend on
    today) and their owners' names in one query each for the page."""
    overdue = dict(
        Milestone.objects.overdue(today=today)
        .filter(project_id__in=[row.pk for row in rows])
        .order_by()
        .values("project_id")
        .annotate(count=Count("*"))
        .values_list("project_id", "count")
    )
    names = person_names(row.owner_id for row in rows)
    zone = timezone.get_current_timezone()
    return [project_output(row, overdue.get(row.pk, 0), names, zone) for row in rows]


def project_output(row: Project, overdue_count: int, names: dict, zone: tzinfo) -> dict:
    next_milestone = row.next_milestone
    return {
        "id": row.pk,
        "external_id": row.external_id,
        "workspace": row.workspace_id,
        "client": row.client_id,
        "client_name": row.client_name,
        "name": row.name,
        "description": row.description,
        "objective": row.objective,
        "kind": row.kind,
        "status": row.status,
        "owner": row.owner_id,
        "owner_name": names.get(row.owner_id),
        "start_date": day(row.start_date),
        "target_date": day(row.target_date),
        "budget_planned": decimal(row.budget_planned, 2),
        "budget_spent": decimal(row.budget_spent, 2),
        "currency": row.currency,
        "milestones_total": row.milestones_total,
        "milestones_in_scope": row.milestones_in_scope,
        "milestones_completed": row.milestones_completed,
        "deliverables_total": row.deliverables_total,
        "deliverables_in_scope": row.deliverables_in_scope,
        "deliverables_done": row.deliverables_done,
        "milestone_progress": row.milestone_progress,
        "deliverable_progress": row.deliverable_progress,
        "overdue_count": overdue_count,
        "health": row.health,
        "next_milestone_id": next_milestone.pk if next_milestone else None,
        "next_milestone_title": next_milestone.title if next_milestone else None,
        "next_milestone_due": day(next_milestone.due_date) if next_milestone else None,
        "version": row.version,
        "created_at": instant(row.created_at, zone),
        "updated_at": instant(row.updated_at, zone),
    }


def milestone_outputs(rows: list[Milestone]) -> list[dict]:
    """Milestones as MilestoneSerializer describes them; what they depend on and their
    owners' names in one query each for the page."""
    waits = resources.dependency_ids([row.pk for row in rows])
    names = person_names(row.owner_id for row in rows)
    zone = timezone.get_current_timezone()
    return [milestone_output(row, waits.get(row.pk, []), names, zone) for row in rows]


def milestone_output(row: Milestone, depends_on: list[int], names: dict, zone: tzinfo) -> dict:
    return {
        "id": row.pk,
        "external_id": row.external_id,
        "project": row.project_id,
        "project_name": row.project_name,
        "phase": row.phase_id,
        "phase_name": row.phase_name,
        "title": row.title,
        "description": row.description,
        "category": row.category,
        "status": row.status,
        "owner": row.owner_id,
        "owner_name": names.get(row.owner_id),
        "due_date": day(row.due_date),
        "baseline_due_date": day(row.baseline_due_date),
        "slip_days": row.slip_days,
        "is_overdue": row.is_overdue,
        "health": row.health,
        "completed_at": instant(row.completed_at, zone),
        "success_criteria": row.success_criteria,
        "kpi_name": row.kpi_name,
        "kpi_target": decimal(row.kpi_target, 2),
        "kpi_actual": decimal(row.kpi_actual, 2),
        "kpi_unit": row.kpi_unit,
        "depends_on": depends_on,
        "reminder_days": row.reminder_days,
        "deliverables_total": row.deliverables_total,
        "deliverables_done": row.deliverables_done,
        "version": row.version,
        "created_at": instant(row.created_at, zone),
        "updated_at": instant(row.updated_at, zone),
    }


def projects_as_read_by(rows: list[Project], *, reader) -> list[dict]:
    """Projects rendered for `reader`: their overdue counts are for the reader's today."""
    return project_outputs(rows, today=resources.reader_today(reader))


def milestones_as_read_by(rows: list[Milestone], *, reader) -> list[dict]:
    return milestone_outputs(rows)


serialized = representations.serialized
representations.register(
    Workspace, rows=resources.workspace_rows, render=serialized(WorkspaceSerializer)
)
representations.register(Client, rows=resources.client_rows, render=serialized(ClientSerializer))
representations.register(Phase, rows=resources.phase_rows, render=serialized(PhaseSerializer))
representations.register(Project, rows=resources.project_rows, render=projects_as_read_by)
representations.register(Milestone, rows=resources.milestone_rows, render=milestones_as_read_by)
