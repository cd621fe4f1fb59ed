"""The campaign plan: workspaces, projects, phases, milestones and their history."""

import hashlib
import secrets
import zoneinfo
from datetime import UTC, date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from projects.querysets import (
    MilestoneQuerySet,
    ProjectQuerySet,
    TemplateQuerySet,
    WorkspaceScopedQuerySet,
)
from projects.statuses import MILESTONE_CLOSED_STATUSES

TIMEZONE_CHOICES = sorted((name, name) for name in zoneinfo.available_timezones())


def default_reminder_lead_days() -> list[int]:
    return [7, 1]


def new_content_version() -> int:
    """A random version rather than a counter: never the same twice, even for a workspace of
    the same id in a database created again under the same name (a reloaded bench or test
    database), whose old pages a shared cache may still hold."""
    return secrets.randbits(62)


def validate_single_line(value: str) -> None:
    """Names and titles are one line: they become email subjects, calendar summaries and
    CSV cells, where a line break would forge a header or break a row."""
    if any(mark in value for mark in ("\n", "\r", "\u2028", "\u2029")):
        raise ValidationError("Use a single line, without line breaks.")


def one_line(max_length: int, **options) -> models.CharField:
    """A name or title: one line of at most `max_length` characters."""
    return models.CharField(max_length=max_length, validators=[validate_single_line], **options)


def validate_lead_days(value) -> None:
    if not isinstance(value, list) or not all(
        isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 365 for day in value
    ):
        raise ValidationError("Enter a list of whole days between 0 and 365, e.g. [7, 1].")
    if len(value) > 10:
        raise ValidationError("Use at most 10 reminder days.")


def reference_date(workspaces: list["Workspace"]) -> date:
    """Today in the timezone the workspaces share, else in UTC (a read spanning timezones
    needs one date)."""
    if len({workspace.timezone for workspace in workspaces}) == 1:
        return workspaces[0].today()
    return timezone.localdate(timezone=UTC)


def person(**options) -> models.ForeignKey:
    """A person a row names (its owner, author, approver): the row stays, without them,
    when they are deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, **options
    )


def external_id_field() -> models.CharField:
    """An integration's own id for the row (a CRM record, an ad campaign): optional, unique
    per workspace and kind of row (see `external_id_unique`)."""
    return models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="Your system's id for this row: optional, unique in the workspace among "
        "rows of its kind.",
    )


def external_key_field() -> models.CharField:
    """`<workspace id>:<external id>` while the row has an external id, else NULL. Unique,
    so the database keeps external ids unique per workspace for each kind of row, also for
    rows that reach their workspace through a parent (milestones, deliverables). The
    services set it with `external_id` (projects.services.external_ids)."""
    return models.CharField(max_length=230, null=True, blank=True, unique=True, editable=False)


def rollup_count() -> models.PositiveIntegerField:
    """A count kept by the services (projects.rollups), never typed in."""
    return models.PositiveIntegerField(default=0, editable=False)


def rollup_date() -> models.DateField:
    return models.DateField(null=True, blank=True, editable=False)


def choices_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    MEMBER = "member", "Member"
    VIEWER = "viewer", "Viewer (stakeholder)"


class Health(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"


class MilestoneHealth(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Workspace(TimestampedModel):
    """A team or an agency; everything else lives inside exactly one workspace."""

    name = one_line(120)
    slug = models.SlugField(max_length=60, unique=True)
    timezone = models.CharField(max_length=64, choices=TIMEZONE_CHOICES, default="UTC")
    reminder_lead_days = models.JSONField(
        default=default_reminder_lead_days,
        validators=[validate_lead_days],
        help_text="Days before a due date when owners are reminded, e.g. [7, 1].",
    )
    overdue_repeat_days = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1)],
        help_text="Repeat overdue reminders every N days.",
    )
    overdue_repeat_limit = models.PositiveSmallIntegerField(
        default=5, help_text="Stop repeating overdue reminders after this many."
    )
    warning_window_days = models.PositiveSmallIntegerField(
        default=3,
        help_text="A milestone due within this many days with open deliverables is at risk.",
    )
    weekly_load_limit = models.PositiveSmallIntegerField(
        "weekly limit per person",
        default=5,
        validators=[MinValueValidator(1)],
        help_text="Milestones and deliverables one person can have due in a week before the "
        "workload page flags the week as overloaded.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="workspaces"
    )
    content_version = models.BigIntegerField(
        default=new_content_version,
        editable=False,
        help_text="Drawn anew after every committed change to anything in the workspace.",
    )

    objects = WorkspaceScopedQuerySet.as_manager()
    workspace_path = "pk"

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overdue_repeat_days__gte=1), name="workspace_overdue_repeat_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def today(self) -> date:
        """The calendar date right now in the workspace's timezone."""
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(self.timezone))


class Membership(TimestampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["workspace", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "workspace"], name="membership_unique_user_workspace"
            ),
            choices_check("role", Role, "membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"


class Client(TimestampedModel):
    """An agency's client; optional on a project."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="clients")
    name = one_line(120)
    contact_email = models.EmailField(blank=True)

    objects = WorkspaceScopedQuerySet.as_manager()
    workspace_path = "workspace_id"

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "name"], name="client_unique_name_per_workspace"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectKind(models.TextChoices):
    PRODUCT_LAUNCH = "product_launch", "Product launch"
    BRAND = "brand", "Brand"
    DIGITAL_CAMPAIGN = "digital_campaign", "Digital campaign"
    SEASONAL = "seasonal", "Seasonal"
    CONTENT_SEO = "content_seo", "Content / SEO"
    EVENT = "event", "Event"
    OTHER = "other", "Other"


class ProjectStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Project(TimestampedModel):
    """A campaign."""

    Status = ProjectStatus
    Kind = ProjectKind

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="projects")
    client = models.ForeignKey(
        Client, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    name = one_line(200)
    description = models.TextField(blank=True)
    objective = models.TextField(blank=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNING)
    owner = person(related_name="owned_projects")
    start_date = models.DateField()
    target_date = models.DateField(null=True, blank=True)
    budget_planned = models.DecimalField(
        max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    budget_spent = models.DecimalField(
        max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(
        max_length=3,
        default="USD",
        validators=[
            RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO currency code, e.g. EUR.")
        ],
    )
    external_id = external_id_field()
    external_key = external_key_field()
    version = models.PositiveIntegerField(default=1)

    # Roll-ups, kept by the services in the same transaction as each change
    # (projects.rollups; `manage.py check_rollups` recomputes them from scratch).
    milestones_total = rollup_count()
    milestones_completed = rollup_count()
    milestones_cancelled = rollup_count()
    # All its deliverables, and those of milestones in scope (not cancelled) with how many
    # of them are done: progress leaves cancelled milestones out.
    deliverables_total = rollup_count()
    deliverables_in_scope = rollup_count()
    deliverables_done = rollup_count()
    # What health needs, besides today's date: open milestones that are blocked, that wait on
    # a dependency due after them, and the earliest due date of one with open deliverables.
    milestones_blocked = rollup_count()
    milestones_waiting = rollup_count()
    open_deliverables_due = rollup_date()
    next_milestone = models.ForeignKey(
        "Milestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    latest_update = models.ForeignKey(
        "StatusUpdate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ProjectQuerySet.as_manager()
    workspace_path = "workspace_id"

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            choices_check("kind", ProjectKind, "project_kind_valid"),
            choices_check("status", ProjectStatus, "project_status_valid"),
            models.CheckConstraint(
                condition=Q(target_date__isnull=True) | Q(target_date__gte=F("start_date")),
                name="project_target_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budget_planned__gte=0) & Q(budget_spent__gte=0),
                name="project_budget_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["workspace", "status"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.target_date and self.start_date and self.target_date < self.start_date:
            raise ValidationError(
                {"target_date": "The target date cannot be before the start date."}
            )


class Phase(TimestampedModel):
    """An ordered stage of a project (e.g. strategy, production, launch, follow-up)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases")
    name = one_line(120)
    order = models.PositiveSmallIntegerField(default=0)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="phase_end_after_start",
            ),
            # The services make room for a phase placed at a taken order.
            models.UniqueConstraint(fields=["project", "order"], name="phase_order_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "A phase cannot end before it starts."})


class MilestoneCategory(models.TextChoices):
    LAUNCH = "launch", "Product launch"
    CAMPAIGN_CHECKPOINT = "campaign_checkpoint", "Campaign checkpoint"
    SALES_TARGET = "sales_target", "Sales target"
    ANNIVERSARY = "anniversary", "Anniversary"
    MARKET_EXPANSION = "market_expansion", "Market expansion"
    AWARD = "award", "Award / recognition"
    EMPLOYEE = "employee", "Employee milestone"
    CUSTOMER = "customer", "Customer milestone"
    SEASONAL_PEAK = "seasonal_peak", "Seasonal peak"
    CONTENT_SEO = "content_seo", "Content / SEO"
    OTHER = "other", "Other"


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Milestone(TimestampedModel):
    """A checkpoint of a campaign with a due date, measured against its baseline."""

    Status = MilestoneStatus
    Category = MilestoneCategory

    CLOSED_STATUSES = MILESTONE_CLOSED_STATUSES

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones"
    )
    title = one_line(200)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=32, choices=Category.choices, default=Category.OTHER)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    owner = person(related_name="owned_milestones")
    due_date = models.DateField()
    baseline_due_date = models.DateField(
        help_text="The originally planned date; moved only by a re-baseline."
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    success_criteria = models.TextField(blank=True)
    kpi_name = one_line(80, blank=True, verbose_name="KPI")
    kpi_target = models.DecimalField(
        "KPI target", max_digits=16, decimal_places=2, null=True, blank=True
    )
    kpi_actual = models.DecimalField(
        "KPI actual", max_digits=16, decimal_places=2, null=True, blank=True
    )
    kpi_unit = one_line(24, blank=True, verbose_name="KPI unit")
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents"
    )
    reminder_days = models.JSONField(
        validators=[validate_lead_days],
        null=True,
        blank=True,
        help_text="Overrides the workspace's reminder lead days, e.g. [14, 3].",
    )
    external_id = external_id_field()
    external_key = external_key_field()
    version = models.PositiveIntegerField(default=1)

    # Roll-ups, kept by the services (projects.rollups): this milestone's deliverables, and
    # the earliest and latest due dates of the dependencies it still waits for.
    deliverables_total = rollup_count()
    deliverables_done = rollup_count()
    dependencies_due_first = rollup_date()
    dependencies_due_last = rollup_date()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            choices_check("category", MilestoneCategory, "milestone_category_valid"),
            choices_check("status", MilestoneStatus, "milestone_status_valid"),
            models.CheckConstraint(
                condition=Q(status="completed", completed_at__isnull=False)
                | (~Q(status="completed") & Q(completed_at__isnull=True)),
                name="milestone_completed_at_iff_completed",
            ),
        ]
        indexes = [
            models.Index(fields=["due_date", "id"]),  # the default ordering of every list
            models.Index(fields=["project", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["owner", "status"]),
            # Rows scoped through their milestone's project (deliverables, checklist items)
            # join every milestone's id to its project; this reads both from the index alone.
            models.Index(fields=["project", "id"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES


class MilestoneDateChange(models.Model):
    """One reschedule of a milestone: the audit trail behind its slip."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="date_changes")
    old_date = models.DateField()
    new_date = models.DateField()
    reason = models.TextField()
    changed_by = person()
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(old_date=F("new_date")), name="date_change_moves_date"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="date_change_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.milestone}: {self.old_date} → {self.new_date}"


class StatusUpdate(models.Model):
    """A dated project status post: the manager's word on its health."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_updates")
    health = models.CharField(max_length=16, choices=Health.choices)
    summary = models.TextField()
    author = person()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [choices_check("health", Health, "status_update_health_valid")]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.project}: {self.get_health_display()}"


class ActivityEvent(models.Model):
    """Append-only audit log of every change; also the outbox for notifications."""

    # None for an account event: a person's own API token or calendar feed.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, null=True, blank=True, related_name="activity"
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="activity"
    )
    actor = person()
    actor_name = models.CharField(
        max_length=200, blank=True, help_text="Who acted, kept even for external reviewers."
    )
    verb = models.CharField(max_length=64, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(max_length=255)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [before, after]}")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["project", "created_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name or 'system'} {self.verb} {self.target_repr}"


class Deletion(models.Model):
    """A row deleted through the services, with everything deleted with it: what a client
    keeping a copy of a workspace must drop (`GET /api/v1/deleted/`)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="deletions")
    type = models.CharField(max_length=32, help_text="The kind of row: project, milestone, …")
    object_id = models.PositiveBigIntegerField()
    external_id = models.CharField(max_length=200, blank=True)
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["deleted_at", "id"]
        indexes = [models.Index(fields=["workspace", "deleted_at"])]

    def __str__(self) -> str:
        return f"{self.type} {self.object_id} deleted"


class Comment(TimestampedModel):
    """A comment on a milestone or a deliverable."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    author = person()
    body = models.TextField()

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty")]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.target_type.model} {self.target_id}"


def hash_secret(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


class SecretQuerySet(models.QuerySet):
    def active(self, *, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )

    def presented(self, plain: str):
        """The active secret whose plain text was presented (at most one row)."""
        return self.active().filter(secret_hash=hash_secret(plain))


class HashedSecret(models.Model):
    """An unguessable, revocable secret with an optional expiry (API tokens, share links,
    calendar feeds). Only a SHA-256 hash and a short prefix (to recognise it in lists) are
    stored; the plain secret is shown once, when it is made."""

    # Starts the plain secret, so a leaked one says what it opens ("ms_…" is an API token).
    kind_mark = ""

    prefix = models.CharField(max_length=16, db_index=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SecretQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    def set_new_secret(self) -> str:
        """Give the row a fresh secret and return it in plain text (never stored)."""
        plain = f"{self.kind_mark}_{secrets.token_urlsafe(32)}"
        self.prefix, self.secret_hash = plain[: len(self.kind_mark) + 9], hash_secret(plain)
        return plain

    def mark_presented(self, field: str) -> None:
        """Record in `field` that the secret was just presented, at most once a minute: a
        busy integration or a much-visited share page should not write on every request."""
        now = timezone.now()
        last = getattr(self, field)
        if last is None or (now - last).total_seconds() > 60:
            type(self).objects.filter(pk=self.pk).update(**{field: now})
            setattr(self, field, now)


class ApiToken(HashedSecret):
    """A personal access token for the REST API (`Authorization: Bearer …`)."""

    kind_mark = "ms"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = one_line(100)
    read_only = models.BooleanField(default=False)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ShareLink(HashedSecret):
    """A read-only project dashboard for people without an account."""

    kind_mark = "sh"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="share_links")
    label = one_line(100, blank=True)
    allow_signoff = models.BooleanField(
        default=False,
        help_text="Visitors may approve or request changes on deliverables in review.",
    )
    created_by = person()
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label or f"Share link {self.prefix}…"


class CalendarFeed(HashedSecret):
    """A secret iCalendar URL: the user's own due dates, or one project's."""

    kind_mark = "cal"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feeds"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Calendar feed {self.prefix}… ({self.project or 'my work'})"


class Template(TimestampedModel):
    """A playbook: a campaign's shape with dates as day offsets, instantiated forward from
    a start date or backward from the date of its anchor milestone (launch, event, sale).

    Built-in playbooks have no workspace and a `key`; they are synced from
    projects/playbooks/library/ and are read-only for users."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, null=True, blank=True, related_name="templates"
    )
    key = models.SlugField(max_length=60, blank=True, help_text="Identifies a built-in playbook.")
    name = one_line(200)
    summary = models.TextField(blank=True)
    project_kind = models.CharField(
        max_length=32, choices=ProjectKind.choices, default=ProjectKind.OTHER
    )
    objective = models.TextField(blank=True)
    roles = models.JSONField(
        default=list, blank=True, help_text="Owner placeholders, e.g. ['Content lead']."
    )
    created_by = person()

    objects = TemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(workspace__isnull=True),
                name="template_builtin_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(workspace__isnull=False) | ~Q(key=""), name="template_builtin_has_key"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.workspace_id is None


class TemplatePhase(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="phases")
    name = one_line(120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "order", "id"]

    def __str__(self) -> str:
        return self.name


class TemplateMilestone(models.Model):
    """`offset_days` counts from the plan's day 0; the anchor is the date planned backward from."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="milestones")
    phase = models.ForeignKey(
        TemplatePhase, on_delete=models.CASCADE, null=True, blank=True, related_name="milestones"
    )
    title = one_line(200)
    description = models.TextField(blank=True)
    category = models.CharField(
        max_length=32, choices=MilestoneCategory.choices, default=MilestoneCategory.OTHER
    )
    offset_days = models.IntegerField()
    is_anchor = models.BooleanField(default=False)
    reminder_days = models.JSONField(null=True, blank=True, validators=[validate_lead_days])
    success_criteria = models.TextField(blank=True)
    kpi_name = one_line(80, blank=True, verbose_name="KPI")
    kpi_unit = one_line(24, blank=True, verbose_name="KPI unit")
    owner_role = models.CharField(max_length=80, blank=True)
    checklist = models.JSONField(default=list, blank=True)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents"
    )

    class Meta:
        ordering = ["template", "offset_days", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template"], condition=Q(is_anchor=True), name="template_one_anchor"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TemplateDeliverable(models.Model):
    """`offset_days` counts from the plan's day 0, like its milestone's."""

    milestone = models.ForeignKey(
        TemplateMilestone, on_delete=models.CASCADE, related_name="deliverables"
    )
    title = one_line(200)
    kind = models.CharField(max_length=32, default="other")
    offset_days = models.IntegerField()
    owner_role = models.CharField(max_length=80, blank=True)
    checklist = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["milestone", "offset_days", "id"]

    def __str__(self) -> str:
        return self.title
