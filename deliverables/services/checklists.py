"""Checklists: ordered items on a deliverable or directly on a milestone, ticked with who
and when. An item's text is fixed once added (add a new one instead)."""

from django.db import transaction
from django.utils import timezone

from deliverables.models import ChecklistItem, Deliverable
from deliverables.rollups import refresh_checklists
from milestones_site.services.editing import validate
from milestones_site.services.errors import invalid
from milestones_site.services.writes import Writes
from projects import activity, permissions
from projects.models import Milestone
from projects.permissions import Action

CHECKLIST_ITEM_FIELDS = ("done",)


def _lock_parent(parent: Deliverable | Milestone) -> None:
    """Writers of one checklist take turns, so each count sees the others' items."""
    type(parent).objects.select_for_update().filter(pk=parent.pk).values("pk").first()


def _counted(item: ChecklistItem) -> None:
    """A deliverable keeps its checklist's counts (a milestone's own checklist has none)."""
    if item.deliverable_id:
        refresh_checklists([item.deliverable_id])


@transaction.atomic
def checklist_item_add(
    *, parent: Deliverable | Milestone, actor, text: str, done: bool = False
) -> ChecklistItem:
    """A new item at the end of the parent's checklist (ticked at once when `done`)."""
    permissions.ensure(actor, Action.CHECKLIST_EDIT, parent.project.workspace)
    parent_field = "deliverable" if isinstance(parent, Deliverable) else "milestone"
    _lock_parent(parent)
    order = ChecklistItem.objects.filter(**{parent_field: parent}).count()
    item = ChecklistItem(text=(text or "").strip(), order=order, **{parent_field: parent})
    validate(item)
    item.save()
    _counted(item)
    activity.record(
        actor=actor, verb="checklist_item.added", target=parent, data={"text": item.text}
    )
    if done:
        item = checklist_item_toggle(item=item, done=True, actor=actor)
    return item


@transaction.atomic
def checklist_item_toggle(*, item: ChecklistItem, done: bool, actor) -> ChecklistItem:
    """Tick or untick; records who ticked it and when."""
    permissions.ensure(actor, Action.CHECKLIST_EDIT, item.project.workspace)
    _lock_parent(item.parent)
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if item.done == done:
        return item
    item.done = done
    item.done_by = actor if done else None
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done", "done_by", "done_at", "updated_at"])
    _counted(item)
    activity.record(
        actor=actor,
        verb="checklist_item.checked" if done else "checklist_item.unchecked",
        target=item.parent,
        changes={"done": (not done, done)},
        data={"item": item.pk, "text": item.text},
    )
    return item


def checklist_item_update(
    *, item: ChecklistItem, actor, data: dict, expected_version: int | None = None
) -> ChecklistItem:
    """Only whether an item is done changes once it exists."""
    unknown = sorted(set(data) - set(CHECKLIST_ITEM_FIELDS))
    if unknown:
        raise invalid(**dict.fromkeys(unknown, "This field cannot be changed here."))
    return checklist_item_toggle(item=item, done=data.get("done", item.done), actor=actor)


@transaction.atomic
def checklist_item_delete(*, item: ChecklistItem, actor) -> None:
    """Remove an item from its checklist."""
    permissions.ensure(actor, Action.CHECKLIST_EDIT, item.project.workspace)
    _lock_parent(item.parent)
    activity.record_deletion(
        item,
        actor=actor,
        target=item.parent,
        data={"text": item.text},
        verb="checklist_item.removed",
    )
    _counted(item)


CHECKLIST_ITEM_WRITES = Writes(
    create=checklist_item_add,
    update=checklist_item_update,
    delete=checklist_item_delete,
    editable=CHECKLIST_ITEM_FIELDS,
    row_arg="item",
)
