from django.urls import path

from deliverables.web import views

app_name = "deliverables"

urlpatterns = [
    path(
        "milestones/<int:milestone_pk>/deliverables/new/",
        views.deliverable_create,
        name="deliverable_create",
    ),
    path("deliverables/<int:pk>/edit/", views.deliverable_edit, name="deliverable_edit"),
    path("deliverables/<int:pk>/delete/", views.deliverable_delete, name="deliverable_delete"),
    path("deliverables/<int:pk>/move/", views.deliverable_move, name="deliverable_move"),
    path("deliverables/<int:pk>/checklist/", views.checklist_add, name="checklist_add"),
    path("checklist-items/<int:pk>/toggle/", views.checklist_toggle, name="checklist_toggle"),
]
