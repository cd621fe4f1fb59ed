"""Celery tasks of deliverables: previews of uploaded files, and the daily check of the
stored roll-ups. They take ids (or nothing) and are safe to run twice (a file whose
previews exist is left as it is)."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from deliverables.models import PreviewState, ProofFile
from deliverables.rollups import recompute_everything
from deliverables.services.versions import proof_file_make_previews
from milestones_site.services.publishing import enqueue

logger = logging.getLogger(__name__)

IDEMPOTENT = {"acks_late": True, "reject_on_worker_lost": True}
# An upload's own doorbell normally rings within a second of its commit.
SWEEP_GRACE = timedelta(minutes=2)


@shared_task(**IDEMPOTENT)
def make_previews(file_id: int) -> str:
    return proof_file_make_previews(file_id=file_id)


@shared_task(**IDEMPOTENT)
def sweep_pending_previews() -> int:
    """Ring again for files whose previews are still pending a while after their upload
    (the broker was down when they were uploaded, or a worker died on them)."""
    waiting = ProofFile.objects.filter(
        preview_state=PreviewState.PENDING, created_at__lt=timezone.now() - SWEEP_GRACE
    ).values_list("pk", flat=True)
    for file_id in waiting:
        enqueue(make_previews, file_id)
    return len(waiting)


def on_previews_wanted(sender, file_ids: list[int], **kwargs) -> None:
    for file_id in file_ids:
        enqueue(make_previews, file_id)


@shared_task(**IDEMPOTENT)
def check_rollups() -> int:
    """Beat's daily check that no stored roll-up drifted from its rows; repairs and logs
    any difference (a service that forgot a refresh is a bug to find)."""
    differences = recompute_everything(repair=True)
    for difference in differences:
        logger.error("Roll-up drift repaired: %s", difference)
    return len(differences)
