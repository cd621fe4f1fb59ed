"""Input serializers: the shape of what clients send. Services validate the rules."""

from rest_framework import serializers

from milestones_site.api.inputs import InputSerializer, ModelInputSerializer, VisibleRelatedField
from notifications.models import NotificationPreference
from notifications.services import PREFERENCE_FIELDS
from projects.models import Workspace


class PreferenceInput(ModelInputSerializer):
    class Meta:
        model = NotificationPreference
        fields = PREFERENCE_FIELDS


class EventTypesField(serializers.ListField):
    child = serializers.CharField(max_length=64)


class WebhookCreateInput(InputSerializer):
    workspace = VisibleRelatedField(queryset=Workspace.objects.all())
    url = serializers.URLField(max_length=500)
    event_types = EventTypesField(required=False, max_length=50)


class WebhookUpdateInput(InputSerializer):
    url = serializers.URLField(max_length=500, required=False)
    event_types = EventTypesField(required=False, max_length=50)
    active = serializers.BooleanField(required=False)
