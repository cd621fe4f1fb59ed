"""Checklist roll-ups of deliverables: how many items each has and how many are done, kept
by the checklist services in the same transaction as the change (see projects.rollups)."""

from collections.abc import Iterable

from django.db.models import Count, Q

from deliverables.models import ChecklistItem, Deliverable
from projects import rollups as projects_rollups
from projects.rollups import Drift, drift, store

CHECKLIST_ROLLUPS = ("checklist_total", "checklist_done")


def checklist_rollups(deliverable_ids: Iterable[int]) -> dict[int, dict]:
    """The checklist counts of these deliverables, in one query."""
    ids = set(deliverable_ids)
    found = {pk: {"checklist_total": 0, "checklist_done": 0} for pk in ids}
    counts = (
        ChecklistItem.objects.filter(deliverable_id__in=ids)
        .order_by()
        .values("deliverable_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(done=True)))
    )
    for row in counts:
        found[row["deliverable_id"]] = {
            "checklist_total": row["total"],
            "checklist_done": row["done"],
        }
    return found


def refresh_checklists(deliverable_ids: Iterable[int]) -> None:
    store(Deliverable, checklist_rollups(deliverable_ids), CHECKLIST_ROLLUPS)


def recompute(*, repair: bool = False, chunk: int = 2000) -> list[Drift]:
    """Every deliverable's checklist counts from scratch: what differs (fixed with `repair`)."""
    differences = []
    ids = list(Deliverable.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        found = checklist_rollups(ids[start : start + chunk])
        differences += drift(Deliverable, found, CHECKLIST_ROLLUPS)
        if repair:
            store(Deliverable, found, CHECKLIST_ROLLUPS)
    return differences


def recompute_everything(*, repair: bool = False) -> list[Drift]:
    """Every roll-up of both apps from scratch (projects.rollups, then the checklists)."""
    return projects_rollups.recompute(repair=repair) + recompute(repair=repair)
