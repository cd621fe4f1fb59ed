"""Tangible outputs of milestones, their review cycle and their checklists."""

from django.db import models
from django.db.models import ExpressionWrapper, Q

from projects.activity import display_name
from projects.models import (
    Milestone,
    TimestampedModel,
    choices_check,
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
