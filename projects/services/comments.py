"""Comments on milestones and deliverables."""

from django.db import transaction

from milestones_site.services.editing import validate
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


COMMENT_WRITES = Writes(create=comment_post)
