from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("milestones_site.api.urls")),
    path("notifications/", include("notifications.web.urls")),
    path("", include("deliverables.web.urls")),
    path("", include("projects.web.urls")),
]

if settings.BENCH_MODE:
    from bench.floor import floor

    urlpatterns.insert(0, path("bench/floor/", floor))
