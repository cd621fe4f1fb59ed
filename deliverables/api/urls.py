from deliverables.api import views
from milestones_site.api.urls import resource_router

router = resource_router()
router.register("deliverables", views.DeliverableViewSet, basename="deliverable")
router.register("checklist-items", views.ChecklistItemViewSet, basename="checklist-item")
router.register("versions", views.VersionViewSet, basename="version")
router.register("proof-files", views.ProofFileViewSet, basename="proof-file")
router.register("review-rounds", views.ReviewRoundViewSet, basename="review-round")
router.register("proof-comments", views.ProofCommentViewSet, basename="proof-comment")
router.register("plans", views.PlanViewSet, basename="plan")

urlpatterns = router.urls
