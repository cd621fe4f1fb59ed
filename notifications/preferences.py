"""Each person's notification choices, with the defaults that apply before they choose."""

import zoneinfo
from datetime import date, datetime

from django.db.models import OuterRef, Subquery

from notifications.models import DigestFrequency, NotificationPreference
from projects.models import Membership, Role


def local_today(now: datetime, timezone_name: str) -> date:
    """The calendar date at instant `now` where the person lives."""
    return now.astimezone(zoneinfo.ZoneInfo(timezone_name)).date()


def preference_timezone(user_ref: OuterRef) -> Subquery:
    """The timezone a person chose ('' when they did not), for a user id in a query."""
    chosen = NotificationPreference.objects.filter(user_id=user_ref).values("timezone")[:1]
    return Subquery(chosen)


def default_digest(user) -> str:
    """Stakeholders (viewers) get a weekly digest until they choose; others none."""
    is_viewer = Membership.objects.filter(user=user, role=Role.VIEWER).exists()
    return DigestFrequency.WEEKLY if is_viewer else DigestFrequency.NONE


def home_timezone(user) -> str:
    """The timezone of the person's first workspace: theirs until they choose one."""
    membership = Membership.objects.filter(user=user).select_related("workspace").first()
    return membership.workspace.timezone if membership else "UTC"


def preference_for(user) -> NotificationPreference:
    """The saved preferences, or unsaved defaults for someone who never chose."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(
            user=user, digest=default_digest(user), timezone=home_timezone(user)
        )
