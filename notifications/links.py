"""Links back to the pages, for in-app notifications, emails and webhook payloads."""

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def page_path(model: str, pk: int, *, milestone_id: int | None = None) -> str:
    """The page that shows a project or milestone; a deliverable is shown on its
    milestone's page."""
    if model == "project":
        return reverse("projects:project_detail", args=[pk])
    if model == "milestone":
        return reverse("projects:milestone_detail", args=[pk])
    if model == "deliverable" and milestone_id:
        return f"{reverse('projects:milestone_detail', args=[milestone_id])}#deliverable-{pk}"
    return reverse("notifications:centre")
