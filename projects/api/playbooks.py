"""API for playbooks: list and read templates, preview a plan (`dry_run`) or instantiate
it as a project, and save a project as a template (projects/playbooks.py does the work)."""

from django.contrib.auth import get_user_model
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from milestones_site.api.concurrency import etag_for
from milestones_site.api.inputs import InputSerializer, VisibleRelatedField
from milestones_site.api.viewsets import ListMixin, RetrieveMixin, ServiceViewSet
from projects import permissions
from projects.api.filters import id_filter
from projects.api.outputs import ProjectSerializer
from projects.api.representations import project_representation
from projects.models import (
    Client,
    Project,
    Template,
    TemplateDeliverable,
    TemplateMilestone,
    TemplatePhase,
    Workspace,
)
from projects.permissions import Action
from projects.playbooks.planning import Direction
from projects.playbooks.services import template_instantiate, template_plan, template_with_structure


class TemplateFilter(filters.FilterSet):
    workspace = id_filter("workspace_id", "Workspace id (its own templates)")
    builtin = filters.BooleanFilter(
        field_name="workspace", lookup_expr="isnull", label="Built-in playbooks only (true/false)"
    )
    project_kind = filters.ChoiceFilter(choices=Project.Kind.choices)

    class Meta:
        model = Template
        fields = ("workspace", "builtin", "project_kind")


# Output -----------------------------------------------------------------------------------


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


# Input ------------------------------------------------------------------------------------


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


# Views ------------------------------------------------------------------------------------


def template_representation(template_id: int, user) -> tuple[dict, str]:
    row = template_with_structure(Template.objects.visible_to(user).with_summary()).get(
        pk=template_id
    )
    return TemplateDetailSerializer(row).data, etag_for(row)


class TemplateViewSet(ListMixin, RetrieveMixin, ServiceViewSet):
    """Playbooks: the built-in ones and your workspaces' own templates."""

    model = Template
    output_serializer_class = TemplateSerializer
    filterset_class = TemplateFilter
    search_fields = ("name", "summary")
    ordering_fields = ("name", "created_at")
    ordering = ("name", "id")

    def get_serializer_class(self):
        return TemplateDetailSerializer if self.action == "retrieve" else TemplateSerializer

    def visible_queryset(self):
        templates = Template.objects.visible_to(self.request.user).with_summary()
        return template_with_structure(templates) if self.action == "retrieve" else templates

    @extend_schema(
        request=InstantiateInput,
        responses={
            200: OpenApiResponse(PlanSerializer, description="dry_run: the computed plan"),
            201: OpenApiResponse(ProjectSerializer, description="The new project"),
        },
    )
    @action(detail=True, methods=["post"])
    def instantiate(self, request, pk=None):
        """Plan a project from this template, forward from a start date or backward from an
        event date; with `dry_run` only the dates are returned. All or nothing."""
        template = self.get_object()
        data = self.parse(InstantiateInput)
        plan_input = {
            "template": template,
            "workspace": data["workspace"],
            "direction": data["direction"],
            "on": data["date"],
            "skip_weekends": data["skip_weekends"],
            "role_map": data.get("roles"),
        }
        if data["dry_run"]:
            permissions.ensure(request.user, Action.PROJECT_CREATE, data["workspace"])
            return Response(PlanSerializer(template_plan(**plan_input)).data)
        project = template_instantiate(
            actor=request.user, name=data["name"].strip(), client=data.get("client"), **plan_input
        )
        body, etag = project_representation(project.pk, request.user, self.today)
        return Response(body, status=status.HTTP_201_CREATED, headers={"ETag": etag})
