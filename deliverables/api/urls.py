from deliverables.api import views
from milestones_site.api.urls import resource_router

router = resource_router()
router.register("deliverables", views.DeliverableViewSet, basename="deliverable")
router.register("checklist-items", views.ChecklistItemViewSet, basename="checklist-item")

urlpatterns = router.urls
