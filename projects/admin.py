"""The admin for workspaces, projects and milestones; every write calls the services that
each model's `writes` names (see milestones_site/admin.py for how forms turn refusals into
field errors)."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count
from django.utils import timezone

from milestones_site.admin import ServiceAdmin, ServiceForm, ServiceInline
from milestones_site.services.errors import invalid
from projects import activity
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
    ShareLink,
    StatusUpdate,
    Workspace,
)
from projects.querysets import readable_workspace_ids
from projects.services import access, sharing
from projects.services import comments as comment_services
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from projects.services import workspaces as workspace_services


class ScopedAdmin(ServiceAdmin):
    """Lists only rows of the workspaces the admin user may read, reached through
    `workspace_path`."""

    workspace_path = "project__workspace"

    def get_queryset(self, request):
        readable = readable_workspace_ids(request.user)
        return super().get_queryset(request).filter(**{f"{self.workspace_path}__in": readable})


# Workspaces, members, clients ------------------------------------------------------------


class MembershipInline(ServiceInline):
    model = Membership
    writes = workspace_services.MEMBERSHIP_WRITES
    fields = ["user", "role"]
    autocomplete_fields = ["user"]
    show_change_link = False


@admin.register(Workspace)
class WorkspaceAdmin(ScopedAdmin):
    workspace_path = "pk"
    writes = workspace_services.WORKSPACE_WRITES
    list_display = ["name", "slug", "timezone", "member_count", "project_count", "created_at"]
    search_fields = ["name", "slug"]
    list_filter = ["timezone"]
    fields = [
        "name",
        "slug",
        "timezone",
        "reminder_lead_days",
        "overdue_repeat_days",
        "overdue_repeat_limit",
        "warning_window_days",
    ]
    create_only_fields = ("slug",)
    change_only_fields = (
        "reminder_lead_days",
        "overdue_repeat_days",
        "overdue_repeat_limit",
        "warning_window_days",
    )
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                members_total=Count("memberships", distinct=True),
                projects_total=Count("projects", distinct=True),
            )
        )

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("name",)} if obj is None else {}

    @admin.display(description="Members", ordering="members_total")
    def member_count(self, workspace):
        return workspace.members_total

    @admin.display(description="Projects", ordering="projects_total")
    def project_count(self, workspace):
        return workspace.projects_total


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    workspace_path = "workspace"
    writes = workspace_services.MEMBERSHIP_WRITES
    list_display = ["user", "workspace", "role", "created_at"]
    list_filter = ["role", "workspace"]
    search_fields = ["user__username", "user__email", "workspace__name"]
    list_select_related = ["user", "workspace"]
    fields = ["workspace", "user", "role"]
    autocomplete_fields = ["workspace", "user"]
    create_only_fields = ("workspace", "user")


@admin.register(Client)
class ClientAdmin(ScopedAdmin):
    workspace_path = "workspace"
    writes = workspace_services.CLIENT_WRITES
    list_display = ["name", "workspace", "contact_email", "created_at"]
    list_filter = ["workspace"]
    search_fields = ["name", "contact_email"]
    list_select_related = ["workspace"]
    fields = ["workspace", *workspace_services.CLIENT_FIELDS]
    autocomplete_fields = ["workspace"]
    create_only_fields = ("workspace",)


# Projects, phases, milestones ------------------------------------------------------------


class PhaseInline(ServiceInline):
    model = Phase
    writes = project_services.PHASE_WRITES
    fields = project_services.PHASE_FIELDS


class MilestoneInline(ServiceInline):
    """Details only: moving a date needs a reason, given on the milestone's own page."""

    model = Milestone
    writes = milestone_services.MILESTONE_WRITES
    fields = ["title", "phase", "category", "owner", "due_date", "status"]
    readonly_fields = ["status"]
    autocomplete_fields = ["phase", "owner"]


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    workspace_path = "workspace"
    writes = project_services.PROJECT_WRITES
    list_display = [
        "name",
        "workspace",
        "client",
        "kind",
        "status",
        "owner",
        "start_date",
        "target_date",
        "progress",
        "health",
    ]
    list_filter = ["status", "kind", "workspace"]
    search_fields = ["name", "client__name", "objective"]
    date_hierarchy = "start_date"
    list_select_related = ["workspace", "client", "owner"]
    fields = ["workspace", *project_services.PROJECT_FIELDS]
    autocomplete_fields = ["workspace", "client", "owner"]
    create_only_fields = ("workspace",)
    inlines = [PhaseInline, MilestoneInline]

    def get_queryset(self, request):
        projects = super().get_queryset(request)
        return projects.with_progress().with_health(today=timezone.localdate())

    @admin.display(description="Milestones done", ordering="milestone_progress")
    def progress(self, project):
        return f"{project.milestone_progress}%"

    @admin.display(description="Health", ordering="health")
    def health(self, project):
        return Health(project.health).label


@admin.register(Phase)
class PhaseAdmin(ScopedAdmin):
    writes = project_services.PHASE_WRITES
    list_display = ["name", "project", "order", "start_date", "end_date"]
    list_filter = ["project__workspace"]
    search_fields = ["name", "project__name"]
    list_select_related = ["project"]
    fields = ["project", *project_services.PHASE_FIELDS]
    autocomplete_fields = ["project"]
    create_only_fields = ("project",)


class MilestoneForm(ServiceForm):
    reschedule_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when the due date moves; kept in the milestone's history.",
    )


class HealthFilter(admin.SimpleListFilter):
    title = "health"
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return MilestoneHealth.choices

    def queryset(self, request, queryset):
        return queryset.filter(health=self.value()) if self.value() else queryset


@admin.register(Milestone)
class MilestoneAdmin(ScopedAdmin):
    form = MilestoneForm
    writes = milestone_services.MILESTONE_WRITES
    list_display = [
        "title",
        "project",
        "category",
        "status",
        "owner",
        "due_date",
        "baseline_due_date",
        "slip_days",
        "health",
    ]
    list_filter = ["status", HealthFilter, "category", "project__workspace"]
    search_fields = ["title", "project__name", "owner__username"]
    date_hierarchy = "due_date"
    list_select_related = ["project", "owner"]
    fields = [
        "project",
        "phase",
        "title",
        "category",
        "status",
        "owner",
        "due_date",
        "reschedule_reason",
        "baseline_due_date",
        "slip_days",
        "health",
        "completed_at",
        "depends_on",
        "description",
        "success_criteria",
        "kpi_name",
        "kpi_target",
        "kpi_actual",
        "kpi_unit",
        "reminder_days",
    ]
    readonly_fields = ["baseline_due_date", "slip_days", "health", "completed_at"]
    create_only_fields = ("project",)
    change_only_fields = ("reschedule_reason",)
    autocomplete_fields = ["project", "phase", "owner", "depends_on"]
    error_fields = {"reason": "reschedule_reason", "deliverables": "status"}
    actions = ["rebaseline"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_derived(today=timezone.localdate())

    @admin.display(description="Slip (days)", ordering="slip_days")
    def slip_days(self, milestone):
        return milestone.slip_days

    @admin.display(description="Health", ordering="health")
    def health(self, milestone):
        return MilestoneHealth(milestone.health).label

    @admin.action(description="Re-baseline: accept the current due date as the plan")
    def rebaseline(self, request, queryset):
        self.run_service_action(
            request,
            queryset,
            lambda milestone, actor: milestone_services.milestone_rebaseline(
                milestone=milestone, actor=actor
            ),
            "Re-baselined",
        )


# Logs, posts and comments ----------------------------------------------------------------


@admin.register(MilestoneDateChange)
class MilestoneDateChangeAdmin(ScopedAdmin):
    """Written only by milestone_reschedule."""

    workspace_path = "milestone__project__workspace"
    list_display = ["milestone", "old_date", "new_date", "reason", "changed_by", "changed_at"]
    list_filter = ["milestone__project__workspace"]
    search_fields = ["milestone__title", "reason"]
    date_hierarchy = "changed_at"
    list_select_related = ["milestone", "changed_by"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ScopedAdmin):
    """Posted, never edited: a status update is a dated statement."""

    writes = project_services.STATUS_UPDATE_WRITES
    list_display = ["project", "health", "summary", "author", "created_at"]
    list_filter = ["health", "project__workspace"]
    search_fields = ["project__name", "summary"]
    date_hierarchy = "created_at"
    list_select_related = ["project", "author"]
    fields = ["project", "health", "summary", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    autocomplete_fields = ["project"]


@admin.register(ActivityEvent)
class ActivityEventAdmin(ScopedAdmin):
    """The append-only audit log: written only by the services."""

    workspace_path = "workspace"
    list_display = ["created_at", "actor_name", "verb", "target_repr", "project", "workspace"]
    list_filter = ["verb", "workspace"]
    search_fields = ["verb", "target_repr", "actor_name"]
    date_hierarchy = "created_at"
    list_select_related = ["project", "workspace"]


@admin.register(Deletion)
class DeletionAdmin(ScopedAdmin):
    """What was deleted, for clients keeping a copy: written only by the services."""

    workspace_path = "workspace"
    list_display = ["deleted_at", "type", "object_id", "external_id", "workspace"]
    list_filter = ["type", "workspace"]
    search_fields = ["external_id"]
    date_hierarchy = "deleted_at"
    list_select_related = ["workspace"]


@admin.register(Comment)
class CommentAdmin(ScopedAdmin):
    """Posted on a milestone or deliverable, never edited."""

    writes = comment_services.COMMENT_WRITES
    list_display = ["created_at", "author", "project", "target_type", "target_id", "body"]
    list_filter = [("target_type", admin.RelatedOnlyFieldListFilter), "project__workspace"]
    search_fields = ["body", "project__name"]
    date_hierarchy = "created_at"
    list_select_related = ["author", "project", "target_type"]
    fields = ["target_type", "target_id", "body", "project", "author", "created_at"]
    readonly_fields = ["project", "author", "created_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "target_type":
            kwargs["queryset"] = ContentType.objects.filter(
                app_label__in=["projects", "deliverables"], model__in=["milestone", "deliverable"]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, request, data):
        try:
            target = data["target_type"].get_object_for_this_type(pk=data["target_id"])
        except ObjectDoesNotExist:
            raise invalid(target_id=f"There is no {data['target_type']} with this id.") from None
        return super().create(request, {"target": target, "body": data["body"]})


# Secrets: listed and revoked here, created by their owners, never shown ------------------


class SecretAdmin(ScopedAdmin):
    """Only the prefix identifies a secret here; its hash is shown nowhere."""

    actions = ["revoke_selected"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]

    @admin.display(boolean=True, description="Active")
    def active(self, secret):
        return secret.is_active

    @admin.action(description="Revoke")
    def revoke_selected(self, request, queryset):
        self.run_service_action(request, queryset, self.revoke, "Revoked")


class UserSecretAdmin(SecretAdmin):
    """Secrets of a user rather than of a workspace: each user sees their own."""

    def get_queryset(self, request):
        secrets = ServiceAdmin.get_queryset(self, request)
        return secrets if request.user.is_superuser else secrets.filter(user=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(UserSecretAdmin):
    list_display = ["name", "prefix", "user", "read_only", "active", "expires_at", "last_used_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    fields = [
        "name",
        "prefix",
        "user",
        "read_only",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]

    def revoke(self, token, actor):
        access.api_token_revoke(token=token, actor=actor)


@admin.register(ShareLink)
class ShareLinkAdmin(SecretAdmin):
    list_display = ["__str__", "prefix", "project", "allow_signoff", "active", "expires_at"]
    search_fields = ["label", "prefix", "project__name"]
    list_select_related = ["project", "created_by"]
    fields = [
        "label",
        "prefix",
        "project",
        "allow_signoff",
        "created_by",
        "created_at",
        "expires_at",
        "last_viewed_at",
        "revoked_at",
    ]

    def revoke(self, link, actor):
        sharing.share_link_revoke(link=link, actor=actor)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(UserSecretAdmin):
    list_display = ["prefix", "user", "project", "active", "created_at"]
    search_fields = ["prefix", "user__username", "project__name"]
    list_select_related = ["user", "project"]
    fields = ["prefix", "user", "project", "created_at", "expires_at", "revoked_at"]

    def revoke(self, feed, actor):
        access.calendar_feed_revoke(feed=feed, actor=actor)


# People -----------------------------------------------------------------------------------


class PersonAdmin(UserAdmin):
    """Django's own user admin. A person's name and address show on the pages of every
    workspace they belong to, so saving or deleting one is a change in each of them (no
    activity event records it)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        people_changed([obj.pk])

    def delete_model(self, request, obj):
        people_changed([obj.pk])  # before their memberships go with them
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        people_changed(queryset.values("pk"))
        super().delete_queryset(request, queryset)


def people_changed(user_ids) -> None:
    memberships = Membership.objects.filter(user__in=user_ids)
    for workspace_id in memberships.values_list("workspace_id", flat=True):
        activity.renew_version_after_commit(workspace_id)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), PersonAdmin)
