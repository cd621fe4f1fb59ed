from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from deliverables.api import urls as deliverables_api
from milestones_site.api.urls import version_urls
from milestones_site.web import accounts
from notifications.api import urls as notifications_api
from projects.api import urls as projects_api

api_v1 = version_urls(
    projects_api.urlpatterns, deliverables_api.urlpatterns, notifications_api.urlpatterns
)

handler400 = "milestones_site.web.errors.bad_request"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("notifications/", include("notifications.web.urls")),
    path("", include("deliverables.web.urls")),
    path("", include("projects.web.urls")),
]

if settings.BENCH_MODE:
    from bench.floor import floor

    urlpatterns.insert(0, path("bench/floor/", floor))
