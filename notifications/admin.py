from django.contrib import admin

from notifications.models import (
    Follow,
    Notification,
    NotificationPreference,
    WebhookDelivery,
    WebhookEndpoint,
)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "email_state", "attempts", "created_at")
    list_filter = ("kind", "email_state")
    search_fields = ("title", "key", "recipient__username")
    raw_id_fields = ("recipient", "event", "workspace")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event_type", "endpoint", "state", "attempts", "response_status", "created_at")
    list_filter = ("state",)
    raw_id_fields = ("endpoint", "event")


admin.site.register(WebhookEndpoint)
admin.site.register(NotificationPreference)
admin.site.register(Follow)
