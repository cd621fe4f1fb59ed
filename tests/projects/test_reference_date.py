"""The one date an API request derives overdue and health for (projects.models.reference_date)."""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from projects.models import Role, reference_date
from projects.permissions import workspaces_with_roles
from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory

# 20:00 UTC: already the next day at UTC+14, still the same day at UTC-12.
NOW = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)


@pytest.fixture
def caller(db, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return UserFactory()


def member_of(user, *zones: str) -> None:
    for zone in zones:
        MembershipFactory(workspace=WorkspaceFactory(timezone=zone), user=user, role=Role.VIEWER)


def test_workspaces_sharing_a_timezone_give_its_date(caller):
    member_of(caller, "Pacific/Kiritimati", "Pacific/Kiritimati")
    assert reference_date(workspaces_with_roles(caller)) == date(2026, 6, 2)


def test_workspaces_spanning_timezones_give_the_utc_date(caller):
    # Two workspaces of one timezone must not hide a third of another.
    member_of(caller, "Pacific/Kiritimati", "Pacific/Kiritimati", "Etc/GMT+12")
    assert reference_date(workspaces_with_roles(caller)) == date(2026, 6, 1)
