from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("milestones_site.api_urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("deliverables.urls")),
    path("", include("projects.urls")),
]

if settings.BENCH_MODE:
    from bench.floor import floor

    urlpatterns.insert(0, path("bench/floor/", floor))
