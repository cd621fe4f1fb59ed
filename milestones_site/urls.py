from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("milestones_site.api_urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("deliverables.urls")),
    path("", include("projects.urls")),
]
