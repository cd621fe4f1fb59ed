"""Who may read or change what: the one place that decides.

Every member of a workspace reads everything in it. Changes need a minimum role per
action, listed in ACTION_MIN_ROLE. Superusers may do anything; `actor=None` is the system
(tasks, commands) and is trusted. Anything outside a user's workspaces is invisible:
callers turn a missing row into a 404, never a 403.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, QuerySet, Subquery

from projects.models import Membership, Role, Workspace

ROLE_RANK = {Role.VIEWER: 0, Role.MEMBER: 1, Role.MANAGER: 2, Role.OWNER: 3}


class Action(StrEnum):
    WORKSPACE_UPDATE = "workspace.update"
    MEMBERSHIP_MANAGE = "membership.manage"
    CLIENT_EDIT = "client.edit"
    PROJECT_CREATE = "project.create"
    PROJECT_UPDATE = "project.update"
    PROJECT_DELETE = "project.delete"
    PHASE_EDIT = "phase.edit"
    MILESTONE_CREATE = "milestone.create"
    MILESTONE_UPDATE = "milestone.update"
    MILESTONE_DELETE = "milestone.delete"
    MILESTONE_RESCHEDULE = "milestone.reschedule"
    MILESTONE_REBASELINE = "milestone.rebaseline"
    MILESTONE_COMPLETE = "milestone.complete"
    MILESTONE_FORCE_COMPLETE = "milestone.force_complete"
    DELIVERABLE_EDIT = "deliverable.edit"
    DELIVERABLE_DELETE = "deliverable.delete"
    DELIVERABLE_REVIEW = "deliverable.review"
    CHECKLIST_EDIT = "checklist.edit"
    STATUS_UPDATE_POST = "status_update.post"
    COMMENT_POST = "comment.post"
    POST_MODERATE = "post.moderate"


ACTION_MIN_ROLE: dict[Action, Role] = {
    Action.WORKSPACE_UPDATE: Role.OWNER,
    Action.MEMBERSHIP_MANAGE: Role.OWNER,
    Action.CLIENT_EDIT: Role.MANAGER,
    Action.PROJECT_CREATE: Role.MANAGER,
    Action.PROJECT_UPDATE: Role.MANAGER,
    Action.PROJECT_DELETE: Role.MANAGER,
    Action.PHASE_EDIT: Role.MANAGER,
    Action.MILESTONE_CREATE: Role.MEMBER,
    Action.MILESTONE_UPDATE: Role.MEMBER,
    Action.MILESTONE_DELETE: Role.MANAGER,
    Action.MILESTONE_RESCHEDULE: Role.MEMBER,
    Action.MILESTONE_REBASELINE: Role.MANAGER,
    Action.MILESTONE_COMPLETE: Role.MEMBER,
    Action.MILESTONE_FORCE_COMPLETE: Role.MANAGER,
    Action.DELIVERABLE_EDIT: Role.MEMBER,
    Action.DELIVERABLE_DELETE: Role.MANAGER,
    Action.DELIVERABLE_REVIEW: Role.MANAGER,
    Action.CHECKLIST_EDIT: Role.MEMBER,
    Action.STATUS_UPDATE_POST: Role.MANAGER,
    Action.COMMENT_POST: Role.MEMBER,
    # Edit or delete someone else's comment or status update (authors change their own).
    Action.POST_MODERATE: Role.MANAGER,
}


def workspaces_allowing(user, action: Action) -> QuerySet:
    """The workspaces in which `user` may perform `action`, in one query."""
    if user is not None and (not user.is_authenticated or not user.is_active):
        return Workspace.objects.none()
    if user is None or user.is_superuser:
        return Workspace.objects.all()
    needed = ROLE_RANK[ACTION_MIN_ROLE[action]]
    roles = [role for role, rank in ROLE_RANK.items() if rank >= needed]
    return Workspace.objects.filter(memberships__user=user, memberships__role__in=roles)


def workspaces_with_roles(user) -> list[Workspace]:
    """The workspaces `user` reads, by name, in one query that also primes `role_in`'s cache
    for each of them (`member_role` is annotated: None where a superuser is not a member).
    Kept on the user object, which lives for one request, until `forget_roles`."""
    if not user.is_authenticated:
        return []
    if "_readable_workspaces" in user.__dict__:
        return user.__dict__["_readable_workspaces"]
    if user.is_superuser:
        member = Membership.objects.filter(user=user, workspace=OuterRef("pk"))
        workspaces = list(
            Workspace.objects.annotate(member_role=Subquery(member.values("role")[:1]))
        )
    else:
        workspaces = memberships_of(user)
    roles = user.__dict__.setdefault("_workspace_roles", {})
    roles.update({w.pk: Role(w.member_role) if w.member_role else None for w in workspaces})
    user.__dict__["_readable_workspaces"] = workspaces
    return workspaces


def memberships_of(user) -> list[Workspace]:
    """The workspaces `user` is a member of, by name, each with its `member_role`."""
    workspaces = Workspace.objects.filter(memberships__user=user)
    return list(workspaces.annotate(member_role=F("memberships__role")).order_by("name", "id"))


def forget_roles(user) -> None:
    """Drop the roles remembered on `user` (after their memberships changed)."""
    if user is not None:
        user.__dict__.pop("_workspace_roles", None)
        user.__dict__.pop("_readable_workspaces", None)


def role_in(user, workspace: Workspace) -> Role | None:
    """The user's role in the workspace, or None when not a member."""
    if user is None or not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_workspace_roles", {})
    if workspace.pk not in cache:
        role = (
            Membership.objects.filter(user=user, workspace=workspace)
            .values_list("role", flat=True)
            .first()
        )
        cache[workspace.pk] = Role(role) if role else None
    return cache[workspace.pk]


def can(user, action: Action, workspace: Workspace) -> bool:
    if user is None:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    role = role_in(user, workspace)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[ACTION_MIN_ROLE[action]]


def can_read(user, workspace: Workspace) -> bool:
    return (
        user is None or getattr(user, "is_superuser", False) or role_in(user, workspace) is not None
    )


def ensure_author_or_moderator(user, *, author_id, posting: Action, workspace: Workspace) -> None:
    """A comment or status update is changed by its author, while their role still allows
    `posting` it, or by a manager (POST_MODERATE); anyone else is refused."""
    if user is not None and user.pk == author_id and can(user, posting, workspace):
        return
    if not can(user, Action.POST_MODERATE, workspace):
        raise PermissionDenied("Only its author or a manager can change this.")


def ensure(user, action: Action, workspace: Workspace) -> None:
    """Raise PermissionDenied unless `user` may perform `action` in `workspace`."""
    if not can(user, action, workspace):
        raise PermissionDenied(f"Your role in {workspace.name} does not allow this ({action}).")
