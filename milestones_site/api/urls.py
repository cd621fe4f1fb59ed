"""The URLs of the REST API: each app registers its resources on a router of its own
(`<app>/api/urls.py`), and milestones_site/urls.py puts them together under a version.

To add a resource, write a viewset on milestones_site.api.viewsets.ServiceViewSet and add
one `router.register(...)` line to its app's api/urls.py; the permission-matrix test
(tests/milestones_site/api/) then demands an expected status for each of its routes,
methods and roles.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from milestones_site.api import locations
from milestones_site.api.viewsets import UnknownEndpointView


class ResourceRouter(DefaultRouter):
    """Records which resource shows each model on its detail route, for `Location`."""

    def register(self, prefix, viewset, basename=None):
        super().register(prefix, viewset, basename)
        if hasattr(viewset, "retrieve") and getattr(viewset, "model", None) is not None:
            locations.register(viewset.model, basename or self.get_default_basename(viewset))


def resource_router() -> DefaultRouter:
    """A router for an app's resources: `/<resource>/` and `/<resource>/<id>/`, no root view
    and no format suffixes."""
    router = ResourceRouter(trailing_slash=True)
    router.include_root_view = False
    router.include_format_suffixes = False
    return router


def version_urls(*resources: list) -> list:
    """One API version: its OpenAPI schema, its docs page, the apps' resources, and a JSON
    404 for any other path under it."""
    return [
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        # The split view serves Swagger UI's start-up script as a file of its own (its URL
        # plus ?script), not inline: the Content-Security-Policy allows no inline script.
        path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
        *(pattern for patterns in resources for pattern in patterns),
        re_path(r"^", UnknownEndpointView.as_view()),
    ]
