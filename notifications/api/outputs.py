"""Output serializers: notifications, preferences, webhook endpoints and their deliveries."""

from rest_framework import serializers

from notifications.models import (
    Follow,
    Notification,
    NotificationPreference,
    WebhookDelivery,
    WebhookEndpoint,
)
from notifications.services import PREFERENCE_FIELDS


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = (
            "id",
            "kind",
            "title",
            "body",
            "url",
            "created_at",
            "updated_at",
            "read_at",
            "is_read",
            "email_state",
        )

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class FollowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Follow
        fields = ("id", "project", "milestone", "created_at", "updated_at")


class PreferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = NotificationPreference
        fields = PREFERENCE_FIELDS


class WebhookEndpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = (
            "id",
            "workspace",
            "url",
            "event_types",
            "active",
            "consecutive_failures",
            "disabled_reason",
            "previous_secret_expires_at",
            "created_at",
            "updated_at",
        )
        extra_kwargs = {
            "previous_secret_expires_at": {
                "help_text": "Until when the secret before the last rotation still signs "
                "deliveries beside the current one (null: never rotated)."
            }
        }


class CreatedWebhookEndpointSerializer(WebhookEndpointSerializer):
    class Meta(WebhookEndpointSerializer.Meta):
        fields = (*WebhookEndpointSerializer.Meta.fields, "secret")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "event",
            "event_type",
            "state",
            "attempts",
            "response_status",
            "last_error",
            "next_attempt_at",
            "created_at",
            "delivered_at",
        )
