"""Status digests: daily or weekly, at each person's local hour, never empty, never twice.

The hourly dispatch looks at everyone who gets a digest, works out their local time, and
for those whose hour (and weekday, for weekly) has come builds the digest of their
projects. The Notification key names the period (`digest:daily:2026-11-25`,
`digest:weekly:2026-W48`), so at most one digest per person per period exists.

Every date a digest shows is a date in its reader's timezone. One person's digest that
cannot be made (say, a timezone no longer known) is logged and skipped: the others are made.
"""

import logging
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from deliverables.models import Deliverable
from notifications.links import page_path
from notifications.models import DigestFrequency, Kind, Notification
from notifications.preferences import home_timezone, preference_for
from projects import permissions
from projects.models import Milestone, Project, Role, StatusUpdate
from projects.permissions import Action
from projects.querysets import milestone_at_risk
from projects.selectors.celebrations import project_completions

User = get_user_model()
logger = logging.getLogger(__name__)

ITEMS_PER_SECTION = 20
OPEN_PROJECT_STATUSES = (Project.Status.PLANNING, Project.Status.ACTIVE, Project.Status.ON_HOLD)
SECTIONS = (
    ("completed", "🎉 Reached since the last digest"),
    ("due_soon", "Due in the next 7 days"),
    ("overdue", "Overdue"),
    ("at_risk", "At risk"),
    ("status_updates", "New status updates"),
    ("awaiting_review", "Awaiting your review"),
)


def digest_period(
    *, now: datetime, timezone_name: str, frequency: str, weekday: int, hour: int
) -> str | None:
    """The period whose digest is due at `now` for this person, or None.

    Due once the local hour has come on a daily digest's day, or on the chosen weekday of
    a weekly one; the period names the local day or ISO week."""
    if frequency == DigestFrequency.NONE:
        return None
    local = now.astimezone(zoneinfo.ZoneInfo(timezone_name))
    if local.hour < hour:
        return None
    if frequency == DigestFrequency.DAILY:
        return f"daily:{local.date().isoformat()}"
    if local.weekday() != weekday:
        return None
    year, week, _ = local.isocalendar()
    return f"weekly:{year}-W{week:02d}"


def _milestone_item(row: dict) -> dict:
    return {
        "title": row["title"],
        "project": row["project__name"],
        "date": row["due_date"].isoformat(),
        "url": page_path("milestone", row["id"]),
    }


def digest_content(
    *, user, since: datetime, today: date, zone: tzinfo = UTC
) -> dict[str, list[dict]]:
    """What a digest tells `user` about the open projects they can see; moments (a status
    update's posting) are dated in `zone`, the reader's timezone."""
    projects = Project.objects.visible_to(user).filter(status__in=OPEN_PROJECT_STATUSES)
    milestones = Milestone.objects.filter(project__in=projects)
    fields = ("id", "title", "project__name", "due_date")
    limit = ITEMS_PER_SECTION
    # Most people review in no workspace: one look at their roles spares the deliverable scan.
    reviewing = list(
        permissions.workspaces_allowing(user, Action.DELIVERABLE_REVIEW).values_list(
            "pk", flat=True
        )
    )
    awaiting = Deliverable.objects.awaiting_review().filter(
        milestone__project__in=projects.filter(workspace_id__in=reviewing)
    )
    if not reviewing:
        awaiting = awaiting.none()  # runs no query
    content = {
        # Projects finished since (no longer open, so read from their completions), then
        # the milestones reached in the open ones.
        "completed": [
            {
                "title": f"{event.target_repr}: the whole project is complete",
                "project": event.target_repr,
                "date": event.created_at.astimezone(zone).date().isoformat(),
                "url": page_path("project", event.target_id),
            }
            for event in project_completions(user, since=since)[:limit]
        ]
        + [
            _milestone_item(row)
            for row in milestones.filter(status="completed", completed_at__gte=since)
            .order_by("-completed_at")
            .values(*fields)[:limit]
        ],
        "due_soon": [
            _milestone_item(row)
            for row in milestones.open()
            .filter(due_date__gte=today, due_date__lte=today + timedelta(days=7))
            .values(*fields)[:limit]
        ],
        "overdue": [
            _milestone_item(row) for row in milestones.overdue(today=today).values(*fields)[:limit]
        ],
        "at_risk": [
            _milestone_item(row)
            for row in milestones.filter(
                milestone_at_risk(
                    today=today, warning_window=F("project__workspace__warning_window_days")
                )
            ).values(*fields)[:limit]
        ],
        "status_updates": [
            {
                "title": f"{row['project__name']}: {row['summary'][:140]}",
                "project": row["project__name"],
                "date": row["created_at"].astimezone(zone).date().isoformat(),
                "url": page_path("project", row["project_id"]),
            }
            for row in StatusUpdate.objects.filter(project__in=projects, created_at__gte=since)
            .order_by("-created_at")
            .values("project_id", "project__name", "summary", "created_at")[:limit]
        ],
        "awaiting_review": [
            {
                "title": row["title"],
                "project": row["milestone__project__name"],
                "date": row["due_date"].isoformat() if row["due_date"] else "",
                "url": page_path("deliverable", row["id"], milestone_id=row["milestone_id"]),
            }
            for row in awaiting.values(
                "id", "title", "milestone_id", "milestone__project__name", "due_date"
            )[:limit]
        ],
    }
    return {name: items for name, items in content.items() if items}


@dataclass(frozen=True)
class Subscriber:
    user: object
    timezone: str
    frequency: str
    weekday: int
    hour: int


def subscribers() -> list[Subscriber]:
    """Everyone who gets a digest: by their choice, or stakeholders by default."""
    chosen = Q(notification_preference__digest__in=(DigestFrequency.DAILY, DigestFrequency.WEEKLY))
    viewer_default = Q(notification_preference__isnull=True, memberships__role=Role.VIEWER)
    users = (
        User.objects.filter(is_active=True)
        .filter(chosen | viewer_default)
        .exclude(email="")
        .select_related("notification_preference")
        .distinct()
    )
    result = []
    for user in users:
        preference = preference_for(user)
        result.append(
            Subscriber(
                user,
                # A saved preference without a timezone means "my workspace's".
                preference.timezone or home_timezone(user),
                preference.digest,
                preference.digest_weekday,
                preference.digest_hour,
            )
        )
    return result


def _due_periods(subscribers: list[Subscriber], now: datetime) -> list[tuple[Subscriber, str]]:
    due = []
    for subscriber in subscribers:
        try:
            period = digest_period(
                now=now,
                timezone_name=subscriber.timezone,
                frequency=subscriber.frequency,
                weekday=subscriber.weekday,
                hour=subscriber.hour,
            )
        except Exception:  # one person's bad settings must not stop everyone's digest
            logger.exception("No digest period for user %s", subscriber.user.pk)
            continue
        if period:
            due.append((subscriber, period))
    return due


def _create_digest(subscriber: Subscriber, *, period: str, since: datetime, now: datetime) -> bool:
    """Create the subscriber's digest for `period` unless it would be empty; whether it was."""
    zone = zoneinfo.ZoneInfo(subscriber.timezone)
    today = now.astimezone(zone).date()
    content = digest_content(user=subscriber.user, since=since, today=today, zone=zone)
    if not content:
        return False
    # Conflicts ignored: a concurrent dispatch may have made the same digest.
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=subscriber.user,
                kind=Kind.DIGEST,
                key=f"digest:{period}",
                title=f"Your {subscriber.frequency} Milestones digest for {today:%A %d %B}",
                url="/",
                data={"sections": content, "period": period},
                created_at=now,
                next_attempt_at=now,
            )
        ],
        ignore_conflicts=True,
    )
    return True


def dispatch_digests(*, now: datetime | None = None) -> int:
    """Create the digests due at `now` that are not empty and not yet made; returns how
    many this run made. A digest that fails is logged and the others are still made."""
    now = now or timezone.now()
    due = _due_periods(subscribers(), now)
    existing = set(
        Notification.objects.filter(
            kind=Kind.DIGEST, key__in={f"digest:{period}" for _, period in due}
        ).values_list("recipient_id", "key")
    )
    last_sent = dict(
        Notification.objects.filter(kind=Kind.DIGEST, recipient__in=[s.user for s, _ in due])
        .values_list("recipient_id")
        .annotate(last=Max("created_at"))
    )
    created = 0
    for subscriber, period in due:
        user = subscriber.user
        if (user.pk, f"digest:{period}") in existing:
            continue
        window = timedelta(days=1 if subscriber.frequency == DigestFrequency.DAILY else 7)
        since = last_sent.get(user.pk) or now - window
        try:
            # A savepoint: a database error in one digest leaves the caller's transaction usable.
            with transaction.atomic():
                created += _create_digest(subscriber, period=period, since=since, now=now)
        except Exception:
            logger.exception("The digest of user %s for %s failed", user.pk, period)
    return created
