"""The mechanics every update service shares: lock the row, check its version, apply the
fields it may change, validate, bump the version, and report what changed."""

from django.core.exceptions import ValidationError
from django.db import models

from milestones_site.services.errors import StaleVersion, invalid


def lock_for_update(instance: models.Model, expected_version: int | None) -> models.Model:
    """Re-read the row under a lock; refuse if it moved past `expected_version`."""
    current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current)
    keep_loaded_relations(instance, current)
    return current


def apply_edit(
    instance: models.Model, data: dict, *, editable: tuple[str, ...], expected_version: int | None
) -> tuple[models.Model, dict]:
    """Re-read the row under a lock (refused if stale), set the `editable` fields `data`
    gives and validate them: the row, not yet saved, and {field: (before, after)}."""
    current = lock_for_update(instance, expected_version)
    changes = apply_changes(current, data, editable=editable)
    validate(current)
    return current, changes


def keep_loaded_relations(loaded: models.Model, current: models.Model) -> None:
    """Give `current` the related rows (its project, say) already loaded on `loaded` that
    it still refers to. The lock covers only the row itself, so reading them again would
    cost a query per relation and make them no more current."""
    for field in loaded._meta.concrete_fields:
        if (
            field.many_to_one
            and field.is_cached(loaded)
            and getattr(loaded, field.attname) == getattr(current, field.attname)
        ):
            field.set_cached_value(current, field.get_cached_value(loaded))


def apply_changes(instance: models.Model, data: dict, *, editable: tuple[str, ...]) -> dict:
    """Set the given fields and return {field: (before, after)} for those that changed."""
    unknown = sorted(set(data) - set(editable))
    if unknown:
        raise invalid(**dict.fromkeys(unknown, "This field cannot be changed here."))
    changes, errors = {}, {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if not field.is_relation:
            # Compare like with like: "2026-11-20" and date(2026, 11, 20) are no change.
            try:
                value = field.to_python(value)
            except ValidationError as error:
                errors[name] = error.messages
                continue
        before = getattr(instance, field.attname)
        after_key = value.pk if isinstance(value, models.Model) else value
        if before != after_key:
            changes[name] = (before, after_key)
            setattr(instance, name, value)
    if errors:
        raise ValidationError(errors)
    return changes


def validate(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Field checks and the model's single-row rules, as field messages."""
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None


def save_changes(instance: models.Model, changes: dict) -> None:
    """Save the changed fields, with a new version where the row keeps one; nothing to
    save, nothing written."""
    if not changes:
        return
    if hasattr(instance, "version"):
        instance.version += 1
    instance.save()
