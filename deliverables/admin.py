"""The admin for deliverables and checklists; every write calls deliverables.services.

A deliverable's status is read-only here: it moves through the review cycle with the
admin actions, which call the same services as the app and report refusals."""

from django.contrib import admin
from django.db import models

from deliverables.models import (
    ChecklistItem,
    Deliverable,
    DeliverableVersion,
    ProofComment,
    ReviewRound,
)
from deliverables.services import checklists as checklist_services
from deliverables.services import deliverables as deliverable_services
from milestones_site.admin import ServiceAdmin, ServiceForm, ServiceInline
from projects import admin as projects_admin
from projects.models import Milestone


class ChecklistItemAdminForm(ServiceForm):
    def clean(self):
        data = super().clean()
        both_parents_asked = {"deliverable", "milestone"} <= set(self.fields)
        if both_parents_asked and bool(data.get("deliverable")) == bool(data.get("milestone")):
            self.add_error("deliverable", "Choose either a deliverable or a milestone.")
        return data


class ChecklistItemWrites:
    """An item is added to its deliverable or its milestone (the form offers both, or the
    page it is inline on gives one)."""

    writes = checklist_services.CHECKLIST_ITEM_WRITES

    def create(self, request, data: dict):
        parent = data.pop("deliverable", None) or data.pop("milestone")
        data.pop("milestone", None)
        return super().create(request, {"parent": parent, **data})


class ChecklistItemInline(ChecklistItemWrites, ServiceInline):
    model = ChecklistItem
    form = ChecklistItemAdminForm
    fields = ["text", "done", "done_by", "done_at"]
    readonly_fields = ["done_by", "done_at"]
    show_change_link = False


class DeliverableInline(ServiceInline):
    model = Deliverable
    writes = deliverable_services.DELIVERABLE_WRITES
    fields = ["title", "kind", "owner", "due_date", "status"]
    readonly_fields = ["status"]
    autocomplete_fields = ["owner"]


def transition_action(service, description: str, done: str):
    """An admin action that moves each selected deliverable through `service`."""

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        modeladmin.run_service_action(
            request,
            queryset,
            lambda deliverable, actor: service(deliverable=deliverable, actor=actor),
            done,
        )

    action.__name__ = service.__name__
    return action


@admin.register(Deliverable)
class DeliverableAdmin(projects_admin.ScopedAdmin):
    workspace_path = "milestone__project__workspace"
    writes = deliverable_services.DELIVERABLE_WRITES
    list_display = [
        "title",
        "milestone",
        "project",
        "kind",
        "status",
        "owner",
        "due_date",
        "approved_by",
        "approved_at",
    ]
    list_filter = ["status", "kind", "milestone__project__workspace"]
    search_fields = ["title", "milestone__title", "milestone__project__name"]
    date_hierarchy = "due_date"
    list_select_related = ["milestone__project", "owner", "approved_by"]
    fields = [
        "milestone",
        *deliverable_services.DELIVERABLE_FIELDS,
        "status",
        "approved_by",
        "approved_by_name",
        "approved_at",
    ]
    readonly_fields = ["status", "approved_by", "approved_by_name", "approved_at"]
    create_only_fields = ("milestone",)
    autocomplete_fields = ["milestone", "owner"]
    inlines = [ChecklistItemInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = [
        transition_action(
            deliverable_services.deliverable_submit, "Submit for review", "Submitted"
        ),
        transition_action(deliverable_services.deliverable_approve, "Approve", "Approved"),
        transition_action(deliverable_services.deliverable_deliver, "Mark delivered", "Delivered"),
    ]

    @admin.display(description="Project", ordering="milestone__project__name")
    def project(self, deliverable):
        return deliverable.milestone.project


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ChecklistItemWrites, ServiceAdmin):
    form = ChecklistItemAdminForm
    list_display = ["text", "deliverable", "milestone", "done", "done_by", "done_at"]
    list_filter = ["done"]
    search_fields = ["text", "deliverable__title", "milestone__title"]
    list_select_related = ["deliverable", "milestone", "done_by"]
    fields = ["deliverable", "milestone", "text", "done", "order", "done_by", "done_at"]
    readonly_fields = ["order", "done_by", "done_at"]
    create_only_fields = ("deliverable", "milestone")
    autocomplete_fields = ["deliverable", "milestone"]

    def get_queryset(self, request):
        # An item hangs on a deliverable or directly on a milestone.
        return super().get_queryset(request).visible_to(request.user)


class MilestoneChecklistInline(ChecklistItemInline):
    verbose_name_plural = "checklist (on the milestone itself)"


# Deliverables live in this app, so it is this app that shows them on their milestone.
admin.site.unregister(Milestone)


@admin.register(Milestone)
class MilestoneAdmin(projects_admin.MilestoneAdmin):
    inlines = [DeliverableInline, MilestoneChecklistInline]


@admin.register(DeliverableVersion)
class DeliverableVersionAdmin(projects_admin.ScopedAdmin):
    """Uploaded in the app or through the API (files need the upload checks), read here."""

    workspace_path = "deliverable__milestone__project__workspace"
    list_display = ["deliverable", "number", "uploaded_by", "created_at", "summary"]
    search_fields = ["deliverable__title", "summary", "files__name"]
    list_select_related = ["deliverable", "uploaded_by"]
    date_hierarchy = "created_at"


@admin.register(ReviewRound)
class ReviewRoundAdmin(projects_admin.ScopedAdmin):
    """Opened and closed by the review-cycle moves only."""

    workspace_path = "deliverable__milestone__project__workspace"
    list_display = ["deliverable", "number", "decision", "reviewer", "reviewer_name", "closed_at"]
    list_filter = ["decision"]
    search_fields = ["deliverable__title", "reviewer_name", "note"]
    list_select_related = ["deliverable", "reviewer"]


@admin.register(ProofComment)
class ProofCommentAdmin(projects_admin.ScopedAdmin):
    """Posted on a version in the app, on a share link or through the API."""

    workspace_path = "on_version__deliverable__milestone__project__workspace"
    list_display = ["on_version", "number", "author", "author_name", "body", "resolved_at"]
    search_fields = ["body", "author_name"]
    list_select_related = ["on_version__deliverable", "author"]
