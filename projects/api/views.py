"""API viewsets for workspaces, members, clients, projects, phases, milestones, status
updates, comments, activity and tokens. Each parses with an input serializer, calls the
service that owns the write and renders the re-read row (milestones_site/api_views.py)."""

from datetime import date
from functools import partial

from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from milestones_site.api.concurrency import etag_for
from milestones_site.api.errors import errors_under
from milestones_site.api.viewsets import (
    CreateMixin,
    DestroyMixin,
    ListMixin,
    RetrieveMixin,
    ServiceViewSet,
    UpdateMixin,
)
from milestones_site.querysets.names import name_of, person_name
from projects.api import filters, inputs
from projects.api import outputs as out
from projects.api.playbooks import (
    SaveAsTemplateInput,
    TemplateDetailSerializer,
    template_representation,
)
from projects.api.representations import project_rows
from projects.models import (
    ActivityEvent,
    ApiToken,
    Client,
    Comment,
    Membership,
    Milestone,
    Phase,
    Project,
    StatusUpdate,
    Workspace,
)
from projects.permissions import readable_workspace_ids
from projects.playbooks.services import template_save_from_project
from projects.querysets import count_of
from projects.services import access
from projects.services import projects as services


class WorkspaceViewSet(ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, ServiceViewSet):
    """Workspaces you belong to. Anyone may create one (and owns it); owners update."""

    model = Workspace
    output_serializer_class = out.WorkspaceSerializer
    create_serializer_class = inputs.WorkspaceCreateInput
    update_serializer_class = inputs.WorkspaceUpdateInput
    search_fields = ("name", "slug")
    ordering_fields = ("name", "created_at")
    ordering = ("name",)

    def visible_queryset(self):
        members = Membership.objects.filter(workspace=OuterRef("pk"))
        projects = Project.objects.filter(workspace=OuterRef("pk"))
        readable = readable_workspace_ids(self.request.user)
        return Workspace.objects.filter(pk__in=readable).annotate(
            role=Subquery(members.filter(user=self.request.user).values("role")[:1]),
            members_count=count_of(members, "workspace"),
            projects_count=count_of(projects, "workspace"),
        )

    def create_object(self, data):
        return services.workspace_create(
            name=data["name"],
            slug=data.get("slug", ""),
            timezone_name=data.get("timezone", "UTC"),
            owner=self.request.user,
        )

    def update_object(self, workspace, data, *, expected_version):
        return services.workspace_update(workspace=workspace, actor=self.request.user, data=data)


class MembershipViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Members of your workspaces and their roles; owners add, change and remove them."""

    model = Membership
    output_serializer_class = out.MembershipSerializer
    create_serializer_class = inputs.MembershipCreateInput
    update_serializer_class = inputs.MembershipUpdateInput
    filterset_class = filters.MembershipFilter
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
    ordering_fields = ("user__username", "role", "created_at")
    ordering = ("workspace_id", "user__username")

    def visible_queryset(self):
        return (
            Membership.objects.filter(workspace_id__in=readable_workspace_ids(self.request.user))
            .select_related("user")
            .annotate(name=person_name("user"))
        )

    def create_object(self, data):
        return services.membership_add(
            workspace=data["workspace"],
            user=data["username"],
            role=data.get("role", "member"),
            actor=self.request.user,
        )

    def update_object(self, membership, data, *, expected_version):
        return services.membership_change_role(
            membership=membership, role=data.get("role", membership.role), actor=self.request.user
        )

    def delete_object(self, membership):
        services.membership_remove(membership=membership, actor=self.request.user)


class ClientViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """An agency's clients; managers and owners edit and delete them (their projects stay,
    without a client)."""

    model = Client
    output_serializer_class = out.ClientSerializer
    create_serializer_class = inputs.ClientCreateInput
    update_serializer_class = inputs.ClientUpdateInput
    filterset_class = filters.ClientFilter
    search_fields = ("name", "contact_email")
    ordering_fields = ("name", "created_at")
    ordering = ("name", "id")

    def visible_queryset(self):
        projects = Project.objects.filter(client=OuterRef("pk"))
        return Client.objects.visible_to(self.request.user).annotate(
            projects_count=count_of(projects, "client")
        )

    def create_object(self, data):
        return services.client_create(actor=self.request.user, **data)

    def update_object(self, client, data, *, expected_version):
        return services.client_update(client=client, actor=self.request.user, data=data)

    def delete_object(self, client):
        services.client_delete(client=client, actor=self.request.user)


class ProjectViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Campaigns with their progress, health and next milestone."""

    model = Project
    output_serializer_class = out.ProjectSerializer
    create_serializer_class = inputs.ProjectCreateInput
    update_serializer_class = inputs.ProjectUpdateInput
    filterset_class = filters.ProjectFilter
    search_fields = ("name", "description", "objective", "client__name")
    ordering_fields = (
        "name",
        "start_date",
        "target_date",
        "status",
        "health",
        "milestone_progress",
        "created_at",
    )
    ordering = ("name", "id")

    def visible_queryset(self):
        return project_rows(self.request.user, self.today)

    def create_object(self, data):
        return services.project_create(actor=self.request.user, **data)

    def update_object(self, project, data, *, expected_version):
        return services.project_update(
            project=project, actor=self.request.user, data=data, expected_version=expected_version
        )

    def delete_object(self, project):
        services.project_delete(project=project, actor=self.request.user)

    @extend_schema(request=SaveAsTemplateInput, responses={201: TemplateDetailSerializer})
    @action(detail=True, methods=["post"], url_path="save-as-template")
    def save_as_template(self, request, pk=None):
        """Make this project a template of its workspace: dates become offsets from its
        start; statuses, actuals and history are dropped."""
        project = self.get_object()
        data = self.parse(SaveAsTemplateInput)
        template = template_save_from_project(
            project=project, actor=request.user, name=data.get("name", "")
        )
        body, etag = template_representation(template.pk, request.user)
        return Response(body, status=201, headers={"ETag": etag})


class PhaseViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Ordered stages of a project; managers and owners edit them."""

    model = Phase
    output_serializer_class = out.PhaseSerializer
    create_serializer_class = inputs.PhaseCreateInput
    update_serializer_class = inputs.PhaseUpdateInput
    filterset_class = filters.PhaseFilter
    search_fields = ("name",)
    ordering_fields = ("order", "name", "start_date")
    ordering = ("project_id", "order", "id")

    def visible_queryset(self):
        milestones = Milestone.objects.filter(phase=OuterRef("pk"))
        return Phase.objects.visible_to(self.request.user).annotate(
            project_name=F("project__name"),
            milestones_count=count_of(milestones, "phase"),
        )

    def create_object(self, data):
        return services.phase_create(actor=self.request.user, **data)

    def update_object(self, phase, data, *, expected_version):
        return services.phase_update(phase=phase, actor=self.request.user, data=data)

    def delete_object(self, phase):
        services.phase_delete(phase=phase, actor=self.request.user)


def milestone_rows(today: date) -> QuerySet:
    """Every milestone with what MilestoneSerializer shows, derived for `today`."""
    return (
        Milestone.objects.with_derived(today=today)
        .with_dependency_ids()
        .annotate(
            project_name=F("project__name"),
            phase_name=name_of("phase", Phase),
            owner_name=person_name("owner"),
        )
    )


class MilestoneViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Checkpoints with due date, baseline, slip and health.

    PATCH edits details, dependencies and status (completing runs the same checks as
    `complete/`); the due date moves only through `reschedule/`."""

    model = Milestone
    output_serializer_class = out.MilestoneSerializer
    create_serializer_class = inputs.MilestoneCreateInput
    update_serializer_class = inputs.MilestoneUpdateInput
    filterset_class = filters.MilestoneFilter
    search_fields = ("title", "description", "success_criteria", "project__name")
    ordering_fields = ("due_date", "baseline_due_date", "title", "status", "health", "created_at")
    ordering = ("due_date", "id")

    def visible_queryset(self):
        return milestone_rows(self.today).visible_to(self.request.user)

    def rows_to_change(self):
        milestones = Milestone.objects.visible_to(self.request.user)
        return milestones.select_related("project__workspace")

    def create_object(self, data):
        project = data.pop("project")
        return services.milestone_create(project=project, actor=self.request.user, **data)

    def update_object(self, milestone, data, *, expected_version):
        actor = self.request.user
        depends_on = data.pop("depends_on", None)
        status = data.pop("status", None)
        steps = []
        if data or (depends_on is None and status is None):
            steps.append(partial(services.milestone_update, data=data))
        if depends_on is not None:
            steps.append(partial(services.milestone_set_dependencies, depends_on=depends_on))
        if status is not None:
            steps.append(partial(services.milestone_set_status, status=status))
        # The first service checks If-Match and locks the row for the ones after it.
        for step in steps:
            milestone = step(milestone=milestone, actor=actor, expected_version=expected_version)
            expected_version = None
        return milestone

    def delete_object(self, milestone):
        services.milestone_delete(milestone=milestone, actor=self.request.user)

    @extend_schema(request=inputs.MilestoneCompleteInput, responses=out.MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Complete the milestone. Refused while deliverables or dependencies are open,
        naming them; a manager may `force` it with a `reason`, kept in the audit log."""
        return self.run_action(inputs.MilestoneCompleteInput, services.milestone_complete)

    @extend_schema(request=inputs.MilestoneRescheduleInput, responses=out.MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        """Move the due date (the baseline stays; the change and its reason are logged)."""
        return self.run_action(inputs.MilestoneRescheduleInput, services.milestone_reschedule)

    @extend_schema(request=inputs.MilestoneRebaselineInput, responses=out.MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def rebaseline(self, request, pk=None):
        """Accept the current due date as the plan: the baseline moves to it (managers)."""
        return self.run_action(inputs.MilestoneRebaselineInput, services.milestone_rebaseline)

    @extend_schema(
        request=inputs.MilestoneBulkStatusInput, responses=out.MilestoneBulkStatusSerializer
    )
    @action(detail=False, methods=["post"], url_path="bulk-status")
    def bulk_status(self, request):
        """Set the status of many milestones at once: all change, or none does."""
        items = self.parse(inputs.MilestoneBulkStatusInput)["items"]
        with transaction.atomic():
            for index, item in enumerate(items):
                with errors_under(f"items.{index}"):
                    services.milestone_set_status(
                        milestone=item["id"], status=item["status"], actor=request.user
                    )
        changed = self.get_queryset().filter(pk__in=[item["id"].pk for item in items])
        return Response({"items": self.get_serializer(changed, many=True).data})


class StatusUpdateViewSet(ListMixin, RetrieveMixin, CreateMixin, ServiceViewSet):
    """Dated project status posts; managers and owners post them."""

    model = StatusUpdate
    output_serializer_class = out.StatusUpdateSerializer
    create_serializer_class = inputs.StatusUpdateCreateInput
    filterset_class = filters.StatusUpdateFilter
    search_fields = ("summary",)
    ordering_fields = ("created_at",)
    ordering = ("-created_at", "-id")

    def visible_queryset(self):
        return StatusUpdate.objects.filter(
            project__workspace_id__in=readable_workspace_ids(self.request.user)
        ).annotate(project_name=F("project__name"), author_name=person_name("author"))

    def create_object(self, data):
        return services.status_update_post(actor=self.request.user, **data)


class CommentViewSet(ListMixin, RetrieveMixin, CreateMixin, ServiceViewSet):
    """Comments on milestones and deliverables; members and up post them."""

    model = Comment
    output_serializer_class = out.CommentSerializer
    create_serializer_class = inputs.CommentCreateInput
    filterset_class = filters.CommentFilter
    search_fields = ("body",)
    ordering_fields = ("created_at",)
    ordering = ("created_at", "id")

    def visible_queryset(self):
        return (
            Comment.objects.visible_to(self.request.user)
            .select_related("target_type")
            .annotate(author_name=person_name("author"))
        )

    def create_object(self, data):
        return services.comment_post(actor=self.request.user, **data)


class ActivityViewSet(ListMixin, RetrieveMixin, ServiceViewSet):
    """The audit log of your workspaces (read-only), newest first."""

    model = ActivityEvent
    output_serializer_class = out.ActivityEventSerializer
    filterset_class = filters.ActivityEventFilter
    search_fields = ("verb", "target_repr", "actor_name")
    ordering_fields = ("created_at",)
    ordering = ("-created_at", "-id")

    def visible_queryset(self):
        return ActivityEvent.objects.filter(
            workspace_id__in=readable_workspace_ids(self.request.user)
        ).select_related("target_type")


class ApiTokenViewSet(ListMixin, RetrieveMixin, CreateMixin, DestroyMixin, ServiceViewSet):
    """Your personal access tokens. The secret is shown once, in the create response;
    DELETE revokes a token (it stays listed, inactive)."""

    model = ApiToken
    output_serializer_class = out.ApiTokenSerializer
    create_serializer_class = inputs.ApiTokenCreateInput
    search_fields = ("name", "prefix")
    ordering_fields = ("created_at", "name", "last_used_at")
    ordering = ("-created_at", "-id")

    def visible_queryset(self):
        return ApiToken.objects.filter(user=self.request.user)

    @extend_schema(responses={201: out.CreatedApiTokenSerializer})
    def create(self, request, *args, **kwargs):
        token, plain = access.api_token_create(
            user=request.user, **self.parse(inputs.ApiTokenCreateInput)
        )
        data = out.ApiTokenSerializer(token).data | {"token": plain}
        return Response(data, status=201, headers={"ETag": etag_for(token)})

    def delete_object(self, token):
        access.api_token_revoke(token=token, actor=self.request.user)
