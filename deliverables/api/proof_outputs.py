"""Output serializers of the proofing resources: versions with their files (and the URLs
that download them), review rounds, and comments with their pins."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deliverables.models import DeliverableVersion, ProofComment, ProofFile, ReviewRound


class ProofFileSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="Downloads the file after the caller's permissions are checked (a redirect "
        "to a signed URL that expires, where files are in an object store)."
    )
    preview_urls = serializers.SerializerMethodField(
        help_text="One image (WebP) per page of the preview: an image has one, a PDF one "
        "per page; empty until the preview is ready."
    )
    thumbnail_url = serializers.SerializerMethodField()
    page_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProofFile
        fields = (
            "id",
            "name",
            "size",
            "content_type",
            "kind",
            "preview_state",
            "page_count",
            "width",
            "height",
            "download_url",
            "thumbnail_url",
            "preview_urls",
        )

    @staticmethod
    def _download(file: ProofFile) -> str:
        return reverse("api:proof-file-download", args=[file.pk])

    def get_download_url(self, file: ProofFile) -> str:
        return self._download(file)

    @extend_schema_field(OpenApiTypes.STR)
    def get_thumbnail_url(self, file: ProofFile) -> str | None:
        return f"{self._download(file)}?variant=thumbnail" if file.thumbnail_key else None

    def get_preview_urls(self, file: ProofFile) -> list[str]:
        return [f"{self._download(file)}?variant=page-{page}" for page in file.pages]


class VersionSerializer(serializers.ModelSerializer):
    uploaded_by_name = serializers.CharField(read_only=True, allow_null=True)
    label = serializers.CharField(read_only=True)
    files = ProofFileSerializer(many=True, read_only=True)

    class Meta:
        model = DeliverableVersion
        fields = (
            "id",
            "deliverable",
            "number",
            "label",
            "summary",
            "uploaded_by",
            "uploaded_by_name",
            "files",
            "created_at",
            "updated_at",
        )


class VersionNumberField(serializers.IntegerField):
    """A version shown by its number (v2 → 2)."""

    def to_representation(self, version):
        return version.number


class ReviewRoundSerializer(serializers.ModelSerializer):
    opened_by_name = serializers.CharField(read_only=True, allow_null=True)
    opened_on_version = VersionNumberField(source="opened_on", read_only=True, allow_null=True)
    version_seen = VersionNumberField(read_only=True, allow_null=True)
    reviewer_name = serializers.SerializerMethodField(
        help_text="The member who decided, or the client's name (through a share link)."
    )
    external = serializers.SerializerMethodField(help_text="Decided by a client on a share link.")

    class Meta:
        model = ReviewRound
        fields = (
            "id",
            "deliverable",
            "number",
            "opened_on_version",
            "opened_by",
            "opened_by_name",
            "created_at",
            "updated_at",
            "decision",
            "reviewer",
            "reviewer_name",
            "external",
            "note",
            "version_seen",
            "closed_at",
        )

    def get_reviewer_name(self, review_round: ReviewRound) -> str:
        return review_round.reviewer_person or review_round.reviewer_name

    def get_external(self, review_round: ReviewRound) -> bool:
        return bool(review_round.closed_at and not review_round.reviewer_id)


class ProofCommentSerializer(serializers.ModelSerializer):
    version = serializers.PrimaryKeyRelatedField(source="on_version", read_only=True)
    version_number = VersionNumberField(source="on_version", read_only=True)
    author_name = serializers.SerializerMethodField()
    resolved = serializers.BooleanField(source="is_resolved", read_only=True)
    resolved_by_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = ProofComment
        fields = (
            "id",
            "version",
            "version_number",
            "number",
            "body",
            "author",
            "author_name",
            "file",
            "page",
            "x",
            "y",
            "resolved",
            "resolved_at",
            "resolved_by",
            "resolved_by_name",
            "created_at",
            "updated_at",
        )

    def get_author_name(self, comment: ProofComment) -> str:
        return comment.author_person or comment.author_name
