"""API viewsets for workspaces, members, clients, projects, phases, milestones, status
updates, comments, activity, tokens and playbooks. Each lists the rows of
projects.selectors.resources, parses writes with an input serializer and calls the services
named in its `writes` (milestones_site/api/viewsets.py)."""

from django.urls import reverse
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from milestones_site.api.concurrency import etag_for
from milestones_site.api.viewsets import (
    CreateMixin,
    DestroyMixin,
    ListMixin,
    RetrieveMixin,
    ServiceViewSet,
    UpdateMixin,
    row_action,
)
from projects import permissions
from projects.api import filters, inputs
from projects.api import outputs as out
from projects.models import (
    ActivityEvent,
    ApiToken,
    CalendarFeed,
    Client,
    Comment,
    Deletion,
    Membership,
    Milestone,
    Phase,
    Project,
    ShareLink,
    StatusUpdate,
    Template,
    Workspace,
)
from projects.permissions import Action
from projects.playbooks.selectors import template_rows
from projects.playbooks.services import (
    template_instantiate,
    template_plan,
    template_save_from_project,
)
from projects.selectors import resources
from projects.services import access, sharing
from projects.services import comments as comment_services
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from projects.services import workspaces as workspace_services


class WorkspaceViewSet(ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, ServiceViewSet):
    """Workspaces you belong to. Anyone may create one (and owns it); owners update."""

    conditional_reads = True

    model = Workspace
    writes = workspace_services.WORKSPACE_WRITES
    output_serializer_class = out.WorkspaceSerializer
    create_serializer_class = inputs.WorkspaceCreateInput
    update_serializer_class = inputs.WorkspaceUpdateInput
    search_fields = ("name", "slug")
    ordering_fields = ("name", "created_at")
    ordering = ("name",)

    def visible_queryset(self):
        return resources.workspace_rows(self.request.user)


class MembershipViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Members of your workspaces and their roles; owners add, change and remove them."""

    conditional_reads = True

    model = Membership
    writes = workspace_services.MEMBERSHIP_WRITES
    output_serializer_class = out.MembershipSerializer
    create_serializer_class = inputs.MembershipCreateInput
    update_serializer_class = inputs.MembershipUpdateInput
    filterset_class = filters.MembershipFilter
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
    ordering_fields = ("user__username", "role", "created_at")
    ordering = ("workspace_id", "user__username")

    def visible_queryset(self):
        return resources.membership_rows(self.request.user)


class ClientViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """An agency's clients; managers and owners edit and delete them (their projects stay,
    without a client)."""

    conditional_reads = True

    model = Client
    writes = workspace_services.CLIENT_WRITES
    output_serializer_class = out.ClientSerializer
    create_serializer_class = inputs.ClientCreateInput
    update_serializer_class = inputs.ClientUpdateInput
    filterset_class = filters.ClientFilter
    search_fields = ("name", "contact_email")
    ordering_fields = ("name", "created_at")
    ordering = ("name", "id")

    def visible_queryset(self):
        return resources.client_rows(self.request.user)


class ProjectViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Campaigns with their progress, health and next milestone."""

    conditional_reads = True

    model = Project
    writes = project_services.PROJECT_WRITES
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

    @cached_property
    def today(self):
        return resources.reader_today(self.request.user)

    def visible_queryset(self):
        return resources.project_rows(self.request.user, self.today)

    def render(self, rows):
        return out.project_outputs(rows, today=self.today)

    @extend_schema(
        request=inputs.SaveAsTemplateInput, responses={201: out.TemplateDetailSerializer}
    )
    @action(detail=True, methods=["post"], url_path="save-as-template")
    def save_as_template(self, request, pk=None):
        """Make this project a template of its workspace: dates become offsets from its
        start; statuses, actuals and history are dropped."""
        project = self.get_object()
        data = self.parse(inputs.SaveAsTemplateInput)
        template = template_save_from_project(
            project=project, actor=request.user, name=data.get("name", "")
        )
        row = template_rows(request.user, with_structure=True).get(pk=template.pk)
        return self.created(row, out.TemplateDetailSerializer(row).data, etag=self.tag_for(row))


class PhaseViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Ordered stages of a project; managers and owners edit them."""

    conditional_reads = True

    model = Phase
    writes = project_services.PHASE_WRITES
    output_serializer_class = out.PhaseSerializer
    create_serializer_class = inputs.PhaseCreateInput
    update_serializer_class = inputs.PhaseUpdateInput
    filterset_class = filters.PhaseFilter
    search_fields = ("name",)
    ordering_fields = ("order", "name", "start_date")
    ordering = ("project_id", "order", "id")

    def visible_queryset(self):
        return resources.phase_rows(self.request.user)


class MilestoneViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Checkpoints with due date, baseline, slip and health.

    PATCH edits details, dependencies and status (completing runs the same checks as
    `complete/`); the due date moves only through `reschedule/`."""

    conditional_reads = True

    model = Milestone
    writes = milestone_services.MILESTONE_WRITES
    output_serializer_class = out.MilestoneSerializer
    create_serializer_class = inputs.MilestoneCreateInput
    update_serializer_class = inputs.MilestoneUpdateInput
    filterset_class = filters.MilestoneFilter
    search_fields = ("title", "description", "success_criteria", "project__name")
    ordering_fields = ("due_date", "baseline_due_date", "title", "status", "health", "created_at")
    ordering = ("due_date", "id")

    def visible_queryset(self):
        return resources.milestone_rows(self.request.user)

    def stored_count(self):
        return resources.stored_total(self.request.user, "milestones_total")

    def render(self, rows):
        return out.milestone_outputs(rows)

    def rows_to_change(self):
        milestones = Milestone.objects.visible_to(self.request.user)
        return milestones.select_related("project__workspace")

    complete = row_action(
        "complete",
        milestone_services.milestone_complete,
        inputs.MilestoneCompleteInput,
        out.MilestoneSerializer,
        description="Complete the milestone. Refused while deliverables or dependencies are "
        "open, naming them; a manager may `force` it with a `reason`, kept in the audit log.",
    )
    reschedule = row_action(
        "reschedule",
        milestone_services.milestone_reschedule,
        inputs.MilestoneRescheduleInput,
        out.MilestoneSerializer,
        description="Move the due date (the baseline stays; the change and its reason are logged).",
    )
    rebaseline = row_action(
        "rebaseline",
        milestone_services.milestone_rebaseline,
        inputs.MilestoneRebaselineInput,
        out.MilestoneSerializer,
        description="Accept the current due date as the plan: the baseline moves to it (managers).",
    )

    @extend_schema(responses=out.MilestoneDateChangeSerializer(many=True))
    @action(detail=True, methods=["get"])
    def reschedules(self, request, pk=None):
        """The milestone's reschedule history, newest first: each move's old and new date,
        reason, who and when (the baseline and slip are on the milestone)."""
        rows = resources.date_change_rows(self.get_object())
        # Paged without the view: the milestones list's stored count is not this list's.
        page = self.paginator.paginate_queryset(rows, request)
        return self.get_paginated_response(out.MilestoneDateChangeSerializer(page, many=True).data)

    @extend_schema(
        request=inputs.MilestoneBulkStatusInput, responses=out.MilestoneBulkStatusSerializer
    )
    @action(detail=False, methods=["post"], url_path="bulk-status")
    def bulk_status(self, request):
        """Set the status of many milestones at once: all change, or none does."""
        items = self.parse(inputs.MilestoneBulkStatusInput)["items"]
        changed = milestone_services.milestones_set_status(
            changes=[(item["id"], item["status"]) for item in items], actor=request.user
        )
        rows = self.get_queryset().filter(pk__in=[milestone.pk for milestone in changed])
        return Response({"items": self.render(list(rows))})


class StatusUpdateViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Dated project status posts; managers and owners post them; their author or a manager
    corrects (PATCH) or deletes them."""

    conditional_reads = True

    model = StatusUpdate
    writes = project_services.STATUS_UPDATE_WRITES
    output_serializer_class = out.StatusUpdateSerializer
    create_serializer_class = inputs.StatusUpdateCreateInput
    update_serializer_class = inputs.StatusUpdateEditInput
    filterset_class = filters.StatusUpdateFilter
    search_fields = ("summary",)
    ordering_fields = ("created_at",)
    ordering = ("-created_at", "-id")

    def visible_queryset(self):
        return resources.status_update_rows(self.request.user)

    def rows_to_change(self):
        return StatusUpdate.objects.filter(pk__in=self.get_queryset().values("pk")).select_related(
            "project__workspace"
        )


class CommentViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Comments on milestones and deliverables; members and up post them; their author or a
    manager edits (PATCH `body`) or deletes them."""

    conditional_reads = True

    model = Comment
    writes = comment_services.COMMENT_WRITES
    output_serializer_class = out.CommentSerializer
    create_serializer_class = inputs.CommentCreateInput
    update_serializer_class = inputs.CommentEditInput
    filterset_class = filters.CommentFilter
    search_fields = ("body",)
    ordering_fields = ("created_at",)
    ordering = ("created_at", "id")

    def visible_queryset(self):
        return resources.comment_rows(self.request.user)

    def rows_to_change(self):
        comments = Comment.objects.visible_to(self.request.user)
        return comments.select_related("project__workspace", "target_type")


class ActivityViewSet(ListMixin, RetrieveMixin, ServiceViewSet):
    """The audit log of your workspaces (read-only), newest first."""

    conditional_reads = True

    model = ActivityEvent
    output_serializer_class = out.ActivityEventSerializer
    filterset_class = filters.ActivityEventFilter
    search_fields = ("verb", "target_repr", "actor_name")
    ordering_fields = ("created_at",)
    ordering = ("-created_at", "-id")

    def visible_queryset(self):
        return resources.activity_rows(self.request.user)


class DeletionViewSet(ListMixin, ServiceViewSet):
    """Rows deleted in your workspaces (read-only), with everything deleted with them (a
    project's milestones, …): for a client keeping a copy, what to drop since its last pull
    (`?updated_after=`, the same instant as for the other lists)."""

    conditional_reads = True

    model = Deletion
    output_serializer_class = out.DeletionSerializer
    filterset_class = filters.DeletionFilter
    ordering_fields = ("deleted_at",)
    ordering = ("deleted_at", "id")

    def visible_queryset(self):
        return resources.deletion_rows(self.request.user)


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
        return self.created(token, data, etag=etag_for(token), shows_secret=True)

    def delete_object(self, token):
        access.api_token_revoke(token=token, actor=self.request.user)


class ShareLinkViewSet(ListMixin, RetrieveMixin, CreateMixin, DestroyMixin, ServiceViewSet):
    """Share links of your workspaces' projects: a read-only project page for people
    without an account, optionally with client sign-off. Managers and owners make them (the
    URL with its secret is shown once, in the create response) and revoke them with DELETE
    (they stay listed, inactive), as on the workspace settings page."""

    model = ShareLink
    output_serializer_class = out.ShareLinkSerializer
    create_serializer_class = inputs.ShareLinkCreateInput
    search_fields = ("label", "prefix", "project__name")
    ordering_fields = ("created_at", "expires_at", "last_viewed_at")
    ordering = ("-created_at", "-id")

    def visible_queryset(self):
        return resources.share_link_rows(self.request.user)

    def rows_to_change(self):
        return ShareLink.objects.filter(pk__in=self.get_queryset().values("pk")).select_related(
            "project__workspace"
        )

    @extend_schema(responses={201: out.CreatedShareLinkSerializer})
    def create(self, request, *args, **kwargs):
        link, plain = sharing.share_link_create(
            actor=request.user, **self.parse(inputs.ShareLinkCreateInput)
        )
        row = self.get_queryset().get(pk=link.pk)
        url = request.build_absolute_uri(reverse("projects:share", args=[plain]))
        body = out.ShareLinkSerializer(row).data | {"url": url}
        return self.created(row, body, etag=self.tag_for(row), shows_secret=True)

    def delete_object(self, link):
        sharing.share_link_revoke(link=link, actor=self.request.user)


class CalendarFeedViewSet(ListMixin, RetrieveMixin, CreateMixin, DestroyMixin, ServiceViewSet):
    """Your iCalendar feeds: your own due dates, or one project's. The URL with its secret is
    shown once, in the create response; DELETE revokes a feed (it stays listed, inactive), as
    on the workspace settings page."""

    model = CalendarFeed
    output_serializer_class = out.CalendarFeedSerializer
    create_serializer_class = inputs.CalendarFeedCreateInput
    ordering_fields = ("created_at",)
    ordering = ("-created_at", "-id")

    def visible_queryset(self):
        return resources.calendar_feed_rows(self.request.user)

    def rows_to_change(self):
        return CalendarFeed.objects.filter(user=self.request.user)

    @extend_schema(responses={201: out.CreatedCalendarFeedSerializer})
    def create(self, request, *args, **kwargs):
        data = self.parse(inputs.CalendarFeedCreateInput)
        feed, plain = access.calendar_feed_create(user=request.user, project=data.get("project"))
        row = self.get_queryset().get(pk=feed.pk)
        url = request.build_absolute_uri(reverse("projects:calendar_feed", args=[plain]))
        body = out.CalendarFeedSerializer(row).data | {"url": url}
        return self.created(row, body, etag=self.tag_for(row), shows_secret=True)

    def delete_object(self, feed):
        access.calendar_feed_revoke(feed=feed, actor=self.request.user)


class TemplateViewSet(ListMixin, RetrieveMixin, ServiceViewSet):
    """Playbooks: the built-in ones and your workspaces' own templates."""

    conditional_reads = True

    model = Template
    output_serializer_class = out.TemplateSerializer
    filterset_class = filters.TemplateFilter
    search_fields = ("name", "summary")
    ordering_fields = ("name", "created_at")
    ordering = ("name", "id")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return out.TemplateDetailSerializer
        return out.TemplateSerializer

    def visible_queryset(self):
        return template_rows(self.request.user, with_structure=self.action == "retrieve")

    @extend_schema(
        request=inputs.InstantiateInput,
        responses={
            200: OpenApiResponse(out.PlanSerializer, description="dry_run: the computed plan"),
            201: OpenApiResponse(out.ProjectSerializer, description="The new project"),
        },
    )
    @action(detail=True, methods=["post"])
    def instantiate(self, request, pk=None):
        """Plan a project from this template, forward from a start date or backward from an
        event date; with `dry_run` only the dates are returned. All or nothing."""
        template = self.get_object()
        data = self.parse(inputs.InstantiateInput)
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
            return Response(out.PlanSerializer(template_plan(**plan_input)).data)
        project = template_instantiate(
            actor=request.user, name=data["name"].strip(), client=data.get("client"), **plan_input
        )
        row = resources.project_rows(request.user).get(pk=project.pk)
        body = out.projects_as_read_by([row], reader=request.user)[0]
        return self.created(row, body, etag=self.tag_for(row))
