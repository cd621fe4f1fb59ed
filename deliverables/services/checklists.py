"""Checklists: ordered items on a deliverable or directly on a milestone, ticked with who
and when, reworded and reordered."""

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

CHECKLIST_ITEM_FIELDS = ("text", "order", "done")


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


@transaction.atomic
def checklist_item_reword(*, item: ChecklistItem, text: str, actor) -> ChecklistItem:
    """Change an item's text (one line); whether it is done stays."""
    permissions.ensure(actor, Action.CHECKLIST_EDIT, item.project.workspace)
    _lock_parent(item.parent)
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    before, item.text = item.text, (text or "").strip()
    if item.text == before:
        return item
    validate(item)
    item.save(update_fields=["text", "updated_at"])
    activity.record(
        actor=actor,
        verb="checklist_item.edited",
        target=item.parent,
        changes={"text": (before, item.text)},
        data={"item": item.pk},
    )
    return item


@transaction.atomic
def checklist_item_move(*, item: ChecklistItem, order: int, actor) -> ChecklistItem:
    """Put an item at position `order` of its checklist (0 is first; past the end is last);
    the items between shift by one, so the positions stay 0, 1, 2, …"""
    permissions.ensure(actor, Action.CHECKLIST_EDIT, item.project.workspace)
    if isinstance(order, bool) or not isinstance(order, int) or order < 0:
        raise invalid(order="Give a position: 0 for the first item, 1 for the second, …")
    parent = item.parent
    _lock_parent(parent)
    parent_field = "deliverable" if isinstance(parent, Deliverable) else "milestone"
    items = list(ChecklistItem.objects.filter(**{parent_field: parent}).order_by("order", "id"))
    moving = next(each for each in items if each.pk == item.pk)
    before = items.index(moving)
    items.remove(moving)
    items.insert(min(order, len(items)), moving)
    now = timezone.now()
    moved = []
    for position, each in enumerate(items):
        if each.order != position:
            each.order, each.updated_at = position, now
            moved.append(each)
    if not moved:
        return moving
    ChecklistItem.objects.bulk_update(moved, ["order", "updated_at"])
    activity.record(
        actor=actor,
        verb="checklist_item.moved",
        target=parent,
        changes={"order": (before, moving.order)},
        data={"item": moving.pk, "text": moving.text},
    )
    return moving


@transaction.atomic
def checklist_item_update(
    *, item: ChecklistItem, actor, data: dict, expected_version: int | None = None
) -> ChecklistItem:
    """Reword, move and tick an item in one edit, each by its own service."""
    unknown = sorted(set(data) - set(CHECKLIST_ITEM_FIELDS))
    if unknown:
        raise invalid(**dict.fromkeys(unknown, "This field cannot be changed here."))
    if "text" in data:
        item = checklist_item_reword(item=item, text=data["text"], actor=actor)
    if "order" in data:
        item = checklist_item_move(item=item, order=data["order"], actor=actor)
    if "done" in data:
        item = checklist_item_toggle(item=item, done=data["done"], actor=actor)
    return item


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
