"""Celebrating progress: the words a person reads when a milestone or a whole project is
completed, and which audit events are such moments (marked in the activity feed)."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from projects.models import ActivityEvent, Milestone, Project


def milestone_reached(milestone: Milestone) -> str:
    """“🎉 “Launch day” completed: 5 of 8 milestones of “Spring launch” done.”, from the
    project's stored counts (read after the completion committed them)."""
    project = Project.objects.only(
        "name", "milestones_total", "milestones_completed", "milestones_cancelled"
    ).get(pk=milestone.project_id)
    in_scope = project.milestones_total - project.milestones_cancelled
    if project.milestones_completed >= in_scope:
        return (
            f"🎉 “{milestone.title}” completed: that was the last one, every milestone of "
            f"“{project.name}” is done."
        )
    return (
        f"🎉 “{milestone.title}” completed: {project.milestones_completed} of {in_scope} "
        f"milestones of “{project.name}” done."
    )


def project_reached(project: Project) -> str:
    return f"🎉 “{project.name}” is complete. Well done to everyone on it."


def is_celebration(event: ActivityEvent) -> bool:
    """A milestone completed, or a project's status moved to completed."""
    if event.verb == "milestone.completed":
        return True
    status = (event.changes or {}).get("status")
    return (
        event.verb == "project.updated" and bool(status) and status[-1] == Project.Status.COMPLETED
    )


def project_completions(user, *, since: datetime) -> QuerySet[ActivityEvent]:
    """The moments projects `user` can see were completed since `since`, newest first."""
    return ActivityEvent.objects.filter(
        verb="project.updated",
        target_type=ContentType.objects.get_for_model(Project),
        target_id__in=Project.objects.visible_to(user)
        .filter(status=Project.Status.COMPLETED)
        .values("pk"),
        changes__status__1=Project.Status.COMPLETED,
        created_at__gte=since,
    ).order_by("-created_at")
