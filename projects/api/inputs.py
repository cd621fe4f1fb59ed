"""Input serializers: the shape of what clients send. Services validate the rules."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from deliverables.models import Deliverable
from milestones_site.api.inputs import (
    MAX_ID,
    InputSerializer,
    MemberField,
    ModelInputSerializer,
    VisibleRelatedField,
)
from projects.models import (
    ApiToken,
    Client,
    Comment,
    Membership,
    Milestone,
    Phase,
    Project,
    Role,
    StatusUpdate,
    Workspace,
)
from projects.services.projects import MILESTONE_FIELDS, PROJECT_FIELDS


class WorkspaceCreateInput(ModelInputSerializer):
    class Meta:
        model = Workspace
        fields = ("name", "slug", "timezone")
        extra_kwargs = {"slug": {"required": False, "validators": []}}


class WorkspaceUpdateInput(ModelInputSerializer):
    class Meta:
        model = Workspace
        fields = (
            "name",
            "timezone",
            "reminder_lead_days",
            "overdue_repeat_days",
            "overdue_repeat_limit",
            "warning_window_days",
        )


class MembershipCreateInput(ModelInputSerializer):
    workspace = VisibleRelatedField(queryset=Workspace.objects.all())
    username = serializers.SlugRelatedField(
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
        fields = PROJECT_FIELDS


class ProjectCreateInput(ProjectUpdateInput):
    workspace = VisibleRelatedField(queryset=Workspace.objects.all())

    class Meta(ProjectUpdateInput.Meta):
        fields = ("workspace", *PROJECT_FIELDS)


class PhaseUpdateInput(ModelInputSerializer):
    class Meta:
        model = Phase
        fields = ("name", "order", "start_date", "end_date")


class PhaseCreateInput(PhaseUpdateInput):
    project = VisibleRelatedField(queryset=Project.objects.all())
    order = serializers.IntegerField(
        min_value=0, max_value=32767, required=False, help_text="Defaults to after the last."
    )

    class Meta(PhaseUpdateInput.Meta):
        fields = ("project", *PhaseUpdateInput.Meta.fields)


MILESTONE_DETAIL_FIELDS = (*MILESTONE_FIELDS, "status", "depends_on")


class MilestoneUpdateInput(ModelInputSerializer):
    """Due dates move through `reschedule/`, completion goes through `complete/`'s checks."""

    changed_elsewhere = {
        "due_date": "Move the due date with POST /milestones/{id}/reschedule/ and a reason.",
        "baseline_due_date": "Move the baseline with POST /milestones/{id}/rebaseline/.",
    }

    phase = VisibleRelatedField(queryset=Phase.objects.all(), allow_null=True, required=False)
    owner = MemberField(allow_null=True, required=False)
    depends_on = VisibleRelatedField(queryset=Milestone.objects.all(), many=True, required=False)

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


class ApiTokenCreateInput(ModelInputSerializer):
    class Meta:
        model = ApiToken
        fields = ("name", "read_only", "expires_at")
