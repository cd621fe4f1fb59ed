"""Celery tasks of the plan's data: small and safe to run twice."""

import logging

from celery import shared_task

from deliverables.rollups import recompute_everything

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def check_rollups() -> int:
    """Beat's daily check that no stored roll-up drifted from its rows; repairs and logs
    any difference (a service that forgot a refresh is a bug to find)."""
    differences = recompute_everything(repair=True)
    for difference in differences:
        logger.error("Roll-up drift repaired: %s", difference)
    return len(differences)
