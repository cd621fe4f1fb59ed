from django.urls import path

from milestones_site.api.urls import resource_router
from notifications.api import views

router = resource_router()
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("webhooks", views.WebhookEndpointViewSet, basename="webhook")
router.register("follows", views.FollowViewSet, basename="follow")

urlpatterns = [
    # Before the router's `notifications/<id>/`, which would take "preferences" for an id.
    path(
        "notifications/preferences/",
        views.NotificationPreferenceView.as_view(),
        name="notification-preferences",
    ),
    *router.urls,
]
