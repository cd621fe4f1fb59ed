"""Input serializers: the shape of what clients send. Services validate the rules."""

from rest_framework import serializers

from milestones_site.api.inputs import InputSerializer, ModelInputSerializer, VisibleRelatedField
from notifications.models import NotificationPreference
from notifications.services import (
    PREFERENCE_FIELDS,
    SECRET_OVERLAP_HOURS,
    SECRET_OVERLAP_MAX_HOURS,
)
from notifications.webhooks.catalogue import EVENT_TYPE_NAMES
from projects.models import Workspace


class PreferenceInput(ModelInputSerializer):
    class Meta:
        model = NotificationPreference
        fields = PREFERENCE_FIELDS


class EventTypesField(serializers.ListField):
    """Names from the event catalogue (the schema's `webhooks`); empty means every event."""

    child = serializers.ChoiceField(
        choices=EVENT_TYPE_NAMES,
        error_messages={
            "invalid_choice": '"{input}" is not an event type; the API schema\'s `webhooks` '
            "section lists them."
        },
    )


class WebhookCreateInput(InputSerializer):
    workspace = VisibleRelatedField(queryset=Workspace.objects.all())
    url = serializers.URLField(max_length=500)
    event_types = EventTypesField(required=False, max_length=50)


class WebhookUpdateInput(InputSerializer):
    url = serializers.URLField(max_length=500, required=False)
    event_types = EventTypesField(required=False, max_length=50)
    active = serializers.BooleanField(required=False)


class WebhookRotateSecretInput(InputSerializer):
    overlap_hours = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=SECRET_OVERLAP_MAX_HOURS,
        default=SECRET_OVERLAP_HOURS,
        help_text="How long the secret before this one keeps signing deliveries beside the "
        f"new one (default {SECRET_OVERLAP_HOURS}); 0 ends it at once.",
    )
