from django.urls import path

from projects.web.views import calendar as views_calendar
from projects.web.views import dashboard, milestone, my_work, playbooks, project
from projects.web.views import export as views_export
from projects.web.views import settings as views_settings
from projects.web.views import sharing as views_sharing

app_name = "projects"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("workspace/switch/", dashboard.switch, name="switch_workspace"),
    path("my-work/", my_work.my_work, name="my_work"),
    path("milestones/", dashboard.milestone_list, name="portfolio_milestones"),
    path("deliverables/awaiting-review/", dashboard.review_list, name="portfolio_reviews"),
    path("projects/new/", project.project_create, name="project_create"),
    path("projects/<int:pk>/", project.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", project.project_edit, name="project_edit"),
    path("projects/<int:pk>/delete/", project.project_delete, name="project_delete"),
    path("projects/<int:pk>/activity/", project.project_activity, name="project_activity"),
    path("projects/<int:pk>/status-updates/", project.status_update_post, name="status_update"),
    path("projects/<int:pk>/phases/new/", project.phase_create, name="phase_create"),
    path(
        "projects/<int:pk>/save-as-template/",
        playbooks.project_save_as_template,
        name="project_save_as_template",
    ),
    path("playbooks/", playbooks.playbooks, name="playbooks"),
    path("playbooks/<int:pk>/", playbooks.playbook_detail, name="playbook_detail"),
    path("playbooks/<int:pk>/use/", playbooks.playbook_use, name="playbook_use"),
    path("phases/<int:pk>/edit/", project.phase_edit, name="phase_edit"),
    path("phases/<int:pk>/delete/", project.phase_delete, name="phase_delete"),
    path("projects/<int:pk>/milestones/new/", milestone.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/", milestone.milestone_detail, name="milestone_detail"),
    path("milestones/<int:pk>/edit/", milestone.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/delete/", milestone.milestone_delete, name="milestone_delete"),
    path("milestones/<int:pk>/status/", milestone.milestone_status, name="milestone_status"),
    path(
        "milestones/<int:pk>/reschedule/",
        milestone.milestone_reschedule,
        name="milestone_reschedule",
    ),
    path("milestones/<int:pk>/complete/", milestone.milestone_complete, name="milestone_complete"),
    path(
        "milestones/<int:pk>/rebaseline/",
        milestone.milestone_rebaseline,
        name="milestone_rebaseline",
    ),
    path("milestones/<int:pk>/comments/", milestone.milestone_comment, name="milestone_comment"),
    path("calendar/", views_calendar.calendar, name="calendar"),
    path("calendar/feed/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
    path("share/<str:token>/", views_sharing.share_project, name="share"),
    path(
        "share/<str:token>/deliverables/<int:deliverable_id>/signoff/",
        views_sharing.share_signoff,
        name="share_signoff",
    ),
    path(
        "projects/<int:project_id>/export/milestones.csv",
        views_export.export_milestones,
        name="export_milestones",
    ),
    path(
        "projects/<int:project_id>/export/deliverables.csv",
        views_export.export_deliverables,
        name="export_deliverables",
    ),
    path("export/milestones.csv", views_export.export_milestones, name="export_milestones"),
    path("export/deliverables.csv", views_export.export_deliverables, name="export_deliverables"),
    path("settings/", views_settings.workspace_settings_page, name="workspace_settings"),
    path("settings/members/add/", views_settings.member_add, name="member_add"),
    path(
        "settings/members/<int:membership_id>/role/",
        views_settings.member_change_role,
        name="member_change_role",
    ),
    path(
        "settings/members/<int:membership_id>/remove/",
        views_settings.member_remove,
        name="member_remove",
    ),
    path("settings/workspace/", views_settings.workspace_update, name="workspace_update"),
    path("settings/clients/new/", views_settings.client_create, name="client_create"),
    path("settings/clients/<int:client_id>/edit/", views_settings.client_edit, name="client_edit"),
    path(
        "settings/clients/<int:client_id>/delete/",
        views_settings.client_delete,
        name="client_delete",
    ),
    path("settings/api-tokens/new/", views_settings.api_token_create, name="api_token_create"),
    path(
        "settings/api-tokens/<int:token_id>/revoke/",
        views_settings.api_token_revoke,
        name="api_token_revoke",
    ),
    path("settings/share-links/new/", views_settings.share_link_create, name="share_link_create"),
    path(
        "settings/share-links/<int:link_id>/revoke/",
        views_settings.share_link_revoke,
        name="share_link_revoke",
    ),
    path(
        "settings/calendar-feeds/new/",
        views_settings.calendar_feed_create,
        name="calendar_feed_create",
    ),
    path(
        "settings/calendar-feeds/<int:feed_id>/revoke/",
        views_settings.calendar_feed_revoke,
        name="calendar_feed_revoke",
    ),
    # After the routes above: a section of settings is any other settings/<slug>/.
    path("settings/<slug:section>/", views_settings.settings_section, name="settings_section"),
]
