from django.urls import path

from deliverables.web import proofs, share, views

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
    path("deliverables/<int:pk>/", proofs.deliverable_detail, name="deliverable_detail"),
    path("deliverables/<int:pk>/versions/", proofs.version_upload, name="version_upload"),
    path("versions/<int:version_pk>/comments/", proofs.proof_comment_post, name="proof_comment"),
    path(
        "proof-comments/<int:pk>/resolve/",
        proofs.proof_comment_resolve,
        name="proof_comment_resolve",
    ),
    path("files/<int:pk>/<slug:variant>/", proofs.proof_file, name="proof_file"),
    path("share/<str:token>/files/<int:pk>/<slug:variant>/", share.share_file, name="share_file"),
    path(
        "share/<str:token>/versions/<int:version_pk>/comments/",
        share.share_comment,
        name="share_comment",
    ),
]
