"""API viewsets for deliverables (with their review cycle) and checklist items."""

from datetime import date

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from deliverables.api import filters, inputs
from deliverables.api import outputs as out
from deliverables.models import ChecklistItem, Deliverable
from deliverables.services import deliverables as services
from milestones_site.api.viewsets import (
    CreateMixin,
    DestroyMixin,
    ListMixin,
    RetrieveMixin,
    ServiceViewSet,
    UpdateMixin,
)
from milestones_site.querysets.names import person_name


def deliverable_rows(today: date) -> QuerySet:
    """Every deliverable with what DeliverableSerializer shows, derived for `today`."""
    return Deliverable.objects.with_derived(today=today).annotate(
        milestone_title=F("milestone__title"),
        project_pk=F("milestone__project_id"),
        project_name=F("milestone__project__name"),
        owner_name=person_name("owner"),
        approver=Coalesce(person_name("approved_by"), NullIf(F("approved_by_name"), Value(""))),
    )


class DeliverableViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Tangible outputs of milestones. PATCH edits details; the status moves only through
    the review actions (start, submit, approve, request-changes, deliver)."""

    model = Deliverable
    output_serializer_class = out.DeliverableSerializer
    create_serializer_class = inputs.DeliverableCreateInput
    update_serializer_class = inputs.DeliverableUpdateInput
    filterset_class = filters.DeliverableFilter
    search_fields = ("title", "description", "milestone__title")
    ordering_fields = ("due_date", "title", "status", "created_at")
    ordering = ("due_date", "id")

    def visible_queryset(self):
        return deliverable_rows(self.today).visible_to(self.request.user)

    def rows_to_change(self):
        deliverables = Deliverable.objects.visible_to(self.request.user)
        return deliverables.select_related("milestone__project__workspace")

    def create_object(self, data):
        return services.deliverable_create(actor=self.request.user, **data)

    def update_object(self, deliverable, data, *, expected_version):
        return services.deliverable_update(
            deliverable=deliverable,
            actor=self.request.user,
            data=data,
            expected_version=expected_version,
        )

    def delete_object(self, deliverable):
        services.deliverable_delete(deliverable=deliverable, actor=self.request.user)

    @extend_schema(request=inputs.EmptyInput, responses=out.DeliverableSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Start work on the deliverable."""
        return self.run_action(inputs.EmptyInput, services.deliverable_start)

    @extend_schema(request=inputs.EmptyInput, responses=out.DeliverableSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Hand the deliverable in for review."""
        return self.run_action(inputs.EmptyInput, services.deliverable_submit)

    @extend_schema(request=inputs.EmptyInput, responses=out.DeliverableSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Sign off a deliverable in review (managers and owners)."""
        return self.run_action(inputs.EmptyInput, services.deliverable_approve)

    @extend_schema(request=inputs.RequestChangesInput, responses=out.DeliverableSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        """Send a deliverable in review back, saying what to change (managers and owners)."""
        return self.run_action(inputs.RequestChangesInput, services.deliverable_request_changes)

    @extend_schema(request=inputs.EmptyInput, responses=out.DeliverableSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        """Mark an approved deliverable delivered."""
        return self.run_action(inputs.EmptyInput, services.deliverable_deliver)


class ChecklistItemViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Ordered to-dos on a deliverable or a milestone; PATCH ticks or unticks one."""

    model = ChecklistItem
    output_serializer_class = out.ChecklistItemSerializer
    create_serializer_class = inputs.ChecklistItemCreateInput
    update_serializer_class = inputs.ChecklistItemUpdateInput
    filterset_class = filters.ChecklistItemFilter
    search_fields = ("text",)
    ordering_fields = ("order", "created_at")
    ordering = ("order", "id")

    def visible_queryset(self):
        return ChecklistItem.objects.visible_to(self.request.user).annotate(
            done_by_name=person_name("done_by")
        )

    def create_object(self, data):
        return services.checklist_item_add(actor=self.request.user, **data)

    def update_object(self, item, data, *, expected_version):
        return services.checklist_item_toggle(
            item=item, done=data.get("done", item.done), actor=self.request.user
        )

    def delete_object(self, item):
        services.checklist_item_delete(item=item, actor=self.request.user)
