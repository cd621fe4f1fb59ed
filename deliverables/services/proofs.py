"""Comments on a version of a deliverable, optionally pinned to a point of one of its files
(a page, and x, y as fractions of the preview's width and height), by members or by a
client through a share link; members resolve and reopen them. The uploader of the version
hears of each comment (the event names them for the notifications app)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from deliverables.models import Deliverable, DeliverableVersion, ProofComment, ProofFile
from deliverables.services import reviews
from milestones_site.services.editing import validate
from milestones_site.services.errors import invalid
from milestones_site.services.writes import Writes
from projects import activity, permissions
from projects.models import ShareLink
from projects.permissions import Action


def _pin(version: DeliverableVersion, file: ProofFile | None, page, x, y) -> dict:
    """The pin's fields, checked: a file of this version, a page it has, a point on it."""
    if file is None:
        if any(value is not None for value in (page, x, y)):
            raise invalid(file="Say which file the point is on.")
        return {}
    if file.version_id != version.pk:
        raise invalid(file="That file is not part of this version.")
    page = page or 1
    if page > max(file.page_count, 1):
        raise invalid(page=f"“{file.name}” has {max(file.page_count, 1)} page(s).")
    if x is None or y is None or not (0 <= x <= 1 and 0 <= y <= 1):
        raise invalid(x="A pin's x and y are fractions of the preview, from 0 to 1.")
    return {"file": file, "page": page, "x": x, "y": y}


def _post(
    *, version: DeliverableVersion, actor, body: str, pin: dict, name: str = "", email: str = ""
) -> ProofComment:
    body = (body or "").strip()
    if not body:
        raise invalid(body="Write the comment first.")
    # Numbers are per version, so lock the version while taking the next one.
    version = DeliverableVersion.objects.select_for_update().get(pk=version.pk)
    number = (version.comments.aggregate(last=Max("number"))["last"] or 0) + 1
    comment = ProofComment(
        on_version=version,
        number=number,
        body=body,
        author=actor,
        author_name=name,
        author_email=email,
        **pin,
    )
    validate(comment, exclude=["on_version", "file", "author", "resolved_by"])
    comment.save()
    data = {
        "version": version.number,
        "comment": number,
        "pinned": comment.is_pinned,
        "uploaded_by": version.uploaded_by_id,
        "note": body[:500],
    }
    if not actor:
        data |= {"reviewer_name": name, "reviewer_email": email, "external": True}
    activity.record(
        actor=actor,
        actor_name=name,
        verb="proof_comment.posted",
        target=Deliverable.objects.get(pk=version.deliverable_id),
        data=data,
    )
    return comment


@transaction.atomic
def proof_comment_post(
    *,
    version: DeliverableVersion,
    actor,
    body: str,
    file: ProofFile | None = None,
    page: int | None = None,
    x: float | None = None,
    y: float | None = None,
) -> ProofComment:
    """A member comments on a version, pinned to a point of one of its files or not."""
    permissions.ensure(actor, Action.COMMENT_POST, version.deliverable.milestone.project.workspace)
    return _post(version=version, actor=actor, body=body, pin=_pin(version, file, page, x, y))


@transaction.atomic
def proof_comment_post_by_client(
    *,
    link: ShareLink,
    version: DeliverableVersion,
    reviewer_name: str,
    reviewer_email: str = "",
    body: str,
    file: ProofFile | None = None,
    page: int | None = None,
    x: float | None = None,
    y: float | None = None,
) -> ProofComment:
    """A client comments through a share link that allows sign-off, on a deliverable of its
    project awaiting sign-off, giving their name."""
    deliverable = version.deliverable
    reviews.ensure_link_reaches(link, deliverable)
    if deliverable.status != Deliverable.Status.IN_REVIEW:
        raise invalid(body="Comments are open while the deliverable awaits your sign-off.")
    name = (reviewer_name or "").strip()
    if not name:
        raise invalid(reviewer_name="Tell us who is commenting.")
    return _post(
        version=version,
        actor=None,
        body=body,
        pin=_pin(version, file, page, x, y),
        name=name[:200],
        email=(reviewer_email or "").strip(),
    )


@transaction.atomic
def proof_comment_resolve(*, comment: ProofComment, actor, resolved: bool = True) -> ProofComment:
    """Mark a comment resolved (or open again), with who resolved it and when."""
    workspace = comment.on_version.deliverable.milestone.project.workspace
    permissions.ensure(actor, Action.COMMENT_POST, workspace)
    comment = ProofComment.objects.select_for_update().get(pk=comment.pk)
    if comment.is_resolved == resolved:
        return comment
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = actor if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
    activity.record(
        actor=actor,
        verb="proof_comment.resolved" if resolved else "proof_comment.reopened",
        target=comment.on_version.deliverable,
        data={"version": comment.on_version.number, "comment": comment.number},
    )
    return comment


def proof_comment_update(
    *, comment: ProofComment, actor, data: dict, expected_version: int | None = None
) -> ProofComment:
    """Only whether a comment is resolved changes once it is posted."""
    unknown = sorted(set(data) - {"resolved"})
    if unknown:
        raise invalid(**dict.fromkeys(unknown, "This field cannot be changed here."))
    return proof_comment_resolve(
        comment=comment, actor=actor, resolved=data.get("resolved", comment.is_resolved)
    )


PROOF_COMMENT_WRITES = Writes(
    create=proof_comment_post,
    update=proof_comment_update,
    editable=("resolved",),
    row_arg="comment",
)
