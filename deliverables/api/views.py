"""API viewsets for deliverables (with their review cycle) and checklist items."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import parsers
from rest_framework.decorators import action

from deliverables.api import filters, inputs
from deliverables.api import outputs as out
from deliverables.api import proof_outputs as proof_out
from deliverables.models import (
    ChecklistItem,
    Deliverable,
    DeliverableVersion,
    ProofComment,
    ProofFile,
    ReviewRound,
)
from deliverables.selectors import proof_resources, resources
from deliverables.selectors.plans import plan_rows
from deliverables.services import checklists as checklist_services
from deliverables.services import deliverables as deliverable_services
from deliverables.services import proofs as proof_services
from deliverables.services import versions as version_services
from deliverables.serving import file_response
from milestones_site.api.viewsets import (
    CreateMixin,
    DestroyMixin,
    ListMixin,
    RetrieveMixin,
    ServiceViewSet,
    UpdateMixin,
    row_action,
)
from projects.models import Project
from projects.playbooks.building import project_build
from projects.selectors.resources import stored_total


def review_action(name: str, service, input_serializer, description: str):
    return row_action(
        name, service, input_serializer, out.DeliverableSerializer, description=description
    )


class DeliverableViewSet(
    ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, DestroyMixin, ServiceViewSet
):
    """Tangible outputs of milestones. PATCH edits details; the status moves only through
    the review actions (start, submit, approve, request-changes, deliver)."""

    conditional_reads = True

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

    def stored_count(self):
        return stored_total(self.request.user, "deliverables_total")

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
        inputs.ReviewInput,
        "Sign off a deliverable in review (managers and owners): its latest version.",
    )
    request_changes = review_action(
        "request_changes",
        deliverable_services.deliverable_request_changes,
        inputs.RequestChangesReviewInput,
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
    """Ordered to-dos on a deliverable or a milestone; PATCH rewords one (`text`), moves it
    (`order`: its new position, the others shift) or ticks and unticks it (`done`)."""

    conditional_reads = True

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


class VersionViewSet(ListMixin, RetrieveMixin, CreateMixin, ServiceViewSet):
    """Numbered uploads (v1, v2, …) of one or more files of a deliverable. POST as
    multipart/form-data: `deliverable`, `files` (repeated per file) and `summary`."""

    model = DeliverableVersion
    writes = version_services.VERSION_WRITES
    output_serializer_class = proof_out.VersionSerializer
    create_serializer_class = inputs.VersionUploadInput
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    filterset_class = filters.VersionFilter
    search_fields = ("summary", "files__name")
    ordering_fields = ("number", "created_at")
    ordering = ("deliverable_id", "-number")

    def visible_queryset(self):
        return proof_resources.version_rows(self.request.user)


class ProofFileViewSet(RetrieveMixin, ServiceViewSet):
    """The files of versions; `download/` sends one after checking the caller may read it."""

    model = ProofFile
    output_serializer_class = proof_out.ProofFileSerializer

    def visible_queryset(self):
        return proof_resources.proof_file_rows(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "variant",
                str,
                description="`original` (the default), `thumbnail` or `page-<n>` (a preview).",
            )
        ],
        responses={
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            302: OpenApiResponse(description="To a signed URL of the object store, that expires."),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file or one of its previews (a redirect to a signed URL from an object store)."""
        variant = request.query_params.get("variant", "original")
        return file_response(self.get_object(), variant, download=variant == "original")


class ReviewRoundViewSet(ListMixin, RetrieveMixin, ServiceViewSet):
    """Review rounds: opened by submit on the latest version, closed by approve or request
    changes with the reviewer, their note and the version they saw."""

    model = ReviewRound
    output_serializer_class = proof_out.ReviewRoundSerializer
    filterset_class = filters.ReviewRoundFilter
    ordering_fields = ("number", "created_at", "closed_at")
    ordering = ("deliverable_id", "-number")

    def visible_queryset(self):
        return proof_resources.review_round_rows(self.request.user)


class ProofCommentViewSet(ListMixin, RetrieveMixin, CreateMixin, UpdateMixin, ServiceViewSet):
    """Comments on a version, optionally pinned to a point (`file`, `page`, `x`, `y` as
    fractions of the preview); PATCH `resolved` to resolve or reopen one."""

    model = ProofComment
    writes = proof_services.PROOF_COMMENT_WRITES
    output_serializer_class = proof_out.ProofCommentSerializer
    create_serializer_class = inputs.ProofCommentCreateInput
    update_serializer_class = inputs.ProofCommentUpdateInput
    filterset_class = filters.ProofCommentFilter
    search_fields = ("body",)
    ordering_fields = ("number", "created_at")
    ordering = ("on_version_id", "number")

    def visible_queryset(self):
        return proof_resources.proof_comment_rows(self.request.user)

    def rows_to_change(self):
        return ProofComment.objects.visible_to(self.request.user).select_related(
            "on_version__deliverable__milestone__project__workspace"
        )


class PlanViewSet(CreateMixin, ServiceViewSet):
    """A whole plan in one request: a project with its phases, their milestones (with
    dependencies by position, checklists and deliverables with theirs) and milestones
    outside a phase, each made by its own service and rules, all or nothing. The answer has
    the same shape, with ids; its `Location` is the project's. A refusal names where in the
    plan it is, e.g. `phases.1.milestones.0.due_date`."""

    model = Project
    output_serializer_class = out.ProjectPlanSerializer
    create_serializer_class = inputs.PlanInput

    def visible_queryset(self):
        return Project.objects.visible_to(self.request.user)

    @extend_schema(responses={201: out.ProjectPlanSerializer})
    def create(self, request, *args, **kwargs):
        data = self.parse(inputs.PlanInput)
        project = project_build(
            workspace=data["workspace"], actor=request.user, draft=inputs.plan_draft(data)
        )
        rows = plan_rows(request.user, project.pk)
        return self.created(rows.project, out.plan_output(rows), etag=self.tag_for(rows.project))
