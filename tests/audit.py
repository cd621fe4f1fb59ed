"""Assertions on the audit log that service tests share."""

from django.contrib.contenttypes.models import ContentType

from projects.models import ActivityEvent


def assert_recorded(verb: str, *, actor, target, changes: dict | None = None) -> ActivityEvent:
    """Exactly one event with `verb` exists, by `actor`, on `target`, with these changes."""
    event = ActivityEvent.objects.get(verb=verb)
    assert event.actor == actor
    assert event.target_type == ContentType.objects.get_for_model(target)
    assert event.target_id == target.pk
    if changes is not None:
        assert event.changes == changes
    return event


def table_counts(*models) -> dict[str, int]:
    """Row counts, to show that a refused service wrote nothing."""
    return {model.__name__: model._default_manager.count() for model in models}
