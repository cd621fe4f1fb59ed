"""Due-date reminders: before the due date at the lead days, and while overdue.

The scan is set-based. The instant `now` is a different calendar day in different
timezones, so it first collects every date on which a reminder could fall today for
anyone (each timezone in use, times each lead day or overdue offset in use: a few dozen dates),
then reads only the open milestones and deliverables due on those dates, with each
recipient's timezone annotated, in one query per model. Every reminder is a Notification
with a unique key inserted with conflicts ignored: a second scan, or two at once, adds
nothing, and a rescheduled item gets reminders for its new date.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import OuterRef
from django.utils import timezone

from deliverables.models import Deliverable
from notifications.links import page_path
from notifications.models import Kind, Notification, NotificationPreference
from notifications.preferences import local_today, preference_timezone
from projects.models import Milestone, Project, Workspace

INSERT_BATCH = 500
CLOSED_PROJECT_STATUSES = (Project.Status.COMPLETED, Project.Status.CANCELLED)


@dataclass(frozen=True)
class Occasion:
    kind: str
    lead: int  # days before the due date; negative: days overdue


def overdue_offsets(repeat_days: int, repeat_limit: int) -> list[int]:
    """Days overdue on which to remind: the day after, then every `repeat_days`, capped."""
    return [1 + n * repeat_days for n in range(repeat_limit)]


def occasion_on(
    *, due: date, today: date, lead_days: list[int], repeat_days: int, repeat_limit: int
) -> Occasion | None:
    """The reminder that falls on `today` (the recipient's date) for an item due on `due`."""
    days_left = (due - today).days
    if days_left >= 0:
        return Occasion(Kind.REMINDER_DUE, days_left) if days_left in lead_days else None
    if -days_left in overdue_offsets(repeat_days, repeat_limit):
        return Occasion(Kind.REMINDER_OVERDUE, days_left)
    return None


def candidate_dates(now: datetime) -> set[date]:
    """Every due date on which a reminder may fall at `now`, in any timezone in use."""
    zones = set(Workspace.objects.values_list("timezone", flat=True).distinct())
    zones |= set(
        NotificationPreference.objects.exclude(timezone="")
        .values_list("timezone", flat=True)
        .distinct()
    )
    settings_in_use = Workspace.objects.values_list(
        "reminder_lead_days", "overdue_repeat_days", "overdue_repeat_limit"
    ).distinct()
    offsets = {0}
    for lead_days, repeat_days, repeat_limit in settings_in_use:
        offsets.update(lead_days)
        offsets.update(-days for days in overdue_offsets(repeat_days, repeat_limit))
    overrides = Milestone.objects.open().filter(reminder_days__isnull=False)
    for lead_days in overrides.values_list("reminder_days", flat=True).distinct():
        offsets.update(lead_days)
    todays = {local_today(now, zone) for zone in zones}
    return {today + timedelta(days=offset) for today in todays for offset in offsets}


def _open_milestones():
    return Milestone.objects.open().exclude(project__status__in=CLOSED_PROJECT_STATUSES)


def _open_deliverables():
    return (
        Deliverable.objects.open()
        .exclude(milestone__status__in=Milestone.CLOSED_STATUSES)
        .exclude(milestone__project__status__in=CLOSED_PROJECT_STATUSES)
    )


def _milestone_rows(dates: set[date]):
    return (
        _open_milestones()
        .filter(due_date__in=dates)
        .annotate(
            owner_timezone=preference_timezone(OuterRef("owner_id")),
            project_owner_timezone=preference_timezone(OuterRef("project__owner_id")),
        )
        .values(
            "id",
            "title",
            "due_date",
            "reminder_days",
            "owner_id",
            "owner_timezone",
            "project__owner_id",
            "project_owner_timezone",
            "project__name",
            "project__workspace_id",
            "project__workspace__timezone",
            "project__workspace__reminder_lead_days",
            "project__workspace__overdue_repeat_days",
            "project__workspace__overdue_repeat_limit",
        )
    )


def _deliverable_rows(dates: set[date]):
    return (
        _open_deliverables()
        .filter(due_date__in=dates, owner__isnull=False)
        .annotate(owner_timezone=preference_timezone(OuterRef("owner_id")))
        .values(
            "id",
            "title",
            "due_date",
            "owner_id",
            "owner_timezone",
            "milestone_id",
            "milestone__reminder_days",
            "milestone__project__name",
            "milestone__project__workspace_id",
            "milestone__project__workspace__timezone",
            "milestone__project__workspace__reminder_lead_days",
            "milestone__project__workspace__overdue_repeat_days",
            "milestone__project__workspace__overdue_repeat_limit",
        )
    )


def reminder_title(title: str, occasion: Occasion, due: date) -> str:
    if occasion.kind == Kind.REMINDER_OVERDUE:
        days = -occasion.lead
        return f"“{title}” is {days} day{'s' if days != 1 else ''} overdue (due {due:%d %b})"
    if occasion.lead == 0:
        return f"“{title}” is due today"
    days = occasion.lead
    return f"“{title}” is due in {days} day{'s' if days != 1 else ''} ({due:%a %d %b})"


@dataclass(frozen=True)
class Recipient:
    user_id: int
    timezone: str  # '' until the person chooses: the workspace's applies
    overdue_only: bool = False


@dataclass(frozen=True)
class DueItem:
    """A milestone or deliverable read by the scan, with its workspace's reminder rules."""

    model: str
    pk: int
    milestone_id: int
    title: str
    due: date
    project_name: str
    workspace_id: int
    workspace_timezone: str
    lead_days: list[int]
    repeat_days: int
    repeat_limit: int
    recipients: list[Recipient]

    @classmethod
    def from_row(cls, model: str, row: dict, milestone_path: str, recipients: list[Recipient]):
        return cls(
            model=model,
            pk=row["id"],
            milestone_id=row.get("milestone_id", row["id"]),
            title=row["title"],
            due=row["due_date"],
            project_name=row[f"{milestone_path}project__name"],
            workspace_id=row[f"{milestone_path}project__workspace_id"],
            workspace_timezone=row[f"{milestone_path}project__workspace__timezone"],
            lead_days=row[f"{milestone_path}reminder_days"]
            if row[f"{milestone_path}reminder_days"] is not None
            else row[f"{milestone_path}project__workspace__reminder_lead_days"],
            repeat_days=row[f"{milestone_path}project__workspace__overdue_repeat_days"],
            repeat_limit=row[f"{milestone_path}project__workspace__overdue_repeat_limit"],
            recipients=recipients,
        )

    def reminders(self, now: datetime):
        """The reminders falling at `now`, one per recipient in their own timezone."""
        for recipient in self.recipients:
            occasion = occasion_on(
                due=self.due,
                today=local_today(now, recipient.timezone or self.workspace_timezone),
                lead_days=self.lead_days,
                repeat_days=self.repeat_days,
                repeat_limit=self.repeat_limit,
            )
            if occasion is None:
                continue
            if recipient.overdue_only and occasion.kind != Kind.REMINDER_OVERDUE:
                continue
            yield Notification(
                recipient_id=recipient.user_id,
                kind=occasion.kind,
                key=f"{occasion.kind}:{self.model}:{self.pk}:{self.due.isoformat()}:{occasion.lead}",
                workspace_id=self.workspace_id,
                subject_model=self.model,
                subject_id=self.pk,
                due_date=self.due,
                title=reminder_title(self.title, occasion, self.due),
                body=f"{self.model.capitalize()} in {self.project_name}.",
                url=page_path(self.model, self.pk, milestone_id=self.milestone_id),
                data={"lead": occasion.lead, "project": self.project_name},
                created_at=now,
                next_attempt_at=now,
            )


def due_items(now: datetime) -> list[DueItem]:
    """Open milestones and deliverables due on a date where a reminder may fall at `now`."""
    dates = candidate_dates(now)
    items = []
    for row in _milestone_rows(dates):
        recipients = [Recipient(row["owner_id"], row["owner_timezone"])] if row["owner_id"] else []
        project_owner = row["project__owner_id"]
        if project_owner and project_owner != row["owner_id"]:
            recipients.append(Recipient(project_owner, row["project_owner_timezone"], True))
        items.append(DueItem.from_row("milestone", row, "", recipients))
    for row in _deliverable_rows(dates):
        recipients = [Recipient(row["owner_id"], row["owner_timezone"])]
        items.append(DueItem.from_row("deliverable", row, "milestone__", recipients))
    return items


def due_reminders(now: datetime) -> list[Notification]:
    """Unsaved reminders falling at `now`: owners before and after the due date, project
    owners of overdue milestones too."""
    return [reminder for item in due_items(now) for reminder in item.reminders(now)]


@transaction.atomic
def reminder_scan(*, now: datetime | None = None) -> int:
    """Create the reminders due at `now` that do not exist yet; returns how many were due."""
    now = now or timezone.now()
    reminders = due_reminders(now)
    Notification.objects.bulk_create(reminders, batch_size=INSERT_BATCH, ignore_conflicts=True)
    return len(reminders)


def still_due(notifications: list[Notification]) -> set[int]:
    """Ids of the reminders whose item is still open and still due on the reminded date.

    Completing, cancelling or rescheduling an item makes its pending reminders moot."""
    reminders = [note for note in notifications if note.is_reminder]
    wanted: dict[str, set[int]] = {"milestone": set(), "deliverable": set()}
    for note in reminders:
        wanted[note.subject_model].add(note.subject_id)
    current = set()
    if wanted["milestone"]:
        rows = _open_milestones().filter(pk__in=wanted["milestone"])
        current |= {("milestone", pk, due) for pk, due in rows.values_list("pk", "due_date")}
    if wanted["deliverable"]:
        rows = _open_deliverables().filter(pk__in=wanted["deliverable"])
        current |= {("deliverable", pk, due) for pk, due in rows.values_list("pk", "due_date")}
    return {
        note.pk
        for note in reminders
        if (note.subject_model, note.subject_id, note.due_date) in current
    }
