"""REST API v1: every resource is registered here.

To add a resource, write a viewset on milestones_site.api_views.ServiceViewSet and add
one `router.register(...)` line; the permission-matrix test (tests/api/) then demands an
expected status for each of its routes, methods and roles.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from deliverables.api.views import ChecklistItemViewSet, DeliverableViewSet
from milestones_site.api.viewsets import UnknownEndpointView
from notifications.api.views import (
    NotificationPreferenceView,
    NotificationViewSet,
    WebhookEndpointViewSet,
)
from projects.api.playbooks import TemplateViewSet
from projects.api.views import (
    ActivityViewSet,
    ApiTokenViewSet,
    ClientViewSet,
    CommentViewSet,
    MembershipViewSet,
    MilestoneViewSet,
    PhaseViewSet,
    ProjectViewSet,
    StatusUpdateViewSet,
    WorkspaceViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("workspaces", WorkspaceViewSet, basename="workspace")
router.register("members", MembershipViewSet, basename="member")
router.register("clients", ClientViewSet, basename="client")
router.register("projects", ProjectViewSet, basename="project")
router.register("phases", PhaseViewSet, basename="phase")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("deliverables", DeliverableViewSet, basename="deliverable")
router.register("checklist-items", ChecklistItemViewSet, basename="checklist-item")
router.register("status-updates", StatusUpdateViewSet, basename="status-update")
router.register("comments", CommentViewSet, basename="comment")
router.register("activity", ActivityViewSet, basename="activity")
router.register("tokens", ApiTokenViewSet, basename="token")
router.register("templates", TemplateViewSet, basename="template")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path(
        "notifications/preferences/",
        NotificationPreferenceView.as_view(),
        name="notification-preferences",
    ),
    *router.urls,
    re_path(r"^", UnknownEndpointView.as_view()),
]
