"""Writes to workspaces, their members and their clients.

Each service checks the actor's permission (projects.permissions), validates before it
saves, runs in one transaction and records an ActivityEvent."""

from django.db import transaction
from django.utils.text import slugify

from milestones_site.services.editing import apply_changes, apply_edit, lock_for_update, validate
from milestones_site.services.errors import invalid
from milestones_site.services.writes import Writes
from projects import activity, permissions
from projects.models import Client, Membership, Role, Workspace
from projects.permissions import Action

WORKSPACE_FIELDS = (
    "name",
    "timezone",
    "reminder_lead_days",
    "overdue_repeat_days",
    "overdue_repeat_limit",
    "warning_window_days",
    "weekly_load_limit",
)
MEMBERSHIP_FIELDS = ("role",)
CLIENT_FIELDS = ("name", "contact_email")


@transaction.atomic
def workspace_create(*, actor, name: str, slug: str = "", timezone: str = "UTC") -> Workspace:
    """A new workspace; its creator becomes its owner."""
    workspace = Workspace(name=name, slug=slug or slugify(name)[:60], timezone=timezone)
    validate(workspace)
    workspace.save()
    Membership.objects.create(user=actor, workspace=workspace, role=Role.OWNER)
    permissions.forget_roles(actor)
    activity.record(actor=actor, verb="workspace.created", target=workspace)
    return workspace


@transaction.atomic
def workspace_update(
    *, workspace: Workspace, actor, data: dict, expected_version: int | None = None
) -> Workspace:
    """Owners rename a workspace and set its timezone and reminder defaults; its slug is
    fixed once made."""
    permissions.ensure(actor, Action.WORKSPACE_UPDATE, workspace)
    workspace, changes = apply_edit(
        workspace, data, editable=WORKSPACE_FIELDS, expected_version=expected_version
    )
    return activity.save_recorded(workspace, changes, actor=actor, verb="workspace.updated")


def ensure_role(role: str) -> None:
    """A role is one of the four (owner, manager, member, viewer)."""
    if role not in Role.values:
        raise invalid(role=f"Choose one of: {', '.join(Role.values)}.")


def ensure_member(workspace: Workspace, user, field: str) -> None:
    """`user` (who owns something, say) must be a member of the workspace."""
    if user is not None and not Membership.objects.filter(workspace=workspace, user=user).exists():
        raise invalid(**{field: f"{user} is not a member of {workspace}."})


@transaction.atomic
def membership_add(*, workspace: Workspace, user, role: str, actor) -> Membership:
    """Owners add a person to the workspace, once, with one of the roles."""
    permissions.ensure(actor, Action.MEMBERSHIP_MANAGE, workspace)
    ensure_role(role)
    if Membership.objects.filter(workspace=workspace, user=user).exists():
        raise invalid(user=f"{user} is already a member of {workspace}.")
    membership = Membership.objects.create(workspace=workspace, user=user, role=role)
    permissions.forget_roles(user)
    activity.record(
        actor=actor, verb="membership.added", target=workspace, data={"user": user.pk, "role": role}
    )
    return membership


def _ensure_an_owner_remains(membership: Membership) -> None:
    # Two owners demoting each other at once must not both pass the check: the workspace
    # row lock makes owner changes of one workspace take turns.
    Workspace.objects.select_for_update().only("pk").get(pk=membership.workspace_id)
    owners = Membership.objects.filter(workspace=membership.workspace_id, role=Role.OWNER)
    if membership.role == Role.OWNER and not owners.exclude(pk=membership.pk).exists():
        raise invalid(role="A workspace needs at least one owner; make someone else owner first.")


@transaction.atomic
def membership_update(
    *, membership: Membership, actor, data: dict, expected_version: int | None = None
) -> Membership:
    """Owners change a member's role (the only thing that changes on a membership); the
    last owner cannot step down."""
    permissions.ensure(actor, Action.MEMBERSHIP_MANAGE, membership.workspace)
    if "role" in data:
        ensure_role(data["role"])
    membership = lock_for_update(membership, expected_version)
    if data.get("role", membership.role) != Role.OWNER:
        _ensure_an_owner_remains(membership)
    changes = apply_changes(membership, data, editable=MEMBERSHIP_FIELDS)
    if not changes:
        return membership
    membership.save(update_fields=["role", "updated_at"])
    permissions.forget_roles(membership.user)
    activity.record(
        actor=actor,
        verb="membership.role_changed",
        target=membership.workspace,
        changes=changes,
        data={"user": membership.user_id},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    """Owners remove a member; the last owner cannot leave."""
    permissions.ensure(actor, Action.MEMBERSHIP_MANAGE, membership.workspace)
    _ensure_an_owner_remains(membership)
    workspace, user = membership.workspace, membership.user
    activity.delete_recorded(membership, workspace_id=workspace.pk)
    permissions.forget_roles(user)
    activity.record(
        actor=actor, verb="membership.removed", target=workspace, data={"user": user.pk}
    )


def _ensure_unique_client_name(client: Client) -> None:
    clash = Client.objects.filter(workspace=client.workspace_id, name__iexact=client.name)
    if clash.exclude(pk=client.pk).exists():
        raise invalid(name=f"A client named “{client.name}” already exists.")


@transaction.atomic
def client_create(*, workspace: Workspace, actor, name: str, contact_email: str = "") -> Client:
    """Managers add a client; names are unique in a workspace, whatever their case."""
    permissions.ensure(actor, Action.CLIENT_EDIT, workspace)
    client = Client(workspace=workspace, name=name, contact_email=contact_email)
    validate(client)
    _ensure_unique_client_name(client)
    client.save()
    activity.record(actor=actor, verb="client.created", target=client)
    return client


@transaction.atomic
def client_update(
    *, client: Client, actor, data: dict, expected_version: int | None = None
) -> Client:
    """Managers rename a client or change its contact; names stay unique."""
    permissions.ensure(actor, Action.CLIENT_EDIT, client.workspace)
    client, changes = apply_edit(
        client, data, editable=CLIENT_FIELDS, expected_version=expected_version
    )
    _ensure_unique_client_name(client)
    return activity.save_recorded(client, changes, actor=actor, verb="client.updated")


@transaction.atomic
def client_delete(*, client: Client, actor) -> None:
    """Managers delete a client; its projects stay, without a client."""
    permissions.ensure(actor, Action.CLIENT_EDIT, client.workspace)
    activity.record_deletion(
        client, actor=actor, target=client.workspace, data={"client": client.name}
    )


WORKSPACE_WRITES = Writes(create=workspace_create, update=workspace_update)
MEMBERSHIP_WRITES = Writes(
    create=membership_add,
    update=membership_update,
    delete=membership_remove,
    editable=MEMBERSHIP_FIELDS,
)
CLIENT_WRITES = Writes(create=client_create, update=client_update, delete=client_delete)
