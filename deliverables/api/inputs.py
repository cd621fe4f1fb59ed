"""Input serializers for deliverables, their review actions and checklist items."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deliverables.models import ChecklistItem, Deliverable, DeliverableVersion, ProofFile
from deliverables.services.deliverables import DELIVERABLE_FIELDS
from milestones_site.api.inputs import InputSerializer, ModelInputSerializer, VisibleRelatedField
from projects.api.inputs import MemberField, MilestoneUpdateInput, ProjectCreateInput
from projects.models import Milestone
from projects.playbooks.building import (
    DeliverableDraft,
    MilestoneDraft,
    PhaseDraft,
    ProjectDraft,
)
from projects.services.external_ids import EXTERNAL_ID
from projects.services.milestones import MILESTONE_FIELDS


class DeliverableUpdateInput(ModelInputSerializer):
    """The status moves only through the review actions."""

    changed_elsewhere = {
        "status": "Change the status with POST /deliverables/{id}/start/, submit/, approve/, "
        "request-changes/ or deliver/."
    }

    owner = MemberField(allow_null=True, required=False)

    class Meta:
        model = Deliverable
        fields = (*DELIVERABLE_FIELDS, EXTERNAL_ID)


class DeliverableCreateInput(DeliverableUpdateInput):
    milestone = VisibleRelatedField(queryset=Milestone.objects.all())

    class Meta(DeliverableUpdateInput.Meta):
        fields = ("milestone", *DELIVERABLE_FIELDS, EXTERNAL_ID)


class EmptyInput(InputSerializer):
    """No fields: an action whose request body is empty (or `{}`)."""


class RequestChangesInput(InputSerializer):
    note = serializers.CharField(max_length=4000, help_text="What needs to change.")


class ChecklistItemCreateInput(InputSerializer):
    deliverable = VisibleRelatedField(
        queryset=Deliverable.objects.all(), required=False, help_text="Either a deliverable…"
    )
    milestone = VisibleRelatedField(
        queryset=Milestone.objects.all(), required=False, help_text="…or a milestone."
    )
    text = serializers.CharField(max_length=ChecklistItem._meta.get_field("text").max_length)

    def validate(self, attrs):
        parents = [attrs[name] for name in ("deliverable", "milestone") if name in attrs]
        if len(parents) != 1:
            raise serializers.ValidationError(
                {"deliverable": "Give either a deliverable or a milestone (exactly one)."}
            )
        return {"parent": parents[0], "text": attrs["text"]}


class ChecklistItemUpdateInput(InputSerializer):
    text = serializers.CharField(
        max_length=ChecklistItem._meta.get_field("text").max_length, required=False
    )
    order = serializers.IntegerField(
        min_value=0,
        max_value=32767,
        required=False,
        help_text="The item's new position: 0 for the first; the items between shift by one.",
    )
    done = serializers.BooleanField(required=False)


class ReviewInput(InputSerializer):
    version_seen = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The number of the version the reviewer looked at (v2 → 2); refused unless "
        "it is the latest. Without it, the decision is about the latest version.",
    )


class RequestChangesReviewInput(ReviewInput, RequestChangesInput):
    pass


class VersionUploadInput(InputSerializer):
    deliverable = VisibleRelatedField(queryset=Deliverable.objects.all())
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        min_length=1,
        help_text="One or more files (multipart/form-data, the field repeated per file).",
    )
    summary = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ProofCommentCreateInput(InputSerializer):
    version = VisibleRelatedField(
        queryset=DeliverableVersion.objects.all(), help_text="The version commented on."
    )
    body = serializers.CharField(max_length=4000)
    file = VisibleRelatedField(
        queryset=ProofFile.objects.all(),
        required=False,
        help_text="To pin the comment: a file of the version…",
    )
    page = serializers.IntegerField(
        required=False, min_value=1, help_text="…its page (1 for an image)…"
    )
    x = serializers.FloatField(
        required=False, min_value=0, max_value=1, help_text="…and the point, as fractions"
    )
    y = serializers.FloatField(
        required=False, min_value=0, max_value=1, help_text="of the width and the height."
    )


class ProofCommentUpdateInput(InputSerializer):
    resolved = serializers.BooleanField()


# A whole plan in one request (POST /plans/) -------------------------------------------------

CHECKLIST_TEXT = ChecklistItem._meta.get_field("text").max_length


def checklist_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=CHECKLIST_TEXT),
        required=False,
        max_length=100,
        help_text="Checklist items, in order.",
    )


class PlanDeliverableInput(DeliverableUpdateInput):
    checklist = checklist_field()

    class Meta(DeliverableUpdateInput.Meta):
        fields = (*DELIVERABLE_FIELDS, EXTERNAL_ID, "checklist")


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "minLength": 1, "maxLength": 200},
        ]
    }
)
class DependencyField(serializers.Field):
    """Another milestone of the plan: its position (a whole number) or its external id."""

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool) and data >= 0:
            return data
        if isinstance(data, str) and 0 < len(data) <= 200:
            return data
        raise serializers.ValidationError(
            "Give a position in the plan (a whole number from 0) or the external id of one "
            "of its milestones."
        )

    def to_representation(self, value):
        return value


class PlanMilestoneInput(MilestoneUpdateInput):
    """A milestone of the plan: its phase is where it is in the plan."""

    changed_elsewhere = {}
    phase = None
    depends_on = serializers.ListField(
        child=DependencyField(),
        required=False,
        max_length=200,
        help_text="The milestones this one waits for, by position in the plan (counting "
        "the phases' milestones in order from 0, then the milestones outside a phase) or by "
        "the `external_id` of a milestone of the plan.",
    )
    checklist = checklist_field()
    deliverables = PlanDeliverableInput(many=True, required=False, max_length=50)

    class Meta(MilestoneUpdateInput.Meta):
        fields = (
            "title",
            "due_date",
            *(name for name in MILESTONE_FIELDS if name not in ("title", "phase")),
            "status",
            EXTERNAL_ID,
            "depends_on",
            "checklist",
            "deliverables",
        )


class PlanPhaseInput(InputSerializer):
    name = serializers.CharField(max_length=200)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    milestones = PlanMilestoneInput(many=True, required=False, max_length=200)


class PlanInput(ProjectCreateInput):
    """A project with its phases, milestones and deliverables, made all at once."""

    phases = PlanPhaseInput(many=True, required=False, max_length=50)
    milestones = PlanMilestoneInput(
        many=True, required=False, max_length=200, help_text="Milestones outside any phase."
    )

    class Meta(ProjectCreateInput.Meta):
        fields = (*ProjectCreateInput.Meta.fields, "phases", "milestones")


def plan_draft(data: dict) -> ProjectDraft:
    """A validated PlanInput as a draft for projects.playbooks.building (without its
    workspace)."""
    data = dict(data)
    phases, loose = data.pop("phases", []), data.pop("milestones", [])
    data.pop("workspace")
    return ProjectDraft(
        fields=data,
        phases=[
            PhaseDraft(
                name=phase["name"],
                start_date=phase.get("start_date"),
                end_date=phase.get("end_date"),
                milestones=[milestone_draft(m) for m in phase.get("milestones", [])],
            )
            for phase in phases
        ],
        loose=[milestone_draft(m) for m in loose],
    )


def milestone_draft(data: dict) -> MilestoneDraft:
    data = dict(data)
    deliverables = data.pop("deliverables", [])
    return MilestoneDraft(
        title=data.pop("title"),
        due_date=data.pop("due_date"),
        depends_on=data.pop("depends_on", []),
        checklist=data.pop("checklist", []),
        deliverables=[
            DeliverableDraft(
                title=d["title"],
                checklist=d.get("checklist", []),
                fields={k: v for k, v in d.items() if k not in ("title", "checklist")},
            )
            for d in deliverables
        ],
        fields=data,
    )
