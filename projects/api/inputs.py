"""Input serializers: the shape of what clients send. Services validate the rules."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from deliverables.models import Deliverable
from milestones_site.api.inputs import (
    MAX_ID,
    IdField,
    InputSerializer,
    LeadDaysField,
    ModelInputSerializer,
    VisibleRelatedField,
)
from projects.models import (
    ApiToken,
    CalendarFeed,
    Client,
    Comment,
    Membership,
    Milestone,
    Phase,
    Project,
    Role,
    ShareLink,
    StatusUpdate,
    Workspace,
)
from projects.playbooks.planning import Direction
from projects.querysets import readable_workspace_ids
from projects.services.external_ids import EXTERNAL_ID
from projects.services.milestones import MILESTONE_FIELDS
from projects.services.projects import PROJECT_FIELDS


class MemberField(IdField):
    """The id of a user who shares a workspace with the caller."""

    default_error_messages = {
        "does_not_exist": "There is no member with id {pk_value} in your workspaces.",
        "incorrect_type": "Send the user id as a whole number, not {data_type}.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", get_user_model().objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        workspaces = readable_workspace_ids(self.context["request"].user)
        return super().get_queryset().filter(memberships__workspace_id__in=workspaces).distinct()


class WorkspaceCreateInput(ModelInputSerializer):
    class Meta:
        model = Workspace
        fields = ("name", "slug", "timezone")
        extra_kwargs = {"slug": {"required": False, "validators": []}}


class WorkspaceUpdateInput(ModelInputSerializer):
    reminder_lead_days = LeadDaysField(
        required=False, help_text="Days before a due date when owners are reminded, e.g. [7, 1]."
    )

    class Meta:
        model = Workspace
        fields = (
            "name",
            "timezone",
            "reminder_lead_days",
            "overdue_repeat_days",
            "overdue_repeat_limit",
            "warning_window_days",
            "weekly_load_limit",
        )


class MembershipCreateInput(ModelInputSerializer):
    workspace = VisibleRelatedField(queryset=Workspace.objects.all())
    username = serializers.SlugRelatedField(
        source="user",
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        error_messages={"does_not_exist": "There is no active user named “{value}”."},
    )

    class Meta:
        model = Membership
        fields = ("workspace", "username", "role")
        validators = []


class MembershipUpdateInput(InputSerializer):
    role = serializers.ChoiceField(choices=Role.choices)


class ClientCreateInput(ModelInputSerializer):
    workspace = VisibleRelatedField(queryset=Workspace.objects.all())

    class Meta:
        model = Client
        fields = ("workspace", "name", "contact_email")
        validators = []


class ClientUpdateInput(ModelInputSerializer):
    class Meta:
        model = Client
        fields = ("name", "contact_email")


class ProjectUpdateInput(ModelInputSerializer):
    client = VisibleRelatedField(queryset=Client.objects.all(), allow_null=True, required=False)
    owner = MemberField(allow_null=True, required=False)

    class Meta:
        model = Project
        fields = (*PROJECT_FIELDS, EXTERNAL_ID)


class ProjectCreateInput(ProjectUpdateInput):
    workspace = VisibleRelatedField(queryset=Workspace.objects.all())

    class Meta(ProjectUpdateInput.Meta):
        fields = ("workspace", *PROJECT_FIELDS, EXTERNAL_ID)


class PhaseUpdateInput(ModelInputSerializer):
    class Meta:
        model = Phase
        fields = ("name", "order", "start_date", "end_date")
        # No unique (project, order) check: the services make room at a taken order.
        validators = []


class PhaseCreateInput(PhaseUpdateInput):
    project = VisibleRelatedField(queryset=Project.objects.all())
    order = serializers.IntegerField(
        min_value=0, max_value=32767, required=False, help_text="Defaults to after the last."
    )

    class Meta(PhaseUpdateInput.Meta):
        fields = ("project", *PhaseUpdateInput.Meta.fields)


MILESTONE_DETAIL_FIELDS = (*MILESTONE_FIELDS, "status", "depends_on", EXTERNAL_ID)


class MilestoneUpdateInput(ModelInputSerializer):
    """Due dates move through `reschedule/`, completion goes through `complete/`'s checks."""

    changed_elsewhere = {
        "due_date": "Move the due date with POST /milestones/{id}/reschedule/ and a reason.",
        "baseline_due_date": "Move the baseline with POST /milestones/{id}/rebaseline/.",
    }

    phase = VisibleRelatedField(queryset=Phase.objects.all(), allow_null=True, required=False)
    owner = MemberField(allow_null=True, required=False)
    depends_on = VisibleRelatedField(queryset=Milestone.objects.all(), many=True, required=False)
    reminder_days = LeadDaysField(
        allow_null=True,
        required=False,
        help_text="Overrides the workspace's reminder lead days, e.g. [14, 3]; null: the "
        "workspace's.",
    )

    class Meta:
        model = Milestone
        fields = MILESTONE_DETAIL_FIELDS


class MilestoneCreateInput(MilestoneUpdateInput):
    project = VisibleRelatedField(queryset=Project.objects.all())

    class Meta(MilestoneUpdateInput.Meta):
        fields = ("project", "due_date", *MILESTONE_DETAIL_FIELDS)


class MilestoneCompleteInput(InputSerializer):
    force = serializers.BooleanField(
        default=False, help_text="Managers: complete despite open work (needs a reason)."
    )
    reason = serializers.CharField(default="", allow_blank=True, max_length=2000)


class MilestoneRescheduleInput(InputSerializer):
    due_date = serializers.DateField(source="new_date", help_text="The new due date.")
    reason = serializers.CharField(max_length=2000, help_text="Kept in the date history.")


class MilestoneRebaselineInput(InputSerializer):
    reason = serializers.CharField(default="", allow_blank=True, max_length=2000)


class MilestoneStatusItem(InputSerializer):
    id = VisibleRelatedField(queryset=Milestone.objects.all())
    status = serializers.ChoiceField(choices=Milestone.Status.choices)


class MilestoneBulkStatusInput(InputSerializer):
    items = MilestoneStatusItem(many=True, allow_empty=False, max_length=200)


class StatusUpdateCreateInput(ModelInputSerializer):
    project = VisibleRelatedField(queryset=Project.objects.all())

    class Meta:
        model = StatusUpdate
        fields = ("project", "health", "summary")


class StatusUpdateEditInput(ModelInputSerializer):
    class Meta:
        model = StatusUpdate
        fields = ("health", "summary")


COMMENT_TARGETS = {"milestone": Milestone, "deliverable": Deliverable}


class CommentCreateInput(ModelInputSerializer):
    target_type = serializers.ChoiceField(choices=sorted(COMMENT_TARGETS))
    target_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    class Meta:
        model = Comment
        fields = ("target_type", "target_id", "body")

    def validate(self, attrs):
        model = COMMENT_TARGETS[attrs["target_type"]]
        user = self.context["request"].user
        target = model.objects.visible_to(user).filter(pk=attrs["target_id"]).first()
        if target is None:
            raise serializers.ValidationError(
                {"target_id": f"There is no {attrs['target_type']} with this id that you can see."}
            )
        return {"target": target, "body": attrs["body"]}


class CommentEditInput(ModelInputSerializer):
    class Meta:
        model = Comment
        fields = ("body",)


class ShareLinkCreateInput(ModelInputSerializer):
    project = VisibleRelatedField(queryset=Project.objects.all())

    class Meta:
        model = ShareLink
        fields = ("project", "label", "allow_signoff", "expires_at")


class CalendarFeedCreateInput(ModelInputSerializer):
    project = VisibleRelatedField(
        queryset=Project.objects.all(),
        required=False,
        allow_null=True,
        help_text="A project you can read; without it, a feed of your own due dates.",
    )

    class Meta:
        model = CalendarFeed
        fields = ("project",)


class ApiTokenCreateInput(ModelInputSerializer):
    class Meta:
        model = ApiToken
        fields = ("name", "read_only", "expires_at")


class InstantiateInput(InputSerializer):
    workspace = VisibleRelatedField(queryset=Workspace.objects.all())
    name = serializers.CharField(max_length=200, required=False, help_text="Required to create.")
    direction = serializers.ChoiceField(
        choices=[d.value for d in Direction],
        help_text="forward: `date` is the start; backward: the anchor milestone lands on `date`.",
    )
    date = serializers.DateField()
    skip_weekends = serializers.BooleanField(default=False)
    roles = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="Role placeholder → user id of a workspace member.",
    )
    client = VisibleRelatedField(queryset=Client.objects.all(), required=False, allow_null=True)
    dry_run = serializers.BooleanField(default=False, help_text="Only preview the dates.")

    def validate_roles(self, roles: dict) -> dict:
        users = get_user_model().objects.in_bulk(set(roles.values()))
        unknown = sorted(str(user_id) for user_id in roles.values() if user_id not in users)
        if unknown:
            raise serializers.ValidationError(f"No user with id {', '.join(unknown)}.")
        return {role: users[user_id] for role, user_id in roles.items()}

    def validate(self, data: dict) -> dict:
        if not data["dry_run"] and not data.get("name", "").strip():
            raise serializers.ValidationError({"name": "Name the new project."})
        return data


class SaveAsTemplateInput(InputSerializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
