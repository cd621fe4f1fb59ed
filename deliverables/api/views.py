"""API viewsets for deliverables (with their review cycle) and checklist items."""

from deliverables.api import filters, inputs
from deliverables.api import outputs as out
from deliverables.models import ChecklistItem, Deliverable
from deliverables.selectors import resources
from deliverables.services import checklists as checklist_services
from deliverables.services import deliverables as deliverable_services
from milestones_site.api.viewsets import (
    CreateMixin,
    DestroyMixin,
    ListMixin,
    RetrieveMixin,
    ServiceViewSet,
    UpdateMixin,
    row_action,
)


def review_action(name: str, service, input_serializer, description: str):
    return row_action(
        name, service, input_serializer, out.DeliverableSerializer, description=description
    )


class DeliverableViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Tangible outputs of milestones. PATCH edits details; the status moves only through
    the review actions (start, submit, approve, request-changes, deliver)."""

    model = Deliverable
    writes = deliverable_services.DELIVERABLE_WRITES
    output_serializer_class = out.DeliverableSerializer
    create_serializer_class = inputs.DeliverableCreateInput
    update_serializer_class = inputs.DeliverableUpdateInput
    filterset_class = filters.DeliverableFilter
    search_fields = ("title", "description", "milestone__title")
    ordering_fields = ("due_date", "title", "status", "created_at")
    ordering = ("due_date", "id")

    def visible_queryset(self):
        return resources.deliverable_rows(self.request.user)

    def render(self, rows):
        return out.deliverable_outputs(rows)

    def rows_to_change(self):
        deliverables = Deliverable.objects.visible_to(self.request.user)
        return deliverables.select_related("milestone__project__workspace")

    start = review_action(
        "start",
        deliverable_services.deliverable_start,
        inputs.EmptyInput,
        "Start work on the deliverable.",
    )
    submit = review_action(
        "submit",
        deliverable_services.deliverable_submit,
        inputs.EmptyInput,
        "Hand the deliverable in for review.",
    )
    approve = review_action(
        "approve",
        deliverable_services.deliverable_approve,
        inputs.EmptyInput,
        "Sign off a deliverable in review (managers and owners).",
    )
    request_changes = review_action(
        "request_changes",
        deliverable_services.deliverable_request_changes,
        inputs.RequestChangesInput,
        "Send a deliverable in review back, saying what to change (managers and owners).",
    )
    deliver = review_action(
        "deliver",
        deliverable_services.deliverable_deliver,
        inputs.EmptyInput,
        "Mark an approved deliverable delivered.",
    )


class ChecklistItemViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Ordered to-dos on a deliverable or a milestone; PATCH ticks or unticks one."""

    model = ChecklistItem
    writes = checklist_services.CHECKLIST_ITEM_WRITES
    output_serializer_class = out.ChecklistItemSerializer
    create_serializer_class = inputs.ChecklistItemCreateInput
    update_serializer_class = inputs.ChecklistItemUpdateInput
    filterset_class = filters.ChecklistItemFilter
    search_fields = ("text",)
    ordering_fields = ("order", "created_at")
    ordering = ("order", "id")

    def visible_queryset(self):
        return resources.checklist_item_rows(self.request.user)
