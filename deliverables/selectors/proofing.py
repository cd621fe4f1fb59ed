"""Reads for the proofing of a deliverable: its versions with their files and comments, its
review rounds, the change request that still stands, and two versions side by side. A
fixed number of queries whatever the number of versions, files, comments and rounds."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from deliverables.models import Deliverable, DeliverableVersion, FileKind, ReviewRound


@dataclass
class Proofing:
    deliverable: Deliverable
    versions: list[DeliverableVersion]
    rounds: list[ReviewRound]
    comparison: tuple[DeliverableVersion, DeliverableVersion] | None

    @property
    def latest(self) -> DeliverableVersion | None:
        return self.versions[0] if self.versions else None

    @property
    def open_round(self) -> ReviewRound | None:
        return next((r for r in self.rounds if r.is_open), None)

    @property
    def standing_change_request(self) -> ReviewRound | None:
        return standing_change_request(self.rounds, self.latest and self.latest.created_at)

    @property
    def comparable(self) -> list[DeliverableVersion]:
        """Versions whose first file is an image with its preview made."""
        return [version for version in self.versions if first_image(version)]


def first_image(version: DeliverableVersion):
    return next((f for f in version.files.all() if f.kind == FileKind.IMAGE and f.page_count), None)


def standing_change_request(
    rounds: list[ReviewRound], last_upload: datetime | None
) -> ReviewRound | None:
    """The last decided round when it asked for changes and no version came after it: its
    note stands on the deliverable until the next version is uploaded."""
    decided = next((r for r in rounds if not r.is_open), None)
    if decided is None or decided.decision != ReviewRound.Decision.CHANGES_REQUESTED:
        return None
    if last_upload is not None and last_upload > decided.closed_at:
        return None
    return decided


def _comparison(versions, compare: tuple[int, int] | None):
    by_number = {version.number: version for version in versions if first_image(version)}
    if compare is None:
        return None
    left, right = (by_number.get(number) for number in compare)
    if left is None or right is None or left is right:
        return None
    return left, right


def deliverable_proofing(
    *, user, deliverable_id: int, compare: tuple[int, int] | None = None
) -> Proofing:
    """The deliverable (404 outside the user's workspaces) with everything its page shows;
    `compare` names two versions (by number) of images to show side by side."""
    deliverable = (
        Deliverable.objects.visible_to(user)
        .select_related("milestone__project__workspace", "owner", "approved_by")
        .filter(pk=deliverable_id)
        .first()
    )
    if deliverable is None:
        raise Deliverable.DoesNotExist
    versions = list(DeliverableVersion.objects.filter(deliverable=deliverable).for_review())
    rounds = list(ReviewRound.objects.filter(deliverable=deliverable).history())
    return Proofing(
        deliverable=deliverable,
        versions=versions,
        rounds=rounds,
        comparison=_comparison(versions, compare),
    )


@dataclass
class ReviewHistory:
    rounds: list[ReviewRound]
    standing_change_request: ReviewRound | None


def review_histories(deliverables: list[Deliverable]) -> dict[int, ReviewHistory]:
    """The rounds of each of `deliverables` (already read within the reader's scope),
    newest first, and the change request that stands on it: two queries for any number."""
    rounds: dict[int, list[ReviewRound]] = {d.pk: [] for d in deliverables}
    for review_round in ReviewRound.objects.filter(deliverable__in=deliverables).history():
        rounds[review_round.deliverable_id].append(review_round)
    last_uploads = dict(
        DeliverableVersion.objects.filter(deliverable__in=deliverables)
        .values("deliverable_id")
        .annotate(last=Max("created_at"))
        .values_list("deliverable_id", "last")
    )
    return {
        pk: ReviewHistory(its_rounds, standing_change_request(its_rounds, last_uploads.get(pk)))
        for pk, its_rounds in rounds.items()
    }
