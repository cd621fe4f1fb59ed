"""Review rounds: submitting a deliverable for review opens a round on its latest version;
approving or requesting changes closes it with the decision, the reviewer, their note and
the version they saw. Only the latest version can be approved or sent back.

The review-cycle moves (deliverables.services.deliverables) call these inside their own
transaction; nothing else opens or closes a round."""

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone

from deliverables.models import Deliverable, DeliverableVersion, ReviewDecision, ReviewRound
from milestones_site.services.errors import invalid
from projects.models import ShareLink

DECISIONS = {
    "approve": ReviewDecision.APPROVED,
    "request_changes": ReviewDecision.CHANGES_REQUESTED,
}


def ensure_link_reaches(link: ShareLink, deliverable: Deliverable) -> None:
    """A client acts through a share link only while it is active and allows sign-off, and
    only on deliverables of its project (any other does not exist for the link)."""
    if not link.is_active:
        raise PermissionDenied("This share link was revoked or has expired.")
    if not link.allow_signoff:
        raise PermissionDenied("This link does not allow sign-off.")
    if deliverable.milestone.project_id != link.project_id:
        raise Deliverable.DoesNotExist("There is no such deliverable on this link.")


def latest_version(deliverable: Deliverable) -> DeliverableVersion | None:
    return deliverable.versions.order_by("-number").first()


def version_to_decide(deliverable: Deliverable, version_seen: int | None):
    """The version a decision is about: the latest one. A reviewer who saw an older
    version (`version_seen`, its number) is refused: they must look at the latest first."""
    latest = latest_version(deliverable)
    if version_seen is not None and (latest is None or latest.number != version_seen):
        now = f"v{latest.number} is the latest" if latest else "it has no files"
        raise invalid(
            version_seen=f"You reviewed v{version_seen}, but {now}: review that version first."
        )
    return latest


def review_round_open(*, deliverable: Deliverable, actor) -> ReviewRound:
    """A new round on the deliverable's latest version (called on submit)."""
    last = deliverable.review_rounds.aggregate(last=Max("number"))["last"] or 0
    return ReviewRound.objects.create(
        deliverable=deliverable,
        number=last + 1,
        opened_on=latest_version(deliverable),
        opened_by=actor,
    )


def review_round_close(
    *,
    deliverable: Deliverable,
    move: str,
    actor,
    version: DeliverableVersion | None,
    note: str = "",
    reviewer_name: str = "",
    reviewer_email: str = "",
) -> ReviewRound | None:
    """Close the open round with the decision; None when none is open (a deliverable that
    went into review before rounds existed)."""
    review_round = deliverable.review_rounds.filter(closed_at__isnull=True).first()
    if review_round is None:
        return None
    review_round.decision = DECISIONS[move]
    review_round.reviewer = actor
    review_round.reviewer_name = reviewer_name
    review_round.reviewer_email = reviewer_email
    review_round.note = note
    review_round.version_seen = version
    review_round.closed_at = timezone.now()
    review_round.save()
    return review_round
