from django.urls import path

from notifications.web import views

app_name = "notifications"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("follow/project/<int:pk>/", views.follow, {"model": "project"}, name="follow_project"),
    path(
        "follow/milestone/<int:pk>/", views.follow, {"model": "milestone"}, name="follow_milestone"
    ),
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<int:pk>/", views.webhook, name="webhook"),
]
