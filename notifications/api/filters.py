"""Notification list filters (django-filter)."""

from milestones_site.api.filters import BooleanFilter, ResourceFilterSet
from notifications.models import Notification


class NotificationFilter(ResourceFilterSet):
    unread = BooleanFilter(
        field_name="read_at",
        lookup_expr="isnull",
        label="true: only the unread ones; false: only those you have read.",
    )

    class Meta:
        model = Notification
        fields = ("unread",)
