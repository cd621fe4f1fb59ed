"""Comments on milestones and deliverables: posted by members, edited and deleted by their
author or a manager."""

from django.db import transaction

from milestones_site.services.editing import apply_edit, validate
from milestones_site.services.errors import invalid
from milestones_site.services.writes import Writes
from projects import activity, permissions
from projects.models import Comment
from projects.permissions import Action

COMMENT_TARGETS = {"projects.milestone", "deliverables.deliverable"}


@transaction.atomic
def comment_post(*, target, actor, body: str) -> Comment:
    """A comment on a milestone or a deliverable."""
    if target._meta.label_lower not in COMMENT_TARGETS:
        raise invalid(target="Comment on a milestone or a deliverable.")
    project = target.project
    permissions.ensure(actor, Action.COMMENT_POST, project.workspace)
    comment = Comment(project=project, target=target, author=actor, body=(body or "").strip())
    validate(comment, exclude=["target_type"])
    comment.save()
    activity.record(actor=actor, verb="comment.posted", target=target, data={"comment": comment.pk})
    return comment


def _ensure_may_change(comment: Comment, actor) -> None:
    permissions.ensure_author_or_moderator(
        actor,
        author_id=comment.author_id,
        posting=Action.COMMENT_POST,
        workspace=comment.project.workspace,
    )


@transaction.atomic
def comment_edit(
    *, comment: Comment, actor, data: dict, expected_version: int | None = None
) -> Comment:
    """The author (while still a member) or a manager rewrites a comment's body."""
    _ensure_may_change(comment, actor)
    if "body" in data:
        data = {**data, "body": (data["body"] or "").strip()}
    comment, changes = apply_edit(
        comment, data, editable=("body",), expected_version=expected_version
    )
    if changes:
        comment.save()
        activity.record(
            actor=actor,
            verb="comment.edited",
            target=comment.target,
            changes=changes,
            data={"comment": comment.pk},
        )
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor) -> None:
    """The author (while still a member) or a manager removes a comment."""
    _ensure_may_change(comment, actor)
    activity.record_deletion(
        comment, actor=actor, target=comment.target, data={"comment": comment.pk}
    )


COMMENT_WRITES = Writes(create=comment_post, update=comment_edit, delete=comment_delete)
