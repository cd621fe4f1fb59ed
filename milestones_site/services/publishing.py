"""Publishing Celery tasks from a service's transaction: after it commits, never inside it."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> None:
    """Publish `task(*args)` once the current transaction commits (nothing if it rolls back).

    A broker outage is logged, not raised: the database rows are the truth."""

    def publish():
        try:
            task.apply_async(args=args, retry=False)
        except Exception as error:  # kombu wraps every transport failure differently
            logger.warning("Broker unavailable, %s left for the sweep: %s", task.name, error)

    transaction.on_commit(publish)
