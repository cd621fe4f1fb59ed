"""Beat jobs of the REST kit."""

from celery import shared_task

from milestones_site.api import idempotency


@shared_task(name="milestones_site.api.tasks.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    """Forget the answers kept under Idempotency-Keys older than 24 hours (safe to run
    twice: what is gone stays gone)."""
    return idempotency.purge_expired()
