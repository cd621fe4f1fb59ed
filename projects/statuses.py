"""Status groups that several modules agree on."""

# Deliverable statuses that count as done; the deliverables app builds its choices on them.
DELIVERABLE_DONE_STATUSES = ("approved", "delivered")

# Milestones in these statuses are no longer open work.
MILESTONE_CLOSED_STATUSES = ("completed", "cancelled")
