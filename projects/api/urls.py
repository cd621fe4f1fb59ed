from milestones_site.api.urls import resource_router
from projects.api import views

router = resource_router()
router.register("workspaces", views.WorkspaceViewSet, basename="workspace")
router.register("members", views.MembershipViewSet, basename="member")
router.register("clients", views.ClientViewSet, basename="client")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("phases", views.PhaseViewSet, basename="phase")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("status-updates", views.StatusUpdateViewSet, basename="status-update")
router.register("comments", views.CommentViewSet, basename="comment")
router.register("activity", views.ActivityViewSet, basename="activity")
router.register("deleted", views.DeletionViewSet, basename="deletion")
router.register("tokens", views.ApiTokenViewSet, basename="token")
router.register("share-links", views.ShareLinkViewSet, basename="share-link")
router.register("calendar-feeds", views.CalendarFeedViewSet, basename="calendar-feed")
router.register("templates", views.TemplateViewSet, basename="template")

urlpatterns = router.urls
