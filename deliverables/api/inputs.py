"""Input serializers for deliverables, their review actions and checklist items."""

from rest_framework import serializers

from deliverables.models import ChecklistItem, Deliverable, DeliverableVersion, ProofFile
from deliverables.services.deliverables import DELIVERABLE_FIELDS
from milestones_site.api.inputs import InputSerializer, ModelInputSerializer, VisibleRelatedField
from projects.api.inputs import MemberField
from projects.models import Milestone
from projects.services.external_ids import EXTERNAL_ID


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
    done = serializers.BooleanField()


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
