"""Input serializers: the shape of what clients send. Services validate the rules."""

from rest_framework import serializers

from milestones_site.api.inputs import InputSerializer, ModelInputSerializer, VisibleRelatedField
from notifications.models import NotificationPreference
from notifications.services import PREFERENCE_FIELDS
from projects.models import Milestone, Project, Workspace


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


class FollowInput(InputSerializer):
    project = VisibleRelatedField(
        queryset=Project.objects.all(), required=False, help_text="Follow a project…"
    )
    milestone = VisibleRelatedField(
        queryset=Milestone.objects.all(), required=False, help_text="…or a milestone."
    )

    def validate(self, attrs):
        subjects = [attrs[name] for name in ("project", "milestone") if name in attrs]
        if len(subjects) != 1:
            raise serializers.ValidationError(
                {"project": "Give either a project or a milestone (exactly one)."}
            )
        return {"subject": subjects[0]}
