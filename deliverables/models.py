"""Tangible outputs of milestones, their review cycle and their checklists."""

from django.db import models
from django.db.models import ExpressionWrapper, Q

from projects.activity import display_name
from projects.models import (
    Milestone,
    TimestampedModel,
    choices_check,
    external_id_field,
    external_key_field,
    one_line,
    person,
    rollup_count,
)
from projects.querysets import WorkspaceScopedQuerySet, readable_workspace_ids
from projects.statuses import DELIVERABLE_DONE_STATUSES


class DeliverableQuerySet(WorkspaceScopedQuerySet):
    def open(self):
        return self.exclude(status__in=DELIVERABLE_DONE_STATUSES)

    def awaiting_review(self):
        return self.filter(status=Deliverable.Status.IN_REVIEW)

    def with_derived(self, *, today):
        """is_overdue: what a deliverable row shows besides its stored checklist counts."""
        return self.annotate(
            is_overdue=ExpressionWrapper(
                # No due date is never overdue (and must not compare as NULL).
                Q(due_date__isnull=False)
                & Q(due_date__lt=today)
                & ~Q(status__in=DELIVERABLE_DONE_STATUSES),
                output_field=models.BooleanField(),
            )
        )


class ChecklistItemQuerySet(WorkspaceScopedQuerySet):
    def visible_to(self, user):
        ids = readable_workspace_ids(user)
        return self.filter(
            Q(deliverable__milestone__project__workspace_id__in=ids)
            | Q(milestone__project__workspace_id__in=ids)
        )


class DeliverableKind(models.TextChoices):
    REPORT = "report", "Report"
    CREATIVE_ASSET = "creative_asset", "Creative asset"
    COPY = "copy", "Copy"
    VIDEO = "video", "Video"
    LANDING_PAGE = "landing_page", "Landing page"
    EMAIL = "email", "Email"
    AD_SET = "ad_set", "Ad set"
    EVENT = "event", "Event"
    PROTOTYPE = "prototype", "Prototype"
    SOFTWARE = "software", "Software"
    OTHER = "other", "Other"


class DeliverableStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    DELIVERED = "delivered", "Delivered"


class Deliverable(TimestampedModel):
    Status = DeliverableStatus

    Kind = DeliverableKind
    DONE_STATUSES = DELIVERABLE_DONE_STATUSES

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="deliverables")
    title = one_line(200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    owner = person(related_name="owned_deliverables")
    due_date = models.DateField(null=True, blank=True)
    link = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.NOT_STARTED)
    approved_by = person(related_name="approved_deliverables")
    approved_by_name = models.CharField(
        max_length=200, blank=True, help_text="External reviewer who signed off via a share link."
    )
    approved_by_email = models.EmailField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    external_id = external_id_field()
    external_key = external_key_field()
    version = models.PositiveIntegerField(default=1)
    # Roll-ups of its checklist, kept by the checklist services.
    checklist_total = rollup_count()
    checklist_done = rollup_count()

    objects = DeliverableQuerySet.as_manager()
    workspace_path = "milestone__project__workspace_id"

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            choices_check("kind", DeliverableKind, "deliverable_kind_valid"),
            choices_check("status", DeliverableStatus, "deliverable_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=DELIVERABLE_DONE_STATUSES) | Q(approved_at__isnull=False),
                name="deliverable_done_is_approved",
            ),
        ]
        indexes = [
            models.Index(fields=["due_date", "id"]),  # the default ordering of every list
            models.Index(fields=["milestone", "status"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["status", "due_date"]),
            # Counts a status filter's rows, joined to their milestones, from the index alone.
            models.Index(fields=["status", "milestone"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def project(self):
        return self.milestone.project

    @property
    def approver_name(self) -> str:
        if self.approved_by_id:
            return display_name(self.approved_by)
        return self.approved_by_name


class ChecklistItem(TimestampedModel):
    """An ordered to-do on a deliverable or directly on a milestone."""

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, null=True, blank=True, related_name="checklist"
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, null=True, blank=True, related_name="checklist"
    )
    text = one_line(300)
    order = models.PositiveSmallIntegerField(default=0)
    done = models.BooleanField(default=False)
    done_by = person()
    done_at = models.DateTimeField(null=True, blank=True)

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deliverable__isnull=False, milestone__isnull=True)
                | Q(deliverable__isnull=True, milestone__isnull=False),
                name="checklist_item_has_one_parent",
            ),
            models.CheckConstraint(
                condition=Q(done=True, done_at__isnull=False) | Q(done=False, done_at__isnull=True),
                name="checklist_item_done_at_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def parent(self):
        return self.deliverable or self.milestone

    @property
    def project(self):
        return self.parent.project


# Proofing: files, versions, review rounds and comments on versions ---------------------------


class DeliverableVersionQuerySet(WorkspaceScopedQuerySet):
    def for_review(self):
        """Versions newest first with their files, uploader and comments (oldest first, with
        their authors): everything a proof shows, in three queries for any number of them."""
        comments = ProofComment.objects.select_related("author", "resolved_by", "file").order_by(
            "number"
        )
        return (
            self.select_related("uploaded_by")
            .prefetch_related(
                models.Prefetch("files", queryset=ProofFile.objects.order_by("position")),
                models.Prefetch("comments", queryset=comments),
            )
            .order_by("-number")
        )


class DeliverableVersion(TimestampedModel):
    """A numbered upload (v1, v2, …) of one or more files, with who made it and why."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    summary = models.TextField(blank=True, help_text="What changed since the previous version.")
    uploaded_by = person(related_name="+")

    objects = DeliverableVersionQuerySet.as_manager()
    workspace_path = "deliverable__milestone__project__workspace_id"

    class Meta:
        ordering = ["deliverable", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "number"], name="version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} v{self.number}"

    @property
    def label(self) -> str:
        return f"v{self.number}"


class FileKind(models.TextChoices):
    """What a file is, read from its content; it decides the preview and how it is served."""

    IMAGE = "image", "Image"
    PDF = "pdf", "PDF"
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio"
    ACTIVE = "active", "Active content (SVG, HTML)"
    OTHER = "other", "Other"


class PreviewState(models.TextChoices):
    PENDING = "pending", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"
    NONE = "none", "No preview for this type"


class ProofFileQuerySet(WorkspaceScopedQuerySet):
    def stored_bytes(self) -> int:
        return self.aggregate(total=models.Sum("size"))["total"] or 0


class ProofFile(TimestampedModel):
    """One file of a version, kept in the proof storage under `storage_key`; its previews
    (a thumbnail and one image per page) are made by a worker after the upload."""

    Kind = FileKind

    version = models.ForeignKey(DeliverableVersion, on_delete=models.CASCADE, related_name="files")
    # Denormalised from the version's project: quotas add up, and reads are scoped, by it.
    workspace = models.ForeignKey("projects.Workspace", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200, help_text="The sanitised name it was uploaded as.")
    storage_key = models.CharField(max_length=500, unique=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100, help_text="Read from the content.")
    kind = models.CharField(max_length=8, choices=FileKind.choices)
    preview_state = models.CharField(
        max_length=8, choices=PreviewState.choices, default=PreviewState.PENDING
    )
    thumbnail_key = models.CharField(max_length=500, blank=True)
    # Storage keys of the in-page preview images: one per page of a PDF, one for an image.
    page_keys = models.JSONField(default=list, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    objects = ProofFileQuerySet.as_manager()
    workspace_path = "workspace_id"

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            choices_check("kind", FileKind, "proof_file_kind_valid"),
            choices_check("preview_state", PreviewState, "proof_file_preview_state_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def page_count(self) -> int:
        return len(self.page_keys)

    @property
    def pages(self) -> range:
        return range(1, self.page_count + 1)

    def stored_keys(self) -> list[str]:
        """Everything this file keeps in storage: the original and its previews."""
        return [self.storage_key, *filter(None, [self.thumbnail_key]), *self.page_keys]


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class ReviewRoundQuerySet(WorkspaceScopedQuerySet):
    def history(self):
        """Rounds newest first, with the versions and people they name."""
        return self.select_related("opened_on", "version_seen", "opened_by", "reviewer").order_by(
            "-number"
        )


class ReviewRound(TimestampedModel):
    """Opened by submitting a deliverable for review, on its latest version; closed by the
    decision, with the reviewer (a member, or a client through a share link), their note
    and the version they saw."""

    Decision = ReviewDecision

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="review_rounds"
    )
    number = models.PositiveIntegerField()
    # Not `version`: that name is the row version of optimistic concurrency elsewhere.
    opened_on = models.ForeignKey(
        DeliverableVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The latest version when the round opened (none for a link-only deliverable).",
    )
    opened_by = person(related_name="+")
    decision = models.CharField(max_length=24, choices=ReviewDecision.choices, blank=True)
    reviewer = person(related_name="+")
    reviewer_name = models.CharField(max_length=200, blank=True)
    reviewer_email = models.EmailField(blank=True)
    note = models.TextField(blank=True)
    version_seen = models.ForeignKey(
        DeliverableVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewRoundQuerySet.as_manager()
    workspace_path = "deliverable__milestone__project__workspace_id"

    class Meta:
        ordering = ["deliverable", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "number"], name="round_number_unique"),
            models.UniqueConstraint(
                fields=["deliverable"],
                condition=Q(closed_at__isnull=True),
                name="round_one_open_per_deliverable",
            ),
            models.CheckConstraint(
                condition=Q(decision="", closed_at__isnull=True)
                | (~Q(decision="") & Q(closed_at__isnull=False)),
                name="round_decided_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["", *ReviewDecision.values]),
                name="round_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} round {self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def reviewer_display(self) -> str:
        if self.reviewer_id:
            return display_name(self.reviewer)
        return self.reviewer_name


class ProofComment(TimestampedModel):
    """A comment on a version, optionally pinned to a point of one of its files: a page
    (1 for an image) and x, y as fractions of its width and height, so the marker lands on
    the same spot whatever size the preview is drawn at."""

    on_version = models.ForeignKey(
        DeliverableVersion, on_delete=models.CASCADE, related_name="comments"
    )
    number = models.PositiveIntegerField(help_text="The marker's number on its version.")
    body = models.TextField()
    author = person(related_name="+")
    author_name = models.CharField(max_length=200, blank=True)
    author_email = models.EmailField(blank=True)
    file = models.ForeignKey(
        ProofFile, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    page = models.PositiveIntegerField(null=True, blank=True)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = person(related_name="+")

    workspace_path = "on_version__deliverable__milestone__project__workspace_id"
    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["on_version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["on_version", "number"], name="proof_comment_number"),
            models.CheckConstraint(
                condition=Q(file__isnull=True, page__isnull=True, x__isnull=True, y__isnull=True)
                | Q(
                    file__isnull=False,
                    page__gte=1,
                    x__gte=0,
                    x__lte=1,
                    y__gte=0,
                    y__lte=1,
                ),
                name="proof_comment_pin_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} on {self.on_version}"

    @property
    def is_pinned(self) -> bool:
        return self.file_id is not None

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def author_display(self) -> str:
        if self.author_id:
            return display_name(self.author)
        return self.author_name
