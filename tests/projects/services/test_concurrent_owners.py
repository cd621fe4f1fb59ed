"""Two owners demoting each other at the same moment must not leave a workspace ownerless."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from projects.models import Role
from projects.services import workspaces as workspace_services
from tests.factories import MembershipFactory, WorkspaceFactory


@pytest.mark.django_db(transaction=True)
def test_owners_demoting_each_other_at_once_leave_one_owner():
    workspace = WorkspaceFactory()
    first = MembershipFactory(workspace=workspace, role=Role.OWNER)
    second = MembershipFactory(workspace=workspace, role=Role.OWNER)
    first_demoted, release = threading.Event(), threading.Event()
    outcome = {}

    def demote_first_and_hold():
        try:
            with transaction.atomic():
                workspace_services.membership_update(
                    membership=first, actor=None, data={"role": Role.MANAGER}
                )
                first_demoted.set()
                release.wait(timeout=10)
        finally:
            first_demoted.set()
            connection.close()

    def demote_second():
        try:
            workspace_services.membership_update(
                membership=second, actor=None, data={"role": Role.MANAGER}
            )
            outcome["second"] = "demoted"
        except ValidationError as error:
            outcome["second"] = error.message_dict
        finally:
            connection.close()

    holder = threading.Thread(target=demote_first_and_hold)
    holder.start()
    first_demoted.wait(timeout=10)
    rival = threading.Thread(target=demote_second)
    rival.start()
    rival.join(timeout=0.5)
    release.set()
    holder.join()
    rival.join()

    assert outcome["second"] == {
        "role": ["A workspace needs at least one owner; make someone else owner first."]
    }
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.role, second.role) == (Role.MANAGER, Role.OWNER)
